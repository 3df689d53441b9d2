"""Reads of the currency rates: the table in use on a date, and the history staff have set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.common.rates import DEFAULT_RATES, Rates, UnknownCurrencyError
from silkbridge.money.models import CurrencyRate


def current_rates(*, on: date | None = None) -> Rates:
    """The newest staff-set rate of each currency from `on` or before, over the built-in indicative table."""
    on = on or timezone.localdate()
    per_usd = dict(DEFAULT_RATES.per_usd)
    latest: date | None = None
    seen: set[str] = set()
    for rate in CurrencyRate.objects.filter(valid_from__lte=on).order_by("currency", "-valid_from"):
        if rate.currency in seen:
            continue
        seen.add(rate.currency)
        per_usd[rate.currency] = float(rate.units_per_usd)
        latest = max(latest or rate.valid_from, rate.valid_from)
    if latest is None:
        return DEFAULT_RATES
    per_usd["USD"] = 1.0
    source = _("Rates set by staff (newest from %(date)s), the built-in indicative table for the rest") % {
        "date": latest.isoformat()
    }
    return Rates(as_of=latest, source=source, per_usd=per_usd)


def currency_rate_history(*, limit: int = 1000) -> QuerySet[CurrencyRate]:
    """Every rate staff have set, newest first per currency (the admin page and API show it)."""
    return CurrencyRate.objects.select_related("set_by")[:limit]


def rate_setter_check(*, viewer: Any) -> None:
    """PermissionDenied unless the viewer may set currency rates (staff): the rates page and the API's
    POST share it, and so does `currency_rate_set`."""
    if not getattr(viewer, "is_staff", False):
        raise PermissionDenied(_("Only staff may do this."))


# The currency a reader who has not chosen one thinks in, from the language they read: a Chinese reader
# in renminbi, an Urdu reader in rupees, anyone else in US dollars (the currency of the rate table).
LANGUAGE_CURRENCIES = {"zh-hans": "CNY", "ur": "PKR", "en": "USD"}


def reader_currency(*, reader: Any, language: str | None) -> str:
    """The currency amounts are converted into for this reader: the one chosen in their preferences,
    else the currency of the language they read in."""
    if getattr(reader, "is_authenticated", False) and getattr(reader, "currency", ""):
        return str(reader.currency)
    return LANGUAGE_CURRENCIES.get((language or "").lower(), "USD")


@dataclass(frozen=True)
class ConvertedAmount:
    """An amount in the reader's currency, with the date and source of the rates that made it."""

    amount: Decimal
    currency: str
    rates_date: date
    rates_source: str


def amount_converted(*, amount: Any, currency: str, target: str, rates: Rates) -> ConvertedAmount | None:
    """`amount` in `currency` converted into `target`, or None when there is nothing to convert: no
    amount, the same currency, or a currency the rate table does not know (the original is shown alone)."""
    code, target_code = (currency or "").upper(), (target or "").upper()
    if amount is None or not code or not target_code or code == target_code:
        return None
    try:
        value = rates.convert(float(amount), code, target_code)
    except (UnknownCurrencyError, TypeError, ValueError):
        return None
    return ConvertedAmount(
        amount=Decimal(str(round(value))), currency=target_code, rates_date=rates.as_of, rates_source=rates.source
    )
