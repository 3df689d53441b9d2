"""The currency rates staff set: units of a currency per US dollar from a date on."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

currency_code_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code such as PKR, CNY or USD."))


class CurrencyRate(models.Model):
    """Units of a currency per US dollar from a date on, as staff set them."""

    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code_validator])
    units_per_usd = models.DecimalField(
        _("units per US dollar"), max_digits=20, decimal_places=6, validators=[MinValueValidator(0.000001)]
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        # The table keeps the name it had when rates lived in matching (moved without copying a row).
        db_table = "matching_currencyrate"
        verbose_name = _("currency rate")
        verbose_name_plural = _("currency rates")
        ordering = ("currency", "-valid_from")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["currency", "valid_from"],
                name="matching_rate_one_per_day",
                violation_error_message=_("This currency already has a rate from that date."),
            ),
            models.CheckConstraint(condition=models.Q(units_per_usd__gt=0), name="matching_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 USD = {self.units_per_usd} {self.currency} ({self.valid_from})"
