from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from silkbridge.zones.choices import ZoneKind, ZoneStatus
from silkbridge.zones.models import Zone
from silkbridge.zones.selectors import zone_get, zone_list


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
    return render(request, "zones/zone_detail.html", {"zone": zone})
