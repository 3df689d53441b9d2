"""The committee's arithmetic, by hand-worked examples."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from silkbridge.deals.engine.rubric import (
    Candidate,
    RubricError,
    criterion_means,
    financial_scores,
    quality_and_cost,
    rank,
    spreads,
    technical_score,
    weighted_score,
)

# Criterion 1 weighs 50, criterion 2 weighs 30, criterion 3 weighs 20.
WEIGHTS = {1: 50, 2: 30, 3: 20}


def test_a_weighted_score_is_out_of_100():
    # (50×4 + 30×3 + 20×5) / (100×5) = 390/500 = 78.00
    assert weighted_score(WEIGHTS, {1: 4, 2: 3, 3: 5}) == Decimal("78.00")
    assert weighted_score(WEIGHTS, {1: 5, 2: 5, 3: 5}) == Decimal("100.00")
    assert weighted_score(WEIGHTS, {1: 0, 2: 0, 3: 0}) == Decimal("0.00")


def test_a_score_outside_0_to_5_or_a_missing_criterion_is_refused():
    with pytest.raises(RubricError, match="between 0 and 5"):
        weighted_score(WEIGHTS, {1: 6, 2: 3, 3: 5})
    with pytest.raises(RubricError, match="between 0 and 5"):
        weighted_score(WEIGHTS, {1: -1, 2: 3, 3: 5})
    with pytest.raises(RubricError, match="exactly one score"):
        weighted_score(WEIGHTS, {1: 4, 2: 3})


def test_the_technical_score_is_the_mean_of_the_reviews():
    # 78.00 and (50×2 + 30×3 + 20×1)/500 = 210/500 = 42.00 → 60.00
    assert technical_score(WEIGHTS, [{1: 4, 2: 3, 3: 5}, {1: 2, 2: 3, 3: 1}]) == Decimal("60.00")
    assert technical_score(WEIGHTS, []) is None


def test_reviewers_two_points_apart_are_flagged_per_criterion():
    result = spreads(WEIGHTS, [{1: 4, 2: 3, 3: 5}, {1: 2, 2: 4, 3: 1}])
    assert [(spread.criterion, spread.lowest, spread.highest, spread.differs) for spread in result] == [
        (1, 2, 4, True),
        (2, 3, 4, False),
        (3, 1, 5, True),
    ]


def test_a_tie_is_broken_by_the_heaviest_criterion_then_the_earlier_submission():
    early, late = datetime(2026, 5, 1, 9, tzinfo=UTC), datetime(2026, 5, 1, 10, tzinfo=UTC)
    # Both score 70.00; A is better on criterion 1 (weight 50), B was submitted earlier.
    reviews_a = [{1: 5, 2: 2, 3: 2}]  # (250 + 60 + 40)/500 = 70.00
    reviews_b = [{1: 4, 2: 3, 3: 3}]  # (200 + 90 + 60)/500 = 70.00
    a = Candidate(1, technical_score(WEIGHTS, reviews_a), criterion_means(WEIGHTS, reviews_a), late)
    b = Candidate(2, technical_score(WEIGHTS, reviews_b), criterion_means(WEIGHTS, reviews_b), early)
    c = Candidate(3, Decimal("70.00"), {1: Decimal(5), 2: Decimal(2), 3: Decimal(2)}, early)
    assert a.technical == b.technical == Decimal("70.00")
    # A and C are equal on every criterion; C was submitted first.
    assert [candidate.proposal for candidate in rank([a, b, c], WEIGHTS)] == [3, 1, 2]


def test_the_lowest_price_scores_100_and_the_others_in_proportion():
    assert financial_scores({1: Decimal(800), 2: Decimal(1000), 3: Decimal(1600)}) == {
        1: Decimal("100.00"),
        2: Decimal("80.00"),
        3: Decimal("50.00"),
    }
    with pytest.raises(RubricError, match="above zero"):
        financial_scores({1: Decimal(0)})


def test_quality_and_cost_combines_only_those_above_the_pass_mark():
    technical = {1: Decimal("90.00"), 2: Decimal("75.00"), 3: Decimal("60.00")}
    prices = {1: Decimal(1000), 2: Decimal(800), 3: Decimal(500)}
    # Proposal 3 is below the pass mark of 70: its price does not count, so 800 is the lowest.
    # 1: 0.8×90 + 0.2×80 = 88.00; 2: 0.8×75 + 0.2×100 = 80.00
    assert quality_and_cost(technical, prices, technical_weight=80, pass_mark=70) == {
        1: Decimal("88.00"),
        2: Decimal("80.00"),
    }
