"""Deals: two or more organisations around one subject, moving through stages to a signed MoU."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.core.models import HistoryRow
from silkbridge.deals.choices import (
    ALL_STAGES,
    STAGES_NEEDING_REASON,
    DealEventKind,
    DealOrigin,
    DealPartyRole,
    DealStage,
    DealSubject,
    DealTrack,
    RelocationStage,
)
from silkbridge.deals.models.base import new_reference
from silkbridge.directory.models import Organisation


class Deal(models.Model):
    """A lead followed to an agreement: its parties, subject, stage (with the reason when it ends or
    stalls) and the next step with its date."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_reference, editable=False)
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=24, choices=DealSubject)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    track = models.CharField(_("track"), max_length=16, choices=DealTrack, default=DealTrack.DEAL)
    stage = models.CharField(_("stage"), max_length=24, choices=ALL_STAGES, default=DealStage.LEAD)
    stage_reason = models.TextField(_("reason"), blank=True, max_length=2_000)
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    sector = models.ForeignKey(
        "directory.Sector", verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (staff)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals_owned",
    )
    organisations: models.ManyToManyField[Organisation, DealParty] = models.ManyToManyField(
        "directory.Organisation", through="DealParty", related_name="deals", verbose_name=_("organisations")
    )
    origin = models.CharField(_("started from"), max_length=16, choices=DealOrigin, default=DealOrigin.MANUAL)
    interest = models.ForeignKey(
        "marketplace.ExpressionOfInterest",
        verbose_name=_("expression of interest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "events.Meeting", verbose_name=_("meeting"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal = models.ForeignKey(
        "deals.Proposal",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    # A relocation case: the company's request and the zone that took it up (both set on that track only).
    relocation_request = models.ForeignKey(
        "zones.RelocationRequest",
        verbose_name=_("relocation request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases",
    )
    zone = models.ForeignKey(
        "zones.Zone", verbose_name=_("zone"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step due"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ("-updated_at", "-pk")
        indexes: ClassVar = [
            models.Index(fields=["stage", "stage_changed_at"], name="deals_deal_stage_since"),
            # Analytics: a period's deals (created_at) by track and stage, read from the index alone.
            models.Index(fields=["created_at", "track", "id", "stage"], name="deals_deal_created"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(stage__in=STAGES_NEEDING_REASON) | ~Q(stage_reason=""),
                name="deals_deal_end_has_reason",
                violation_error_message=_("A declined, withdrawn or stalled deal needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | (Q(amount__gte=0) & ~Q(currency="")),
                name="deals_deal_amount_has_currency",
                violation_error_message=_("An amount needs a currency and cannot be negative."),
            ),
            # One deal per lead: a second click on "start a deal" finds the first one.
            models.UniqueConstraint(
                fields=["interest"], condition=Q(interest__isnull=False), name="deals_deal_one_per_interest"
            ),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(meeting__isnull=False), name="deals_deal_one_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(proposal__isnull=False), name="deals_deal_one_per_proposal"
            ),
            # Each track keeps to its own stages; a case always has its request and zone, a deal neither.
            models.CheckConstraint(
                condition=(Q(track=DealTrack.DEAL) & Q(stage__in=DealStage.values) & Q(relocation_request__isnull=True))
                | (
                    Q(track=DealTrack.RELOCATION)
                    & Q(stage__in=RelocationStage.values)
                    & Q(relocation_request__isnull=False)
                    & Q(zone__isnull=False)
                ),
                name="deals_deal_stage_of_track",
                violation_error_message=_("This stage is not one of this track's stages."),
            ),
            # One case per request and zone: a zone's second "take up" finds the first case.
            models.UniqueConstraint(
                fields=["relocation_request", "zone"],
                condition=Q(relocation_request__isnull=False),
                name="deals_deal_one_case_per_request_zone",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DealParty(models.Model):
    """An organisation taking part in a deal, with its role."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="deal_parties"
    )
    role = models.CharField(_("role"), max_length=16, choices=DealPartyRole, default=DealPartyRole.PARTNER)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party to a deal")
        verbose_name_plural = _("parties to deals")
        ordering = ("deal", "pk")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["deal", "organisation"],
                name="deals_party_once_per_deal",
                violation_error_message=_("This organisation is already a party to the deal."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.deal_id}"


class DealEvent(HistoryRow):
    """One row of a deal's history: who, when, from which stage to which, and the note."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=24, choices=DealEventKind)
    from_stage = models.CharField(_("from"), max_length=24, choices=ALL_STAGES, blank=True)
    to_stage = models.CharField(_("to"), max_length=24, choices=ALL_STAGES, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2_000)

    class Meta(HistoryRow.Meta):
        verbose_name = _("deal history entry")
        verbose_name_plural = _("deal history")

    def __str__(self) -> str:
        return f"{self.deal_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class DealDocument(models.Model):
    """A document of a deal or relocation case (a site-visit report, a licence application): PDF, DOCX,
    XLSX or an image, its type read from its content (common.file_kinds, as a proposal's documents). Seen by
    whoever sees the deal (`deals_visible`), and by no one else."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to="deals/cases/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deal document")
        verbose_name_plural = _("deal documents")
        ordering = ("deal", "uploaded_at", "pk")

    def __str__(self) -> str:
        return self.name
