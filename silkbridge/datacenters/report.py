"""Turn an assessment result into what a reader sees: translated verdicts, reasons, tables and charts.

The engines speak in stable codes with parameters (they import no Django, so no translations);
this module renders each code in the reader's language, falling back to the engine's English text
for a code it does not know, so a new engine message is never lost, only untranslated.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silkbridge.datacenters.messages import message_text

TIER_NAMES = {0: "0", 1: "I", 2: "II", 3: "III", 4: "IV"}


def tier_name(tier: int | None) -> str:
    return TIER_NAMES.get(int(tier or 0), "0")


def describe_issues(issues: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Errors and warnings with their place in the document and a reason in the reader's language."""
    return [
        {
            "path": str(issue.get("path") or ""),
            "message": message_text(issue.get("code"), issue.get("params") or {}, issue.get("message") or ""),
        }
        for issue in issues
    ]


GROUPED_CODES = ("maintenance_drops_load", "fault_drops_load")


def group_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reasons with the same effect (same code, network, sink and kW left) merged into one that names every
    culprit once: twenty "X: a fault there drops the power to 0 kW" lines become one line listing the X."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    order: list[tuple[Any, ...]] = []
    for index, reason in enumerate(reasons):
        params = reason.get("params") or {}
        if reason.get("code") in GROUPED_CODES:
            key: tuple[Any, ...] = tuple(
                str(params.get(name)) for name in ("system", "sink", "delivered_kw", "demand_kw")
            )
            key = (reason.get("code"), *key)
        else:
            key = ("single", index)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(reason)
    merged = []
    for key in order:
        members = groups[key]
        if len(members) == 1:
            merged.append(members[0])
            continue
        params = dict(members[0].get("params") or {})
        elements = list(dict.fromkeys(str((member.get("params") or {}).get("element")) for member in members))
        params["elements"] = ", ".join(elements)
        params.pop("element", None)
        params.pop("element_kind", None)
        merged.append(
            {
                "code": f"{members[0]['code']}_group",
                "params": params,
                "message": "; ".join(str(member.get("message") or "") for member in members),
                "system": members[0].get("system"),
            }
        )
    return merged


def _criterion(criterion: dict[str, Any]) -> dict[str, Any]:
    code = str(criterion.get("code", ""))
    return {
        "code": code,
        "title": message_text(f"criterion.{code}", {}, criterion.get("title") or code),
        "tier_required": criterion.get("tier_required"),
        "passed": bool(criterion.get("passed")),
        "reasons": describe_issues(group_reasons(criterion.get("reasons") or [])),
        "notes": describe_issues(criterion.get("notes") or []),
    }


def _bars(values: list[float], *, floor: float, ceiling: float, height: int = 110) -> list[dict[str, Any]]:
    """Geometry of a small inline SVG bar chart (viewBox 372 x 160); the numbers are printed beside it too."""
    span = max(ceiling - floor, 1e-9)
    bars = []
    for index, value in enumerate(values):
        bar_height = round(height * max(0.02, min(1.0, (value - floor) / span)), 1)
        bars.append(
            {
                "value": value,
                "x": 4 + index * 31,
                "y": round(125 - bar_height, 1),
                "height": bar_height,
                "text_x": 16 + index * 31,
            }
        )
    return bars


def _energy(energy: dict[str, Any]) -> dict[str, Any]:
    monthly = [float(value) for value in energy.get("pue_monthly") or []]
    months = [_("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun")]
    months += [_("Jul"), _("Aug"), _("Sep"), _("Oct"), _("Nov"), _("Dec")]
    rows = [{"month": months[index], "pue": value} for index, value in enumerate(monthly[:12])]
    bars = _bars(monthly, floor=1.0, ceiling=max([*monthly, 2.0])) if monthly else []
    for bar, row in zip(bars, rows, strict=False):
        bar["label"] = row["month"]
    at_load = energy.get("pue_at_load") or []
    return {"monthly": rows, "bars": bars, "at_load": at_load, "data": energy}


def _ranked_elements(availability: dict[str, Any]) -> list[dict[str, Any]]:
    """Elements by their share of downtime; `single_point` marks those whose failure alone drops the load."""
    return [
        {
            "element": str(entry.get("element") or ""),
            "members": [member for member in entry.get("members") or [] if member != entry.get("element")],
            "share": float(entry.get("share") or 0.0),
            "minutes": float(entry.get("downtime_minutes_per_year") or 0.0),
            "single_point": bool(entry.get("single_point")),
        }
        for entry in availability.get("single_points_of_failure") or []
    ]


