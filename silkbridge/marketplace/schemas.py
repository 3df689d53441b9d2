"""Shapes of the marketplace API. Amounts are decimal strings with their ISO 4217 currency; a
profile's status and review comments appear only to its organisation and staff."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from silkbridge.directory.choices import ContentLanguage, Visibility
from silkbridge.directory.selectors import NO_MEMBERS_NOTE, OWNER_TOLD_NOTE, has_active_members
from silkbridge.marketplace.choices import (
    DealType,
    InterestDeclineReason,
    InterestStatus,
    IprStatus,
    OpportunityStatus,
    OpportunityType,
    ReviewDecision,
)
from silkbridge.translations.choices import TranslationSource

MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]


class OrganisationRef(Schema):
    key: str
    name: str = Field(..., alias="display_name")
    country: str


class OpportunityOut(Schema):
    id: int
    organisation: OrganisationRef
    kind: OpportunityType
    title: str
    summary: str
    description: str
    language: ContentLanguage
    sectors: list[str]
    concepts: list[str]
    trl: int | None
    ipr_status: IprStatus | None
    deal_types: list[DealType]
    amount_min: Decimal | None
    amount_max: Decimal | None
    currency: str | None
    target_countries: list[str]
    keywords: list[str]
    status: OpportunityStatus
    visibility: Visibility
    is_demo: bool
    published_at: datetime | None
    expires_on: date | None

    @staticmethod
    def resolve_sectors(obj: Any) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]

    @staticmethod
    def resolve_concepts(obj: Any) -> list[str]:
        return [concept.code for concept in obj.concepts.all()]

    @staticmethod
    def resolve_ipr_status(obj: Any) -> str | None:
        return obj.ipr_status or None

    @staticmethod
    def resolve_currency(obj: Any) -> str | None:
        return obj.currency or None


class TranslatedTextOut(Schema):
    text: str
    source: TranslationSource = Field(..., description="author: the author's own; machine: a machine translation.")
    backend: str = Field(..., description="The machine-translation backend that made it (empty for the author's).")


class OpportunityTranslationOut(Schema):
    """The profile's free text in the reader's language, for each field that has a current translation
    (the author's own wins over a machine's; one made from an earlier text is never given)."""

    language: ContentLanguage
    title: TranslatedTextOut | None = None
    summary: TranslatedTextOut | None = None
    description: TranslatedTextOut | None = None


class OpportunityDetailOut(OpportunityOut):
    translation: OpportunityTranslationOut | None = Field(
        None,
        description="In the reader's language (?lang, else Accept-Language or the user's language); null when "
        "the profile is written in that language.",
    )


class AuthorTranslationIn(Schema):
    """The author's own translation of the title and summary into one language; an empty text removes it."""

    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=500)


class OpportunityFields(Schema):
    """Every field optional: what PATCH takes; POST requires some (see OpportunityIn)."""

    kind: OpportunityType | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=500)
    description: str | None = Field(None, min_length=1, max_length=20_000)
    language: ContentLanguage | None = Field(None, description="Detected from the text when absent.")
    sectors: list[str] | None = Field(None, description="Sector codes; suggested from the text when absent.")
    concepts: list[str] | None = Field(
        None, description="Technologies by code or by name in any language; suggested when absent."
    )
    trl: int | None = Field(None, ge=1, le=9)
    ipr_status: IprStatus | None = None
    deal_types: list[DealType] | None = None
    amount_min: Amount | None = None
    amount_max: Amount | None = None
    currency: str | None = Field(None, min_length=3, max_length=3, description="ISO 4217, e.g. PKR, CNY, USD.")
    target_countries: list[str] | None = Field(None, description="ISO 3166-1 alpha-2 codes.")
    keywords: list[str] | None = Field(
        None, max_length=20, description="Free keywords for technologies the glossary does not name (at most 20)."
    )
    expires_on: date | None = None
    visibility: Visibility | None = None
    translations: dict[ContentLanguage, AuthorTranslationIn] | None = Field(
        None,
        description="The author's own translations by language (en, zh, ur), e.g. the English summary the "
        "Enterprise Europe Network asks for; a language not given is left as it is.",
    )


