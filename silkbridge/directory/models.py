"""Organisations with their contacts, memberships and invitations, the sector taxonomy and the technology
concept glossary."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.common.countries import is_country_code
from silkbridge.core.i18n import content_language
from silkbridge.core.models import HistoryRow
from silkbridge.directory.choices import (
    ClaimProof,
    ClaimStatus,
    ContentLanguage,
    ImportStatus,
    MembershipRole,
    OrganisationEventKind,
    OrganisationKind,
    SizeBand,
    Visibility,
)

KEYWORDS_MAX = 20
KEYWORD_MAX_LENGTH = 100


def validate_keywords(value: object) -> None:
    """Free keywords: a short list of short texts (what the glossary does not name yet)."""
    if not isinstance(value, list) or not all(isinstance(keyword, str) and keyword.strip() for keyword in value):
        raise ValidationError(_("Keywords are a list of words."))
    if len(value) > KEYWORDS_MAX:
        raise ValidationError(_("At most %(count)d keywords.") % {"count": KEYWORDS_MAX})
    if any(len(keyword) > KEYWORD_MAX_LENGTH for keyword in value):
        raise ValidationError(_("A keyword has at most %(count)d characters.") % {"count": KEYWORD_MAX_LENGTH})


class TrilingualLabel(models.Model):
    """Abstract: a thing with an English, Simplified Chinese and Urdu name."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """The name in the active UI language."""
        return getattr(self, f"name_{content_language()}") or self.name_en


class Sector(TrilingualLabel):
    """A focus field (parent empty) or one of its sub-fields."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("focus field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsectors",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ("position", "code")

    def __str__(self) -> str:
        return f"{self.code} — {self.name_en}"


class Concept(models.Model):
    """A technology concept of the glossary, labelled in three languages with synonyms in each."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="concepts")
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_ur = models.CharField(_("label (Urdu)"), max_length=200)
    synonyms = models.JSONField(
        _("synonyms"), default=dict, blank=True, help_text=_('{"en": [...], "zh": [...], "ur": [...]}')
    )
    search_document = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        ordering = ("label_en",)

    def __str__(self) -> str:
        return self.label_en

    @property
    def label(self) -> str:
        return getattr(self, f"label_{content_language()}") or self.label_en

    def all_terms(self) -> list[str]:
        """Every label and synonym in every language."""
        terms = [self.label_en, self.label_zh, self.label_ur]
        for values in (self.synonyms or {}).values():
            terms.extend(values)
        return [term for term in terms if term]


key_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{0,99}$",
    _("Use lowercase letters, digits and hyphens, starting with a letter or digit."),
)


def validate_country_code(value: str) -> None:
    if not is_country_code(value):
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166-1 country code such as PK or CN."), params={"value": value}
        )


class Organisation(models.Model):
    """A company, university, investor, government body, zone developer or association."""

    key = models.CharField(
        _("key"),
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text=_("A stable identifier used in addresses and imports."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_local = models.CharField(_("name in its own language"), max_length=200, blank=True)
    language = models.CharField(
        _("language it writes in"), max_length=8, choices=ContentLanguage, default=ContentLanguage.ENGLISH
    )
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="organisations")
    concepts = models.ManyToManyField(Concept, verbose_name=_("technologies"), blank=True, related_name="organisations")
    description = models.TextField(
        _("description"), blank=True, max_length=20_000, validators=[MaxLengthValidator(20_000)]
    )
    # Technologies the glossary does not name (yet), kept as the author wrote them rather than refused.
    keywords = models.JSONField(_("keywords"), default=list, blank=True, validators=[validate_keywords])
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility, default=Visibility.PUBLIC)
    is_verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_requested_at = models.DateTimeField(
        _("waiting for verification since"),
        null=True,
        blank=True,
        help_text=_("Set when the organisation is created by a user or its identity changes; staff's queue."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional, for demonstration."))
    sources = models.JSONField(_("sources"), default=list, blank=True)
    search_document = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name_en",)
        # (visibility, id): the search counts the matches a visitor may see from this index alone
        # (an index-only scan), without reading the organisations' rows.
        indexes: ClassVar = [
            models.Index(fields=["country", "kind"]),
            models.Index(fields=["visibility", "id"], name="directory_org_visibility_id"),
            # Analytics (organisations registered in a period, by country / city / kind / focus field):
            # a range of created_at read from this index alone (index-only scan), never the wide rows.
            models.Index(
                fields=["created_at", "id", "country", "kind", "visibility", "city"],
                name="directory_org_created_at",
            ),
            # The search's rank order within a tier (selectors.ORGANISATION_ORDER): a page of a large
            # match set walks it and stops once full; with the local name and visibility as trailing
            # columns, the name tier of a short query reads this index alone (index-only scan).
            models.Index(
                fields=["-is_verified", "name_en", "id", "name_local", "visibility"],
                name="directory_org_rank_order",
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="directory_organisation_visibility_valid",
                violation_error_message=_("Visibility must be public, members or private."),
            ),
            models.CheckConstraint(
                condition=models.Q(founded_year__isnull=True) | models.Q(founded_year__gte=1800),
                name="directory_organisation_founded_year_plausible",
                violation_error_message=_("The founding year must be 1800 or later."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def display_name(self) -> str:
        """The name a reader of the active language recognises first."""
        language = content_language()
        if language == "en" or not self.name_local:
            return self.name_en
        return self.name_local if self.language == language else self.name_en

    @property
    def other_name(self) -> str:
        """The second name shown under the display name, when it differs."""
        names = [self.name_en, self.name_local]
        rest = [name for name in names if name and name != self.display_name]
        return rest[0] if rest else ""


class SearchToken(models.Model):
    """Abstract: one row of a search index (directory.search): a word of a document, or a glossary
    tag of it ("#c<concept id>", "#s<sector id>"). Each searchable model has its own table with a real
    foreign key, so deleting a document deletes its words in the same transaction.

    On PostgreSQL the term column is collated "C" (migration), so that its order, like SQLite's, is
    the code points' order and a prefix is one range of the (term, document) index."""

    term = models.CharField(max_length=100)

    class Meta:
        abstract = True


