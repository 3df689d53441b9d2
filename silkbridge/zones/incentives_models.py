"""The dated rates the incentive calculator uses, each with its legal source, and their change history."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IncentiveRateKind(models.TextChoices):
    CORPORATE_INCOME_TAX = "corporate_income_tax", _("Corporate income tax (percent of taxable income)")
    SALES_TAX = "sales_tax", _("Sales tax (percent of local purchases)")
    CUSTOMS_DUTY_CAPITAL_GOODS = "customs_duty_capital_goods", _("Customs duty on capital goods (percent of value)")
    PROPERTY_TAX = "property_tax", _("Property tax (percent of property value a year)")
    PKR_PER_USD = "pkr_per_usd", _("Pakistani rupees per US dollar")
    CNY_PER_USD = "cny_per_usd", _("Chinese yuan per US dollar")


PERCENT_KINDS = ("corporate_income_tax", "sales_tax", "customs_duty_capital_goods", "property_tax")


class IncentiveRateBasis(models.TextChoices):
    REFERENCE = "reference", _("From the project's reference sources")
    STATUTE = "statute", _("Ordinary statutory rate (law cited, not from the reference)")
    ASSUMPTION = "assumption", _("Indicative assumption (no single legal rate; staff to confirm)")


class IncentiveRate(models.Model):
    """One rate from a date on (tax rates in percent, exchange rates per US dollar), with its source."""

    kind = models.CharField(_("rate"), max_length=32, choices=IncentiveRateKind)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    valid_from = models.DateField(_("valid from"))
    basis = models.CharField(_("basis"), max_length=16, choices=IncentiveRateBasis)
    legal_source = models.CharField(_("legal source (law and clause)"), max_length=300)
    source_url = models.URLField(_("source address"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("incentive calculator rate")
        verbose_name_plural = _("incentive calculator rates")
        ordering = ("kind", "-valid_from")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "valid_from"],
                name="zones_incentive_rate_one_per_day",
                violation_error_message=_("This rate already has a value from that date."),
            ),
            models.CheckConstraint(
                condition=(models.Q(kind__in=PERCENT_KINDS) & models.Q(value__gte=0) & models.Q(value__lte=100))
                | (~models.Q(kind__in=PERCENT_KINDS) & models.Q(value__gt=0)),
                name="zones_incentive_rate_in_range",
                violation_error_message=_("A tax rate is a percentage from 0 to 100; an exchange rate is above 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} = {self.value} ({self.valid_from})"


class IncentiveRateChange(models.Model):
    """Who created, changed or deleted a rate, when, and the values before and after."""

    rate = models.ForeignKey(
        IncentiveRate, verbose_name=_("rate"), on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    kind = models.CharField(_("rate"), max_length=32, choices=IncentiveRateKind)
    valid_from = models.DateField(_("valid from"))
    action = models.CharField(_("action"), max_length=16)
    changes = models.JSONField(_("changes"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incentive rate change")
        verbose_name_plural = _("incentive rate changes")
        ordering = ("-changed_at", "-pk")

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.valid_from}"
