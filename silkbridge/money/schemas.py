"""Shapes of the currency-rate API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema


class RateIn(Schema):
    currency: str = Field(..., min_length=3, max_length=3, description="ISO 4217 code.")
    units_per_usd: Decimal = Field(..., gt=0, max_digits=20, decimal_places=6)
    valid_from: date
    source: str = Field("", max_length=300)


class RateOut(Schema):
    id: int
    currency: str
    units_per_usd: Decimal
    valid_from: date
    source: str


class RatesInUseOut(Schema):
    as_of: date
    source: str
    per_usd: dict[str, float]
