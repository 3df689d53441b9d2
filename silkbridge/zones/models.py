"""Special Technology Zones, IT parks and special economic zones, as licensed or declared."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from silkbridge.core.i18n import content_language
from silkbridge.directory.models import Sector
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

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ("kind", "name_en")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        language = content_language()
        return getattr(self, f"name_{language}", "") or self.name_en


from silkbridge.zones.incentives_models import IncentiveRate, IncentiveRateChange  # noqa: E402

__all__ = ["IncentiveRate", "IncentiveRateChange", "Zone"]
