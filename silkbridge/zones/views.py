from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from silkbridge.directory.selectors import organisations_visible
from silkbridge.zones.choices import ZoneKind, ZoneStatus
from silkbridge.zones.facts_models import ZoneFactField
from silkbridge.zones.facts_selectors import can_propose_zone_facts, zone_fact_history, zone_facts_approved
from silkbridge.zones.facts_services import zone_fact_value_of
from silkbridge.zones.models import Zone
from silkbridge.zones.selectors import zone_get, zone_list
from silkbridge.zones.zone_map import zone_map

# The regime the incentive calculator applies to a zone of each kind (docs/incentives.md).
REGIME_OF_KIND = {"stz": "stz", "sez": "sez"}


def zone_list_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "") if request.GET.get("kind") in ZoneKind.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in ZoneStatus.values else ""
    zones = list(zone_list(kind=kind, status=status))
    context = {
        "zones": zones,
        "zone_map": zone_map(zones),
        "kind": kind,
        "status": status,
        "kinds": ZoneKind.choices,
        "statuses": ZoneStatus.choices,
    }
    return render(request, "zones/zone_list.html", context)


def zone_detail_view(request: HttpRequest, key: str) -> HttpResponse:
    try:
        zone = zone_get(key=key)
    except Zone.DoesNotExist as error:
        raise Http404(_("No such zone.")) from error
    visible = organisations_visible(viewer=request.user)
    licensed = visible.filter(zones_licensed_in=zone).order_by("name_en")
    context = {
        "zone": zone,
        "facilities": zone_facts_shown(zone),
        "history": [
            {
                "change": change,
                "old": fact_value_text(change.field, change.old_value),
                "new": fact_value_text(change.field, change.value),
                "proposer": person_shown(change.proposed_by),
                "approver": person_shown(change.decided_by),
            }
            for change in zone_fact_history(zone=zone)
        ],
        "zone_map": zone_map([zone]),
        "licensed": licensed,
        "developer_organisation": visible.filter(pk=zone.organisation_id).first() if zone.organisation_id else None,
        "regime": REGIME_OF_KIND.get(zone.kind, ""),
        "can_propose": can_propose_zone_facts(actor=request.user, zone=zone),
    }
    return render(request, "zones/zone_detail.html", context)


def person_shown(user: Any) -> str:
    """A name for a public page: the person's name, never their e-mail address."""
    if user is None:
        return "—"
    if user.full_name:
        return str(user.full_name)
    return _("Platform staff") if user.is_staff else _("A member of the zone developer")


def fact_value_text(field: str, value: Any) -> str:
    """A fact's value in the reader's language; "Not known" for none."""
    if value is None or value == "":
        return _("Not known")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "data_center_tier" and value == 0:
        return _("None on site")
    return str(value)


def zone_facts_shown(zone: Zone) -> list[dict[str, Any]]:
    """Each fact with its value and, where staff approved it, the source and date behind it."""
    approved = zone_facts_approved(zone=zone)
    rows = []
    for field, label in ZoneFactField.choices:
        value = zone_fact_value_of(zone, field)
        change = approved.get(field)
        if change is not None and change.value != value:
            change = None  # changed since by the reference loader: its sources are the zone's own
        rows.append({"field": field, "label": label, "value": fact_value_text(field, value), "change": change})
    return rows
