from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from silkbridge.directory.choices import ContentLanguage, OrganisationKind, SizeBand, Visibility


class SectorOut(Schema):
    code: str
    name_en: str
    name_zh: str
    name_ur: str


class SectorTreeOut(SectorOut):
    subsectors: list[SectorOut]

    @staticmethod
    def resolve_subsectors(obj: Any) -> list[Any]:
        return list(obj.subsectors.all())


class ConceptOut(Schema):
    code: str
    sector: str = Field(..., alias="sector.code")
    label_en: str
    label_zh: str
    label_ur: str
    synonyms: dict[str, list[str]]


class ContactOut(Schema):
    name: str
    role: str
    email: str
    phone: str


class OrganisationOut(Schema):
    key: str
    kind: OrganisationKind
    name_en: str
    name_local: str
    language: ContentLanguage
    country: str
    city: str
    website: str
    size_band: str
    founded_year: int | None
    sectors: list[str]
    description: str
    visibility: Visibility
    is_verified: bool
    is_demo: bool
    url: str

    @staticmethod
    def resolve_sectors(obj: Any) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("directory:organisation_detail", kwargs={"key": obj.key})


class OrganisationDetailOut(OrganisationOut):
    concepts: list[str]
    keywords: list[str]
    contacts: list[ContactOut]
    sources: list[str]

    @staticmethod
    def resolve_concepts(obj: Any) -> list[str]:
        return [concept.code for concept in obj.concepts.all()]

    @staticmethod
    def resolve_contacts(obj: Any) -> list[Any]:
        return list(getattr(obj, "visible_contacts", []))


class OrganisationFilters(Schema):
    q: str = Field("", max_length=200, description="Free text in English, Chinese or Urdu.")
    kind: OrganisationKind | None = None
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2 code, e.g. PK.")
    sector: str = Field("", max_length=40, description="Sector code; a focus field includes its sub-fields.")
    verified: bool | None = None


class TranslatedDescriptionOut(Schema):
    text: str
    source: str = Field(..., description="author: the organisation's own; machine: a machine translation.")
    backend: str = Field(..., description="The machine-translation backend that made it (empty for the author's).")


class OrganisationTranslationOut(Schema):
    """The description in the reader's language, if a current translation exists (the author's wins)."""

    language: ContentLanguage
    description: TranslatedDescriptionOut | None = None


class OrganisationReadOut(OrganisationDetailOut):
    translation: OrganisationTranslationOut | None = Field(
        None,
        description="In the reader's language (?lang, else Accept-Language or the user's language); null when "
        "the organisation writes in that language.",
    )


class DescriptionTranslationIn(Schema):
    """The author's own translation of the description into one language; an empty text removes it."""

    description: str = Field(..., max_length=20_000)


class OrganisationIn(Schema):
    kind: OrganisationKind
    name_en: str = Field(..., min_length=1, max_length=200)
    name_local: str = Field("", max_length=200)
    language: ContentLanguage = ContentLanguage.ENGLISH
    country: str = Field(..., pattern=r"^[A-Z]{2}$")
    city: str = Field("", max_length=100)
    website: str = Field("", max_length=200)
    size_band: SizeBand | None = None
    founded_year: int | None = Field(None, ge=1800, le=2100)
    description: str = Field("", max_length=20_000)
    visibility: Visibility = Visibility.PUBLIC
    sectors: list[str] = Field(default_factory=list, max_length=50)
    technologies: list[str] = Field(
        default_factory=list, max_length=100, description="Concept codes or labels in any of the three languages."
    )
    keywords: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Free keywords for technologies the glossary does not name (at most 20).",
    )


class OrganisationPatch(Schema):
    kind: OrganisationKind | None = None
    name_en: str | None = Field(None, min_length=1, max_length=200)
    name_local: str | None = Field(None, max_length=200)
    language: ContentLanguage | None = None
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    city: str | None = Field(None, max_length=100)
    website: str | None = Field(None, max_length=200)
    size_band: SizeBand | None = None
    founded_year: int | None = Field(None, ge=1800, le=2100)
    description: str | None = Field(None, max_length=20_000)
    visibility: Visibility | None = None
    sectors: list[str] | None = Field(None, max_length=50)
    technologies: list[str] | None = Field(None, max_length=100)
    keywords: list[str] | None = Field(
        None, max_length=20, description="Free keywords for technologies the glossary does not name (at most 20)."
    )
    translations: dict[ContentLanguage, DescriptionTranslationIn] | None = Field(
        None, description="The organisation's own translations of its description, by language (en, zh, ur)."
    )


class VerificationIn(Schema):
    verified: bool


class ClaimIn(Schema):
    message: str = Field("", max_length=2000, description="Who you are at the organisation (optional).")


class ClaimDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=2000, description="Required to reject; sent to the user.")


class ClaimOrganisationOut(Schema):
    key: str
    name: str = Field(..., alias="display_name")


class ClaimOut(Schema):
    id: int
    organisation: ClaimOrganisationOut
    user_email: str = Field(..., alias="user.email")
    message: str
    status: str = Field(..., description="pending, approved or rejected")
    proof: str = Field(..., description="email_domain (approved at once), staff (decided), or empty while pending")
    reason: str
    created_at: datetime
    decided_at: datetime | None


class HeldRequestOut(Schema):
    id: int
    organisation: ClaimOrganisationOut
    what: str
    url: str
    created_at: datetime
