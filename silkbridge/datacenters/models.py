"""Assessments of proposed data-center designs: the design as uploaded and the engine's verdict."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silkbridge.core.references import public_reference


def new_reference() -> str:
    """An unguessable public reference: assessments are confidential, so ids must not be enumerable."""
    return public_reference()


class Assessment(models.Model):
    """One run of the Tier, availability and energy engines over one uploaded design."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_reference, editable=False)
    name = models.CharField(_("design"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    design_text = models.TextField(_("design document"))
    weather_file = models.FileField(_("weather file (EPW)"), upload_to="datacenters/weather/", blank=True)
    weather_name = models.CharField(_("weather file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="datacenter_assessments",
    )
    created_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    tier = models.PositiveSmallIntegerField(_("Tier met"))
    claimed_tier = models.PositiveSmallIntegerField(_("Tier claimed"), null=True, blank=True)
    availability = models.FloatField(_("availability (analytical)"))
    downtime_minutes = models.FloatField(_("downtime, minutes per year"))
    pue = models.FloatField(_("annual PUE"), null=True, blank=True)
    years = models.PositiveIntegerField(_("simulated years"))
    seed = models.IntegerField(_("seed"))
    result = models.JSONField(_("result"))

    class Meta:
        verbose_name = _("data-center assessment")
        verbose_name_plural = _("data-center assessments")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__lte=4),
                name="datacenters_assessment_tier_range",
                violation_error_message=_("A Tier is between 0 and 4."),
            ),
            models.CheckConstraint(
                condition=models.Q(claimed_tier__isnull=True) | models.Q(claimed_tier__gte=1, claimed_tier__lte=4),
                name="datacenters_assessment_claimed_tier_range",
                violation_error_message=_("A claimed Tier is between 1 and 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"
