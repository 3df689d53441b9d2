"""Taxes and duties a company owes over up to 10 tax years outside a zone, in an STZ and in a CPEC SEZ.

Plain Python, no Django: the zones app loads the dated rates and the input, this module computes.
Figures are indicative, not tax advice. The rules, exactly as implemented:

Years. Every year is a Pakistani tax year (Income Tax Ordinance 2001 s.74: tax year N runs from
1 July N-1 to 30 June N). All amounts in the input are PKR for that tax year.

Rates. Each rate is dated (`valid_from`). The rate used for tax year N is the newest one whose
`valid_from` is on or before 1 July N-1 (the first day of the tax year): a rate stays in force until
a newer one is dated. No such rate is an error naming the rate and the year, never a default.
Percent rates are stored as percent (29 means 29 %); exchange rates as units per US dollar.

Ordinary regime, per tax year:
- income tax = taxable income x corporate income tax rate, where taxable income is the year's
  profit less losses brought forward, never below 0. Loss carry-forward (ITO 2001 s.57): a year's
  loss is carried forward to at most the six tax years that follow it and set off against later
  profit, oldest loss first; what is left after six years lapses. Minimum/turnover tax (s.113), super
  tax (s.4C) and withholding regimes are not modelled.
- sales tax = local purchases x sales tax rate (the sales tax the company bears on what it buys in
  Pakistan, treated as a cost; input-tax adjustment is not modelled).
- customs duty = capital goods imported x customs duty rate on capital goods.
- property tax = property value x property tax rate (an effective annual rate on the value).
- payroll is shown but bears no tax here (no zone incentive concerns it).
STZ (STZA Act 2021 cl. 21): in the ten tax years from the licence year (licence year .. +9) income
tax, sales tax, customs duty on capital goods and property tax are 0; other years as ordinary.
During an exempt year the year's profit or loss is outside the income-tax base: a loss is not carried
forward and earlier losses are not set off (they still age and lapse).
CPEC SEZ (SEZ Act 2012): production starts on `sez_production_start`; its tax year P. Income tax is
0 for 10 tax years from P if production began by 30 June 2020, else for 5 (same loss rule as above).
Customs duty on capital goods is 0 (the one-time exemption for setting up) in tax years up to and
including P; sales tax and property tax are ordinary.

Rounding (ROUND_HALF_UP): every tax line to the whole rupee; a year's total is the sum of its
rounded lines; a year's USD figure = PKR total / PKR per USD, its CNY figure = PKR total x CNY per USD
/ PKR per USD, each to 0.01 at that year's rates; totals are sums of the rounded yearly figures; the
net present value = sum over years t = 1..n of yearly figure / (1 + r)^t (end-of-year discounting),
computed unrounded and rounded once at the end (PKR to the rupee, CNY/USD to 0.01).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

MAX_DOCUMENT_BYTES = 64_000
MAX_DEPTH = 6
MAX_YEARS = 10
MAX_AMOUNT = Decimal("1000000000000000")  # 10^15 PKR: far above any company's projection
CARRY_FORWARD_YEARS = 6  # ITO 2001 s.57(3)
STZ_EXEMPT_YEARS = 10  # STZA Act 2021 cl. 21
SEZ_LONG_HOLIDAY_YEARS = 10  # SEZ Act 2012: production by 30 June 2020
SEZ_SHORT_HOLIDAY_YEARS = 5
SEZ_LONG_HOLIDAY_DEADLINE = date(2020, 6, 30)

RATE_KINDS = (
    "corporate_income_tax",
    "sales_tax",
    "customs_duty_capital_goods",
    "property_tax",
    "pkr_per_usd",
    "cny_per_usd",
)
REGIMES = ("ordinary", "stz", "sez")
AMOUNT_FIELDS = ("revenue", "profit", "capital_goods_imported", "local_purchases", "payroll", "property_value")
TOP_FIELDS = (
    "company",
    "zone",
    "first_year",
    "stz_licence_year",
    "sez_production_start",
    "discount_rate_percent",
    "years",
)
LINES = ("income_tax", "sales_tax", "customs_duty", "property_tax")
RUPEE = Decimal("1")
CENT = Decimal("0.01")

MESSAGES = {
    "too_large": "the document is larger than {limit} bytes",
    "too_deep": "the document is nested deeper than {limit} levels",
    "syntax": "the document is not valid JSON (line {line}, column {column}): {problem}",
    "duplicate_key": "the key “{key}” appears twice",
    "not_object": "must be an object",
    "unknown_key": "unknown field “{key}”",
    "required": "is required",
    "not_number": "must be a number",
    "not_integer": "must be a whole number",
    "negative": "must not be negative",
    "out_of_range": "must be between {low} and {high}",
    "not_date": "must be a date written YYYY-MM-DD",
    "not_list": "must be a list of 1 to {limit} years",
    "too_long": "must be at most {limit} characters",
    "not_text": "must be text",
    "missing_rate": "no {rate} rate is dated on or before {start} (the start of tax year {year})",
    "unknown_zone": "no zone has the key “{key}”",
}


class IncentiveError(ValueError):
    """Bad input or a missing rate: names the field (a path such as `years[2].revenue`) and the reason."""

    def __init__(self, field_name: str, code: str, **params: Any) -> None:
        self.field = field_name
        self.code = code
        self.params = params
        super().__init__(
            f"{field_name}: {MESSAGES[code].format(**params)}" if field_name else MESSAGES[code].format(**params)
        )


@dataclass(frozen=True)
class YearProjection:
    year: int
    revenue: Decimal
    profit: Decimal
    capital_goods_imported: Decimal
    local_purchases: Decimal
    payroll: Decimal
    property_value: Decimal


@dataclass(frozen=True)
class Projection:
    years: tuple[YearProjection, ...]
    stz_licence_year: int
    sez_production_start: date
    discount_rate_percent: Decimal
    company: str = ""
    zone: str = ""


@dataclass(frozen=True)
class DatedRate:
    kind: str
    value: Decimal
    valid_from: date
    source: str


@dataclass(frozen=True)
class RateBook:
    """Every dated rate the calculator may use; `rate(kind, year)` picks the one in force."""

    rates: tuple[DatedRate, ...]

    def rate(self, kind: str, year: int) -> DatedRate:
        start = tax_year_start(year)
        candidates = [rate for rate in self.rates if rate.kind == kind and rate.valid_from <= start]
        if not candidates:
            raise IncentiveError(f"rates.{kind}", "missing_rate", rate=kind, start=start.isoformat(), year=year)
        return max(candidates, key=lambda rate: rate.valid_from)


@dataclass
class YearResult:
    year: int
    lines: dict[str, Decimal]
    total_pkr: Decimal
    total_cny: Decimal
    total_usd: Decimal
    income_tax_exempt: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class RegimeResult:
    regime: str
    years: list[YearResult]
    totals: dict[str, Decimal]
    npv: dict[str, Decimal]


@dataclass
class Calculation:
    projection: Projection
    regimes: dict[str, RegimeResult]
    rates_used: dict[int, dict[str, DatedRate]]


def tax_year_start(year: int) -> date:
    return date(year - 1, 7, 1)


def tax_year_of(day: date) -> int:
    return day.year + 1 if day.month >= 7 else day.year


# --- reading the input ---------------------------------------------------------------------------


def _depth_exceeds(text: str, limit: int) -> bool:
    """Bracket depth outside JSON strings, in one pass before any parser runs."""
    depth = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            if depth > limit:
                return True
        elif character in "]}":
            depth -= 1
    return False


def incentive_document_check(text: str) -> None:
    """Refuse a document over MAX_DOCUMENT_BYTES or nested deeper than MAX_DEPTH, without parsing it
    (the command and the API both call this before any parser sees the text)."""
    if len(text.encode("utf-8", errors="replace")) > MAX_DOCUMENT_BYTES:
        raise IncentiveError("", "too_large", limit=MAX_DOCUMENT_BYTES)
    if _depth_exceeds(text, MAX_DEPTH):
        raise IncentiveError("", "too_deep", limit=MAX_DEPTH)


def incentive_document_read(text: str) -> dict[str, Any]:
    """The input document, checked for size and depth before it is parsed; refuses duplicate keys."""
    incentive_document_check(text)

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise IncentiveError(key, "duplicate_key", key=key)
            result[key] = value
        return result

    try:
        document = json.loads(text, object_pairs_hook=unique, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as error:
        raise IncentiveError("", "syntax", line=error.lineno, column=error.colno, problem=error.msg) from None
    if not isinstance(document, dict):
        raise IncentiveError("", "not_object")
    return document


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise IncentiveError(where, "not_number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise IncentiveError(where, "not_number") from None
    if not number.is_finite():
        raise IncentiveError(where, "not_number")
    return number


def _integer(value: Any, where: str, low: int, high: int) -> int:
    number = _decimal(value, where)
    if number != number.to_integral_value():
        raise IncentiveError(where, "not_integer")
    if not low <= number <= high:
        raise IncentiveError(where, "out_of_range", low=low, high=high)
    return int(number)


def _amount(value: Any, where: str, *, may_be_negative: bool) -> Decimal:
    number = _decimal(value, where)
    if number < 0 and not may_be_negative:
        raise IncentiveError(where, "negative")
    if abs(number) > MAX_AMOUNT:
        raise IncentiveError(where, "out_of_range", low=-MAX_AMOUNT if may_be_negative else 0, high=MAX_AMOUNT)
    return number


def _text(value: Any, where: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IncentiveError(where, "not_text")
    if len(value) > limit:
        raise IncentiveError(where, "too_long", limit=limit)
    return value.strip()


def _require(document: dict[str, Any], key: str) -> Any:
    if document.get(key) in (None, ""):
        raise IncentiveError(key, "required")
    return document[key]


def projection_from_document(document: dict[str, Any]) -> Projection:
    """A Projection from the parsed document; every refusal names the field."""
    for key in document:
        if key not in TOP_FIELDS:
            raise IncentiveError(str(key)[:50], "unknown_key", key=str(key)[:50])
    first_year = _integer(_require(document, "first_year"), "first_year", 2000, 2100)
    licence_year = _integer(_require(document, "stz_licence_year"), "stz_licence_year", 2000, 2100)
    start_text = _require(document, "sez_production_start")
    try:
        production_start = date.fromisoformat(start_text) if isinstance(start_text, str) else None
    except ValueError:
        production_start = None
    if production_start is None:
        raise IncentiveError("sez_production_start", "not_date")
    discount = _decimal(_require(document, "discount_rate_percent"), "discount_rate_percent")
    if not 0 <= discount <= 100:
        raise IncentiveError("discount_rate_percent", "out_of_range", low=0, high=100)
    rows = _require(document, "years")
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_YEARS:
        raise IncentiveError("years", "not_list", limit=MAX_YEARS)
    years = tuple(_year(row, f"years[{index}]", first_year + index) for index, row in enumerate(rows))
    return Projection(
        years=years,
        stz_licence_year=licence_year,
        sez_production_start=production_start,
        discount_rate_percent=discount,
        company=_text(document.get("company"), "company", 200),
        zone=_text(document.get("zone"), "zone", 100),
    )


def _year(row: Any, where: str, year: int) -> YearProjection:
    if not isinstance(row, dict):
        raise IncentiveError(where, "not_object")
    for key in row:
        if key not in AMOUNT_FIELDS:
            raise IncentiveError(f"{where}.{str(key)[:50]}", "unknown_key", key=str(key)[:50])
    values = {
        name: _amount(_require_in(row, name, where), f"{where}.{name}", may_be_negative=name == "profit")
        for name in AMOUNT_FIELDS
    }
    return YearProjection(year=year, **values)


def _require_in(row: dict[str, Any], key: str, where: str) -> Any:
    if row.get(key) in (None, ""):
        raise IncentiveError(f"{where}.{key}", "required")
    return row[key]


# --- computing ------------------------------------------------------------------------------------


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _percent(rate: DatedRate) -> Decimal:
    return rate.value / Decimal(100)


def _income_tax_exempt(regime: str, year: int, projection: Projection) -> bool:
    if regime == "stz":
        return projection.stz_licence_year <= year < projection.stz_licence_year + STZ_EXEMPT_YEARS
    if regime == "sez":
        production_year = tax_year_of(projection.sez_production_start)
        long_holiday = projection.sez_production_start <= SEZ_LONG_HOLIDAY_DEADLINE
        length = SEZ_LONG_HOLIDAY_YEARS if long_holiday else SEZ_SHORT_HOLIDAY_YEARS
        return production_year <= year < production_year + length
    return False


def _other_exempt(regime: str, line: str, year: int, projection: Projection) -> bool:
    if regime == "stz":
        return _income_tax_exempt("stz", year, projection)
    if regime == "sez" and line == "customs_duty":
        return year <= tax_year_of(projection.sez_production_start)
    return False


class _Losses:
    """Losses brought forward, oldest first, each with the tax year it was computed in (ITO s.57)."""

    def __init__(self) -> None:
        self.items: list[list[Any]] = []  # [year, amount left]

    def age(self, year: int) -> None:
        self.items = [item for item in self.items if year - item[0] <= CARRY_FORWARD_YEARS]

    def set_off(self, profit: Decimal) -> Decimal:
        taxable = profit
        for item in self.items:
            used = min(item[1], taxable)
            item[1] -= used
            taxable -= used
        self.items = [item for item in self.items if item[1] > 0]
        return taxable


def _regime(regime: str, projection: Projection, rates: RateBook) -> RegimeResult:
    losses = _Losses()
    results: list[YearResult] = []
    for row in projection.years:
        losses.age(row.year)
        exempt = _income_tax_exempt(regime, row.year, projection)
        lines: dict[str, Decimal] = {}
        if exempt:
            lines["income_tax"] = Decimal(0)
        elif row.profit < 0:
            losses.items.append([row.year, -row.profit])
            lines["income_tax"] = Decimal(0)
        else:
            taxable = losses.set_off(row.profit)
            lines["income_tax"] = _round(taxable * _percent(rates.rate("corporate_income_tax", row.year)), RUPEE)
        bases = {
            "sales_tax": (row.local_purchases, "sales_tax"),
            "customs_duty": (row.capital_goods_imported, "customs_duty_capital_goods"),
            "property_tax": (row.property_value, "property_tax"),
        }
        for line, (base, kind) in bases.items():
            if _other_exempt(regime, line, row.year, projection):
                lines[line] = Decimal(0)
            else:
                lines[line] = _round(base * _percent(rates.rate(kind, row.year)), RUPEE)
        results.append(_year_result(row.year, lines, exempt, rates))
    return RegimeResult(regime=regime, years=results, totals=_totals(results), npv=_npv(results, projection))


def _year_result(year: int, lines: dict[str, Decimal], exempt: bool, rates: RateBook) -> YearResult:
    total = sum(lines.values(), Decimal(0))
    pkr_per_usd = rates.rate("pkr_per_usd", year).value
    cny_per_usd = rates.rate("cny_per_usd", year).value
    return YearResult(
        year=year,
        lines=lines,
        total_pkr=total,
        total_usd=_round(total / pkr_per_usd, CENT),
        total_cny=_round(total * cny_per_usd / pkr_per_usd, CENT),
        income_tax_exempt=exempt,
    )


def _totals(years: list[YearResult]) -> dict[str, Decimal]:
    totals = {line: sum((year.lines[line] for year in years), Decimal(0)) for line in LINES}
    totals["PKR"] = sum((year.total_pkr for year in years), Decimal(0))
    totals["CNY"] = sum((year.total_cny for year in years), Decimal(0))
    totals["USD"] = sum((year.total_usd for year in years), Decimal(0))
    return totals


def _npv(years: list[YearResult], projection: Projection) -> dict[str, Decimal]:
    factor = 1 + projection.discount_rate_percent / Decimal(100)
    with localcontext() as context:
        context.prec = 34
        values = {
            currency: sum(
                (getattr(year, f"total_{currency.lower()}") / factor**index for index, year in enumerate(years, 1)),
                Decimal(0),
            )
            for currency in ("PKR", "CNY", "USD")
        }
    return {
        "PKR": _round(values["PKR"], RUPEE),
        "CNY": _round(values["CNY"], CENT),
        "USD": _round(values["USD"], CENT),
    }


def incentives_calculate(projection: Projection, rates: RateBook) -> Calculation:
    """Every regime's taxes year by year, with totals and NPV; raises IncentiveError on a missing rate."""
    rates_used = {row.year: {kind: rates.rate(kind, row.year) for kind in RATE_KINDS} for row in projection.years}
    regimes = {regime: _regime(regime, projection, rates) for regime in REGIMES}
    return Calculation(projection=projection, regimes=regimes, rates_used=rates_used)


