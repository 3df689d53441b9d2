from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class ZoneFactChangeIn(Schema):
    field: str = Field(description="The fact: power_available_kw, data_center_tier, office_space_m2, … (ZoneFactField)")
    value: bool | int | float | str | None = Field(description="The new value: a number, yes/no (true/false) or text")
    source: str = Field("", description="Where the value comes from: a document or a page address (required)")
    source_date: date | None = Field(None, description="The date of that source (required, not in the future)")
    note: str = ""


class ZoneFactRejectIn(Schema):
    reason: str = Field("", description="Why (the developer reads it; required)")


class ZoneFactChangeOut(Schema):
    id: int
    zone: str
    field: str
    value: Any
    old_value: Any
    source: str
    source_date: date
    note: str
    status: str
    proposed_at: datetime
    decided_at: datetime | None
    reason: str

    @staticmethod
    def resolve_zone(obj: Any) -> str:
        return str(obj.zone.key)


class ZoneFactHistoryOut(Schema):
    """An approved change, as the public history shows it (people by name only, never e-mail)."""

    field: str
    value: Any
    old_value: Any
    source: str
    source_date: date
    approved_at: datetime | None
    proposed_by: str
    approved_by: str
