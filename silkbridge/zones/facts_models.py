"""Changes to a zone's facts proposed by its developer and approved or rejected by staff.

A proposal changes nothing until staff approve it; then the zone's field takes the new value, and the
row keeps the value it replaced, so the approved rows are the facts' history (who proposed, who
approved, when, the source and its date, old → new). The public zone page shows only approved values."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ZoneFactField(models.TextChoices):
    """The facts a zone's developer keeps current (each a field of Zone)."""

    POWER_AVAILABLE_KW = "power_available_kw", _("Power available (kW)")
    POWER_REDUNDANCY = "power_redundancy", _("Power redundancy")
    HAS_FIBRE = "has_fibre", _("Fibre")
    FIBRE_CARRIERS = "fibre_carriers", _("Fibre carriers")
    DATA_CENTER_TIER = "data_center_tier", _("On-site data center Tier (0 for none)")
    HAS_HOUSING = "has_housing", _("Housing")
    HAS_BONDED_WAREHOUSE = "has_bonded_warehouse", _("Bonded warehouse")
    AIRPORT_NAME = "airport_name", _("Nearest international airport")
    AIRPORT_KM = "airport_km", _("Distance to that airport (km)")
    SEAPORT_NAME = "seaport_name", _("Nearest seaport")
    SEAPORT_KM = "seaport_km", _("Distance to that seaport (km)")
    OFFICE_SPACE_M2 = "office_space_m2", _("Office space available (m²)")
    PLOTS_AVAILABLE = "plots_available", _("Plots available")
    RACKS_AVAILABLE = "racks_available", _("Data center racks available")
    CONTACTS = "contacts", _("Contacts")


class ZoneFactStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ZoneFactChange(models.Model):
    """One proposed value of one fact of a zone, with its source and the date of that source."""

    zone = models.ForeignKey(
        "zones.Zone", verbose_name=_("zone"), on_delete=models.CASCADE, related_name="fact_changes"
    )
    field = models.CharField(_("fact"), max_length=32, choices=ZoneFactField)
    value = models.JSONField(_("proposed value"))
    old_value = models.JSONField(_("value before"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    source_date = models.DateField(_("date of the source"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ZoneFactStatus, default=ZoneFactStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("zone fact change")
        verbose_name_plural = _("zone fact changes")
        ordering = ("-proposed_at", "-pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reason=""),
                name="zones_fact_change_rejection_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["zone", "status", "field"], name="zones_fact_zone_status")]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.field} = {self.value!r} ({self.status})"
