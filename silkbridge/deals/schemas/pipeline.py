"""Shapes of the deals API (pipeline). Amounts are decimal strings with their ISO 4217 currency; stages
and subjects are codes, each with its label in the reader's language."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from silkbridge.deals.choices import ALL_STAGES, DealOrigin, DealPartyRole, DealSubject, DealTrack

MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]


# A deal's stages and a relocation case's own, by their codes (which ones apply: the deal's track).
AnyStage = enum.StrEnum("AnyStage", {value.upper(): value for value, _label in ALL_STAGES})  # type: ignore[misc]


class TrackFilter(enum.StrEnum):
    DEAL = "deal"
    RELOCATION = "relocation"
    ALL = "all"


class DealDocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        return f"/api/v1/deals/{obj.deal.reference}/documents/{obj.pk}"


class DealPartyOut(Schema):
    organisation: str = Field(..., description="The organisation's key.")
    name: str
    country: str
    role: DealPartyRole

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj.organisation.key)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.organisation.display_name)

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.organisation.country)


class DealOwnerOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.get_full_name())


class DealOut(Schema):
    reference: str
    title: str
    subject: DealSubject
    description: str
    track: DealTrack = Field(..., description="deal, or relocation for a relocation case (its own stages).")
    stage: AnyStage
    stage_label: str = Field(..., description="The stage in the reader's language.")
    stage_reason: str = Field(..., description="Why the deal was declined, withdrawn or stalled; empty otherwise.")
    stage_changed_at: datetime
    days_in_stage: int
    origin: DealOrigin
    zone: str | None = Field(None, description="A relocation case's zone (its key).")
    relocation_request: int | None = Field(None, description="A relocation case's request (its number).")
    parties: list[DealPartyOut]
    sector: str | None = Field(None, description="The sector's code.")
    owner: DealOwnerOut | None = Field(None, description="The member of staff who follows the deal.")
    amount: Decimal | None
    currency: str | None
    next_step: str
    next_step_on: date | None
    next_step_overdue: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_zone(obj: Any) -> str | None:
        return obj.zone.key if obj.zone_id else None

    @staticmethod
    def resolve_relocation_request(obj: Any) -> int | None:
        return int(obj.relocation_request_id) if obj.relocation_request_id else None

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_days_in_stage(obj: Any) -> int:
        from silkbridge.deals.selectors.pipeline import days_in_stage

        return days_in_stage(obj)

    @staticmethod
    def resolve_next_step_overdue(obj: Any) -> bool:
        from silkbridge.deals.selectors.pipeline import is_overdue

        return is_overdue(obj)

    @staticmethod
    def resolve_parties(obj: Any) -> list[Any]:
        return list(obj.parties.all())

    @staticmethod
    def resolve_sector(obj: Any) -> str | None:
        return obj.sector.code if obj.sector_id else None

    @staticmethod
    def resolve_currency(obj: Any) -> str | None:
        return obj.currency or None


class DealStartIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    subject: DealSubject
    origin: DealOrigin = Field(..., description="What the deal starts from; manual and proposal: staff only.")
    interest: ObjectId | None = Field(None, description="An accepted expression of interest (origin interest).")
    meeting: ObjectId | None = Field(None, description="A meeting rated “cooperation possible” (origin meeting).")
    proposal: str | None = Field(None, max_length=20, description="An approved proposal's reference (staff).")
    organisations: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list,
        max_length=20,
        description="Organisation keys: the parties of a deal entered by hand, or added to a lead's two (staff).",
    )
    sector: str | None = Field(None, max_length=40, description="A sector code.")
    amount: Amount | None = None
    currency: str = Field("", max_length=3, description="ISO 4217, e.g. PKR, CNY, USD; required with an amount.")
    description: str = Field("", max_length=10_000)


class DealUpdateIn(Schema):
    """Every field optional: only those given change."""

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    sector: str | None = Field(None, max_length=40, description="A sector code; empty to clear it.")
    amount: Amount | None = None
    currency: str | None = Field(None, max_length=3)
    owner: int | None = Field(None, ge=0, le=MAX_ID, description="A staff user's id; 0 to clear the owner.")


class DealStageIn(Schema):
    stage: AnyStage = Field(..., description="One of the deal's track's stages.")
    note: str = Field("", max_length=2_000, description="Required (the reason) for declined, withdrawn, stalled.")


class CaseOpenIn(Schema):
    relocation_request: int = Field(..., ge=1, le=MAX_ID, description="The relocation request's number.")
    zone: str = Field(..., max_length=100, description="The key of a zone the request is shared with.")


class RequestRemoveIn(Schema):
    reason: str = Field(
        "", max_length=2_000, description="Why the request is withdrawn: required when a zone has taken it up."
    )


class RequestRemoveOut(Schema):
    outcome: str = Field(..., description="deleted (no zone had taken it up) or withdrawn (its cases are kept).")
    cases: list[str] = Field(..., description="The references of the cases withdrawn with it.")


class DealNextStepIn(Schema):
    next_step: str = Field("", max_length=300, description="Empty, with no date, clears the next step.")
    due_on: date | None = None
    note: str = Field("", max_length=2_000)


class DealPartyIn(Schema):
    organisation: str = Field(..., max_length=80, description="The organisation's key.")
    role: DealPartyRole = DealPartyRole.PARTNER


class DealFilters(Schema):
    track: TrackFilter | None = Field(
        None,
        description="deal (when not given: deals only), relocation (relocation cases only) or all (both).",
    )
    q: str | None = Field(None, max_length=200)
    stage: AnyStage | None = Field(None, description="A stage of the track listed.")
    subject: DealSubject | None = None
    sector: str | None = Field(None, max_length=40)
    country: str | None = Field(None, min_length=2, max_length=2)
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="A staff user's id.")
    older_than: int | None = Field(None, ge=0, le=36_500, description="Deals created more than N days ago.")
    in_stage_over: int | None = Field(None, ge=0, le=36_500, description="Deals in their stage for more than N days.")
