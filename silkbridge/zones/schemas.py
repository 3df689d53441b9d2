from decimal import Decimal
from typing import Any

from ninja import Schema


class ZoneOut(Schema):
    key: str
    kind: str
    name_en: str
    name_ur: str
    name_zh: str
    city: str
    province: str
    developer: str
    area_acres: Decimal | None
    area_note: str
    status: str
    status_note: str
    sectors: list[str]
    focus_note: str
    sources: list[str]
    # Facilities: null is "not known" (docs/zones.md); coordinates are the city's (facility_note).
    latitude: Decimal | None
    longitude: Decimal | None
    power_available_kw: int | None
    power_redundancy: str
    has_fibre: bool | None
    data_center_tier: int | None
    has_housing: bool | None
    has_bonded_warehouse: bool | None
    airport_name: str
    airport_km: Decimal | None
    seaport_name: str
    seaport_km: Decimal | None
    fibre_carriers: str
    contacts: str
    office_space_m2: int | None
    plots_available: int | None
    racks_available: int | None
    facility_note: str
    facility_sources: list[str]

    @staticmethod
    def resolve_sectors(obj: Any) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]
