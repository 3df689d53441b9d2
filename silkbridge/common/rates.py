"""Currency conversion with a dated rate table.

The default table is INDICATIVE: approximate mid-market rates for early 2026, rounded, written by
hand for Silkbridge from public reference rates (State Bank of Pakistan and People's Bank of China
published USD rates, cross-checked against ECB reference rates). They are good enough to tell
whether a 1.2 M USD request falls inside a 300–400 M PKR ticket, not for pricing a deal. Staff set
the rates in use (the web layer stores them); the engine only ever takes a `Rates` object as a
parameter, so a run can be repeated with the rates it was made with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class UnknownCurrencyError(ValueError):
    """The rate table has no rate for this currency code."""


@dataclass(frozen=True)
class Rates:
    """Units of each currency per one US dollar, as of `as_of`, with where the figures came from."""

    as_of: date
    source: str
    per_usd: dict[str, float] = field(default_factory=dict)

    def knows(self, currency: str) -> bool:
        return currency.upper() in self.per_usd

    def to_usd(self, amount: float, currency: str) -> float:
        code = currency.upper()
        if code not in self.per_usd:
            raise UnknownCurrencyError(f"no rate for currency {currency!r} in the table of {self.as_of.isoformat()}")
        return amount / self.per_usd[code]

    def convert(self, amount: float, currency: str, target: str) -> float:
        target_code = target.upper()
        if target_code not in self.per_usd:
            raise UnknownCurrencyError(f"no rate for currency {target!r} in the table of {self.as_of.isoformat()}")
        return self.to_usd(amount, currency) * self.per_usd[target_code]

    def as_dict(self) -> dict[str, object]:
        return {"as_of": self.as_of.isoformat(), "source": self.source, "per_usd": dict(self.per_usd)}


DEFAULT_RATES = Rates(
    as_of=date(2026, 1, 15),
    source=(
        "Indicative approximate rates for January 2026, rounded (SBP / PBoC / ECB reference rates as a guide); "
        "not for pricing — staff set the rates in use"
    ),
    per_usd={
        "USD": 1.0,
        "CNY": 7.10,
        "PKR": 280.0,
        "EUR": 0.92,
        "GBP": 0.79,
        "AED": 3.6725,
        "SAR": 3.75,
        "HKD": 7.80,
    },
)
