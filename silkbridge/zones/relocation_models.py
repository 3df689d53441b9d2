"""Relocation requests: what a company needs to set up in a zone, private to it and the zones it shares with."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from silkbridge.directory.choices import ContentLanguage
from silkbridge.directory.models import Organisation, Sector
from silkbridge.zones.choices import SpaceKind


class RelocationRequest(models.Model):
    """A company's needs for a move into a zone. Seen by its organisation's members, staff, and the
    members of the organisations of the zones it is shared with (zones.relocation_selectors)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("company"), on_delete=models.CASCADE, related_name="relocation_requests"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language it is written in"), max_length=8, choices=ContentLanguage, default=ContentLanguage.ENGLISH
    )
    activities = models.TextField(_("activities"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="+")
    space_kind = models.CharField(_("kind of space"), max_length=8, choices=SpaceKind, default=SpaceKind.OFFICE)
    space_amount = models.PositiveIntegerField(
        _("space needed"), null=True, blank=True, help_text=_("m² of office space, or a number of plots or racks.")
    )
    power_kw = models.PositiveIntegerField(_("power needed (kW)"), null=True, blank=True)
    data_center_tier = models.PositiveSmallIntegerField(
        _("data center Tier needed"), null=True, blank=True, help_text=_("Leave empty when no data center is needed.")
    )
    staff_to_hire = models.PositiveIntegerField(_("staff to hire locally"), null=True, blank=True)
    staff_to_bring = models.PositiveIntegerField(_("staff to bring"), null=True, blank=True)
    move_by = models.DateField(_("to move in by"), null=True, blank=True)
    budget_usd = models.PositiveBigIntegerField(_("budget (USD)"), null=True, blank=True)
    preferred_cities = models.JSONField(_("preferred cities"), default=list, blank=True)
    must_haves = models.JSONField(_("must-haves"), default=list, blank=True)
    shared_with = models.ManyToManyField(
        "zones.Zone", verbose_name=_("shared with zones"), blank=True, related_name="relocation_requests"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("relocation request")
        verbose_name_plural = _("relocation requests")
        ordering = ("-created_at", "-pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(data_center_tier__isnull=True)
                | (models.Q(data_center_tier__gte=1) & models.Q(data_center_tier__lte=4)),
                name="zones_relocation_request_tier_valid",
                violation_error_message=_("A data center Tier is 1, 2, 3 or 4."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
