"""The relocation advisor against hand-ranked cases.

Each case was ranked by hand from the scoring rules in docs/zones.md before the engine was run; the
arithmetic is written beside it so that a reader can check it without the code."""

from __future__ import annotations

import pytest

from silkbridge.zones.engine.advisor import (
    AdvisorError,
    Point,
    RequestNeeds,
    ZoneFacts,
    haversine_km,
    rank_zones,
    sector_fit,
)

ISLAMABAD = Point(33.72148, 73.04329)
LAHORE = Point(31.55800, 74.35071)
KARACHI = Point(24.86080, 67.01040)


def _order(advice: list) -> list[str]:
    return [item.zone_key for item in advice]


def _codes(item) -> set[str]:
    return {reason.code for reason in item.reasons}


def test_haversine_islamabad_lahore_is_about_270_km():
    # Published great-circle distance between the two cities: about 270 km.
    assert haversine_km(ISLAMABAD, LAHORE) == pytest.approx(270, abs=5)
    assert haversine_km(ISLAMABAD, ISLAMABAD) == 0


def test_sector_fit_follows_the_matching_engines_model():
    assert sector_fit(frozenset({"ai.nlp"}), frozenset({"ai.nlp"})) == pytest.approx(1.0)
    # Same field, different sub-field: only the field quarter.
    assert sector_fit(frozenset({"ai.nlp"}), frozenset({"ai", "ai.agri"})) == pytest.approx(0.25)
    assert sector_fit(frozenset({"ai.nlp"}), frozenset({"iot"})) == 0


def test_an_ai_company_needing_500_kw_zone_short_of_power_is_disqualified_and_ranked_last():
    needs = RequestNeeds(
        sectors=frozenset({"ai.nlp"}),
        space_kind="office",
        space_amount=2000,
        power_kw=500,
        must_haves=frozenset({"fibre"}),
    )
    zones = [
        # bravo: perfect sector, but 300 kW < 500 kW asked -> disqualified (its 75 points don't save it)
        ZoneFacts(
            "bravo",
            "stz",
            "operational",
            "Islamabad",
            frozenset({"ai.nlp"}),
            ISLAMABAD,
            300,
            9000,
            has_fibre=True,
            airport_km=20,
        ),
        # alpha: 7.5 sector + 15 space + 15 power + 10 STZ + 10 fibre + 5 no city asked + 0 partners + 5 airport = 67.5
        ZoneFacts(
            "alpha",
            "stz",
            "operational",
            "Islamabad",
            frozenset({"ai", "ai.agri"}),
            ISLAMABAD,
            2000,
            5000,
            has_fibre=True,
            airport_km=25,
        ),
        # charlie: 0 sector + 15 + 15 + 7 SEZ + 10 fibre + 5 + 0 + 0 airport unknown = 52
        ZoneFacts(
            "charlie", "sez", "under_development", "Karachi", frozenset({"iot"}), KARACHI, 10000, 10000, has_fibre=True
        ),
        # delta: 30 sector + 15 space + 0 power unknown + 0 IT park + 0 fibre unknown + 5 + 0 + 5 airport = 55
        ZoneFacts("delta", "none", "operational", "Lahore", frozenset({"ai.nlp"}), LAHORE, None, 3000, airport_km=10),
    ]
    ranked = rank_zones(zones, needs)
    assert _order(ranked) == ["alpha", "delta", "charlie", "bravo"]
    assert [item.score for item in ranked] == [67.5, 55.0, 52.0, 75.0]
    bravo = ranked[-1]
    assert bravo.disqualified
    assert [reason.code for reason in bravo.disqualifying] == ["power_short"]
    assert dict(bravo.disqualifying[0].params) == {"asked": 500, "available": 300}
    delta = ranked[1]
    assert not delta.disqualified  # not known is no pass, and no disqualification either
    assert {"power_unknown", "must_have_unknown", "incentives_none"} <= _codes(delta)


