"""Shapes of the calls-for-proposals API. Times are ISO 8601 with their offset; a deadline given without
an offset is read as a wall-clock time in the call's own time zone. Nothing here carries a proposal:
before the deadline `submissions` is null for everyone."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema

from silkbridge.deals.choices import CallStatus, CallVisibility, Decision, EvaluationMethod, OpeningKind

Text = Annotated[str, Field(max_length=20_000)]
Short = Annotated[str, Field(max_length=200)]


class CallText(Schema):
    en: str = Field("", max_length=1000)
    zh: str = Field("", max_length=1000)
    ur: str = Field("", max_length=1000)


class CallCriterionIn(Schema):
    name_en: Short
    name_zh: Short = ""
    name_ur: Short = ""
    weight: int = Field(..., ge=1, le=100)
    anchors: dict[str, CallText] = Field(..., description='What each score means: keys "0" to "5".')


class CallCriterionOut(Schema):
    position: int
    name_en: str
    name_zh: str
    name_ur: str
    weight: int
    anchors: dict[str, dict[str, str]]


class CallFields(Schema):
    """Every field optional: what PATCH takes; POST requires some (see CallIn)."""

    title_en: Short | None = None
    title_zh: Short | None = None
    title_ur: Short | None = None
    scope_en: Text | None = None
    scope_zh: Text | None = None
    scope_ur: Text | None = None
    eligibility_en: Text | None = None
    eligibility_zh: Text | None = None
    eligibility_ur: Text | None = None
    required_documents: list[CallText] | None = Field(None, max_length=30)
    sector: str | None = Field(None, max_length=40, description="A sector code.")
    deadline: datetime | None = Field(
        None, description="Without an offset: a wall-clock time in the call's time zone (`time_zone`)."
    )
    time_zone: str | None = Field(None, max_length=64, description="An IANA zone name, e.g. Asia/Karachi.")
    contact_name: Short | None = None
    contact_email: str | None = Field(None, max_length=254)
    visibility: CallVisibility | None = None
    evaluation: EvaluationMethod | None = None
    technical_weight: int | None = Field(None, ge=0, le=100)
    technical_threshold: int | None = Field(None, ge=0, le=100)
    minimum_tier: int | None = Field(None, ge=1, le=4)
    currency: str | None = Field(None, min_length=3, max_length=3)
    criteria: list[CallCriterionIn] | None = Field(None, max_length=20, description="The rubric (replaces it).")
    invited: list[str] | None = Field(None, max_length=500, description="Keys of invited organisations.")


class CallIn(CallFields):
    issuer: str = Field(..., max_length=80, description="The key of the issuing organisation.")
    title_en: Short
    scope_en: Text
    deadline: datetime
    time_zone: str = Field("Asia/Karachi", max_length=64)
    contact_name: Short
    contact_email: str = Field(..., max_length=254)


class CallOrganisationRef(Schema):
    key: str
    name: str = Field(..., alias="display_name")


class CallOut(Schema):
    slug: str
    issuer: CallOrganisationRef
    title: str
    title_en: str
    title_zh: str
    title_ur: str
    scope_en: str
    scope_zh: str
    scope_ur: str
    eligibility_en: str
    eligibility_zh: str
    eligibility_ur: str
    required_documents: list[dict[str, str]]
    sector: str | None
    deadline: datetime
    time_zone: str
    contact_name: str
    contact_email: str
    visibility: CallVisibility
    evaluation: EvaluationMethod
    technical_weight: int
    technical_threshold: int
    minimum_tier: int | None
    currency: str
    status: CallStatus
    published_at: datetime | None
    report_published_at: datetime | None
    grievances_until: datetime | None
    decided_at: datetime | None
    criteria: list[CallCriterionOut]
    submissions: int | None = Field(None, description="How many proposals were submitted: null before the deadline.")

    @staticmethod
    def resolve_sector(obj: Any) -> str | None:
        return obj.sector.code if obj.sector_id else None

    @staticmethod
    def resolve_criteria(obj: Any) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_submissions(obj: Any) -> int | None:
        return getattr(obj, "submissions", None)


class CallFilters(Schema):
    state: str | None = Field(None, pattern="^(open|closed)$", description="open or closed")
    sector: str | None = Field(None, max_length=40)
    issuer: str | None = Field(None, max_length=80)


class CallCancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class ClarificationIn(Schema):
    organisation: str = Field(..., max_length=80, description="The key of the asking organisation.")
    question: str = Field(..., min_length=1, max_length=4000)


class CallAnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=8000)


class ClarificationOut(Schema):
    id: int
    question: str
    asked_at: datetime
    answer: str
    published_at: datetime | None


class CallOpeningIn(Schema):
    attendees: list[Annotated[str, Field(max_length=200)]] = Field(..., min_length=1, max_length=100)


class CallOpeningOut(Schema):
    kind: OpeningKind
    opened_at: datetime
    attendees: list[str]
    record: list[dict[str, Any]]


class CallReportIn(Schema):
    grievance_days: int = Field(..., ge=1, le=60)


class CallReportEntry(Schema):
    rank: int
    organisation: str
    technical: str
    passed: bool
    price: str | None
    financial: str | None
    combined: str | None
    decision: Decision


class CallReportOut(Schema):
    published_at: datetime
    grievances_until: datetime
    evaluation: EvaluationMethod
    currency: str
    technical_weight: int
    pass_mark: int
    rates_as_of: str | None
    tie_break_rule: str
    ranking: list[CallReportEntry]


class CallGrievanceIn(Schema):
    organisation: str = Field(..., max_length=80, description="The key of the submitting organisation.")
    text: str = Field(..., min_length=1, max_length=8000)


class CallGrievanceOut(Schema):
    id: int
    organisation: CallOrganisationRef
    text: str
    filed_at: datetime
    answer: str
    answered_at: datetime | None
