"""Writes of the currency rates (staff only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from silkbridge.money import hooks, selectors
from silkbridge.money.models import CurrencyRate


@transaction.atomic
def currency_rate_set(
    *, actor: Any, currency: str, units_per_usd: Decimal | float | str, valid_from: date, source: str = ""
) -> CurrencyRate:
    """Staff set the rate of a currency from a date on; `rates_changed` is fired in the same
    transaction (matching queues the recomputation of every match list, which starts on commit)."""
    selectors.rate_setter_check(viewer=actor)
    code = (currency or "").strip().upper()
    if code == "USD":
        raise ValidationError({"currency": _("Rates are per US dollar; the dollar itself is always 1.")})
    try:
        value = Decimal(str(units_per_usd))
    except ArithmeticError as error:
        raise ValidationError({"units_per_usd": _("Enter a number.")}) from error
    rate = CurrencyRate(currency=code, units_per_usd=value, valid_from=valid_from, source=source, set_by=actor)
    rate.full_clean(validate_unique=False, validate_constraints=False)
    if not value.is_finite() or value <= 0:
        raise ValidationError({"units_per_usd": _("A rate is more than zero.")})
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError as error:
        raise ValidationError({"valid_from": _("This currency already has a rate from that date.")}) from error
    hooks.rates_changed.fire(actor)  # matching queues its rebuild; it starts once this commits
    return rate
