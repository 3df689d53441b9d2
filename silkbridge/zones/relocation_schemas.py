from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from silkbridge.zones.choices import SpaceKind


class RelocationRequestIn(Schema):
    organisation: str = Field(description="the key of your company in the directory")
    title: str = Field(max_length=200)
    language: str = "en"
    activities: str = Field("", max_length=5000, description="free text in Chinese, English or Urdu")
    sectors: list[str] = Field(default_factory=list, max_length=40, description="sector codes, e.g. ai.agri")
    space_kind: SpaceKind = SpaceKind.OFFICE
    space_amount: int | None = Field(None, ge=0, description="m² of office space, or plots, or racks")
    power_kw: int | None = Field(None, ge=0)
    data_center_tier: int | None = Field(None, ge=1, le=4)
    staff_to_hire: int | None = Field(None, ge=0)
    staff_to_bring: int | None = Field(None, ge=0)
    move_by: date | None = None
    budget_usd: int | None = Field(None, ge=0)
    preferred_cities: list[str] = Field(default_factory=list, max_length=20, description="English city names")
    must_haves: list[str] = Field(
        default_factory=list, max_length=4, description="bonded_warehouse, fibre, housing, data_center"
    )
    shared_with: list[str] | None = Field(
        None,
        max_length=100,
        description="keys of the zones that may see it; left out of a change, the request stays shared as it was",
    )


class RelocationRequestOut(Schema):
    id: int
    organisation: str
    title: str
    language: str
    activities: str
    sectors: list[str]
    space_kind: str
    space_amount: int | None
    power_kw: int | None
    data_center_tier: int | None
    staff_to_hire: int | None
    staff_to_bring: int | None
    move_by: date | None
    budget_usd: int | None
    preferred_cities: list[str]
    must_haves: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj.organisation.key)

    @staticmethod
    def resolve_sectors(obj: Any) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]


class ReasonOut(Schema):
    code: str
    effect: str = Field(description="plus, minus, unknown (not known: earns nothing) or disqualifies")
    params: dict[str, Any]
    text: str = Field(description="the reason in the reader's language")


class ZoneAdviceOut(Schema):
    rank: int
    zone: str
    zone_name: str
    score: float
    disqualified: bool
    reasons: list[ReasonOut]