class OrganisationSearchToken(SearchToken):
    """A word of an organisation's names, description, city, technologies and sectors."""

    document = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="search_tokens", db_index=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["document", "term"], name="directory_org_search_token_unique")
        ]
        indexes: ClassVar = [models.Index(fields=["term", "document"], name="directory_org_search_term")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.term}"


class SearchIndexState(models.Model):
    """One row: the glossary the whole search index was last rebuilt under (directory.search).

    Besides a document's words and tags, its index rows say which glossary concepts and sectors its
    text spells ("#wc<concept id>", "#ws<sector id>"), so that a glossary phrase in a query reads one
    small range instead of every wording of the concept. Those rows depend on the glossary: a search
    trusts them only while the glossary is the one written here, and reads the wordings otherwise; a
    rebuild (a background run after a glossary edit, or `silkbridge search_rebuild`) writes it."""

    glossary = models.CharField(_("glossary version"), max_length=200)

    def __str__(self) -> str:
        return self.glossary


class OrganisationEvent(HistoryRow):
    """One row of an organisation's history: who verified it, withdrew that, or changed its identity."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=24, choices=OrganisationEventKind)

    class Meta(HistoryRow.Meta):
        verbose_name = _("organisation history entry")
        verbose_name_plural = _("organisation history")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Contact(models.Model):
    """A person to talk to at an organisation. Only public contacts are shown outside it."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_public = models.BooleanField(_("shown to signed-in users"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class ImportRun(models.Model):
    """One bulk import of organisations: who ran it, on what, and the per-row report."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    all_or_nothing = models.BooleanField(_("all or nothing"), default=False)
    status = models.CharField(_("status"), max_length=24, choices=ImportStatus)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    # The background run that did the import (progress, failure); this row keeps the per-row report.
    run = models.OneToOneField(
        "core.Run",
        verbose_name=_("background run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_run",
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def failed_rows(self) -> int:
        return len({error["row"] for error in self.errors})


class Membership(models.Model):
    """A user's place in an organisation: owner (manages it) or member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole, default=MembershipRole.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "accounts_membership"  # the table kept its name when memberships moved to the directory
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="accounts_membership_unique",
                violation_error_message=_("This user is already a member of this organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class MembershipInvitation(models.Model):
    """An invitation to join an organisation, sent to an e-mail address whether or not it has an
    account (so whoever invites never learns which addresses do), accepted by the address's owner
    once signed in. Only a SHA-256 hash of the link's token is stored."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole, default=MembershipRole.MEMBER)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        db_table = "accounts_membershipinvitation"  # kept when invitations moved to the directory
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="accounts_invitation_one_pending_per_address",
                violation_error_message=_("This address already has a pending invitation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class OrganisationClaim(models.Model):
    """A signed-in user asking to join (or, for an organisation without members, to take over) a listed
    organisation. Approved at once when the user's verified e-mail is at the organisation's website
    domain, otherwise by staff. One open claim per user and organisation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="claims"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="organisation_claims"
    )
    message = models.TextField(_("message"), blank=True, validators=[MaxLengthValidator(2000)])
    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus, default=ClaimStatus.PENDING)
    proof = models.CharField(_("decided by"), max_length=16, choices=ClaimProof, blank=True)
    reason = models.TextField(_("reason"), blank=True, validators=[MaxLengthValidator(2000)])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation claim")
        verbose_name_plural = _("organisation claims")
        ordering = ("-created_at", "-pk")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="directory_claim_one_open_per_user",
                violation_error_message=_("You have already asked to join this organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.organisation_id} ({self.status})"


class HeldRequest(models.Model):
    """A request or expression of interest sent to an organisation that had no active member: nobody
    could read it, so it waits in staff's queue and reaches the organisation's first members when it is
    claimed (`delivered_at`)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="held_requests"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=300)
    url = models.CharField(_("address"), max_length=500)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to an organisation without members")
        verbose_name_plural = _("requests to organisations without members")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.what}"
