"""The incentive calculator page and API: hand-worked figures shown, refusals named, nothing stored."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.core.models import UsageWindow
from silkbridge.zones.incentives_models import IncentiveRate, IncentiveRateChange
from silkbridge.zones.incentives_services import incentive_pdf_charge

pytestmark = pytest.mark.django_db

URL = reverse("zones:incentive_calculator")
API = "/api/v1/incentives/calculate"
FORM = {
    "company": "Example (fictional)",
    "zone": "",
    "first_year": "2027",
    "stz_licence_year": "2027",
    "sez_production_start": "2026-09-01",
    "discount_rate_percent": "10",
    "year_0_revenue": "10000000",
    "year_0_profit": "1000000",
    "year_0_capital_goods_imported": "2000000",
    "year_0_local_purchases": "1000000",
    "year_0_payroll": "3000000",
    "year_0_property_value": "4000000",
}


def test_page_says_indicative_and_shows_the_rates_with_sources(client):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indicative figures, not tax advice." in page
    assert "Income Tax Ordinance 2001, First Schedule, Part I, Division II" in page


def test_page_shows_the_hand_worked_year(client):
    """Same case as test_incentives_services: ordinary 550,000 PKR = 13,946.43 CNY = 1,964.29 USD; NPV
    at 10 %: 550,000/1.1 = 500,000 PKR."""
    response = client.post(URL, FORM)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>550,000</td><td>13,946.43</td><td>1,964.29</td>" in page
    assert "<td>500,000</td>" in page
    assert '<th scope="row">2027' in page  # a tax year is not an amount: not grouped


@pytest.mark.parametrize("language", ["zh-hans", "ur"])
def test_page_groups_the_amounts_in_chinese_and_urdu(client, language):
    """Review finding: the table showed 550000; Django's zh-hans format groups by 4 with no separator and
    Urdu has none, so the amounts are grouped the same way in every language."""
    client.cookies["django_language"] = language
    response = client.post(URL, FORM, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>550,000</td><td>13,946.43</td><td>1,964.29</td>" in page
    assert "<td>500,000</td>" in page


def test_page_shows_negative_revenue_beside_its_field_in_chinese(client):
    client.cookies["django_language"] = "zh-hans"
    response = client.post(URL, {**FORM, "year_0_revenue": "-1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    assert response.context["form"].errors["year_0_revenue"] == ["不得为负数"]


def test_page_names_a_missing_rate_above_the_form(client):
    IncentiveRate.objects.filter(kind="property_tax").delete()
    response = client.post(URL, FORM)
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "Rates: no rate “property_tax” is dated on or before 2026-07-01 (the start of tax year 2027)"
    ]


def test_api_calculates_and_refuses_unknown_zone_storing_nothing(client):
    document = {
        "first_year": 2027,
        "stz_licence_year": 2030,
        "sez_production_start": "2026-09-01",
        "discount_rate_percent": 10,
        "years": [
            {
                "revenue": 10_000_000,
                "profit": 1_000_000,
                "capital_goods_imported": 2_000_000,
                "local_purchases": 1_000_000,
                "payroll": 3_000_000,
                "property_value": 4_000_000,
            }
        ],
    }
    response = client.post(API, json.dumps(document), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["regimes"]["stz"]["totals"]["PKR"] == "550000"  # licence in 2030: not yet exempt
    before = (IncentiveRate.objects.count(), IncentiveRateChange.objects.count())
    response = client.post(API, json.dumps({**document, "zone": "atlantis"}), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.zone", "message": "Zone: no zone has the key “atlantis”"}]
    assert (IncentiveRate.objects.count(), IncentiveRateChange.objects.count()) == before


def test_api_lists_rates_with_basis(client):
    rates = client.get("/api/v1/incentives/rates").json()
    assert {
        (rate["kind"], rate["basis"]) for rate in rates if rate["kind"] in ("corporate_income_tax", "property_tax")
    } == {("corporate_income_tax", "statute"), ("property_tax", "assumption")}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Indicative figures, not tax advice."), ("zh-hans", "数字仅供参考"), ("ur", "ٹیکس")],
)
def test_pdf_in_three_languages_shows_the_hand_worked_total(client, language, expected):
    from io import BytesIO

    from pypdf import PdfReader

    user = UserFactory()
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.post(URL, {**FORM, "format": "pdf"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Type"] == "application/pdf"
    window = UsageWindow.objects.get(user=user, resource="zones.incentive_pdf")
    assert (window.runs, window.units) == (1, 1)  # one PDF of one tax year, charged to the reader
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "550,000" in text
    assert "1,964.29" in text
    assert expected in text  # Urdu: joined glyphs extract poorly, so one short word stands for the language


def test_api_names_negative_revenue_and_a_missing_rate(client):
    year = {
        "revenue": -1,
        "profit": 0,
        "capital_goods_imported": 0,
        "local_purchases": 0,
        "payroll": 0,
        "property_value": 0,
    }
    document = {
        "first_year": 2027,
        "stz_licence_year": 2027,
        "sez_production_start": "2026-09-01",
        "discount_rate_percent": 10,
        "years": [year],
    }
    response = client.post(API, json.dumps(document), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.years[0].revenue", "message": "Year 1: Revenue: must not be negative"}
    ]
    document = {**document, "first_year": 2026, "years": [{**year, "revenue": 0}]}
    response = client.post(API, json.dumps(document), content_type="application/json")
    assert response.json()["errors"] == [
        {
            "field": "body.rates.pkr_per_usd",
            "message": "Rates: no rate “pkr_per_usd” is dated on or before 2025-07-01 (the start of tax year 2026)",
        }
    ]


def test_pdf_asks_an_anonymous_visitor_to_sign_in_and_renders_nothing(client):
    """Rendering a PDF is costly (WeasyPrint in the request): only a signed-in user, on a budget, gets one."""
    response = client.post(URL, {**FORM, "format": "pdf"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"
    assert UsageWindow.objects.count() == 0
    assert client.post(URL, FORM).status_code == 200  # the calculation on the page stays public


def test_pdf_beyond_the_hourly_budget_is_refused_on_the_page_in_chinese(client, settings):
    settings.INCENTIVE_PDFS_PER_HOUR = 1
    user = UserFactory()
    incentive_pdf_charge(actor=user, years=1)  # this hour's one PDF is spent
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(URL, {**FORM, "format": "pdf"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    [message] = response.context["form"].non_field_errors()
    assert message.startswith(
        "已达到每小时上限：每位用户每小时最多运行 1 次PDF 报告，合计 10 纳税年度。"
        "本小时您已使用 1 次PDF 报告和 1 纳税年度，本次请求需要 1。"
    )
    assert message in response.content.decode()
    window = UsageWindow.objects.get(user=user, resource="zones.incentive_pdf")
    assert (window.runs, window.units) == (1, 1)  # the refusal charged nothing


def _api_document() -> dict:
    year = {
        "revenue": 10_000_000,
        "profit": 1_000_000,
        "capital_goods_imported": 2_000_000,
        "local_purchases": 1_000_000,
        "payroll": 3_000_000,
        "property_value": 4_000_000,
    }
    return {
        "first_year": 2027,
        "stz_licence_year": 2027,
        "sez_production_start": "2026-09-01",
        "discount_rate_percent": 10,
        "years": [year],
    }


def test_api_refuses_a_body_over_64000_bytes_before_parsing_it(client):
    """docs/incentives.md: the command and the API read at most 64,000 bytes (the API read any size)."""
    text = json.dumps(_api_document())
    fits = text + " " * (64_000 - len(text))
    assert client.post(API, fits, content_type="application/json").status_code == 200
    response = client.post(API, fits + " ", content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "message": "The request body is too large.",
        "errors": [{"field": "body", "message": "the document is larger than 64000 bytes"}],
    }


def test_api_refuses_nesting_deeper_than_6_levels_in_urdu(client):
    document = _api_document()
    document["company"] = [[[[[["deep"]]]]]]  # 7 levels with the document itself
    response = client.post(API, json.dumps(document), content_type="application/json", HTTP_ACCEPT_LANGUAGE="ur")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body", "message": "دستاویز 6 درجوں سے زیادہ گہری ہے"}]


@pytest.mark.parametrize("language", ["en", "zh-hans", "ur"])
def test_the_zone_pages_lead_to_the_calculator_in_the_readers_language(client, language):
    from silkbridge.zones.models import Zone

    label = {"en": "Incentive calculator", "zh-hans": "优惠政策计算器", "ur": "مراعات کیلکولیٹر"}[language]
    zone = Zone.objects.order_by("key").first()
    assert zone is not None
    for page in (reverse("zones:zone_list"), reverse("zones:zone_detail", args=[zone.key])):
        html = client.get(page, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'href="{URL}">{label}</a>' in html
