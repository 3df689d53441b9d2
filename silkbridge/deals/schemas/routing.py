"""Shapes of the MoU route, signatories, signing and verification API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from silkbridge.deals.choices import CounterpartKind, MouEventKind, MouStatus, RouteStepStatus


class RouteStepOut(Schema):
    position: int
    office: str = Field(..., description="The office's name in the caller's language (English when missing).")
    office_en: str = Field(..., alias="name_en")
    status: RouteStepStatus
    version: int | None = Field(None, description="The MoU's version the office acted on.")
    acted_by: str | None
    acted_at: datetime | None
    note: str

    @staticmethod
    def resolve_office(obj: Any) -> str:
        return str(obj.name)

    @staticmethod
    def resolve_acted_by(obj: Any) -> str | None:
        return (obj.acted_by.get_full_name() or obj.acted_by.get_username()) if obj.acted_by else None


class RouteEventOut(Schema):
    kind: MouEventKind
    at: datetime = Field(..., alias="created_at")
    by: str | None
    office: str | None
    note: str

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return (obj.actor.get_full_name() or obj.actor.get_username()) if obj.actor else None

    @staticmethod
    def resolve_office(obj: Any) -> str | None:
        office = obj.changes.get("office")
        return str(office) if office else None


class RouteOut(Schema):
    reference: str
    title: str
    status: MouStatus
    version: int
    counterpart: CounterpartKind
    route: str | None = Field(None, description="The approval route's name, once the MoU has been sent.")
    current_office: str | None
    steps: list[RouteStepOut]
    history: list[RouteEventOut] = Field(..., description="Sent, approvals, returns with their notes, the seal.")
    can_act: bool = Field(..., description="Whether the caller may send, approve, return and sign.")


class StepActionIn(Schema):
    note: str = Field("", max_length=4000, description="Required to return the draft.")


class SignatoryIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    title: str = Field(..., min_length=1, max_length=200)
    organisation_name: str = Field(..., min_length=1, max_length=300)
    signed_on: date
    place: str = Field(..., min_length=1, max_length=200)


class SignatoryOut(Schema):
    id: int
    name: str
    title: str
    organisation_name: str
    signed_on: date
    place: str


class VerificationOut(Schema):
    valid: bool = Field(..., description="True only for an unaltered copy sealed by this platform.")
    status: str = Field(..., description="sealed, altered, not_sealed or unknown_copy.")
    message: str
    sha256: str
    mou_reference: str | None = None
    mou_title: str | None = None
    version: int | None = None
    sealed_at: datetime | None = None
    sealed_with_embedded_key: bool = False
