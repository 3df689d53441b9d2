"""`silkbridge bench analytics`: every dashboard's figures timed on the current database.

Reads the database as it is (fill it first, e.g. with `silkbridge demo scale`); writes nothing. For each
dashboard in `selectors.DASHBOARDS`, `dashboard_figures` is called as the page calls it (the default
period, the last 90 days, with the previous period for the change) `repeats` times after one warm-up
call; figures: p50 / p95 / slowest in milliseconds, the number of queries per call, and per figure its
own p50 (to see which one is slow). The viewer (`viewer`): "staff" (default; the overview is staff's),
who sees every row, the largest counts; "member", a signed-in member of an organisation from the
database (the first user by id who belongs to a private organisation, so that the private-organisation
path is read too); "visitor", signed out. A dashboard that viewer may not open (the overview and the
events for anyone but staff) is left out. With `report`, the monthly PDF report of last month (English) is made
once, as `silkbridge report monthly` makes it, and its time given as `report_ms` (target: 30 s).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from silkbridge.accounts.choices import PlatformRole
from silkbridge.accounts.models import User
from silkbridge.analytics.selectors import DASHBOARDS, FigureFilter, figure_get, may_open_dashboard
from silkbridge.directory.choices import Visibility
from silkbridge.directory.models import Organisation
from silkbridge.marketplace.models import Opportunity
from silkbridge.matching.models import Match


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


VIEWERS = ("staff", "member", "visitor")


def _viewer(kind: str) -> Any:
    """The viewer the figures are computed for (see the module's docstring); ValueError if none."""
    if kind == "staff":
        # Never saved: a staff viewer sees every row.
        return User(email="bench-analytics@silkbridge.example", role=PlatformRole.STAFF)
    if kind == "visitor":
        return AnonymousUser()
    if kind == "member":
        member = (
            User.objects.filter(role=PlatformRole.MEMBER, memberships__organisation__visibility=Visibility.PRIVATE)
            .order_by("pk")
            .first()
        )
        if member is None:
            raise ValueError("no member of a private organisation in this database (fill it with `demo scale`)")
        return member
    raise ValueError(f"unknown viewer {kind!r}; known: {', '.join(VIEWERS)}")


def bench_analytics(
    *, repeats: int = 20, dashboards: list[str] | None = None, report: bool = False, viewer_kind: str = "staff"
) -> dict[str, Any]:
    """Timings per dashboard (ms) and its query count; ValueError for an unknown dashboard name or viewer."""
    names = dashboards or list(DASHBOARDS)
    unknown = [name for name in names if name not in DASHBOARDS]
    if unknown:
        raise ValueError(f"unknown dashboard(s): {', '.join(unknown)}; known: {', '.join(DASHBOARDS)}")
    viewer = _viewer(viewer_kind)
    filters = FigureFilter.default()
    results: dict[str, Any] = {}
    for name in names:
        if not may_open_dashboard(viewer=viewer, name=name):
            results[name] = "not open to this viewer"
            continue
        keys = DASHBOARDS[name]
        for key in keys:  # warm-up: caches, plans
            figure_get(viewer=viewer, key=key, filters=filters)
        totals: list[float] = []
        per_figure: dict[str, list[float]] = {key: [] for key in keys}
        with CaptureQueriesContext(connection) as queries:
            for key in keys:
                figure_get(viewer=viewer, key=key, filters=filters)
        for _repeat in range(repeats):
            started = time.perf_counter()
            for key in keys:
                figure_started = time.perf_counter()
                figure_get(viewer=viewer, key=key, filters=filters)
                per_figure[key].append((time.perf_counter() - figure_started) * 1000)
            totals.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "p50_ms": round(statistics.median(totals), 1),
            "p95_ms": round(_percentile(totals, 0.95), 1),
            "max_ms": round(max(totals), 1),
            "queries": len(queries.captured_queries),
            "figures_p50_ms": {key: round(statistics.median(times), 1) for key, times in per_figure.items()},
        }
    figures = {
        "database": connection.vendor,
        "organisations": Organisation.objects.count(),
        "profiles": Opportunity.objects.count(),
        "matches": Match.objects.count(),
        "period": [filters.start.isoformat(), filters.end.isoformat()],
        "viewer": viewer_kind,
        "repeats": repeats,
        "dashboards": results,
    }
    if report:  # the report is staff's whoever the viewer of the dashboards
        viewer = _viewer("staff")
        figures["report_ms"], figures["report_bytes"] = _time_report(viewer)
    return figures


def _time_report(viewer: Any) -> tuple[float, int]:
    """Milliseconds to make last month's report in English (figures, charts, PDF) and its size."""
    from silkbridge.analytics.report import previous_month, report_pdf

    month = previous_month(timezone.localdate().replace(day=1))
    started = time.perf_counter()
    content = report_pdf(actor=viewer, month=month, language="en")
    return round((time.perf_counter() - started) * 1000, 1), len(content)
