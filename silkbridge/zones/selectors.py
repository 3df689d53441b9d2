from django.db.models import QuerySet

from silkbridge.zones.models import Zone


def zone_list(*, kind: str = "", status: str = "") -> QuerySet[Zone]:
    zones = Zone.objects.prefetch_related("sectors")
    if kind:
        zones = zones.filter(kind=kind)
    if status:
        zones = zones.filter(status=status)
    return zones


def zone_get(*, key: str) -> Zone:
    return Zone.objects.prefetch_related("sectors").get(key=key)
