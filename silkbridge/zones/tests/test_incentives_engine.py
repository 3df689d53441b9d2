"""The incentive engine against cases worked by hand (numbers in the comments, asserted as literals).

Rates used by every case (RATES below): corporate income tax 30 %, sales tax 20 %, customs duty on
capital goods 10 %, property tax 1 % of value, all from 1 July 2020; 1 USD = 250 PKR from 1 July 2020
and 300 PKR from 1 July 2027 (tax year 2028 on), 1 USD = 7 CNY throughout. Discount rate 10 %.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from silkbridge.zones.engine.incentives import (
    DatedRate,
    IncentiveError,
    RateBook,
    calculation_to_dict,
    incentive_document_read,
    incentives_calculate,
    projection_from_document,
)

FROM_2020 = date(2020, 7, 1)
RATES = RateBook(
    rates=(
        DatedRate("corporate_income_tax", Decimal("30"), FROM_2020, "test"),
        DatedRate("sales_tax", Decimal("20"), FROM_2020, "test"),
        DatedRate("customs_duty_capital_goods", Decimal("10"), FROM_2020, "test"),
        DatedRate("property_tax", Decimal("1"), FROM_2020, "test"),
        DatedRate("pkr_per_usd", Decimal("250"), FROM_2020, "test"),
        DatedRate("pkr_per_usd", Decimal("300"), date(2027, 7, 1), "test"),
        DatedRate("cny_per_usd", Decimal("7"), FROM_2020, "test"),
    )
)


def year(profit: int, *, capital: int = 0, purchases: int = 0, prop: int = 0, revenue: int = 1_000_000) -> dict:
    return {
        "revenue": revenue,
        "profit": profit,
        "capital_goods_imported": capital,
        "local_purchases": purchases,
        "payroll": 50_000,
        "property_value": prop,
    }


def calculate(years: list[dict], *, licence: int = 2026, production: str = "2026-09-01", first: int = 2026):
    document = {
        "first_year": first,
        "stz_licence_year": licence,
        "sez_production_start": production,
        "discount_rate_percent": 10,
        "years": years,
    }
    return incentives_calculate(projection_from_document(document), RATES)


LOSS_COMPANY = [
    year(-200_000, purchases=100_000, prop=1_000_000),
    year(500_000, purchases=100_000, prop=1_000_000),
    year(300_000, purchases=100_000, prop=1_000_000),
]


def totals(result) -> list[tuple[int, Decimal, Decimal, Decimal]]:
    return [(y.year, y.total_pkr, y.total_usd, y.total_cny) for y in result.years]


def test_ordinary_regime_loss_year_carried_forward_and_currency_change():
    """2026: loss 200,000 carried; sales tax 100,000 x 20 % = 20,000; property 1,000,000 x 1 % = 10,000;
    total 30,000 PKR = 30,000/250 = 120.00 USD = 30,000 x 7/250 = 840.00 CNY.
    2027: taxable 500,000 - 200,000 = 300,000, tax 90,000; + 20,000 + 10,000 = 120,000 PKR = 480.00 USD =
    3,360.00 CNY. 2028 (1 USD = 300 PKR): taxable 300,000, tax 90,000; total 120,000 PKR = 400.00 USD =
    120,000 x 7/300 = 2,800.00 CNY. NPV PKR = 30,000/1.1 + 120,000/1.21 + 120,000/1.331
    = 27,272.73 + 99,173.55 + 90,157.78 = 216,604.06 -> 216,604; USD 109.0909 + 396.6942 + 300.5259 =
    806.31; CNY 763.6364 + 2,776.8595 + 2,103.6814 = 5,644.18."""
    ordinary = calculate(LOSS_COMPANY).regimes["ordinary"]
    assert [y.lines["income_tax"] for y in ordinary.years] == [0, 90_000, 90_000]
    assert totals(ordinary) == [
        (2026, 30_000, Decimal("120.00"), Decimal("840.00")),
        (2027, 120_000, Decimal("480.00"), Decimal("3360.00")),
        (2028, 120_000, Decimal("400.00"), Decimal("2800.00")),
    ]
    assert ordinary.totals["PKR"] == 270_000
    assert ordinary.totals["USD"] == Decimal("1000.00")
    assert ordinary.totals["CNY"] == Decimal("7000.00")
    assert ordinary.npv == {"PKR": Decimal("216604"), "USD": Decimal("806.31"), "CNY": Decimal("5644.18")}


def test_stz_loss_year_before_licence_is_set_off_then_everything_exempt():
    """Licence in 2028: 2026 and 2027 as ordinary (30,000 and 120,000, the 2026 loss set off in 2027);
    2028 exempt from income, sales, customs and property tax: 0. Totals 150,000 PKR, 600.00 USD,
    4,200.00 CNY. NPV PKR = 27,272.73 + 99,173.55 = 126,446.28 -> 126,446."""
    stz = calculate(LOSS_COMPANY, licence=2028).regimes["stz"]
    assert totals(stz) == [
        (2026, 30_000, Decimal("120.00"), Decimal("840.00")),
        (2027, 120_000, Decimal("480.00"), Decimal("3360.00")),
        (2028, 0, Decimal("0.00"), Decimal("0.00")),
    ]
    assert [stz.years[2].lines[line] for line in ("income_tax", "sales_tax", "customs_duty", "property_tax")] == [0] * 4
    assert stz.totals["PKR"] == 150_000
    assert stz.totals["USD"] == Decimal("600.00")
    assert stz.totals["CNY"] == Decimal("4200.00")
    assert stz.npv["PKR"] == 126_446


def test_sez_loss_year_then_five_year_holiday_keeps_sales_and_property_tax():
    """Production from 1 Sep 2026 = tax year 2027 (after June 2020: 5-year holiday 2027-2031).
    2026: loss carried, 20,000 + 10,000 = 30,000. 2027 and 2028: income tax 0 (the carried loss is not
    used), sales tax 20,000 and property tax 10,000 stay: 30,000 each. Total 90,000 PKR;
    USD 120.00 + 120.00 + 100.00 = 340.00; CNY 840.00 + 840.00 + 700.00 = 2,380.00."""
    sez = calculate(LOSS_COMPANY, production="2026-09-01").regimes["sez"]
    assert totals(sez) == [
        (2026, 30_000, Decimal("120.00"), Decimal("840.00")),
        (2027, 30_000, Decimal("120.00"), Decimal("840.00")),
        (2028, 30_000, Decimal("100.00"), Decimal("700.00")),
    ]
    assert [y.income_tax_exempt for y in sez.years] == [False, True, True]
    assert sez.totals["CNY"] == Decimal("2380.00")


LARGE_IMPORTS = [year(0, capital=50_000_000), year(0, capital=10_000_000)]


def test_large_capital_imports_under_each_regime():
    """Customs duty 10 %: ordinary 5,000,000 (2026) + 1,000,000 (2027) = 6,000,000 PKR = 24,000.00 USD.
    STZ licensed in 2027: 2026 pays 5,000,000, 2027 is exempt: 5,000,000. SEZ with production from
    1 Mar 2027 (tax year 2027): capital goods up to and including 2027 are exempt (one-time
    exemption for setting up): 0."""
    result = calculate(LARGE_IMPORTS, licence=2027, production="2027-03-01")
    assert [y.lines["customs_duty"] for y in result.regimes["ordinary"].years] == [5_000_000, 1_000_000]
    assert result.regimes["ordinary"].totals["PKR"] == 6_000_000
    assert result.regimes["ordinary"].totals["USD"] == Decimal("24000.00")
    assert [y.lines["customs_duty"] for y in result.regimes["stz"].years] == [5_000_000, 0]
    assert result.regimes["sez"].totals["PKR"] == 0


def test_sez_capital_imports_after_production_year_pay_duty():
    """Production from 1 Oct 2019 (tax year 2020): the one-time exemption is spent; 2026 and 2027 pay
    5,000,000 and 1,000,000 like the ordinary regime."""
    sez = calculate(LARGE_IMPORTS, production="2019-10-01").regimes["sez"]
    assert [y.lines["customs_duty"] for y in sez.years] == [5_000_000, 1_000_000]


@pytest.mark.parametrize(("production", "income_tax"), [("2020-06-30", 0), ("2020-07-01", 300_000)])
def test_sez_ten_year_holiday_only_for_production_by_june_2020(production, income_tax):
    """By 30 June 2020: tax year 2020, 10 years (2020-2029), 2026 exempt. From 1 July 2020: tax year
    2021, 5 years (2021-2025), 2026 taxed: 1,000,000 x 30 % = 300,000."""
    sez = calculate([year(1_000_000)], production=production).regimes["sez"]
    assert sez.years[0].lines["income_tax"] == income_tax


@pytest.mark.parametrize(("last_year", "income_tax"), [(2032, 0), (2033, 30_000)])
def test_loss_carried_forward_six_years_then_lapses(last_year, income_tax):
    """A 100,000 loss of 2026 is set off against 100,000 profit in 2032 (6 years later): tax 0; in 2033
    (7 years later) it has lapsed: 100,000 x 30 % = 30,000."""
    years = [year(-100_000)] + [year(0)] * (last_year - 2027) + [year(100_000)]
    ordinary = calculate(years).regimes["ordinary"]
    assert ordinary.years[-1].year == last_year
    assert ordinary.years[-1].lines["income_tax"] == income_tax


def test_negative_revenue_is_refused_naming_the_field():
    with pytest.raises(IncentiveError) as caught:
        calculate([year(0), year(0, revenue=-1)])
    assert caught.value.field == "years[1].revenue"
    assert str(caught.value) == "years[1].revenue: must not be negative"


def test_missing_rate_names_the_rate_and_the_year():
    rates = RateBook(rates=tuple(rate for rate in RATES.rates if rate.kind != "property_tax"))
    projection = projection_from_document(
        {
            "first_year": 2026,
            "stz_licence_year": 2026,
            "sez_production_start": "2026-01-01",
            "discount_rate_percent": 5,
            "years": [year(0)],
        }
    )
    with pytest.raises(IncentiveError) as caught:
        incentives_calculate(projection, rates)
    assert str(caught.value) == (
        "rates.property_tax: no property_tax rate is dated on or before 2025-07-01 (the start of tax year 2026)"
    )


def test_rate_dated_after_the_start_of_a_year_does_not_apply_to_it():
    """The 300 PKR rate from 1 July 2027 applies to tax year 2028, not 2027."""
    assert RATES.rate("pkr_per_usd", 2027).value == 250
    assert RATES.rate("pkr_per_usd", 2028).value == 300


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 7 + "]" * 7, "the document is nested deeper than 6 levels"),
        ('{"a": 1, "a": 2}', "a: the key “a” appears twice"),
        ("x" * 64_001, "the document is larger than 64000 bytes"),
        ("{", "the document is not valid JSON (line 1, column 2): Expecting property name enclosed in double quotes"),
    ],
)
def test_hostile_documents_refused_before_use(text, message):
    with pytest.raises(IncentiveError) as caught:
        incentive_document_read(text)
    assert str(caught.value) == message


def test_unknown_field_and_bad_date_named():
    with pytest.raises(IncentiveError, match=r"^years\[0\]\.revenu: unknown field “revenu”$"):
        projection_from_document(
            {
                "first_year": 2026,
                "stz_licence_year": 2026,
                "sez_production_start": "2026-01-01",
                "discount_rate_percent": 5,
                "years": [{"revenu": 1}],
            }
        )
    with pytest.raises(IncentiveError, match=r"^sez_production_start: must be a date written YYYY-MM-DD$"):
        projection_from_document(
            {
                "first_year": 2026,
                "stz_licence_year": 2026,
                "sez_production_start": "June",
                "discount_rate_percent": 5,
                "years": [year(0)],
            }
        )


def test_json_output_keeps_exact_money_as_strings():
    data = calculation_to_dict(calculate(LOSS_COMPANY))
    assert data["regimes"]["ordinary"]["totals"]["USD"] == "1000.00"
    assert data["regimes"]["ordinary"]["years"][1]["income_tax"] == "90000"
    assert {"year": 2028, "kind": "pkr_per_usd", "value": "300", "valid_from": "2027-07-01", "source": "test"} in data[
        "rates"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"company": 5}, "company: must be text"),
        ({"company": "x" * 201}, "company: must be at most 200 characters"),
        ({"discount_rate_percent": 101}, "discount_rate_percent: must be between 0 and 100"),
        ({"first_year": 2026.5}, "first_year: must be a whole number"),
        ({"years": []}, "years: must be a list of 1 to 10 years"),
        ({"stz_licence_year": None}, "stz_licence_year: is required"),
    ],
)
def test_bad_top_level_fields_are_named(change, message):
    document = {
        "first_year": 2026,
        "stz_licence_year": 2026,
        "sez_production_start": "2026-01-01",
        "discount_rate_percent": 5,
        "years": [year(0)],
    }
    with pytest.raises(IncentiveError) as caught:
        projection_from_document({**document, **change})
    assert str(caught.value) == message