_BOX_W, _BOX_H, _COLUMN, _ROW, _MARGIN = 112, 22, 150, 30, 8


def diagram_layout(network: dict[str, Any]) -> dict[str, Any] | None:
    """Geometry of one network's diagram (SVG user units): sources on the left, the load on the right.

    A node's column is its longest chain of paths from a source (fuel tanks feed the generators, so they
    stand before them), over the loop-free paths of _layering_edges; rows follow the document's order.
    Single points of failure carry `single_point`.
    """
    nodes = network.get("nodes") or []
    edges = network.get("edges") or []
    if not nodes:
        return None
    ids = [str(node["id"]) for node in nodes]
    column = dict.fromkeys(ids, 0)
    layered = _layering_edges(ids, edges)
    for _round in range(len(ids)):  # longest path over an acyclic set of edges: ends within len(ids) rounds
        changed = False
        for source, target in layered:
            if column[target] < column[source] + 1:
                column[target] = column[source] + 1
                changed = True
        if not changed:
            break
    rows: dict[int, int] = {}
    placed: dict[str, dict[str, Any]] = {}
    for node in nodes:
        node_id = str(node["id"])
        row = rows.get(column[node_id], 0)
        rows[column[node_id]] = row + 1
        placed[node_id] = {
            "id": node_id,
            "kind": node.get("kind", ""),
            "single_point": bool(node.get("single_point")),
            "x": _MARGIN + column[node_id] * _COLUMN,
            "y": _MARGIN + row * _ROW,
            "text_x": _MARGIN + column[node_id] * _COLUMN + _BOX_W // 2,
            "text_y": _MARGIN + row * _ROW + 15,
        }
    lines = []
    for edge in edges:
        tail, head = placed.get(str(edge["from"])), placed.get(str(edge["to"]))
        if tail is None or head is None:
            continue
        lines.append(
            {
                "id": str(edge["id"]),
                "x1": tail["x"] + _BOX_W,
                "y1": tail["y"] + _BOX_H // 2,
                "x2": head["x"],
                "y2": head["y"] + _BOX_H // 2,
                "active": bool(edge.get("active", True)),
                "single_point": bool(edge.get("single_point")),
            }
        )
    return {
        "nodes": list(placed.values()),
        "edges": lines,
        "width": _MARGIN * 2 + max(column.values()) * _COLUMN + _BOX_W,
        "height": _MARGIN * 2 + (max(rows.values()) - 1) * _ROW + _BOX_H,
        "box_width": _BOX_W,
        "box_height": _BOX_H,
        "single_points": [node["id"] for node in placed.values() if node["single_point"]]
        + [line["id"] for line in lines if line["single_point"]],
    }


