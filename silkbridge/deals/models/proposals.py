"""Proposals: to a call or unsolicited to an organisation; a private draft until submitted, then a
frozen version. Documents are stored through Django's storage API with the type read from their content."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silkbridge.core.models import HistoryRow
from silkbridge.deals.choices import Decision, Envelope, ProposalEventKind, ProposalStatus
from silkbridge.deals.models.base import new_reference
from silkbridge.directory.choices import ContentLanguage


class Proposal(models.Model):
    """What an organisation proposes: summary in its language, budget, timeline, team, documents and,
    for data-center calls, a design assessed by the datacenters engine on submission."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_reference, editable=False)
    call = models.ForeignKey(
        "deals.Call",
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    recipient = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("proposed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_received",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="proposals_submitted",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=20_000)
    language = models.CharField(
        _("language of the summary"), max_length=2, choices=ContentLanguage, default=ContentLanguage.ENGLISH
    )
    budget_amount = models.DecimalField(_("budget"), max_digits=18, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(_("budget currency"), max_length=3, blank=True)
    # The financial envelope of a quality-and-cost-based call: sealed until its own opening.
    declared_price = models.DecimalField(_("price offered"), max_digits=18, decimal_places=2, null=True, blank=True)
    price_currency = models.CharField(_("currency of the price"), max_length=3, blank=True)
    timeline = models.JSONField(
        _("timeline"), default=list, blank=True, help_text=_('[{"milestone": ..., "due_on": "YYYY-MM-DD"}, ...]')
    )
    team = models.JSONField(_("team"), default=list, blank=True, help_text=_('[{"name": ..., "role": ...}, ...]'))
    design_name = models.CharField(_("design file"), max_length=255, blank=True)
    design_text = models.TextField(_("data-center design"), blank=True)
    claimed_tier = models.PositiveSmallIntegerField(
        _("Tier claimed"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    assessment = models.ForeignKey(
        "datacenters.Assessment",
        verbose_name=_("design assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus, default=ProposalStatus.DRAFT)
    version = models.PositiveSmallIntegerField(_("submitted versions"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True, max_length=10_000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ("-updated_at", "-pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(call__isnull=False) & Q(recipient__isnull=True))
                | (Q(call__isnull=True) & Q(recipient__isnull=False)),
                name="deals_proposal_to_a_call_or_an_organisation",
                violation_error_message=_("A proposal answers a call or goes to one organisation, not both."),
            ),
            # One proposal per organisation and call; a revision is a new version of the same proposal.
            models.UniqueConstraint(
                fields=["call", "organisation"],
                condition=Q(call__isnull=False),
                name="deals_proposal_once_per_call",
                violation_error_message=_("Your organisation already has a proposal for this call."),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | (Q(budget_amount__gte=0) & ~Q(budget_currency="")),
                name="deals_proposal_budget_has_currency",
                violation_error_message=_("A budget needs a currency and cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(declared_price__isnull=True) | (Q(declared_price__gte=0) & ~Q(price_currency="")),
                name="deals_proposal_price_has_currency",
                violation_error_message=_("A price needs a currency and cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="deals_proposal_submitted_has_time",
                violation_error_message=_("A submitted proposal has a submission time."),
            ),
            models.CheckConstraint(
                condition=Q(decision="") | ~Q(decision_reasons=""),
                name="deals_proposal_decision_has_reasons",
                violation_error_message=_("A decision needs its reasons."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalVersion(models.Model):
    """A submitted proposal, frozen: what reviewers score and what the next version is compared with."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"), help_text=_("Every field and the documents (name, type, size, SHA-256)."))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ("proposal", "number")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["proposal", "number"], name="deals_proposal_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.number}"


class ProposalDocument(models.Model):
    """A document of a proposal (PDF, DOCX, XLSX or an image), its type checked from its content."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="documents"
    )
    envelope = models.CharField(_("envelope"), max_length=16, choices=Envelope, default=Envelope.TECHNICAL)
    file = models.FileField(_("file"), upload_to="deals/proposals/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The version that first carried it; empty while it belongs to the draft only.
    first_version = models.PositiveSmallIntegerField(_("first in version"), null=True, blank=True)
    is_current = models.BooleanField(_("in the current draft"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal document")
        verbose_name_plural = _("proposal documents")
        ordering = ("proposal", "uploaded_at", "pk")

    def __str__(self) -> str:
        return self.name


class ProposalEvent(HistoryRow):
    """One row of a proposal's history (reviewer appointments and declarations included; selectors
    decide who sees which rows)."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=24, choices=ProposalEventKind)
    note = models.TextField(_("note"), blank=True, max_length=4_000)

    class Meta(HistoryRow.Meta):
        verbose_name = _("proposal history entry")
        verbose_name_plural = _("proposal history")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
