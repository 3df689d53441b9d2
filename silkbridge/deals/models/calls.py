"""Calls for proposals: what a government body or zone authority asks for, by when, how it will judge
(a weighted rubric, optionally two envelopes), and the public record of its procedure (clarifications,
openings, the evaluation report and grievances)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silkbridge.core.i18n import content_language
from silkbridge.core.models import HistoryRow
from silkbridge.deals.choices import CallEventKind, CallStatus, CallVisibility, EvaluationMethod, OpeningKind


class Call(models.Model):
    """A call for proposals in its issuer's languages, with a deadline in the issuer's own time zone."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    issuer = models.ForeignKey(
        "directory.Organisation", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="calls_issued"
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_ur = models.CharField(_("title (Urdu)"), max_length=200, blank=True)
    scope_en = models.TextField(_("scope (English)"), max_length=20_000)
    scope_zh = models.TextField(_("scope (Chinese)"), blank=True, max_length=20_000)
    scope_ur = models.TextField(_("scope (Urdu)"), blank=True, max_length=20_000)
    eligibility_en = models.TextField(_("eligibility (English)"), blank=True, max_length=10_000)
    eligibility_zh = models.TextField(_("eligibility (Chinese)"), blank=True, max_length=10_000)
    eligibility_ur = models.TextField(_("eligibility (Urdu)"), blank=True, max_length=10_000)
    required_documents = models.JSONField(
        _("required documents"), default=list, blank=True, help_text=_('[{"en": ..., "zh": ..., "ur": ...}, ...]')
    )
    sector = models.ForeignKey(
        "directory.Sector", verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField(_("deadline"))
    time_zone = models.CharField(_("time zone of the deadline"), max_length=64, default="Asia/Karachi")
    contact_name = models.CharField(_("contact"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    visibility = models.CharField(
        _("who may submit"), max_length=16, choices=CallVisibility, default=CallVisibility.PUBLIC
    )
    invited = models.ManyToManyField(
        "directory.Organisation", verbose_name=_("invited organisations"), blank=True, related_name="calls_invited"
    )
    evaluation = models.CharField(
        _("evaluation"), max_length=24, choices=EvaluationMethod, default=EvaluationMethod.QUALITY
    )
    technical_weight = models.PositiveSmallIntegerField(
        _("weight of the technical score (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Quality-and-cost-based calls only; the financial score weighs the rest."),
    )
    technical_threshold = models.PositiveSmallIntegerField(
        _("technical pass mark (out of 100)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Only proposals at or above it have their financial envelope opened."),
    )
    minimum_tier = models.PositiveSmallIntegerField(
        _("minimum data-center Tier"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("When set, a proposal must carry a data-center design, assessed on submission."),
    )
    currency = models.CharField(_("currency of prices"), max_length=3, default="PKR")
    status = models.CharField(_("status"), max_length=16, choices=CallStatus, default=CallStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    report = models.JSONField(_("evaluation report"), null=True, blank=True, editable=False)
    report_published_at = models.DateTimeField(_("evaluation report published at"), null=True, blank=True)
    grievances_until = models.DateTimeField(_("grievances accepted until"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision took effect at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ("-deadline", "-pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(technical_weight__lte=100) & Q(technical_threshold__lte=100),
                name="deals_call_percentages",
                violation_error_message=_("Weights and pass marks are percentages between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(minimum_tier__isnull=True) | Q(minimum_tier__gte=1, minimum_tier__lte=4),
                name="deals_call_minimum_tier_range",
                violation_error_message=_("A Tier is between 1 and 4."),
            ),
            models.CheckConstraint(
                condition=~Q(status=CallStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="deals_call_published_has_time",
                violation_error_message=_("A published call has a publication time."),
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        """The title in the reader's language, or English where the issuer gave none."""
        return getattr(self, f"title_{content_language()}") or self.title_en

    @property
    def scope(self) -> str:
        return getattr(self, f"scope_{content_language()}") or self.scope_en

    @property
    def eligibility(self) -> str:
        return getattr(self, f"eligibility_{content_language()}") or self.eligibility_en


class Criterion(models.Model):
    """One criterion of a call's rubric: its weight and what each score from 0 to 5 means."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    anchors = models.JSONField(
        _("what each score means"),
        default=dict,
        help_text=_('{"0": {"en": ..., "zh": ..., "ur": ...}, ..., "5": {...}}'),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ("call", "position")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["call", "position"], name="deals_criterion_position_once"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="deals_criterion_weight_range",
                violation_error_message=_("A criterion's weight is between 1 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return getattr(self, f"name_{content_language()}") or self.name_en


class Clarification(models.Model):
    """A question about a call and, once answered, its published answer (visible to all who may submit;
    the asker is not named)."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField(_("question"), max_length=4_000)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_by_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("asked for"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, max_length=8_000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ("call", "asked_at", "pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(answer=""),
                name="deals_clarification_published_has_answer",
                violation_error_message=_("A published clarification needs an answer."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.question[:40]}"


class Opening(models.Model):
    """The opening of a call's proposals (or of its financial envelopes): when, who attended, and the
    record published to every submitter (who submitted, when, the declared price)."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="openings")
    kind = models.CharField(_("what was opened"), max_length=16, choices=OpeningKind)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendees = models.JSONField(_("attendees"), default=list, help_text=_("Names and organisations present."))
    record = models.JSONField(
        _("record"), default=list, help_text=_("Each submission: organisation, time, declared price and currency.")
    )

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ("call", "opened_at")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["call", "kind"],
                name="deals_opening_once_per_kind",
                violation_error_message=_("These proposals have already been opened."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind} {self.opened_at:%Y-%m-%d %H:%M}"


class Grievance(models.Model):
    """A submitter's complaint about the evaluation report, and staff's recorded answer."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="grievances")
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("grievance"), max_length=8_000)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, max_length=8_000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        ordering = ("call", "filed_at", "pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="deals_grievance_answered_has_answer",
                violation_error_message=_("An answered grievance needs an answer."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.organisation_id}"


class CallEvent(HistoryRow):
    """One row of a call's history."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=24, choices=CallEventKind)

    class Meta(HistoryRow.Meta):
        verbose_name = _("call history entry")
        verbose_name_plural = _("call history")

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
