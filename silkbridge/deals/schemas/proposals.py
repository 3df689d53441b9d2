"""Shapes of the proposals API. A proposal is read as its reader may read it (`ProposalView`): the
submitter's working copy, or the last submitted version for the calling body and reviewers, with the
financial envelope null while it is sealed. Amounts are decimal strings with their ISO 4217 currency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from silkbridge.deals.choices import Envelope, ProposalStatus
from silkbridge.directory.choices import ContentLanguage

Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]


class MilestoneIn(Schema):
    due_on: date
    milestone: str = Field(..., min_length=1, max_length=300)


class TeamMemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    role: str = Field("", max_length=200)


class ProposalFields(Schema):
    """What a draft holds; every field optional on update."""

    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=20_000)
    language: ContentLanguage | None = None
    budget_amount: Amount | None = None
    budget_currency: str | None = Field(None, max_length=3)
    declared_price: Amount | None = Field(None, description="The financial envelope (sealed until its opening).")
    price_currency: str | None = Field(None, max_length=3)
    timeline: list[MilestoneIn] | None = Field(None, max_length=100)
    team: list[TeamMemberIn] | None = Field(None, max_length=100)
    claimed_tier: int | None = Field(None, ge=1, le=4)
    design_name: str | None = Field(None, max_length=255)
    design_text: str | None = Field(
        None, max_length=1_048_576, description="A data-center design (YAML or JSON), for data-center calls."
    )


class ProposalIn(ProposalFields):
    organisation: str = Field(..., description="Key of the submitting organisation (one of yours).")
    call: str | None = Field(None, description="Slug of the call answered.")
    recipient: str | None = Field(None, description="Key of the organisation an unsolicited proposal goes to.")
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=20_000)


class OrganisationRef(Schema):
    key: str
    name: str


class CallRef(Schema):
    slug: str
    title: str
    deadline: datetime


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    envelope: Envelope
    uploaded_at: datetime
    download_url: str


class BudgetOut(Schema):
    amount: Decimal
    currency: str
    converted: Decimal | None = Field(None, description="In `target`, at the dated rates; null for the same currency.")
    target: str
    rates_date: date | None


class DesignOut(Schema):
    assessment: str
    tier: int
    claimed_tier: int | None
    availability: float
    pue: float | None
    warnings: list[str]


class ProposalOut(Schema):
    reference: str
    organisation: OrganisationRef
    call: CallRef | None
    recipient: OrganisationRef | None
    status: ProposalStatus
    version: int = Field(..., description="Submitted versions so far.")
    shown_version: int | None = Field(None, description="The version shown (null: the submitter's working copy).")
    submitted_at: datetime | None
    title: str
    summary: str
    language: str
    budget: BudgetOut | None
    declared_price: Decimal | None
    price_currency: str | None
    timeline: list[dict[str, Any]]
    team: list[dict[str, Any]]
    claimed_tier: int | None
    design_name: str
    design: DesignOut | None
    documents: list[DocumentOut]
    decision: str
    decision_reasons: str


class ProposalListOut(Schema):
    reference: str
    organisation: OrganisationRef
    call: CallRef | None
    recipient: OrganisationRef | None
    status: ProposalStatus
    version: int
    submitted_at: datetime | None


class VersionOut(Schema):
    number: int
    submitted_at: datetime
    content: dict[str, Any]


class FieldChangeOut(Schema):
    name: str
    before: Any
    after: Any
    words_added: int
    words_removed: int


class DiffOut(Schema):
    number: int
    previous: int
    fields: list[FieldChangeOut]
    documents_added: list[dict[str, Any]]
    documents_removed: list[dict[str, Any]]
