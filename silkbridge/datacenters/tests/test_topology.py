"""Tier classification: the examples meet their Tier, broken variants drop with reasons naming the culprit."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from silkbridge.datacenters.engine.model import Design
from silkbridge.datacenters.engine.parse import design_load
from silkbridge.datacenters.engine.topology import (
    CRITERIA,
    REASON_MESSAGES,
    TierVerdict,
    _redundancy,
    classify,
    classify_benchmark,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "datacenters"
BROKEN = Path(__file__).resolve().parent / "designs"


def design_from(path: Path, *replacements: tuple[str, str]) -> Design:
    text = path.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    result = design_load(text, filename=path.name)
    assert result.errors == [], result.errors
    assert result.design is not None
    return result.design


def example(name: str, *replacements: tuple[str, str]) -> TierVerdict:
    return classify(design_from(EXAMPLES / f"{name}.yaml", *replacements))


def broken(name: str) -> TierVerdict:
    return classify(design_from(BROKEN / f"{name}.yaml"))


def failed(verdict: TierVerdict) -> list[str]:
    return [criterion.code for criterion in verdict.criteria if not criterion.passed]


def reason_codes(verdict: TierVerdict, criterion: str) -> list[tuple[str, dict[str, Any]]]:
    return [(reason.code, reason.params) for reason in verdict.criterion(criterion).reasons]


def elements(verdict: TierVerdict, criterion: str) -> list[str]:
    return [str(reason.params["element"]) for reason in verdict.criterion(criterion).reasons]


# --- the four examples ----------------------------------------------------------------------------


def test_tier4_example_meets_tier_iv_on_every_criterion() -> None:
    verdict = example("tier4")

    assert verdict.tier == 4
    assert failed(verdict) == []
    assert verdict.next_tier_blockers == []
    assert [(group.group, group.scheme) for group in verdict.capacity_groups] == [
        ("generators", "2(N+1)"),
        ("ups_modules", "2(N+1)"),
        ("cooling_units", "2N"),
        ("crah", "2(N+1)"),
        ("pumps", "2N"),
        ("heat_rejection", "2N"),
    ]
    assert [(paths.system, paths.active, paths.total) for paths in verdict.distribution_paths] == [
        ("power", 2, 2),
        ("cooling", 4, 4),
    ]
    assert (verdict.fuel_hours, verdict.fuel_hours_maintainable) == (72, 36)
    assert (verdict.tia942.label, verdict.en50600.label) == ("Rated-4", "Availability Class 4")


def test_tier3_example_meets_tier_iii_and_says_why_not_iv() -> None:
    verdict = example("tier3")

    assert verdict.tier == 3
    assert [criterion.code for criterion in verdict.next_tier_blockers] == [
        "active_paths",
        "fault_tolerance",
        "compartmentalisation",
        "continuous_cooling",
    ]
    assert reason_codes(verdict, "active_paths") == [
        ("too_few_active_paths", {"system": "power", "sink": "IT", "active": 1, "required": 2})
    ]
    # Bus A and everything on it is a single active path; the elements feeding MCC-A also stop the cooling.
    assert elements(verdict, "fault_tolerance") == [
        "PSWG-A", "PSWG-A", "MSB-A", "MSB-A", "UPS-OUT", "MCC-A", "UPS-1", "PDU-A",
        "C-PSWG-A", "C-PSWG-A", "C-UPS-IN", "C-UPS-OUT", "C-PDU-A", "CORD-A", "C-MCC-A",
    ]  # fmt: skip
    assert verdict.criterion("fault_tolerance").reasons[0].message == (
        "PSWG-A (switchgear): a fault there drops the power of IT to 0 of 800 kW — fails fault tolerance"
    )
    assert [(group.group, group.scheme) for group in verdict.capacity_groups] == [
        ("generators", "N+1"),
        ("ups_modules", "N+1"),
        ("cooling_units", "N+1"),
        ("crah", "N+1"),
        ("pumps", "N+1"),
    ]
    assert (verdict.fuel_hours, verdict.fuel_hours_maintainable) == (48, 24)


def test_tier2_example_meets_tier_ii_and_says_why_not_iii() -> None:
    verdict = example("tier2")

    assert verdict.tier == 2
    assert [criterion.code for criterion in verdict.next_tier_blockers] == [
        "distribution_paths",
        "concurrent_maintainability",
        "fuel_storage_maintainable",
    ]
    assert elements(verdict, "concurrent_maintainability")[:3] == ["TANK-1", "TANK-1", "ATS-1"]
    assert verdict.criterion("generators_primary").passed
    assert [note.code for note in verdict.criterion("generators_primary").notes] == [
        "prime_generator_accepted",
        "prime_generator_accepted",
    ]


def test_tier1_example_meets_tier_i_and_says_why_not_ii() -> None:
    verdict = example("tier1")

    assert verdict.tier == 1
    assert [criterion.code for criterion in verdict.next_tier_blockers] == ["redundant_components"]
    assert reason_codes(verdict, "redundant_components") == [
        ("no_redundancy", {"group": "generators", "installed_units": 1, "units_needed": 1, "scheme": "N"}),
        ("no_redundancy", {"group": "ups_modules", "installed_units": 2, "units_needed": 2, "scheme": "N"}),
        ("no_redundancy", {"group": "cooling_units", "installed_units": 3, "units_needed": 3, "scheme": "N"}),
    ]
    assert reason_codes(verdict, "generators_primary") == [("standby_generator", {"element": "GEN-1"})]


# --- broken variants ------------------------------------------------------------------------------


def test_one_shared_switchboard_drops_tier_iv_to_tier_ii_naming_the_switchboard() -> None:
    verdict = broken("tier4_shared_switchboard")

    assert verdict.tier == 2
    assert [criterion.code for criterion in verdict.next_tier_blockers] == [
        "distribution_paths",
        "concurrent_maintainability",
    ]
    assert reason_codes(verdict, "concurrent_maintainability") == [
        (
            "maintenance_drops_load",
            {
                "element": "MSB-A",
                "element_kind": "switchgear",
                "system": "power",
                "sink": "IT",
                "delivered_kw": 0,
                "demand_kw": 1200,
            },
        )
    ]
    assert "MSB-A" in elements(verdict, "fault_tolerance")


def test_one_cooling_path_drops_tier_iv_to_tier_ii_naming_the_heat_exchanger() -> None:
    verdict = broken("tier4_one_cooling_path")

    assert verdict.tier == 2
    assert elements(verdict, "concurrent_maintainability") == ["HX-1"]
    assert elements(verdict, "fault_tolerance") == ["HX-1"]
    assert verdict.criterion("fault_tolerance").reasons[0].message == (
        "HX-1 (heat_exchanger): a fault there drops the cooling of HEAT to 0 of 1300 kW — fails fault tolerance"
    )
    assert reason_codes(verdict, "distribution_paths") == [
        ("too_few_paths", {"system": "cooling", "sink": "HEAT", "total": 1, "required": 2})
    ]


def test_one_pump_drops_tier_iii_to_tier_i_naming_the_pump() -> None:
    verdict = broken("tier3_one_pump")

    assert verdict.tier == 1
    assert reason_codes(verdict, "redundant_components") == [
        ("no_redundancy", {"group": "pumps", "installed_units": 1, "units_needed": 1, "scheme": "N"})
    ]
    assert elements(verdict, "concurrent_maintainability") == ["P-1"]


def test_two_hours_of_fuel_drops_tier_iii_to_tier_0_with_a_warning() -> None:
    parsed = design_load((BROKEN / "tier3_no_fuel.yaml").read_text())
    assert parsed.design is not None
    verdict = classify(parsed.design)

    assert [warning.code for warning in parsed.warnings] == ["fuel_below_minimum"]
    assert verdict.tier == 0
    assert [criterion.code for criterion in verdict.next_tier_blockers] == ["fuel_storage"]
    assert reason_codes(verdict, "fuel_storage") == [("fuel_below_minimum", {"hours": 2, "minimum_hours": 12})]
    assert verdict.tia942.label == "none"


def test_ups_systems_in_one_compartment_drop_tier_iv_to_tier_iii() -> None:
    verdict = broken("tier4_ups_one_compartment")

    assert verdict.tier == 3
    assert failed(verdict) == ["compartmentalisation"]
    reason = verdict.criterion("compartmentalisation").reasons[0]
    assert reason.code == "compartment_drops_load"
    assert reason.params["compartment"] == "UPS-ROOM"
    assert "UPS-A, UPS-B" in str(reason.params["elements"])
    assert reason.message.startswith("a fire in compartment UPS-ROOM (holding UPS-OUT-A, UPS-OUT-B, ")
    assert reason.message.endswith("leaves 0 of 1200 kW of power at IT — fails compartmentalisation")


# --- single criteria on variants of the examples --------------------------------------------------


def test_short_thermal_storage_fails_continuous_cooling() -> None:
    verdict = example(
        "tier4", ("ride_through_minutes: 15, compartment: PLANT", "ride_through_minutes: 5, compartment: PLANT")
    )

    assert verdict.tier == 3
    assert [code for code, _ in reason_codes(verdict, "continuous_cooling")] == [
        "thermal_storage_too_short",
        "thermal_storage_too_short",
        "no_continuous_cooling",
    ]
    assert reason_codes(verdict, "continuous_cooling")[0][1] == {
        "element": "TES-A",
        "minutes": 5,
        "minimum_minutes": 10,
    }


def test_cooling_without_ups_backing_fails_continuous_cooling() -> None:
    verdict = example(
        "tier4", ("ups_backed: true", "ups_backed: false"), ("[MCC-UPS-A]", "[MCC-A]"), ("[MCC-UPS-B]", "[MCC-B]")
    )

    assert verdict.tier == 3
    reason = verdict.criterion("continuous_cooling").reasons[-1]
    assert reason.code == "no_continuous_cooling"
    assert reason.params["delivered_kw"] == 0
    assert str(reason.params["elements"]).startswith("CH-A1, CH-A2, CH-B1, CH-B2, CRAH-A1")


def test_standby_generators_fail_generators_primary_at_tier_iii() -> None:
    verdict = example("tier3", ("rating: data_center", "rating: standby"))

    assert verdict.tier == 2
    assert reason_codes(verdict, "generators_primary") == [
        ("standby_generator", {"element": "GEN-1"}),
        ("standby_generator", {"element": "GEN-2"}),
        ("standby_generator", {"element": "GEN-3"}),
    ]


def test_one_big_tank_is_not_maintainable_fuel() -> None:
    verdict = example(
        "tier3",
        (
            "{id: TANK-2, name: Bulk diesel tank 2 (20 m3), fuel_hours: 24}",
            "{id: TANK-2, name: Day tank, fuel_hours: 6}",
        ),
    )

    assert verdict.tier == 2
    assert reason_codes(verdict, "fuel_storage_maintainable") == [
        (
            "fuel_maintainable_below_minimum",
            {"hours": 6, "minimum_hours": 12, "element": "TANK-1", "largest_hours": 24},
        )
    ]


def test_a_component_without_compartment_fails_compartmentalisation() -> None:
    verdict = example(
        "tier4", ("{id: PDU-B2, capacity_kw: 800, compartment: DATA-HALL}", "{id: PDU-B2, capacity_kw: 800}")
    )

    assert verdict.tier == 3
    assert reason_codes(verdict, "compartmentalisation") == [
        ("compartment_missing", {"elements": "PDU-B2", "count": 1})
    ]


def test_a_switchboard_feeding_both_chiller_sides_drops_cooling() -> None:
    verdict = example(
        "tier4", ("powered_by: [MCC-B], compartment: PLANT-B", "powered_by: [MCC-A], compartment: PLANT-B")
    )

    assert verdict.tier == 2
    assert ("MCC-A", "cooling") in [
        (reason.params["element"], reason.system) for reason in verdict.criterion("concurrent_maintainability").reasons
    ]


def test_a_failed_ups_module_is_named_when_a_single_ups_has_no_spare_module() -> None:
    verdict = example("tier3", ("capacity_kw: 1250, modules: 5", "capacity_kw: 1000, modules: 4"))

    assert verdict.tier == 1
    fault = verdict.criterion("fault_tolerance").reasons
    assert ("UPS-1", "ups module") in [(reason.params["element"], reason.params["element_kind"]) for reason in fault]
    module = next(reason for reason in fault if reason.params["element_kind"] == "ups module")
    assert (module.params["delivered_kw"], module.params["demand_kw"]) == (750, 800)


def test_utility_counts_at_tier_i_but_not_as_the_primary_source() -> None:
    verdict = example("tier1", ("capacity_kw: 600, rating: standby", "capacity_kw: 300, rating: standby"))

    assert verdict.tier == 0
    assert verdict.criterion("capacity_n").passed
    assert reason_codes(verdict, "dedicated_infrastructure") == [
        ("generators_cannot_carry_load", {"delivered_kw": 300, "demand_kw": 500, "sink": "IT"}),
        # The capacity failure names the unit to enlarge.
        ("capacity_limited_by", {"system": "power", "sink": "IT", "units": "GEN-1 (300 kW)"}),
    ]


@pytest.mark.parametrize(
    ("capacities", "demand", "expected"),
    [
        ([500.0], 500, (1, 0)),
        ([500.0, 500.0], 500, (1, 1)),
        ([300.0, 300.0, 300.0], 800, (3, 0)),
        ([400.0, 400.0, 400.0], 800, (2, 1)),
        ([1000.0, 200.0], 800, (1, 0)),
        ([100.0], 500, (1, -1)),
    ],
)
def test_redundancy_counts_units_needed_and_spare(
    capacities: list[float], demand: float, expected: tuple[int, int]
) -> None:
    assert _redundancy(capacities, demand) == expected


# --- shape ------------------------------------------------------------------------------------------


def test_verdict_is_json_serialisable_with_the_documented_keys() -> None:
    data = example("tier3").to_dict()

    encoded = json.loads(json.dumps(data))
    assert set(encoded) == {
        "design_name",
        "tier",
        "claimed_tier",
        "criteria",
        "next_tier_blockers",
        "capacity_groups",
        "distribution_paths",
        "fuel_hours",
        "fuel_hours_maintainable",
        "tia942",
        "en50600",
        "notes",
    }
    assert set(encoded["criteria"][0]) == {"code", "title", "tier_required", "passed", "reasons", "notes"}
    assert [criterion["code"] for criterion in encoded["criteria"]] == list(CRITERIA)
    assert set(encoded["tia942"]) == {"standard", "power", "cooling", "overall", "label", "note"}
    assert "not a Tier certification" in encoded["notes"][0]


def test_every_reason_code_used_has_a_template() -> None:
    verdicts = [example(name) for name in ("tier1", "tier2", "tier3", "tier4")]
    used = {
        reason.code
        for verdict in verdicts
        for criterion in verdict.criteria
        for reason in criterion.reasons + criterion.notes
    }

    assert used <= set(REASON_MESSAGES)


def test_classify_does_not_change_the_design() -> None:
    design = design_from(EXAMPLES / "tier4.yaml")
    before = copy.deepcopy(design)

    classify(design)

    assert design == before


def test_benchmark_reports_timings() -> None:
    result = classify_benchmark(design_from(EXAMPLES / "tier1.yaml"), repeat=2)

    assert set(result) == {"components", "paths", "graph_arcs", "best_ms", "median_ms", "repeat"}
    assert (result["components"], result["paths"], result["repeat"]) == (13, 11, 2)
