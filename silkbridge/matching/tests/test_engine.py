from __future__ import annotations

import random
from datetime import date

import pytest

from silkbridge.common.rates import UnknownCurrencyError
from silkbridge.matching.engine import (
    DEFAULT_RATES,
    MatchIndex,
    Rates,
    build_index,
    extract_features,
    is_compatible,
    load_glossary,
)
from silkbridge.matching.engine.features import WEAK_FACTOR
from silkbridge.matching.engine.index import pair_family
from silkbridge.matching.engine.profiles import COMPLEMENTS, detect_language

from .profiles import sample_profiles


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return build_index(sample_profiles())


def ids(matches) -> list[str]:
    return [match.id for match in matches]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("en-crop", "zh-crop"), ("ur-crop", "zh-crop"), ("zh-ocr-request", "en-ocr-offer")],
    ids=["en->zh", "ur->zh", "zh->en"],
)
def test_cross_lingual_pairs_find_each_other_first(index, query, expected):
    assert ids(index.top_k(query, 5))[0] == expected


def test_offer_finds_both_requests_across_languages(index):
    assert set(ids(index.top_k("zh-crop", 2))) == {"en-crop", "ur-crop"}


def test_hard_negatives_rank_below_the_right_offer(index):
    matches = {match.id: match.score for match in index.top_k("en-crop", 10)}
    assert matches["zh-crop"] > matches["zh-fabric"]
    assert matches["zh-crop"] > matches["zh-road"]
    assert matches["zh-crop"] - max(matches["zh-fabric"], matches["zh-road"]) > 0.2


def test_never_matches_an_organisation_with_itself(index):
    for profile_id in index.ids():
        own_org = index.features_of(profile_id).profile.org
        for match in index.top_k(profile_id, 50):
            assert index.features_of(match.id).profile.org != own_org
    assert "cn-agri-own-request" not in ids(index.top_k("zh-crop", 50))


def test_incompatible_types_are_never_returned(index):
    for profile_id in index.ids():
        profile = index.features_of(profile_id).profile
        for match in index.top_k(profile_id, 50, exhaustive=True):
            other = index.features_of(match.id).profile
            assert other.type in COMPLEMENTS[profile.type]
            assert is_compatible(profile, other)
    assert "en-distribution" not in ids(index.top_k("en-crop", 50))


def test_scores_are_between_zero_and_one(index):
    for profile_id in index.ids():
        for match in index.top_k(profile_id, 50):
            assert 0.0 <= match.score <= 1.0


def test_currency_conversion_uses_the_dated_table():
    assert DEFAULT_RATES.to_usd(336_000_000, "PKR") == pytest.approx(1_200_000)
    assert DEFAULT_RATES.convert(1_200_000, "USD", "PKR") == pytest.approx(336_000_000)
    assert DEFAULT_RATES.convert(7_100_000, "cny", "USD") == pytest.approx(1_000_000)
    with pytest.raises(UnknownCurrencyError):
        DEFAULT_RATES.to_usd(1, "XYZ")


def test_investment_ticket_must_overlap_after_conversion(index):
    matches = index.top_k("pk-startup", 10)
    assert ids(matches) == ["cn-fund-fits", "cn-bank-loans", "us-fund-too-big"]
    assert matches[0].features["money"] == 1.0
    assert matches[2].features["money"] == 0.0
    reason = next(reason for reason in matches[0].reasons if reason.code == "ticket_covers")
    assert reason.text["en"] == "Ticket 5–20 M CNY covers 336 M PKR ≈ 8.52 M CNY"
    missed = next(reason for reason in matches[2].reasons if reason.code == "ticket_misses")
    assert missed.text["en"] == "Ticket 50–200 M USD does not cover 336 M PKR ≈ 1.2 M USD"


def test_instrument_decides_between_equal_tickets(index):
    scores = {match.id: match.score for match in index.top_k("pk-startup", 10)}
    assert scores["cn-fund-fits"] - scores["cn-bank-loans"] >= 0.15


def test_rates_are_a_parameter():
    rates = Rates(as_of=date(2030, 1, 1), source="test", per_usd={"USD": 1.0, "PKR": 28.0, "CNY": 7.1})
    index = build_index(sample_profiles(), rates=rates)
    # At 28 PKR a dollar the start-up asks for 12 M USD: beyond both 0.7–2.8 M USD tickets.
    money = {match.id: match.features["money"] for match in index.top_k("pk-startup", 10)}
    assert money["cn-fund-fits"] < 1.0
    assert money["us-fund-too-big"] < 1.0


def test_trl_reason_text(index):
    match = index.top_k("en-crop", 1)[0]
    trl = next(reason for reason in match.reasons if reason.code.startswith("trl"))
    assert trl.params == {"offered": 7, "asked": 6}
    assert trl.text["en"] == "TRL 7 meets the TRL ≥ 6 asked for"
    assert trl.text["zh"] == "技术成熟度 TRL 7，满足所要求的 TRL ≥ 6"
    assert trl.text["ur"] == "TRL 7 مطلوبہ TRL ≥ 6 پر پورا اترتا ہے"


