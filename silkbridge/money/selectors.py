"""Reads of the currency rates: the table in use on a date, and the history staff have set."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.common.rates import DEFAULT_RATES, Rates
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
