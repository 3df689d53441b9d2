"""Opportunity profiles (the Enterprise Europe Network's partnering-profile shape plus investment
mandates and requests), staff review comments and expressions of interest.

Who may see a profile is decided in one place, `selectors.opportunities_visible_to`: published and
not past its expiry date, and public (everyone), members (signed-in users) or private (its own
organisation and staff only).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.core.models import HistoryRow
from silkbridge.directory.choices import ContentLanguage, Visibility
from silkbridge.directory.models import SearchToken, validate_keywords
from silkbridge.marketplace.choices import (
    InterestDeclineReason,
    InterestStatus,
    IprStatus,
    OpportunityEventKind,
    OpportunityStatus,
    OpportunityType,
    ReviewDecision,
)


class Opportunity(models.Model):
    """What an organisation offers or looks for: technology, business, R&D partners or investment."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=24, choices=OpportunityType)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), max_length=20_000, validators=[MaxLengthValidator(20_000)])
    language = models.CharField(_("language of the text"), max_length=8, choices=ContentLanguage)
    sectors = models.ManyToManyField(
        "directory.Sector", verbose_name=_("sectors"), blank=True, related_name="opportunities"
    )
    concepts = models.ManyToManyField(
        "directory.Concept", verbose_name=_("technologies"), blank=True, related_name="opportunities"
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_(
            "1 (basic principles observed) to 9 (proven in operation). A request states the lowest it accepts."
        ),
    )
    ipr_status = models.CharField(_("intellectual property"), max_length=20, choices=IprStatus, blank=True)
    deal_types = models.JSONField(_("partnership types sought"), default=list, blank=True)
    amount_min = models.DecimalField(_("amount from"), max_digits=18, decimal_places=2, null=True, blank=True)
    amount_max = models.DecimalField(_("amount up to"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    target_countries = models.JSONField(_("target countries"), default=list, blank=True)
    # Technologies the glossary does not name (yet), kept as the author wrote them rather than refused.
    keywords = models.JSONField(_("keywords"), default=list, blank=True, validators=[validate_keywords])
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OpportunityStatus, default=OpportunityStatus.DRAFT, db_index=True
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility, default=Visibility.PUBLIC)
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional, for demonstration."))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("opportunity profile")
        verbose_name_plural = _("opportunity profiles")
        ordering = ("-published_at", "-created_at")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True) | Q(amount_max__isnull=True) | Q(amount_min__lte=F("amount_max")),
                name="marketplace_opportunity_amount_range",
                violation_error_message=_("The amount from must not be above the amount up to."),
            ),
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9),
                name="marketplace_opportunity_trl_range",
                violation_error_message=_("The readiness level is between 1 and 9."),
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "expires_on"], name="marketplace_status_expiry"),
            # Analytics (profiles created in a period by type and status): read from this index alone.
            models.Index(fields=["created_at", "kind", "status", "id"], name="marketplace_created_kind"),
            # Analytics (matches turned into interest): a match's profile to its organisation for tens of
            # thousands of matches, from this index alone instead of a row fetch each.
            models.Index(fields=["id", "organisation"], name="marketplace_id_organisation"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_live(self) -> bool:
        """Published and not past its expiry date: what others may see (subject to visibility)."""
        return self.status == OpportunityStatus.PUBLISHED and not self.is_expired


class OpportunitySearchToken(SearchToken):
    """A word of a profile's title, summary, description, technologies and sectors (directory.search)."""

    document = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="search_tokens", db_index=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["document", "term"], name="marketplace_search_token_unique")
        ]
        indexes: ClassVar = [models.Index(fields=["term", "document"], name="marketplace_search_term")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.term}"


class ReviewComment(models.Model):
    """Staff's review of a profile before publication (EEN's quality step), or a note back to the owner."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity profile"), on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision)
    body = models.TextField(_("comment"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"{self.opportunity} — {self.decision}"


class ExpressionOfInterest(models.Model):
    """An organisation's interest in a profile. Accepting reveals each side's contacts to the other."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity profile"), on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("interested organisation"),
        on_delete=models.CASCADE,
        related_name="interests_sent",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("message"), max_length=5000, validators=[MaxLengthValidator(5000)])
    status = models.CharField(_("status"), max_length=12, choices=InterestStatus, default=InterestStatus.PENDING)
    decline_reason = models.CharField(_("reason"), max_length=32, choices=InterestDeclineReason, blank=True)
    answer_note = models.TextField(_("answer"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"],
                name="marketplace_interest_once_per_organisation",
                violation_error_message=_("Your organisation has already expressed interest in this profile."),
            ),
            models.CheckConstraint(
                condition=~Q(status=InterestStatus.DECLINED) | ~Q(decline_reason=""),
                name="marketplace_interest_decline_has_reason",
                violation_error_message=_("A declined expression of interest needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.opportunity}"


class OpportunityEvent(HistoryRow):
    """One row of a profile's history: who changed its state, when, and what changed."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=24, choices=OpportunityEventKind)

    class Meta(HistoryRow.Meta):
        verbose_name = _("profile history entry")
        verbose_name_plural = _("profile history")

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
