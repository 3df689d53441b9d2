"""Writes to the zones app: loading the reference list of zones from its data file."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from silkbridge.directory.loaders import LoadReport, read_yaml
from silkbridge.directory.services import sectors_resolve
from silkbridge.zones.models import Zone

ZONES_FILE = Path(__file__).resolve().parent / "data" / "zones.yaml"
CITIES_FILE = Path(__file__).resolve().parent / "data" / "cities.yaml"
CITY_SOURCE = "https://github.com/dr5hn/countries-states-cities-database/blob/7fda0af/contributions/cities/PK.json"
# What the loader says of a zone whose entry gives no facilities (all of them, as of 2026-12-07).
FACILITIES_NOT_STATED = (
    "Power, fibre, data center, housing, bonded warehouse, nearest airport and space available: not stated "
    "in the reference sources (read 2026-12-07), so not known."
)
COORDINATES_FROM_CITY = "Coordinates are the city's (dr5hn dataset), not the zone's site: an assumption."
FACILITY_FIELDS = (
    "power_available_kw",
    "power_redundancy",
    "has_fibre",
    "data_center_tier",
    "has_housing",
    "has_bonded_warehouse",
    "airport_name",
    "airport_km",
    "seaport_name",
    "seaport_km",
    "fibre_carriers",
    "office_space_m2",
    "plots_available",
    "racks_available",
    "contacts",
)
TEXT_FACILITY_FIELDS = ("power_redundancy", "airport_name", "seaport_name", "fibre_carriers", "contacts")
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


@cache
def _cities() -> tuple[dict[str, Any], ...]:
    return tuple(read_yaml(CITIES_FILE))  # the file ships with the code: read once per process


def cities_known() -> dict[str, dict[str, Any]]:
    """The cities a zone may be in and a request may prefer, by English name (data/cities.yaml)."""
    return {city["name"]: city for city in _cities()}


def city_key(name: str) -> str:
    """A city's name as addresses write it, compared without case and surrounding spaces."""
    return " ".join(name.split()).casefold()


def _facility_values(data: dict[str, Any], cities: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Facilities from the entry (null where it says nothing) and coordinates from its city."""
    values: dict[str, Any] = {name: data.get(name) for name in FACILITY_FIELDS}
    for name in TEXT_FACILITY_FIELDS:
        values[name] = values[name] or ""
    for name in ("airport_km", "seaport_km"):
        if values[name] is not None:
            values[name] = Decimal(str(values[name])).quantize(Decimal("0.1"))
    notes = [data.get("facility_note") or FACILITIES_NOT_STATED]
    sources = list(data.get("facility_sources") or [])
    city = cities.get(data.get("city") or "")
    values["latitude"] = values["longitude"] = None
    if city is not None:
        values["latitude"] = Decimal(str(city["latitude"])).quantize(Decimal("0.00001"))
        values["longitude"] = Decimal(str(city["longitude"])).quantize(Decimal("0.00001"))
        notes.append(COORDINATES_FROM_CITY)
        sources.append(CITY_SOURCE)
    values["facility_note"] = " ".join(notes)
    values["facility_sources"] = sources
    return values


def _zone_values(data: dict[str, Any], cities: dict[str, dict[str, Any]]) -> dict[str, Any]:
    values = {name: data.get(name) for name in ZONE_FIELDS}
    for name in ZONE_FIELDS:
        if values[name] is None and name not in {"area_acres", "sources"}:
            values[name] = ""
    values["sources"] = list(data.get("sources") or [])
    if values["area_acres"] is not None:
        values["area_acres"] = Decimal(str(values["area_acres"])).quantize(Decimal("0.1"))
    values.update(_facility_values(data, cities))
    return values


def _keep_what_staff_entered(zone: Zone, data: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The values to write to a zone already loaded: a facility the reference file does not state keeps
    what staff entered in the admin (docs/zones.md), and so do the coordinates where the file's city has
    none, and the facilities' note and sources while staff's facts stand and the file gives none."""
    kept = dict(values)
    for name in FACILITY_FIELDS:
        if data.get(name) is None and getattr(zone, name) not in (None, ""):
            del kept[name]
    if kept.get("latitude") is None and zone.latitude is not None:
        kept.pop("latitude", None)
        kept.pop("longitude", None)
    staff_facts = any(name not in kept for name in FACILITY_FIELDS)
    if staff_facts and not data.get("facility_note") and not data.get("facility_sources"):
        kept.pop("facility_note", None)
        kept.pop("facility_sources", None)
    return kept


@transaction.atomic
def zones_load(path: Path = ZONES_FILE) -> LoadReport:
    report = LoadReport()
    cities = cities_known()
    for data in read_yaml(path):
        values = _zone_values(data, cities)
        sectors = sectors_resolve(data.get("sectors") or [])
        zone = Zone.objects.filter(key=data["key"]).first()
        if zone is None:
            zone = Zone(key=data["key"], **values)
            zone.full_clean()
            zone.save()
            zone.sectors.set(sectors)
            report.count("created")
            continue
        values = _keep_what_staff_entered(zone, data, values)
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
