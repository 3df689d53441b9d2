"""Amounts on a profile in the reader's currency: converted at the dated rates beside the original."""

from __future__ import annotations

import re
from datetime import date

import pytest

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from silkbridge.marketplace.tests.factories import XRAY_REQUEST_EN, published
from silkbridge.money.services import currency_rate_set

pytestmark = pytest.mark.django_db

REQUEST_IN_RUPEES = {**XRAY_REQUEST_EN, "amount_min": 28_000_000, "amount_max": 56_000_000, "currency": "PKR"}


def _rates_of_10_january() -> None:
    staff = StaffFactory()
    for currency, units_per_usd in (("PKR", "280.000000"), ("CNY", "7.200000")):
        currency_rate_set(
            actor=staff,
            currency=currency,
            units_per_usd=units_per_usd,
            valid_from=date(2026, 1, 10),
            source="Test rates, not real",
        )


def _page(client, reader, opportunity) -> str:
    client.login(email=reader.email, password=PASSWORD)
    response = client.get(f"/marketplace/{opportunity.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _text(page: str) -> str:
    """The page as read: tags (the figures' direction isolates) left out."""
    return re.sub(r"<[^>]+>", "", page)


def test_a_chinese_reader_sees_a_rupee_request_also_in_renminbi_at_the_stored_rate(client):
    _rates_of_10_january()
    opportunity = published(**REQUEST_IN_RUPEES)
    page = _page(client, UserFactory(language="zh-hans"), opportunity)
    # 28,000,000 PKR / 280 per dollar * 7.2 per dollar = 720,000 CNY; 56,000,000 PKR = 1,440,000 CNY.
    assert "28,000,000 – 56,000,000 PKR" in page
    assert "按 2026年1月10日 的汇率约合 720,000 – 1,440,000 CNY" in _text(page)
    assert 'data-rates-date="2026-01-10"' in page


def test_the_chosen_currency_wins_over_the_language(client):
    _rates_of_10_january()
    opportunity = published(**REQUEST_IN_RUPEES)
    page = _page(client, UserFactory(language="en", currency="CNY"), opportunity)
    assert "about 720,000 – 1,440,000 CNY at the rates of" in _text(page)


def test_no_conversion_when_the_amount_is_already_in_the_readers_currency(client):
    _rates_of_10_january()
    opportunity = published(**REQUEST_IN_RUPEES)
    page = _page(client, UserFactory(language="ur"), opportunity)
    assert "PKR" in page
    assert "converted-amount" not in page


def test_a_reader_chooses_the_currency_in_the_preferences(client):
    reader = UserFactory(language="en")
    client.login(email=reader.email, password=PASSWORD)
    data = {"full_name": "", "language": "en", "time_zone": "Asia/Karachi", "currency": "CNY"}
    assert client.post("/accounts/preferences/", data).status_code == 302
    reader.refresh_from_db()
    assert reader.currency == "CNY"
    response = client.post("/accounts/preferences/", {**data, "currency": "XXX"})
    assert 'id="id_currency_error"' in response.content.decode()
    reader.refresh_from_db()
    assert reader.currency == "CNY"
