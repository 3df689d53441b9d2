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

    @staticmethod
    def resolve_sectors(obj: Any) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]
