"""MoUs: drafted from a trilingual clause library in two languages side by side, versioned on every
save, routed through an authority's approval steps, signed and sealed with the platform's key."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silkbridge.core.i18n import content_language
from silkbridge.core.models import HistoryRow
from silkbridge.deals.choices import CounterpartKind, MouEventKind, MouStatus, RouteStepStatus
from silkbridge.deals.models.base import new_reference


class ClauseTemplate(models.Model):
    """A clause of the library (parties, purpose, scope, obligations, …) in English, Chinese and Urdu;
    `{placeholders}` are filled from the deal when an MoU is drafted."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_ur = models.CharField(_("title (Urdu)"), max_length=200)
    text_en = models.TextField(_("text (English)"), max_length=20_000)
    text_zh = models.TextField(_("text (Chinese)"), max_length=20_000)
    text_ur = models.TextField(_("text (Urdu)"), max_length=20_000)
    is_active = models.BooleanField(_("offered in new drafts"), default=True)

    class Meta:
        verbose_name = _("clause template")
        verbose_name_plural = _("clause library")
        ordering = ("position", "key")

    def __str__(self) -> str:
        return self.key

    @property
    def title(self) -> str:
        return getattr(self, f"title_{content_language()}") or self.title_en


class ApprovalRoute(models.Model):
    """The offices an authority's MoU passes through before signature, as data (e.g. legal section →
    parent ministry → Law and Justice Division → Ministry of Foreign Affairs)."""

    authority = models.ForeignKey(
        "directory.Organisation", verbose_name=_("authority"), on_delete=models.CASCADE, related_name="approval_routes"
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    counterpart = models.CharField(
        _("for a counterpart that is"), max_length=24, choices=CounterpartKind, default=CounterpartKind.FOREIGN_PRIVATE
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("approval route")
        verbose_name_plural = _("approval routes")
        ordering = ("authority", "name_en")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["authority", "counterpart"],
                condition=Q(is_active=True),
                name="deals_route_one_active_per_counterpart",
                violation_error_message=_("This authority already has a route in use for this kind of counterpart."),
            )
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return getattr(self, f"name_{content_language()}") or self.name_en


class ApprovalRouteStep(models.Model):
    """One office on a route, in order."""

    route = models.ForeignKey(ApprovalRoute, verbose_name=_("route"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name_en = models.CharField(_("office (English)"), max_length=200)
    name_zh = models.CharField(_("office (Chinese)"), max_length=200, blank=True)
    name_ur = models.CharField(_("office (Urdu)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        ordering = ("route", "position")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["route", "position"], name="deals_route_step_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name_en}"

    @property
    def name(self) -> str:
        return getattr(self, f"name_{content_language()}") or self.name_en


class Mou(models.Model):
    """A memorandum of understanding for a deal, in English and a second language side by side."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_reference, editable=False)
    deal = models.ForeignKey("deals.Deal", verbose_name=_("deal"), on_delete=models.PROTECT, related_name="mous")
    title = models.CharField(_("title"), max_length=300)
    second_language = models.CharField(
        _("second language"), max_length=2, choices=[("zh", _("Chinese")), ("ur", _("Urdu"))], default="zh"
    )
    counterpart = models.CharField(
        _("the other side is"), max_length=24, choices=CounterpartKind, default=CounterpartKind.FOREIGN_PRIVATE
    )
    status = models.CharField(_("status"), max_length=16, choices=MouStatus, default=MouStatus.DRAFTING)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    route = models.ForeignKey(
        ApprovalRoute, verbose_name=_("route"), null=True, blank=True, on_delete=models.PROTECT, related_name="mous"
    )
    sealed_pdf = models.FileField(_("sealed PDF"), upload_to="deals/mous/", blank=True)
    sealed_sha256 = models.CharField(_("SHA-256 of the sealed PDF"), max_length=64, blank=True)
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("memorandum of understanding")
        verbose_name_plural = _("memoranda of understanding")
        ordering = ("-updated_at", "-pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(status=MouStatus.SIGNED) | (Q(sealed_at__isnull=False) & ~Q(sealed_sha256="")),
                name="deals_mou_signed_is_sealed",
                violation_error_message=_("A signed MoU carries its sealed PDF."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class MouClause(models.Model):
    """One clause of an MoU's current text, in English and the second language."""

    mou = models.ForeignKey(Mou, verbose_name=_("MoU"), on_delete=models.CASCADE, related_name="clauses")
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_other = models.CharField(_("title (second language)"), max_length=200)
    text_en = models.TextField(_("text (English)"), max_length=20_000)
    text_other = models.TextField(_("text (second language)"), max_length=20_000)

    class Meta:
        verbose_name = _("MoU clause")
        verbose_name_plural = _("MoU clauses")
        ordering = ("mou", "position")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mou", "key"], name="deals_mou_clause_key_once"),
            models.UniqueConstraint(fields=["mou", "position"], name="deals_mou_clause_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mou_id}:{self.key}"


class MouVersion(models.Model):
    """Every save of an MoU: the whole text at that moment, so any two versions can be compared."""

    mou = models.ForeignKey(Mou, verbose_name=_("MoU"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    clauses = models.JSONField(_("clauses"), help_text=_("[{key, title_en, title_other, text_en, text_other}, ...]"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("MoU version")
        verbose_name_plural = _("MoU versions")
        ordering = ("mou", "number")
        constraints: ClassVar = [models.UniqueConstraint(fields=["mou", "number"], name="deals_mou_version_once")]

    def __str__(self) -> str:
        return f"{self.mou_id} v{self.number}"


class ClauseComment(models.Model):
    """A comment on one clause of one version."""

    mou = models.ForeignKey(Mou, verbose_name=_("MoU"), on_delete=models.CASCADE, related_name="comments")
    clause_key = models.SlugField(_("clause"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=4_000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clause comment")
        verbose_name_plural = _("clause comments")
        ordering = ("mou", "created_at", "pk")

    def __str__(self) -> str:
        return f"{self.mou_id}:{self.clause_key} v{self.version}"


class MouRouteStep(models.Model):
    """One office's turn on one MoU's route: who acted, when, approved or returned with a note. A return
    sends the draft back to drafting; the route then resumes at the office that returned it."""

    mou = models.ForeignKey(Mou, verbose_name=_("MoU"), on_delete=models.CASCADE, related_name="route_steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name_en = models.CharField(_("office (English)"), max_length=200)
    name_zh = models.CharField(_("office (Chinese)"), max_length=200, blank=True)
    name_ur = models.CharField(_("office (Urdu)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RouteStepStatus, default=RouteStepStatus.WAITING)
    version = models.PositiveSmallIntegerField(_("version acted on"), null=True, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("acted at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=4_000)

    class Meta:
        verbose_name = _("MoU route step")
        verbose_name_plural = _("MoU route steps")
        ordering = ("mou", "position")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mou", "position"], name="deals_mou_route_step_once"),
            models.CheckConstraint(
                condition=~Q(status=RouteStepStatus.RETURNED) | ~Q(note=""),
                name="deals_mou_route_return_has_note",
                violation_error_message=_("Say why the draft is returned."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mou_id} {self.position}. {self.name_en}: {self.status}"

    @property
    def name(self) -> str:
        return getattr(self, f"name_{content_language()}") or self.name_en


class Signatory(models.Model):
    """A person who signed the MoU for one side."""

    mou = models.ForeignKey(Mou, verbose_name=_("MoU"), on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=300)
    signed_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ("mou", "position", "pk")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name})"


class MouEvent(HistoryRow):
    """One row of an MoU's history: drafts, route steps, signatures, the seal."""

    mou = models.ForeignKey(Mou, verbose_name=_("MoU"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=24, choices=MouEventKind)
    note = models.TextField(_("note"), blank=True, max_length=4_000)

    class Meta(HistoryRow.Meta):
        verbose_name = _("MoU history entry")
        verbose_name_plural = _("MoU history")

    def __str__(self) -> str:
        return f"{self.mou_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