def test_a_missed_must_have_disqualifies_but_an_unknown_one_does_not():
    needs = RequestNeeds(sectors=frozenset({"iot"}), must_haves=frozenset({"bonded_warehouse", "housing"}))
    zones = [
        # known to have no bonded warehouse: out, however well it fits otherwise
        ZoneFacts(
            "east",
            "stz",
            "operational",
            "Lahore",
            frozenset({"iot"}),
            LAHORE,
            9000,
            9000,
            has_housing=True,
            has_bonded_warehouse=False,
            airport_km=15,
        ),
        # west: bonded warehouse not known, housing yes -> half the must-have points, still in
        ZoneFacts("west", "sez", "operational", "Karachi", frozenset({"iot"}), KARACHI, has_housing=True),
        # north: sector unknown for the zone, both must-haves met
        ZoneFacts(
            "north", "none", "planned", "Islamabad", frozenset(), ISLAMABAD, has_housing=True, has_bonded_warehouse=True
        ),
    ]
    ranked = rank_zones(zones, needs)
    # west: 7.5 sector (fields alike, neither names a sub-field: 0.25 x 30, as in the matching engine)
    #       + 7.5 space (not asked) + 7.5 power (not asked) + 7 SEZ + 5 must-haves + 5 city = 39.5
    # north: 0 sector (zone's focus unknown) + 7.5 + 7.5 + 0 + 10 + 5 = 30
    assert _order(ranked) == ["west", "north", "east"]
    assert [item.score for item in ranked[:2]] == [39.5, 30.0]
    east = ranked[-1]
    assert east.disqualified
    assert [(reason.code, reason.param("must_have")) for reason in east.disqualifying] == [
        ("must_have_missed", "bonded_warehouse")
    ]
    west = ranked[0]
    assert ("must_have_unknown", "bonded_warehouse") in {
        (reason.code, dict(reason.params).get("must_have")) for reason in west.reasons
    }
    assert "sector_zone_unknown" in _codes(ranked[1])


def test_preferred_city_and_partners_nearby_decide_between_otherwise_equal_zones():
    needs = RequestNeeds(preferred_cities=frozenset({"Lahore"}), partners=(LAHORE, Point(31.5, 74.3)))
    common = {"regime": "stz", "status": "operational", "sectors": frozenset({"fintech"})}
    zones = [
        ZoneFacts("in-islamabad", city="Islamabad", location=ISLAMABAD, **common),
        ZoneFacts("in-lahore", city="Lahore", location=LAHORE, **common),
    ]
    ranked = rank_zones(zones, needs)
    assert _order(ranked) == ["in-lahore", "in-islamabad"]
    lahore, islamabad = ranked
    # Lahore: both partners within 100 km, the nearest at 0 km -> all 5 partner points, and 10 for the city.
    partners = next(reason for reason in lahore.reasons if reason.code == "partners_near")
    assert dict(partners.params) == {"nearest_km": 0, "close": 2, "partners": 2}
    # Islamabad: nearest partner ~270 km -> (500 - 270) / 450 of 5 points, and no city points.
    far = next(reason for reason in islamabad.reasons if reason.code.startswith("partners_"))
    assert far.param("close") == 0
    assert lahore.score - islamabad.score == pytest.approx(
        10 + 5 - 5 * (500 - haversine_km(ISLAMABAD, LAHORE)) / 450, abs=0.02
    )


def test_ties_are_broken_by_zone_key_and_the_ranking_is_repeatable():
    facts = {"regime": "sez", "status": "operational", "city": "Karachi", "location": KARACHI}
    zones = [ZoneFacts("zulu", **facts), ZoneFacts("alpha-2", **facts), ZoneFacts("alpha-1", **facts)]
    first = rank_zones(zones, RequestNeeds())
    assert _order(first) == ["alpha-1", "alpha-2", "zulu"]
    assert len({item.score for item in first}) == 1
    assert _order(rank_zones(list(reversed(zones)), RequestNeeds())) == _order(first)


def test_a_withdrawn_zone_and_a_data_center_below_the_tier_asked_are_disqualified():
    needs = RequestNeeds(data_center_tier=3)
    zones = [
        ZoneFacts("tier-two", "stz", "operational", data_center_tier=2),
        ZoneFacts("tier-four", "stz", "operational", data_center_tier=4),
        ZoneFacts("gone", "stz", "withdrawn", data_center_tier=4),
        ZoneFacts("no-dc-known", "stz", "operational"),
    ]
    ranked = rank_zones(zones, needs)
    assert _order(ranked) == ["tier-four", "no-dc-known", "gone", "tier-two"]
    assert [item.disqualified for item in ranked] == [False, False, True, True]
    assert [reason.code for reason in ranked[2].disqualifying] == ["zone_withdrawn"]
    missed = ranked[3].disqualifying[0]
    assert (missed.code, missed.param("tier"), missed.param("zone_tier")) == ("must_have_missed", 3, 2)


@pytest.mark.parametrize(
    ("needs", "field"),
    [
        (RequestNeeds(space_kind="castle"), "space_kind"),
        (RequestNeeds(power_kw=-1), "power_kw"),
        (RequestNeeds(space_amount=float("nan")), "space_amount"),
        (RequestNeeds(data_center_tier=5), "data_center_tier"),
        (RequestNeeds(must_haves=frozenset({"helipad"})), "must_haves"),
    ],
)
def test_needs_the_engine_cannot_read_are_refused_naming_the_field(needs, field):
    with pytest.raises(AdvisorError) as caught:
        rank_zones([ZoneFacts("z")], needs)
    assert caught.value.field == field
