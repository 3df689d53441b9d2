"""`{% converted_amount %}`: an amount in the reader's currency beside the original, at the dated rates."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from silkbridge.common.rates import Rates
from silkbridge.money import selectors

register = template.Library()


def _request_rates(request: Any) -> Rates:
    # One read of the rate table per request, however many amounts a page shows.
    rates = getattr(request, "_silkbridge_rates", None) if request is not None else None
    if rates is None:
        rates = selectors.current_rates()
        if request is not None:
            request._silkbridge_rates = rates
    return rates


@register.simple_tag(takes_context=True)
def converted_amount(
    context: Any, amount: Any, currency: str, upper: Any = None, already_shown_in: str = ""
) -> SafeString | str:
    """'about 25,357 CNY at the rates of 15 January 2026' after an amount (or a range up to `upper`)
    in another currency than the reader's; nothing when it is already theirs (or the page already shows
    it in the reader's currency, `already_shown_in`) or the rate table does not know the currency."""
    if amount is None and upper is None:
        return ""
    request = context.get("request")
    target = selectors.reader_currency(reader=context.get("user"), language=get_language())
    if (currency or "").upper() == target or (already_shown_in or "").upper() == target:
        return ""
    rates = _request_rates(request)
    low = selectors.amount_converted(amount=amount, currency=currency, target=target, rates=rates)
    high = selectors.amount_converted(amount=upper, currency=currency, target=target, rates=rates)
    if upper is not None and upper == amount:
        high = None
    shown = [figure for figure in (low, high) if figure is not None]
    if not shown:
        return ""
    figures = " – ".join(floatformat(figure.amount, "0g") for figure in shown)
    # The figures and the code are isolated left to right inside the sentence, so that an Urdu sentence
    # neither reverses a range nor wraps inside it.
    # The translated sentence is escaped and its parts are format_html output, so the whole is safe.
    text = mark_safe(
        escape(_("about %(amount)s %(target)s at the rates of %(date)s"))
        % {
            "amount": format_html('<bdi dir="ltr" class="nowrap">{}</bdi>', figures),
            "target": format_html("<bdi>{}</bdi>", target),
            "date": escape(date_filter(shown[0].rates_date, "DATE_FORMAT")),
        }
    )
    return format_html(
        '<small class="meta converted-amount" title="{}" data-rates-date="{}">{}</small>',
        shown[0].rates_source,
        shown[0].rates_date.isoformat(),
        text,
    )