def calculation_to_dict(calculation: Calculation) -> dict[str, Any]:
    """The calculation as JSON-ready data (money as strings, exact)."""
    projection = calculation.projection
    return {
        "company": projection.company,
        "zone": projection.zone,
        "stz_licence_year": projection.stz_licence_year,
        "sez_production_start": projection.sez_production_start.isoformat(),
        "discount_rate_percent": str(projection.discount_rate_percent),
        "regimes": {
            name: {
                "years": [
                    {
                        "year": year.year,
                        **{line: str(value) for line, value in year.lines.items()},
                        "income_tax_exempt": year.income_tax_exempt,
                        "total_pkr": str(year.total_pkr),
                        "total_cny": str(year.total_cny),
                        "total_usd": str(year.total_usd),
                    }
                    for year in result.years
                ],
                "totals": {key: str(value) for key, value in result.totals.items()},
                "npv": {key: str(value) for key, value in result.npv.items()},
            }
            for name, result in calculation.regimes.items()
        },
        "rates": [
            {
                "year": year,
                "kind": kind,
                "value": str(rate.value),
                "valid_from": rate.valid_from.isoformat(),
                "source": rate.source,
            }
            for year, kinds in calculation.rates_used.items()
            for kind, rate in kinds.items()
        ],
    }
