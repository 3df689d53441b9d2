"""Special Technology Zones, IT parks and special economic zones, as licensed or declared."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from silkbridge.core.i18n import content_language
from silkbridge.directory.models import Organisation, Sector
from silkbridge.zones.choices import ZoneKind, ZoneStatus


class Zone(models.Model):
    """A zone with its developer, area, status and sector focus; every fact cites its sources."""

    key = models.SlugField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ZoneKind)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PK")
    developer = models.CharField(_("developer"), max_length=200, blank=True)
    area_acres = models.DecimalField(_("area (acres)"), max_digits=10, decimal_places=1, null=True, blank=True)
    area_note = models.CharField(_("area as reported"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ZoneStatus)
    status_note = models.TextField(_("status as reported"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sector focus"), blank=True, related_name="zones")
    focus_note = models.TextField(_("focus as reported"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    # The zone developer's or authority's organisation on Silkbridge: its members receive the
    # relocation requests a company shares with this zone (no separate zone role: membership is it).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("zone developer on Silkbridge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zones_run",
    )
    # Companies licensed in (or operating from) the zone, as staff link them from the directory; the zone
    # page lists those the reader may see in the directory.
    licensed_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("companies licensed in the zone"),
        blank=True,
        related_name="zones_licensed_in",
    )
    # Facilities and space, for the relocation advisor. Null is "not known" (the advisor says so and
    # counts it as no pass); every known figure cites facility_sources, and facility_note says what
    # is an assumption (for example coordinates that are the city's, not the site's).
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    power_available_kw = models.PositiveIntegerField(_("power available (kW)"), null=True, blank=True)
    power_redundancy = models.CharField(_("power redundancy"), max_length=100, blank=True)
    has_fibre = models.BooleanField(_("fibre"), null=True, blank=True)
    data_center_tier = models.PositiveSmallIntegerField(
        _("on-site data center Tier"), null=True, blank=True, help_text=_("0 when there is no data center on site.")
    )
    has_housing = models.BooleanField(_("housing"), null=True, blank=True)
    has_bonded_warehouse = models.BooleanField(_("bonded warehouse"), null=True, blank=True)
    airport_name = models.CharField(_("nearest international airport"), max_length=200, blank=True)
    airport_km = models.DecimalField(
        _("distance to that airport (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    seaport_name = models.CharField(_("nearest seaport"), max_length=200, blank=True)
    seaport_km = models.DecimalField(
        _("distance to that seaport (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    fibre_carriers = models.CharField(_("fibre carriers"), max_length=300, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    office_space_m2 = models.PositiveIntegerField(_("office space available (m²)"), null=True, blank=True)
    plots_available = models.PositiveIntegerField(_("plots available"), null=True, blank=True)
    racks_available = models.PositiveIntegerField(_("data center racks available"), null=True, blank=True)
    facility_note = models.TextField(_("facilities as reported, and assumptions"), blank=True)
    facility_sources = models.JSONField(_("facility sources"), default=list, blank=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ("kind", "name_en")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(data_center_tier__isnull=True) | models.Q(data_center_tier__lte=4),
                name="zones_zone_data_center_tier_valid",
                violation_error_message=_("A data center Tier is 1 to 4 (0 for none on site)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        language = content_language()
        return getattr(self, f"name_{language}", "") or self.name_en


from silkbridge.zones.facts_models import ZoneFactChange  # noqa: E402
from silkbridge.zones.incentives_models import IncentiveRate, IncentiveRateChange  # noqa: E402
from silkbridge.zones.relocation_models import RelocationRequest  # noqa: E402

__all__ = ["IncentiveRate", "IncentiveRateChange", "RelocationRequest", "Zone", "ZoneFactChange"]