class OpportunityIn(OpportunityFields):
    organisation: str = Field(..., description="The key of an organisation you are a member of.")
    kind: OpportunityType
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=20_000)
    submit: bool = Field(False, description="Send for staff review at once (otherwise a draft).")


class OpportunityFilters(Schema):
    q: str | None = Field(None, max_length=200)
    kind: OpportunityType | None = None
    sector: str | None = Field(None, max_length=40)
    country: str | None = Field(None, min_length=2, max_length=2)
    language: ContentLanguage | None = None


class ReviewIn(Schema):
    decision: ReviewDecision
    comment: str = Field("", max_length=5000)


class ReviewOut(Schema):
    id: int
    decision: ReviewDecision
    comment: str = Field(..., alias="body")
    created_at: datetime


class MessageTranslationIn(Schema):
    """The sender's own translation of the message into one language."""

    message: str = Field(..., max_length=5000)


class InterestIn(Schema):
    organisation: str = Field(..., description="The key of your organisation that is interested.")
    message: str = Field(..., min_length=1, max_length=5000)
    translations: dict[ContentLanguage, MessageTranslationIn] | None = Field(
        None, description="Your own translations of the message, by language (en, zh, ur)."
    )


class AnswerIn(Schema):
    accept: bool
    reason: InterestDeclineReason | None = Field(None, description="Required when declining.")
    note: str = Field("", max_length=2000)


class ContactOut(Schema):
    name: str
    role: str
    email: str
    phone: str


class ContactsOut(Schema):
    owner: list[ContactOut]
    interested: list[ContactOut]


class InterestOut(Schema):
    id: int
    opportunity: int = Field(..., alias="opportunity_id")
    opportunity_available: bool = Field(
        ..., description="False when the profile is no longer shown to you (private, closed or expired)."
    )
    opportunity_title: str | None = Field(None, description="Null when the profile is no longer available to you.")
    owner: OrganisationRef | None = Field(None, description="Null when the profile is no longer available to you.")
    organisation: OrganisationRef
    message: str
    status: InterestStatus
    decline_reason: InterestDeclineReason | None
    answer_note: str
    created_at: datetime
    answered_at: datetime | None
    contacts: ContactsOut | None = Field(None, description="Both sides' contacts, once accepted.")
    owner_has_members: bool = Field(
        ...,
        description="False when the profile's organisation has no members on Silkbridge yet: nobody there can "
        "read the interest, so staff's queue keeps it and passes it on (see `delivery_note`).",
    )
    delivery_note: str = Field(..., description="What happens to the interest now, in the caller's language.")

    # The interest selectors annotate `owner_has_members` (one query for a whole list).
    @staticmethod
    def resolve_owner_has_members(obj: Any) -> bool:
        annotated = getattr(obj, "owner_has_members", None)
        return has_active_members(obj.opportunity.organisation_id) if annotated is None else bool(annotated)

    @staticmethod
    def resolve_delivery_note(obj: Any) -> str:
        return str(OWNER_TOLD_NOTE if InterestOut.resolve_owner_has_members(obj) else NO_MEMBERS_NOTE)

    # The profile's fields pass through its own visibility (marked by the marketplace selectors):
    # an interest outlives the profile's visibility and must not carry what the profile's 404 hides.
    @staticmethod
    def resolve_opportunity_available(obj: Any) -> bool:
        return bool(getattr(obj, "opportunity_visible", False))

    @staticmethod
    def resolve_opportunity_title(obj: Any) -> str | None:
        return obj.opportunity.title if getattr(obj, "opportunity_visible", False) else None

    @staticmethod
    def resolve_owner(obj: Any) -> Any:
        return obj.opportunity.organisation if getattr(obj, "opportunity_visible", False) else None

    @staticmethod
    def resolve_decline_reason(obj: Any) -> str | None:
        return obj.decline_reason or None

    @staticmethod
    def resolve_contacts(obj: Any) -> Any:
        from silkbridge.marketplace.selectors import interest_contacts

        return interest_contacts(interest=obj)


class InterestFilters(Schema):
    direction: str = Field("received", pattern="^(received|sent)$")
    status: InterestStatus | None = None
