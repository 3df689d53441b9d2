from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from silkbridge.accounts.api_auth import AUTH_OPTIONAL
from silkbridge.core.api_support import ErrorOut
from silkbridge.zones.models import Zone
from silkbridge.zones.schemas import ZoneOut
from silkbridge.zones.selectors import zone_get, zone_list

router = Router(tags=["zones"])


@router.get("/zones", response=list[ZoneOut], auth=AUTH_OPTIONAL, summary="Special Technology Zones and IT parks")
def zones(request: HttpRequest) -> Any:
    return list(zone_list())


@router.get("/zones/{key}", response={200: ZoneOut, 404: ErrorOut}, auth=AUTH_OPTIONAL, summary="One zone")
def zone(request: HttpRequest, key: str) -> Any:
    try:
        return zone_get(key=key)
    except Zone.DoesNotExist as error:
        raise Http404(_("No such zone.")) from error