def _layering_edges(ids: list[str], edges: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The edges that set the columns: acyclic, and normally-open paths only into a node no active path reaches.

    A depth-first walk from the sources (active edges first) drops every edge back to a node still on the walk,
    so a tie drawn both ways (A->B and B->A) cannot push the columns round a loop. A normally-open path (a tie,
    a bypass) places a node only when no active path leads to it, so a tie does not shift the board it joins.
    """
    known = set(ids)
    pairs = [
        (str(edge["from"]), str(edge["to"]), bool(edge.get("active", True)))
        for edge in edges
        if str(edge["from"]) in known and str(edge["to"]) in known
    ]
    out: dict[str, list[tuple[str, bool]]] = {node: [] for node in ids}
    for source, target, active in sorted(pairs, key=lambda pair: not pair[2]):  # stable: active first
        out[source].append((target, active))
    fed = {target for _, target, _ in pairs}
    state = dict.fromkeys(ids, 0)  # 0 unseen, 1 on the walk, 2 done
    kept: list[tuple[str, str, bool]] = []
    for root in [node for node in ids if node not in fed] + ids:
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                state[node] = 2
                stack.pop()
                continue
            target, active = step
            if state[target] == 1:
                continue  # back to a node on the walk: the edge that closes a loop
            kept.append((node, target, active))
            if state[target] == 0:
                state[target] = 1
                stack.append((target, iter(out[target])))
    actively_fed = {target for _, target, active in kept if active}
    return [(source, target) for source, target, active in kept if active or target not in actively_fed]


def culprits(criteria: list[dict[str, Any]]) -> list[str]:
    """The components the failed criteria name, each once, in the order they are first named."""
    named: list[str] = []
    for criterion in criteria:
        for reason in criterion.get("reasons") or []:
            params = reason.get("params") or {}
            values = [str(params["element"])] if params.get("element") else []
            for key in ("elements", "units"):
                if params.get(key):
                    values += [part.split(" (")[0].strip() for part in str(params[key]).split(", ")]
            named += [value for value in values if value and value != "-"]
    return list(dict.fromkeys(named))


def verdict_paragraph(result: dict[str, Any]) -> str:
    """One paragraph an engineer reads first: the Tier, the claim, what to act on, availability, warnings."""
    tier = int(result.get("tier") or 0)
    design = result.get("design") or {}
    sentences = [
        _("The design meets Tier %(tier)s.") % {"tier": tier_name(tier)}
        if tier
        else _("The design does not meet Tier I.")
    ]
    claimed = design.get("claimed_tier")
    if claimed:
        sentence = (
            _("It supports the claimed Tier %(tier)s.")
            if result.get("meets_claim")
            else _("It does not support the claimed Tier %(tier)s.")
        )
        sentences.append(sentence % {"tier": tier_name(claimed)})
    blockers = result.get("next_tier_blockers") or []
    if tier < 4 and blockers:
        titles = [message_text(f"criterion.{c.get('code')}", {}, c.get("title") or "") for c in blockers]
        names = culprits(blockers)
        shown = ", ".join(names[:8]) + (_(" and %(count)s more") % {"count": len(names) - 8} if len(names) > 8 else "")
        sentences.append(
            _("Tier %(tier)s is missed on: %(criteria)s.")
            % {"tier": tier_name(tier + 1), "criteria": "; ".join(titles)}
        )
        if names:
            sentences.append(_("Act on: %(elements)s.") % {"elements": shown})
    availability = result.get("availability") or {}
    if availability.get("analytical") is not None:
        minutes = float((availability.get("downtime_minutes_per_year") or {}).get("analytical") or 0.0)
        ranked = availability.get("single_points_of_failure") or []
        sentence = _("Computed availability %(availability)s, about %(minutes)s minutes of downtime a year") % {
            "availability": f"{float(availability['analytical']):.5f}",
            "minutes": f"{minutes:,.0f}",
        }
        if ranked:
            sentence += _(", most of it from %(element)s (%(share)s %%)") % {
                "element": ranked[0].get("element"),
                "share": f"{100 * float(ranked[0].get('share') or 0):.0f}",
            }
        sentences.append(sentence + ".")
    warnings = len(result.get("warnings") or [])
    if warnings:
        sentences.append(
            ngettext("%(count)s warning below.", "%(count)s warnings below.", warnings) % {"count": warnings}
        )
    return " ".join(sentences)


def report_context(result: dict[str, Any]) -> dict[str, Any]:
    """Everything the HTML and PDF reports show, verdict first."""
    tier = int(result.get("tier") or 0)
    criteria = [_criterion(criterion) for criterion in result.get("criteria") or []]
    blockers = [_criterion(criterion) for criterion in result.get("next_tier_blockers") or []]
    availability = result.get("availability") or {}
    downtime = availability.get("downtime_minutes_per_year") or {}
    diagram = result.get("diagram") or {}
    return {
        "summary": verdict_paragraph(result),
        "diagrams": [
            {"system": system, "title": title, "layout": layout}
            for system, title in (("power", _("Power network")), ("cooling", _("Cooling network")))
            if (layout := diagram_layout(diagram.get(system) or {})) is not None
        ],
        "tier": tier,
        "tier_label": tier_name(tier),
        "next_tier_label": tier_name(tier + 1) if tier < 4 else None,
        "claimed_tier_label": tier_name(result["design"]["claimed_tier"])
        if result["design"].get("claimed_tier")
        else None,
        "meets_claim": result.get("meets_claim"),
        "criteria": criteria,
        "blockers": blockers,
        "availability": availability,
        "downtime": downtime,
        "ranked": _ranked_elements(availability)[:12],
        "single_points": [row for row in _ranked_elements(availability) if row["single_point"]],
        "energy": _energy(result.get("energy") or {}),
        "warnings": describe_issues(
            [*(result.get("warnings") or []), *((result.get("energy") or {}).get("warnings") or [])]
        ),
        "standards": {key: result.get(key) for key in ("tia942", "en50600") if result.get(key)},
        "result": result,
    }


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def render_pdf(html: str) -> bytes:
    """The report as PDF. WeasyPrint is imported here: it is heavy, loads Pango, and only this view needs it."""
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango missing: WeasyPrint cannot load its C libraries
        raise PdfUnavailable(str(error)) from error
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
