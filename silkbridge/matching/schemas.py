"""Shapes of the matching API: matches with their reasons in the caller's language, feedback."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from silkbridge.marketplace.choices import OpportunityType
from silkbridge.marketplace.schemas import OrganisationRef


class MatchedProfileOut(Schema):
    id: int
    kind: OpportunityType
    title: str
    language: str
    organisation: OrganisationRef


class MatchOut(Schema):
    id: int
    profile: int = Field(..., description="The profile these are the matches of.")
    other: MatchedProfileOut
    score: float = Field(..., ge=0, le=1)
    rank: int
    reasons: list[str] = Field(
        ...,
        description="The three strongest reasons, in the language asked for (?language=en|zh|ur), else the caller's.",
    )
    more_reasons: list[str] = Field(..., description="The other reasons, weaker, in the same language.")
    reason_codes: list[dict[str, object]]
    features: dict[str, float]
    first_found: datetime


class MatchFilters(Schema):
    language: str | None = Field(None, pattern="^(en|zh|ur)$")
    kind: OpportunityType | None = None
    sector: str | None = Field(None, max_length=40)
    country: str | None = Field(None, min_length=2, max_length=2)
    min_score: float | None = Field(None, ge=0, le=1)
    q: str | None = Field(None, max_length=200)


class LanguageQuery(Schema):
    language: str | None = Field(None, pattern="^(en|zh|ur)$")


class FeedbackIn(Schema):
    useful: bool


class FeedbackOut(Schema):
    match: int
    useful: bool


class GlossarySuggestionQuery(Schema):
    q: str = Field(..., max_length=100, description="What the person typed, in English, Chinese or Urdu.")
    language: str | None = Field(None, pattern="^(en|zh|ur)$", description="The labels' language; else the caller's.")
    limit: int = Field(10, ge=1, le=20)


class ConceptSuggestionOut(Schema):
    code: str
    label: str = Field(..., description="The concept's label in the language asked for.")
    matched: str = Field(..., description="The label or synonym that the text matched, as written.")
    matched_language: str
    sector: str = Field(..., description="The concept's sub-field, in the language asked for.")
    score: float


class GlossarySuggestionsOut(Schema):
    query: str
    language: str
    concepts: list[ConceptSuggestionOut] = Field(
        ..., description="Concepts whose label or synonym in any of the three languages contains the text."
    )
    free_keyword: str | None = Field(
        ..., description="The text itself, offered as a free keyword when no concept is exactly the text."
    )
    nearest: list[ConceptSuggestionOut] = Field(
        ..., description="When no concept contains the text: the concepts nearest to it by spelling."
    )
