"""A failed stated requirement multiplies the score down; one that a side does not state never does."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from silkbridge.matching.engine import Profile, build_index
from silkbridge.matching.engine.index import REQUIREMENT_PENALTY

REQUEST = Profile(
    id="pk-request",
    org="pk-hospital",
    type="technology_request",
    title="Crop disease detection for wheat farms",
    description="We need crop disease detection from drone images for wheat in Punjab.",
    trl=7,
    deal_types=("licence",),
    country="PK",
)
OFFER = Profile(
    id="cn-offer-a",
    org="cn-vision-a",
    type="technology_offer",
    title="作物病害识别系统",
    description="基于无人机影像的小麦作物病害识别。",
    trl=8,
    deal_types=("licence",),
    country="CN",
)
INVESTOR = Profile(
    id="cn-investor-a",
    org="cn-fund-a",
    type="investment_offer",
    title="Fintech growth fund",
    description="Equity investments in digital payments companies.",
    deal_types=("equity",),
    amount_min=20_000_000,
    amount_max=60_000_000,
    currency="CNY",
    country="CN",
)
STARTUP = Profile(
    id="pk-startup",
    org="pk-payments",
    type="investment_request",
    title="Series A for a digital payments company",
    description="Raising equity for our digital payments platform.",
    deal_types=("equity",),
    amount_min=1_000_000_000,
    amount_max=1_000_000_000,
    currency="PKR",  # 3.57 M USD: inside 2.8–8.5 M USD
    country="PK",
)


def _scores(query: Profile, candidates: list[Profile]) -> dict[str, float]:
    index = build_index([query, *candidates])
    return {match.id: match.score for match in index.top_k(query.id, 10)}


def test_trl_shortfall_ranks_below_an_otherwise_equal_offer():
    short = replace(OFFER, id="cn-offer-b", org="cn-vision-b", trl=6)
    scores = _scores(REQUEST, [OFFER, short])
    assert list(scores) == ["cn-offer-a", "cn-offer-b"]
    index = build_index([REQUEST, OFFER, short])
    query = index.features_of(REQUEST.id)
    slots = [index._slot_of["cn-offer-a"], index._slot_of["cn-offer-b"]]
    factors = index.requirement_factors(query, np.array(slots))
    assert factors.tolist() == [1.0, REQUIREMENT_PENALTY]  # one level short, one penalty


def test_each_missing_level_is_a_further_penalty():
    two_short = replace(OFFER, id="cn-offer-b", org="cn-vision-b", trl=5)
    index = build_index([REQUEST, OFFER, two_short])
    factors = index.requirement_factors(index.features_of(REQUEST.id), np.array([index._slot_of["cn-offer-b"]]))
    assert factors.tolist() == [REQUIREMENT_PENALTY**2]


def test_no_deal_type_in_common_ranks_below():
    other_deal = replace(OFFER, id="cn-offer-b", org="cn-vision-b", deal_types=("distribution",))
    scores = _scores(REQUEST, [OFFER, other_deal])
    assert scores["cn-offer-b"] < scores["cn-offer-a"] * 0.75


def test_unstated_requirements_are_not_penalised():
    silent = replace(OFFER, id="cn-offer-b", org="cn-vision-b", trl=None, deal_types=())
    index = build_index([REQUEST, OFFER, silent])
    factors = index.requirement_factors(index.features_of(REQUEST.id), np.array([index._slot_of["cn-offer-b"]]))
    assert factors.tolist() == [1.0]


def test_ticket_that_misses_the_amount_after_conversion_ranks_below():
    # 2.8–8.5 M USD covers 3.57 M USD; 10–30 M CNY (1.4–4.2 M USD) covers it too; 100–200 M CNY does not.
    too_big = replace(INVESTOR, id="cn-investor-b", org="cn-fund-b", amount_min=100_000_000, amount_max=200_000_000)
    scores = _scores(STARTUP, [INVESTOR, too_big])
    assert list(scores) == ["cn-investor-a", "cn-investor-b"]
    assert scores["cn-investor-b"] <= scores["cn-investor-a"] * REQUIREMENT_PENALTY


def test_investment_in_another_field_ranks_below():
    robotics = replace(
        INVESTOR,
        id="cn-investor-b",
        org="cn-fund-b",
        title="Robotics fund",
        description="Equity investments in industrial robot companies.",
    )
    scores = _scores(STARTUP, [INVESTOR, robotics])
    assert list(scores) == ["cn-investor-a", "cn-investor-b"]


@pytest.mark.parametrize("trl", [1, 5, 9])
def test_scores_stay_between_zero_and_one(trl):
    candidates = [replace(OFFER, id=f"cn-offer-{n}", org=f"cn-{n}", trl=trl) for n in range(3)]
    for score in _scores(REQUEST, candidates).values():
        assert 0.0 <= score <= 1.0
