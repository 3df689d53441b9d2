"""Reciprocity: a candidate that fits another profile much better than the query gives way (issue 12).

The score of a pair is its weighted features times its requirement factor times
(score / the candidate's own best score) ** RECIPROCITY_POWER, at most 1. `top_k` computes the
candidates' best scores lazily and stops early; the answer must be the one that scoring every
candidate would give.
"""

from __future__ import annotations

import numpy as np
import pytest

from silkbridge.matching.engine import MatchIndex, build_index, profile_from_dict
from silkbridge.matching.engine.bench import synthetic_profiles
from silkbridge.matching.engine.embedding import hashing_embedder
from silkbridge.matching.engine.glossary import Glossary
from silkbridge.matching.engine.index import RECIPROCITY_POWER


def _profile(id_, type_, country, title, description):
    return profile_from_dict(
        {
            "id": id_,
            "org": f"org-{id_}",
            "type": type_,
            "country": country,
            "language": "en",
            "title": title,
            "description": description,
            "trl": 7,
            "deal_types": ["licence"],
        }
    )


def _cold_stores() -> list:
    # Two Pakistani requests and two Chinese offers in one trade. The ripening offer says what the banana
    # request says; for the seed-potato request it is still the closer text by a few shared words, and
    # the seed store, in other words, is what that request is about.
    return [
        _profile(
            "potatoes",
            "technology_request",
            "PK",
            "Cold store for seed potatoes",
            "Okara growers want a cold store for seed potatoes through the summer.",
        ),
        _profile(
            "bananas",
            "technology_request",
            "PK",
            "Cold store with ripening rooms for bananas",
            "Ethylene ripening rooms for bananas in a cold store; it also keeps seed potatoes through the summer.",
        ),
        _profile(
            "ripening",
            "technology_offer",
            "CN",
            "Cold store with ripening rooms for bananas",
            "Cold store with ethylene ripening rooms for bananas; also keeps seed potatoes through the summer.",
        ),
        _profile(
            "seed-store",
            "technology_offer",
            "CN",
            "Seed potato store",
            "A ventilated shed that holds tubers dormant in hot months.",
        ),
    ]


def _plain_order(index: MatchIndex, query_id: str) -> list[str]:
    query, slots, matrix = index.feature_matrix(query_id)
    plain = index.scores(query, slots, matrix)
    ids = [index._stored[int(slot)].profile.id for slot in slots]
    return [ids[position] for position in sorted(range(len(ids)), key=lambda p: (-plain[p], ids[p]))]


def test_an_offer_that_fits_another_request_much_better_gives_way():
    index = build_index(_cold_stores(), glossary=Glossary.empty())
    # By the weighted features alone the ripening offer would lead the seed-potato request's list …
    assert _plain_order(index, "potatoes")[0] == "ripening"
    # … but the banana traders' request fits it far better, and the seed store fits this one best.
    assert [match.id for match in index.top_k("potatoes", 2)] == ["seed-store", "ripening"]
    assert index.top_k("bananas", 1)[0].id == "ripening"


def test_a_mutual_best_pair_keeps_its_score_and_a_weaker_pair_says_why():
    index = build_index(_cold_stores(), glossary=Glossary.empty())
    query, slots, matrix = index.feature_matrix("bananas")
    plain = dict(
        zip([index._stored[int(slot)].profile.id for slot in slots], index.scores(query, slots, matrix), strict=True)
    )
    best = index.top_k("bananas", 1)[0]
    assert best.reciprocity == 1.0
    assert best.score == pytest.approx(plain["ripening"])
    weaker = next(match for match in index.top_k("potatoes", 2) if match.id == "ripening")
    own_best = index.best_score_of("ripening")
    assert weaker.reciprocity == pytest.approx((weaker.score / weaker.reciprocity / own_best) ** RECIPROCITY_POWER)
    assert 0 < weaker.reciprocity < 1
    assert weaker.score < own_best


@pytest.fixture(scope="module")
def pool() -> MatchIndex:
    return build_index(synthetic_profiles(400, seed=11), embedder=hashing_embedder())


def _brute_force(index: MatchIndex, query_id: str, k: int) -> list[tuple[str, float]]:
    """Every candidate scored with its reciprocity, ties by id: what top_k must equal."""
    query, slots, matrix = index.feature_matrix(query_id)
    plain = index.scores(query, slots, matrix)
    final = []
    for slot, score in zip(slots.tolist(), plain.tolist(), strict=True):
        best = index.best_score(slot)
        final.append((index._stored[slot].profile.id, score * min(1.0, score / best) ** RECIPROCITY_POWER))
    final.sort(key=lambda item: (-item[1], item[0]))
    return final[:k]


def test_the_early_stop_gives_the_answer_of_scoring_every_candidate(pool):
    for query_id in pool.ids()[::20]:
        for k in (1, 5, 20):
            expected = _brute_force(pool, query_id, k)
            got = [(match.id, match.score) for match in pool.top_k(query_id, k, with_reasons=False)]
            assert [item[0] for item in got] == [item[0] for item in expected]
            assert np.allclose([item[1] for item in got], [item[1] for item in expected])


def test_answers_do_not_depend_on_which_queries_ran_before():
    profiles = synthetic_profiles(150, seed=5)
    forwards, backwards = build_index(profiles), build_index(profiles)
    ids = forwards.ids()
    first = {query: [m.as_dict() for m in forwards.top_k(query, 5)] for query in ids}
    second = {query: [m.as_dict() for m in backwards.top_k(query, 5)] for query in reversed(ids)}
    assert first == second
    # A change empties the cache of best scores: the answers are a fresh build's.
    backwards.remove(ids[0])
    fresh = build_index([profile for profile in profiles if profile.id != ids[0]])
    assert {q: [m.as_dict() for m in backwards.top_k(q, 5)] for q in ids[1:]} == {
        q: [m.as_dict() for m in fresh.top_k(q, 5)] for q in ids[1:]
    }


@pytest.mark.parametrize("min_score", [0.0, 0.3])
def test_many_answers_at_once_equal_one_at_a_time(pool, min_score):
    # The second pass knows every best score and takes the vectorised path; alone, each query scans.
    ids = pool.ids()[::7]
    pool.forget_best_scores()
    together = {
        query: [m.as_dict("en") for m in matches]
        for query, matches in pool.top_k_many(ids, 10, min_score=min_score).items()
    }
    pool.forget_best_scores()
    alone = {query: [m.as_dict("en") for m in pool.top_k(query, 10, min_score=min_score)] for query in ids}
    assert together == alone


def test_a_short_shortlist_falls_back_to_the_whole_candidate_list(pool):
    for query in pool.ids()[::25]:
        short = pool.shortlist(query, 1)  # far too short to settle a top-5
        assert [m.id for m in pool.finish(short, 5)] == [m.id for m in pool.top_k(query, 5)]
