"""Writes to the zones app: loading the reference list of zones from its data file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from silkbridge.directory.loaders import LoadReport, read_yaml
from silkbridge.directory.services import sectors_resolve
from silkbridge.zones.models import Zone

ZONES_FILE = Path(__file__).resolve().parent / "data" / "zones.yaml"
ZONE_FIELDS = (
    "kind",
    "name_en",
    "name_ur",
    "name_zh",
    "city",
    "province",
    "developer",
    "area_acres",
    "area_note",
    "status",
    "status_note",
    "focus_note",
    "sources",
)


def _zone_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in ZONE_FIELDS}
    for name in ZONE_FIELDS:
        if values[name] is None and name not in {"area_acres", "sources"}:
            values[name] = ""
    values["sources"] = list(data.get("sources") or [])
    if values["area_acres"] is not None:
        values["area_acres"] = Decimal(str(values["area_acres"])).quantize(Decimal("0.1"))
    return values


@transaction.atomic
def zones_load(path: Path = ZONES_FILE) -> LoadReport:
    report = LoadReport()
    for data in read_yaml(path):
        values = _zone_values(data)
        sectors = sectors_resolve(data.get("sectors") or [])
        zone = Zone.objects.filter(key=data["key"]).first()
        if zone is None:
            zone = Zone(key=data["key"], **values)
            zone.full_clean()
            zone.save()
            zone.sectors.set(sectors)
            report.count("created")
            continue
        changed = [name for name, value in values.items() if getattr(zone, name) != value]
        same_sectors = set(zone.sectors.values_list("pk", flat=True)) == {sector.pk for sector in sectors}
        if not changed and same_sectors:
            report.count("unchanged")
            continue
        for name in changed:
            setattr(zone, name, values[name])
        zone.full_clean()
        zone.save()
        zone.sectors.set(sectors)
        report.count("updated")
    return report
