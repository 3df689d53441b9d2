from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from silkbridge.zones.choices import ZoneKind, ZoneStatus
from silkbridge.zones.models import Zone
from silkbridge.zones.selectors import zone_get, zone_list
from silkbridge.zones.services import FACILITY_FIELDS


def zone_list_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "") if request.GET.get("kind") in ZoneKind.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in ZoneStatus.values else ""
    context = {
        "zones": zone_list(kind=kind, status=status),
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
    return render(request, "zones/zone_detail.html", {"zone": zone, "facilities": _facilities(zone)})


def _facilities(zone: Zone) -> list[tuple[str, str]]:
    """Each facility with its value, "Not known" where the zone's sources say nothing."""
    rows = []
    for name in FACILITY_FIELDS:
        value = getattr(zone, name)
        if value is None or value == "":
            shown = _("Not known")
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        else:
            shown = str(value)
        field = Zone._meta.get_field(name)
        assert isinstance(field, Field)
        rows.append((str(field.verbose_name), shown))
    return rows
