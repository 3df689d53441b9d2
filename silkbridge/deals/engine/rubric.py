"""Scores of a committee review, with no Django: a reviewer's weighted score, a proposal's technical
score, the spread between reviewers per criterion, the ranking with its tie-break, and the
quality-and-cost-based (QCBS) combination of a two-envelope evaluation.

Scores are whole numbers from 0 to 5 per criterion; weighted scores are on a 0–100 scale, so that a
call's pass mark and its technical weight read as percentages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

MAX_SCORE = 5
# Reviewers "differ" on a criterion when their scores are this far apart or more (the chair is warned).
SPREAD_WARNING = 2
_HUNDREDTH = Decimal("0.01")

TIE_BREAK_RULE = (
    "Equal scores are ordered by the mean score on the criterion with the highest weight (then the next "
    "highest, and so on), then by the lower price where prices were opened, then by the earlier submission."
)


class RubricError(ValueError):
    """Scores that do not fit the rubric (a missing criterion, a score outside 0–5)."""


def _round(value: Decimal) -> Decimal:
    return value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def weighted_score(weights: Mapping[int, int], scores: Mapping[int, int]) -> Decimal:
    """One reviewer's score out of 100: each criterion's score times its weight, over the most it could be."""
    if set(scores) != set(weights):
        raise RubricError("every criterion needs exactly one score")
    for value in scores.values():
        if not 0 <= value <= MAX_SCORE:
            raise RubricError(f"a score is between 0 and {MAX_SCORE}")
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise RubricError("the criteria's weights add up to nothing")
    earned = sum((Decimal(weights[criterion]) * scores[criterion] for criterion in weights), Decimal(0))
    return _round(earned * 100 / (total_weight * MAX_SCORE))


def technical_score(weights: Mapping[int, int], reviews: Sequence[Mapping[int, int]]) -> Decimal | None:
    """A proposal's technical score: the mean of its submitted reviews' weighted scores (None without any)."""
    if not reviews:
        return None
    return _round(sum((weighted_score(weights, review) for review in reviews), Decimal(0)) / len(reviews))


@dataclass(frozen=True)
class Spread:
    criterion: int
    lowest: int
    highest: int

    @property
    def differs(self) -> bool:
        return self.highest - self.lowest >= SPREAD_WARNING


def spreads(weights: Mapping[int, int], reviews: Sequence[Mapping[int, int]]) -> list[Spread]:
    """Per criterion (in the rubric's order), the lowest and highest score the reviewers gave."""
    return [
        Spread(criterion, min(review[criterion] for review in reviews), max(review[criterion] for review in reviews))
        for criterion in weights
        if reviews
    ]


@dataclass(frozen=True)
class Candidate:
    """A proposal as the ranking sees it."""

    proposal: int
    technical: Decimal
    criterion_means: Mapping[int, Decimal]
    submitted_at: datetime
    price: Decimal | None = None  # in the call's currency, once the financial envelopes are open
    combined: Decimal | None = None  # the QCBS score, when computed


def criterion_means(weights: Mapping[int, int], reviews: Sequence[Mapping[int, int]]) -> dict[int, Decimal]:
    if not reviews:
        return {criterion: Decimal(0) for criterion in weights}
    return {
        criterion: _round(Decimal(sum(review[criterion] for review in reviews)) / len(reviews)) for criterion in weights
    }


def rank(candidates: Sequence[Candidate], weights: Mapping[int, int]) -> list[Candidate]:
    """Best first: by the combined score where there is one, else the technical score; ties broken by
    TIE_BREAK_RULE, which always ends the tie (submission times differ)."""
    by_weight = sorted(weights, key=lambda criterion: (-weights[criterion], criterion))

    def key(candidate: Candidate) -> tuple[object, ...]:
        headline = candidate.combined if candidate.combined is not None else candidate.technical
        means = tuple(-candidate.criterion_means.get(criterion, Decimal(0)) for criterion in by_weight)
        price = candidate.price if candidate.price is not None else Decimal("Infinity")
        return (-headline, *means, price, candidate.submitted_at, candidate.proposal)

    return sorted(candidates, key=key)


def financial_scores(prices: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Each price's financial score out of 100: the lowest price scores 100, the others in proportion
    (Sf = 100 × lowest / price, the formula of quality-and-cost-based selection)."""
    if not prices:
        return {}
    if any(price <= 0 for price in prices.values()):
        raise RubricError("a price must be above zero")
    lowest = min(prices.values())
    return {proposal: _round(100 * lowest / price) for proposal, price in prices.items()}


def quality_and_cost(
    technical: Mapping[int, Decimal], prices: Mapping[int, Decimal], *, technical_weight: int, pass_mark: int
) -> dict[int, Decimal]:
    """The combined score of each proposal that passed the technical pass mark and has a price:
    technical weight × St + (100 − technical weight) × Sf, out of 100. Proposals below the pass mark
    have no combined score (their financial envelope stays closed)."""
    if not 0 <= technical_weight <= 100:
        raise RubricError("the technical weight is a percentage")
    passed = {proposal: score for proposal, score in technical.items() if score >= pass_mark and proposal in prices}
    financial = financial_scores({proposal: prices[proposal] for proposal in passed})
    return {
        proposal: _round((technical_weight * passed[proposal] + (100 - technical_weight) * financial[proposal]) / 100)
        for proposal in passed
    }
