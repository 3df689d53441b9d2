"""API shapes of the incentive calculator: amounts in PKR, exact decimals as strings in the answer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema


class IncentiveYearIn(Schema):
    revenue: Decimal = Field(..., description="Revenue of the tax year, PKR; not negative.")
    profit: Decimal = Field(..., description="Profit before tax, PKR; a loss is negative.")
    capital_goods_imported: Decimal = Field(..., description="Capital goods imported in the year, PKR.")
    local_purchases: Decimal = Field(..., description="Purchases in Pakistan bearing sales tax, PKR.")
    payroll: Decimal = Field(..., description="Payroll, PKR (shown, not taxed here).")
    property_value: Decimal = Field(..., description="Value of property held, PKR.")


class IncentiveIn(Schema):
    company: str = Field("", max_length=200)
    zone: str = Field("", max_length=100, description="A zone key (GET /api/v1/zones); optional.")
    first_year: int = Field(..., description="The first tax year (tax year N runs 1 July N-1 to 30 June N).")
    stz_licence_year: int = Field(..., description="Tax year of the STZ licence: 10 exempt years from it.")
    sez_production_start: date = Field(..., description="When production starts in the SEZ.")
    discount_rate_percent: Decimal = Field(..., description="Discount rate for the net present value, 0-100.")
    years: list[IncentiveYearIn] = Field(..., max_length=10, description="1 to 10 consecutive tax years.")


class IncentiveRateOut(Schema):
    kind: str
    value: Decimal
    valid_from: date
    basis: str
    legal_source: str
    source_url: str
    note: str


class IncentiveYearOut(Schema):
    year: int = Field(..., description="Tax year.")
    income_tax: str = Field(..., description="PKR, whole rupees (exact decimal as a string).")
    sales_tax: str
    customs_duty: str
    property_tax: str
    income_tax_exempt: bool
    total_pkr: str
    total_cny: str = Field(..., description="CNY at the year's rates, to 0.01.")
    total_usd: str = Field(..., description="USD at the year's rates, to 0.01.")


class IncentiveRegimeOut(Schema):
    years: list[IncentiveYearOut]
    totals: dict[str, str] = Field(..., description="Per tax line (PKR) and per currency (PKR, CNY, USD).")
    npv: dict[str, str] = Field(..., description="Net present value per currency (PKR, CNY, USD).")


class IncentiveRateUsedOut(Schema):
    year: int
    kind: str
    value: str
    valid_from: str
    source: str


class IncentiveResultOut(Schema):
    company: str
    zone: str
    zone_regime: str = Field(..., description="ordinary, stz or sez for the named zone; empty without one.")
    stz_licence_year: int
    sez_production_start: str
    discount_rate_percent: str
    regimes: dict[str, IncentiveRegimeOut] = Field(..., description="Keyed ordinary, stz and sez.")
    rates: list[IncentiveRateUsedOut]
