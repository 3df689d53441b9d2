"""Shapes of the committee review API. A reviewer's view carries no other reviewer's scores until their
own review is submitted; the submitter's feedback carries no reviewer name, e-mail or per-reviewer score."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from silkbridge.deals.choices import ConflictStatus, Decision, ProposalStatus

MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ReviewProposalRef(Schema):
    reference: str
    title: str
    organisation: str = Field(description="The submitting organisation's name.")
    call: str | None = Field(None, description="The call's address (slug); none for an unsolicited proposal.")


class ReviewAssignmentOut(Schema):
    """An appointment as its reviewer sees it in the queue."""

    id: int
    proposal: ReviewProposalRef | None = Field(
        description="None once the reviewer declared a conflict of interest: the appointment is closed by that "
        "declaration, and nothing of the proposal is shown."
    )
    conflict: ConflictStatus
    appointed_at: datetime
    declared_at: datetime | None
    submitted_at: datetime | None


class ReviewAnchorOut(Schema):
    score: int
    meaning: str


class ReviewCriterionOut(Schema):
    id: int
    position: int
    name: str
    weight: int
    anchors: list[ReviewAnchorOut] = Field(description="What each score from 0 to 5 means, in the reader's language.")


class ReviewScoreOut(Schema):
    criterion: int
    score: int | None
    comment: str


class ReviewSheetOut(Schema):
    reviewer: str | None = Field(None, description="The reviewer's name (staff of the calling body and co-reviewers).")
    scores: list[ReviewScoreOut]
    comment: str
    weighted_score: Decimal | None = Field(description="Out of 100, once every criterion is scored.")
    submitted_at: datetime | None


class ReviewProposalContentOut(Schema):
    reference: str
    title: str
    organisation: str
    summary: str
    language: str
    budget_amount: Decimal | None
    budget_currency: str
    submitted_at: datetime | None


class ReviewAssignmentDetailOut(Schema):
    """A reviewer's appointment: before the declaration only the proposal's title and submitter; after
    declaring no conflict, the proposal, the rubric, the own review, and — once submitted — the others'."""

    id: int
    conflict: ConflictStatus
    proposal: ReviewProposalRef | None = Field(
        description="None in the answer to a declared conflict of interest: the appointment is closed."
    )
    content: ReviewProposalContentOut | None = None
    criteria: list[ReviewCriterionOut] = []
    review: ReviewSheetOut | None = None
    others: list[ReviewSheetOut] = Field(
        [], description="Other reviewers' submitted reviews, after submitting one's own."
    )


class ReviewDeclarationIn(Schema):
    has_conflict: bool
    note: str = Field("", max_length=2_000, description="What the conflict is (required when there is one).")


class ReviewScoreIn(Schema):
    criterion: ObjectId
    score: int | None = Field(description="A whole number from 0 to 5; null clears the draft score.")
    comment: str = Field("", max_length=4_000)


class ReviewScoresIn(Schema):
    scores: list[ReviewScoreIn] = Field([], max_length=100)
    comment: str | None = Field(None, max_length=4_000, description="The overall comment; null leaves it as it is.")


class ReviewAppointIn(Schema):
    reviewer: str = Field(max_length=254, description="The reviewer's e-mail address.")


class ReviewAppointmentOut(Schema):
    """An appointment as the calling body's staff see it (the conflict's note included)."""

    id: int
    reviewer: str
    reviewer_email: str
    conflict: ConflictStatus
    conflict_note: str
    appointed_at: datetime
    declared_at: datetime | None
    submitted_at: datetime | None


class ReviewSpreadOut(Schema):
    criterion: int
    name: str
    lowest: int
    highest: int
    mean: Decimal
    differs: bool = Field(description="Reviewers differ by 2 points or more.")


class ReviewProposalScoresOut(Schema):
    proposal: ReviewProposalRef
    status: ProposalStatus
    decision: Decision | None
    appointments: list[ReviewAppointmentOut]
    reviews: list[ReviewSheetOut]
    technical_score: Decimal | None = Field(description="The mean of the submitted reviews' weighted scores.")
    spreads: list[ReviewSpreadOut]


class ReviewRankedOut(ReviewProposalScoresOut):
    rank: int | None = Field(description="1 for the best; none while the proposal has no submitted review.")


class ReviewRankingOut(Schema):
    call: str
    is_sealed: bool = Field(description="The deadline has not passed: nothing is shown.")
    tie_break_rule: str
    criteria: list[ReviewCriterionOut]
    proposals: list[ReviewRankedOut]


class ReviewDecisionIn(Schema):
    decision: Decision
    reasons: str = Field(max_length=10_000)


class ReviewDecisionOut(Schema):
    reference: str
    status: ProposalStatus
    decision: Decision
    reasons: str
    decided_at: datetime
    in_effect: bool = Field(
        description="Whether the submitter has been told (unsolicited: at once; call: when decided)."
    )


class ReviewCriterionFeedbackOut(Schema):
    criterion: str
    comments: list[str]


class ReviewFeedbackOut(Schema):
    reference: str
    decision: Decision
    decision_label: str
    reasons: str
    criteria: list[ReviewCriterionFeedbackOut]
    comments: list[str]
