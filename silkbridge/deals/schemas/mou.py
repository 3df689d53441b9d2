"""Shapes of the MoU API: drafts, versions, clause-by-clause differences and comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from silkbridge.deals.choices import CounterpartKind, MouStatus

Key = Field(..., min_length=1, max_length=40, pattern=r"^[-a-z0-9_]+$")


class ClauseIn(Schema):
    key: str = Key
    title_en: str = Field(..., max_length=200)
    title_other: str = Field(..., max_length=200)
    text_en: str = Field(..., max_length=20_000)
    text_other: str = Field(..., max_length=20_000)


class ClauseOut(Schema):
    key: str
    title_en: str
    title_other: str
    text_en: str
    text_other: str


class MouDraftIn(Schema):
    deal: str = Field(..., max_length=20, description="The deal's reference.")
    title: str = Field(..., min_length=1, max_length=300)
    second_language: Literal["zh", "ur"]
    counterpart: CounterpartKind = CounterpartKind.FOREIGN_PRIVATE
    duration_years: int = Field(5, ge=1, le=50, description="Fills {duration_years} in the clauses.")
    clause_keys: list[str] | None = Field(
        None,
        max_length=60,
        description="Library clauses in this order; every clause offered in new drafts when absent.",
    )


class MouSaveIn(Schema):
    clauses: list[ClauseIn] = Field(..., min_length=1, max_length=60)
    note: str = Field("", max_length=500)
    base_version: int | None = Field(
        None, ge=1, le=32767, description="The version the edit started from; refused if someone saved since."
    )


class DealRef(Schema):
    reference: str
    title: str


class MouOut(Schema):
    reference: str
    title: str
    deal: DealRef
    second_language: Literal["zh", "ur"]
    counterpart: CounterpartKind
    status: MouStatus
    version: int
    created_at: datetime
    updated_at: datetime
    clauses: list[ClauseOut]

    @staticmethod
    def resolve_clauses(obj: Any) -> list[Any]:
        return list(obj.clauses.order_by("position"))


class MouSummaryOut(Schema):
    reference: str
    title: str
    deal: DealRef
    second_language: Literal["zh", "ur"]
    status: MouStatus
    version: int
    updated_at: datetime


class VersionOut(Schema):
    number: int
    saved_at: datetime
    saved_by: str | None
    note: str

    @staticmethod
    def resolve_saved_by(obj: Any) -> str | None:
        return obj.saved_by.get_full_name() if obj.saved_by else None


class VersionDetailOut(VersionOut):
    clauses: list[ClauseOut]


class PieceOut(Schema):
    operation: Literal["same", "added", "removed"]
    text: str


class FieldChangeOut(Schema):
    name: str
    before: str | None
    after: str | None
    pieces: list[PieceOut]


class ClauseChangeOut(Schema):
    key: str
    status: Literal["same", "changed", "added", "removed"]
    fields: list[FieldChangeOut]


class DiffOut(Schema):
    from_number: int
    to_number: int
    clauses: list[ClauseChangeOut]


class CommentIn(Schema):
    clause_key: str = Key
    text: str = Field(..., min_length=1, max_length=4000)


class CommentOut(Schema):
    id: int
    clause_key: str
    version: int
    author: str | None
    text: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return obj.author.get_full_name() if obj.author else None


class LibraryClauseOut(Schema):
    key: str
    position: int
    title_en: str
    title_zh: str
    title_ur: str
    text_en: str
    text_zh: str
    text_ur: str