def test_reasons_are_rendered_in_three_languages(index):
    match = index.top_k("en-crop", 1)[0]
    codes = [reason.code for reason in match.reasons]
    # The shared concept first; the others by what they add to the score (the sector adds nothing of
    # its own under the fitted weights, so it comes after the deal types and the country).
    assert codes[0] == "shared_concepts"
    assert "same_sector" in codes
    concepts = match.reasons[0]
    assert concepts.params["concepts"][0] == {
        "code": "crop_disease_detection",
        "this": "crop disease detection",
        "other": "作物病害识别",
    }
    assert concepts.text["en"].startswith("Shared concepts: crop disease detection ↔ 作物病害识别")
    assert concepts.text["zh"].startswith("共同的技术概念：crop disease detection ↔ 作物病害识别")
    assert concepts.text["ur"].startswith("مشترکہ تصورات: crop disease detection ↔ 作物病害识别")
    country = next(reason for reason in match.reasons if reason.code == "cross_border")
    assert country.text["en"] == "Cross-border: Pakistan ↔ China"
    assert country.text["zh"] == "跨境合作：巴基斯坦 ↔ 中国"
    deal = next(reason for reason in match.reasons if reason.code == "deal_types_common")
    assert deal.text == {
        "en": "Deal types in common: licence",
        "zh": "共同的合作方式：技术许可",
        "ur": "مشترکہ معاہدے کی اقسام: لائسنس",
    }


def test_concepts_and_sectors_inferred_from_text_without_codes():
    glossary = load_glossary()
    ur = next(profile for profile in sample_profiles() if profile.id == "ur-crop")
    features = extract_features(ur, glossary, DEFAULT_RATES)
    exact = {code for code, weight in features.concept_weights.items() if weight == 1.0}
    assert exact == {"crop_disease_detection"}
    approximate = {code: weight for code, weight in features.concept_weights.items() if code not in exact}
    assert all(0.5 <= weight < 1.0 for code, weight in approximate.items() if code in features.supported)
    # A weak hint counts at WEAK_FACTOR of its (at least half) covered share.
    hints = [weight for code, weight in approximate.items() if code not in features.supported]
    assert all(0.5 * WEAK_FACTOR <= weight < WEAK_FACTOR for weight in hints)
    assert {"ai.agri", "ai.cv"} <= features.subfields
    assert "ai" in features.fields


def test_approximate_concepts_from_paraphrases():
    extraction = load_glossary().extract("Remote monitoring for a portfolio of rooftop solar systems")
    assert extraction.concepts == {}
    assert extraction.approximate["solar_plant_monitoring"] >= 0.5


def test_chinese_concepts_found_inside_longer_words():
    extraction = load_glossary().extract("我们提供作物病害识别系统")
    assert extraction.concepts == {"crop_disease_detection": "作物病害识别"}


def test_language_detected_by_script():
    assert detect_language("作物病害识别 system") == "zh"
    assert detect_language("فصلوں کی بیماری") == "ur"
    assert detect_language("Crop disease") == "en"


def test_pair_families():
    assert pair_family("investment_offer", "investment_request") == "investment"
    assert pair_family("rnd_request", "business_offer") == "technology"
    assert pair_family("business_offer", "business_request") == "business"


def _answers(index: MatchIndex) -> dict[str, list[tuple[str, float]]]:
    return {pid: [(m.id, m.score) for m in index.top_k(pid, 5)] for pid in index.ids()}


def test_incremental_add_update_remove_equals_a_fresh_build():
    profiles = sample_profiles()
    rng = random.Random(3)
    incremental = MatchIndex()
    shuffled = profiles[:]
    rng.shuffle(shuffled)
    for profile in shuffled:
        incremental.add(profile)
    # Update one profile (new text), remove two, add one back.
    from dataclasses import replace

    changed = replace(profiles[1], title="纺织品缺陷检测", description="布匹缺陷检测与作物病害识别")
    incremental.update(changed)
    assert incremental.remove("zh-road") is True
    assert incremental.remove("zh-road") is False
    incremental.remove("en-face-offer")
    incremental.add(next(profile for profile in profiles if profile.id == "en-face-offer"))
    expected = [changed if profile.id == changed.id else profile for profile in profiles if profile.id != "zh-road"]
    fresh = build_index(expected)
    assert len(incremental) == len(fresh) == len(expected)
    assert _answers(incremental) == _answers(fresh)


def test_query_for_a_profile_outside_the_index(index):
    outside = next(profile for profile in sample_profiles() if profile.id == "en-crop")
    from dataclasses import replace

    stranger = replace(outside, id="new-request", org="new-org")
    assert ids(index.top_k(stranger, 1)) == ["zh-crop"]
    assert "new-request" not in index


def test_results_are_deterministic():
    first = build_index(sample_profiles())
    reversed_order = build_index(list(reversed(sample_profiles())))
    assert _answers(first) == _answers(reversed_order)
    assert [m.as_dict() for m in first.top_k("pk-startup", 5)] == [
        m.as_dict() for m in reversed_order.top_k("pk-startup", 5)
    ]
