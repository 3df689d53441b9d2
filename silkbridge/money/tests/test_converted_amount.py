"""`{% converted_amount %}` and the reader's currency: what a reader sees beside an amount."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from silkbridge.common.rates import Rates
from silkbridge.money import selectors

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load money %}[{% converted_amount amount currency %}]")


def _render(*, amount, currency, language, rates=None, user=None):
    request = RequestFactory().get("/")
    if rates is not None:
        request._silkbridge_rates = rates
    with translation.override(language):
        return TEMPLATE.render(
            Context({"request": request, "user": user or AnonymousUser(), "amount": amount, "currency": currency})
        )


def test_the_readers_currency_follows_the_language_unless_chosen():
    assert selectors.reader_currency(reader=AnonymousUser(), language="zh-hans") == "CNY"
    assert selectors.reader_currency(reader=AnonymousUser(), language="ur") == "PKR"
    assert selectors.reader_currency(reader=AnonymousUser(), language="en") == "USD"


def test_a_currency_the_rate_table_does_not_know_shows_nothing_more_and_does_not_fail():
    assert _render(amount=1_000_000, currency="KZT", language="zh-hans") == "[]"
    rates_without_renminbi = Rates(as_of=date(2026, 1, 15), source="test", per_usd={"USD": 1.0, "PKR": 280.0})
    assert _render(amount=1_000_000, currency="PKR", language="zh-hans", rates=rates_without_renminbi) == "[]"


def test_an_amount_in_the_readers_currency_or_none_shows_nothing_more():
    assert _render(amount=1_000_000, currency="CNY", language="zh-hans") == "[]"
    assert _render(amount=None, currency="PKR", language="zh-hans") == "[]"


def test_the_built_in_table_converts_and_says_its_date_in_the_readers_format():
    shown = _render(amount=2_800_000, currency="PKR", language="zh-hans")
    # 2,800,000 PKR / 280 per dollar * 7.10 per dollar (the indicative table of 15 January 2026) = 71,000 CNY.
    assert '按 2026年1月15日 的汇率约合 <bdi dir="ltr" class="nowrap">71,000</bdi> <bdi>CNY</bdi>' in shown
    assert 'data-rates-date="2026-01-15"' in shown
    assert "SBP / PBoC / ECB" in shown  # the source of the rates, on hover


def test_in_urdu_the_converted_range_is_isolated_left_to_right_so_it_is_neither_reversed_nor_wrapped():
    shown = _render(amount=2_800_000, currency="CNY", language="ur")
    assert '<bdi dir="ltr" class="nowrap">' in shown
    assert "<bdi>PKR</bdi>" in shown
