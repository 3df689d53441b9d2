"""Reading and validating design documents: errors name the place and the reason, all at once; never a crash."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from silkbridge.datacenters.engine.model import GeneratorRating, Kind, System
from silkbridge.datacenters.engine.parse import (
    ISSUE_MESSAGES,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    ParseResult,
    design_load,
    nesting_depth_exceeds,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "datacenters"

SMALL: dict[str, Any] = {
    "name": "small",
    "it_load_kw": 500,
    "site": {"city": "karachi", "country": "PK"},
    "power": {
        "generators": [{"id": "G1", "capacity_kw": 600, "rating": "continuous"}],
        "fuel_tanks": [{"id": "T1", "fuel_hours": 24}],
        "ups": [{"id": "U1", "capacity_kw": 600}],
        "paths": [
            {"id": "p1", "from": "G1", "to": "U1"},
            {"id": "p2", "from": "U1", "to": "IT"},
            {"id": "f1", "from": "T1", "to": "G1"},
        ],
    },
    "cooling": {"crac": [{"id": "C1", "capacity_kw": 500}], "paths": [{"id": "a1", "from": "C1", "to": "HEAT"}]},
}


def load(document: Any) -> ParseResult:
    return design_load(json.dumps(document), filename="design.json")


def small(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(SMALL)
    document.update(changes)
    return document


def codes(issues: list[Any]) -> list[tuple[str, str]]:
    return [(issue.path, issue.code) for issue in issues]


@pytest.mark.parametrize("name", ["tier1", "tier2", "tier3", "tier4"])
def test_examples_parse_without_errors_or_warnings(name: str) -> None:
    result = design_load((EXAMPLES / f"{name}.yaml").read_text(), filename=f"{name}.yaml")

    assert result.errors == []
    assert result.warnings == []
    assert result.design is not None
    assert result.design.claimed_tier == int(name[-1])


def test_tier4_example_builds_the_model() -> None:
    design = design_load((EXAMPLES / "tier4.yaml").read_text()).design

    assert design is not None
    assert len(design.components) == 58
    assert len(design.paths) == 78
    ups = design.component("UPS-A")
    assert (ups.kind, ups.capacity_kw, ups.modules, ups.compartment, ups.efficiency) == (
        Kind.UPS,
        1500.0,
        5,
        "UPS-ROOM-A",
        0.96,
    )
    assert design.component("GEN-B3").rating is GeneratorRating.DATA_CENTER
    assert design.component("CRAH-A1").powered_by == ("MCC-UPS-A",)
    assert design.component("CRAH-A1").ups_backed is True
    assert design.component("TANK-A").fuel_hours == 36.0
    tie = next(path for path in design.paths if path.id == "TIE-AB")
    assert (tie.source, tie.target, tie.active, tie.system) == ("PSWG-A", "MSB-B", False, System.POWER)
    assert design.site.city == "islamabad"
    assert design.site.grid is not None
    assert design.site.grid.outages_per_year == 264
    assert design.cooling_load_kw == 1300
    assert design.energy.tariff_per_kwh == 42
    assert design.component("UPS-A").line == 69


def test_implicit_sinks_are_created_when_left_out() -> None:
    design = load(SMALL).design

    assert design is not None
    assert design.component("IT").kind is Kind.IT_LOAD
    assert design.component("HEAT").kind is Kind.HEAT_LOAD
    assert design.heat_load_kw is None
    assert design.cooling_load_kw == 500


def test_declared_sink_id_is_used() -> None:
    document = small()
    document["power"]["it_load"] = {"id": "RACKS"}
    document["power"]["paths"][1]["to"] = "RACKS"

    design = load(document).design

    assert design is not None
    assert design.component("RACKS").kind is Kind.IT_LOAD


def test_all_schema_errors_are_reported_at_once_with_place_and_reason() -> None:
    document = small()
    del document["it_load_kw"]
    document["power"]["ups"][0]["modules"] = 0
    document["power"]["generators"][0]["capacity_kw"] = "lots"
    document["power"]["generators"][0]["rating"] = "emergency"
    document["power"]["ups"][0]["colour"] = "blue"
    document["site"]["latitude"] = 95

    result = load(document)

    assert result.design is None
    assert sorted(codes(result.errors)) == [
        ("it_load_kw", "required"),
        ("power.generators[0].capacity_kw", "wrong_type"),
        ("power.generators[0].rating", "not_allowed"),
        ("power.ups[0].colour", "unknown_key"),
        ("power.ups[0].modules", "below_minimum"),
        ("site.latitude", "above_maximum"),
        ("site.longitude", "required"),
    ]
    messages = {issue.path: issue.message for issue in result.errors}
    assert messages["power.ups[0].modules"] == "power.ups[0].modules: must be at least 1"
    assert messages["power.generators[0].capacity_kw"] == "power.generators[0].capacity_kw: must be a number"
    assert messages["power.generators[0].rating"] == (
        "power.generators[0].rating: must be one of: standby, prime, continuous, data_center"
    )
    assert messages["power.ups[0].colour"] == "power.ups[0].colour: 'colour' is not a known key"
    modules = next(issue for issue in result.errors if issue.code == "below_minimum")
    assert modules.params == {"limit": 1}


def test_errors_carry_the_yaml_line() -> None:
    text = """name: x
it_load_kw: 500
power:
  ups:
    - id: U1
      capacity_kw: 600
      modules: 0
cooling: {}
"""
    result = design_load(text)

    issue = next(issue for issue in result.errors if issue.path == "power.ups[0].modules")
    assert issue.line == 7


def test_semantic_errors_are_collected_together() -> None:
    document = small()
    document["power"]["paths"] += [
        {"id": "p1", "from": "G1", "to": "U1"},
        {"id": "p3", "from": "U1", "to": "NOWHERE"},
        {"id": "p4", "from": "U1", "to": "C1"},
        {"id": "p5", "from": "T1", "to": "U1"},
    ]
    document["cooling"]["crac"][0]["powered_by"] = ["C1", "GHOST"]

    result = load(document)

    assert result.design is None
    assert codes(result.errors) == [
        ("power.paths[3].id", "duplicate_id"),
        ("power.paths[4].to", "unknown_component"),
        ("power.paths[5]", "cross_system_path"),
        ("power.paths[6]", "fuel_line_target"),
        ("cooling.crac[0].powered_by[0]", "powered_by_not_power"),
        ("cooling.crac[0].powered_by[1]", "unknown_component"),
    ]
    assert result.errors[0].message == "power.paths[3].id: id 'p1' is already used at power.paths[0]"
    assert result.errors[2].params == {"from": "U1", "to": "C1"}


def test_duplicate_component_ids_across_networks() -> None:
    document = small()
    document["cooling"]["crac"].append({"id": "U1", "capacity_kw": 100})

    result = load(document)

    assert codes(result.errors) == [("cooling.crac[1].id", "duplicate_id")]
    assert result.errors[0].params == {"id": "U1", "first": "power.ups[0]"}


def test_no_source_and_unreachable_sink() -> None:
    document = small()
    document["cooling"] = {
        "crah": [{"id": "H1", "capacity_kw": 500}],
        "paths": [{"id": "a1", "from": "H1", "to": "HEAT"}],
    }
    document["power"]["paths"] = [{"id": "p1", "from": "G1", "to": "U1"}]

    result = load(document)

    assert codes(result.errors) == [("power", "sink_unreachable"), ("cooling", "no_source")]
    assert result.errors[0].params == {"system": "power", "sink": "IT"}


def test_malformed_yaml_gives_one_error_with_line() -> None:
    result = design_load("name: x\nit_load_kw: [1, 2\npower: {}\n")

    assert result.design is None
    assert len(result.errors) == 1
    assert result.errors[0].code == "syntax"
    assert result.errors[0].params["line"] == 3
    # The problem text comes from the YAML library (libyaml or pure Python); the place is ours.
    assert result.errors[0].message.startswith("cannot be read at line 3, column 6: ")
    assert "expected ',' or ']'" in result.errors[0].message


def test_malformed_json_gives_one_error_with_line() -> None:
    result = design_load('{"name": "x",\n "it_load_kw": }', filename="d.json")

    assert codes(result.errors) == [("", "syntax")]
    assert result.errors[0].params["line"] == 2


@pytest.mark.parametrize(
    ("text", "found"), [("- a\n- b\n", "a list"), ("", "empty"), ("42", "a single value"), ("null", "empty")]
)
def test_a_document_that_is_not_a_mapping(text: str, found: str) -> None:
    result = design_load(text)

    assert codes(result.errors) == [("", "not_a_mapping")]
    assert result.errors[0].params == {"found": found}


def test_nan_infinity_huge_and_negative_numbers_are_errors() -> None:
    text = yaml.safe_dump(small()).replace("it_load_kw: 500", "it_load_kw: .nan")
    document = yaml.safe_load(text)
    document["power"]["ups"][0]["capacity_kw"] = 10**400
    document["power"]["generators"][0]["capacity_kw"] = -5
    text = yaml.safe_dump(document).replace("fuel_hours: 24", "fuel_hours: .inf")

    result = design_load(text)

    assert sorted(codes(result.errors)) == [
        ("it_load_kw", "not_finite"),
        ("power.fuel_tanks[0].fuel_hours", "above_maximum"),
        ("power.fuel_tanks[0].fuel_hours", "not_finite"),
        ("power.generators[0].capacity_kw", "not_above"),
        ("power.ups[0].capacity_kw", "above_maximum"),
    ]


def test_booleans_are_not_numbers() -> None:
    result = load(small(it_load_kw=True))

    assert codes(result.errors) == [("it_load_kw", "wrong_type")]


def test_oversized_document_is_refused() -> None:
    result = design_load("#" * (MAX_DOCUMENT_BYTES + 1))

    assert codes(result.errors) == [("", "too_large")]


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]

    result = design_load("\n".join(lines))

    assert codes(result.errors) == [("", "unsupported_yaml")]
    assert result.errors[0].params == {"feature": "anchors"}


def test_duplicate_yaml_key_is_an_error() -> None:
    result = design_load("name: a\nname: b\n")

    assert codes(result.errors) == [("", "duplicate_key")]
    assert result.errors[0].params == {"key": "name"}
    assert result.errors[0].line == 2


@pytest.mark.parametrize(
    "text",
    ["[" * 5000, "{" * 5000 + "}" * 5000, "\x00\x01\x02", "name: !!python/object:os.system x", "&a [*a]", "a: *b"],
)
def test_hostile_input_never_raises(text: str) -> None:
    result = design_load(text)

    assert result.design is None
    assert result.errors
    assert all(issue.code in ISSUE_MESSAGES for issue in result.errors)


def test_warnings_for_a_valid_but_odd_design() -> None:
    document = small(claimed_tier=4, rack_density_kw=10)
    document["power"]["ups"][0].update(capacity_kw=300, efficiency=96)
    document["power"]["generators"][0].update(capacity_kw=400, rating="standby")
    document["power"]["fuel_tanks"][0]["fuel_hours"] = 2
    document["cooling"]["crac"][0]["capacity_kw"] = 200

    result = load(document)

    assert result.errors == []
    assert result.design is not None
    assert codes(result.warnings) == [
        ("", "ups_capacity_below_load"),
        ("", "generator_capacity_below_load"),
        ("", "cooling_capacity_below_load"),
        ("power.fuel_tanks", "fuel_below_minimum"),
        ("power.generators[0]", "standby_generator_at_claimed_tier"),
        ("power.ups[0]", "efficiency_out_of_range"),
        ("", "rack_density_without_continuous_cooling"),
        ("", "no_compartments_at_claimed_tier"),
    ]
    assert result.warnings[0].params == {"ups_kw": 300, "it_load_kw": 500}
    # The 400 kW generator cannot carry the 500 kW load, so its 2 h tank delivers nothing at N.
    assert (
        result.warnings[3].message
        == "power.fuel_tanks: fuel storage lasts 0 h at N, below the 12 h every Tier requires"
    )


def test_missing_fuel_and_unconnected_parts_are_warnings() -> None:
    document = small()
    document["power"]["fuel_tanks"].append({"id": "T2", "fuel_hours": 10})
    document["power"]["paths"] = [path for path in document["power"]["paths"] if path["id"] != "f1"]
    document["power"]["pdus"] = [{"id": "PDU-X"}]

    result = load(document)

    assert codes(result.warnings) == [
        ("power.fuel_tanks[0]", "tank_not_connected"),
        ("power.fuel_tanks[1]", "tank_not_connected"),
        ("power.fuel_tanks", "no_fuel_storage"),
        ("power.pdus[0]", "unconnected_component"),
    ]


def test_every_issue_code_has_a_message_template() -> None:
    result = load(small(claimed_tier=3))

    assert codes(result.warnings) == []
    assert "required" in ISSUE_MESSAGES
    assert result.to_dict() == {"is_valid": True, "errors": [], "warnings": []}


@pytest.mark.parametrize(
    ("text", "file_name"),
    [
        ("name: d\nx: " + "[" * 40_000 + "]" * 40_000, "design.yaml"),
        ("name: d\nx:\n  " + "- " * 40_000 + "x", "design.yaml"),
        ('{"name": "d", "x": ' + "[" * 40_000 + "]" * 40_000 + "}", "design.txt"),
        ('{"name": "d", "x": ' + "[" * 40_000 + "]" * 40_000 + "}", "design.json"),
        ("".join(" " * level + f"k{level}:\n" for level in range(1_200)), "design.yaml"),
    ],
    ids=["flow", "compact-block", "json-as-yaml", "json", "indented-block"],
)
def test_deep_nesting_is_refused_before_any_parser_runs(text: str, file_name: str) -> None:
    result = design_load(text, filename=file_name)

    assert [(issue.code, issue.params) for issue in result.errors] == [("too_complex", {"limit": MAX_DEPTH})]


@pytest.mark.parametrize(
    ("text", "feature"),
    [("a: &a [1]\nb: *a\n", "anchors"), ("name: !!str d\n", "tags"), ("%YAML 1.1\n---\nname: d\n", "directives")],
)
def test_yaml_anchors_tags_and_directives_are_refused(text: str, feature: str) -> None:
    result = design_load(text)

    assert [(issue.code, issue.params) for issue in result.errors] == [("unsupported_yaml", {"feature": feature})]


def test_the_depth_scan_counts_what_a_parser_would_nest() -> None:
    assert not nesting_depth_exceeds("a:\n  b:\n    - [1, {c: [2]}]\n", 7)
    assert nesting_depth_exceeds("a:\n  b:\n    - [1, {c: [[2]]}]\n", 7)
    assert nesting_depth_exceeds("x: " + "[" * 6, 5)


def test_a_crashing_design_never_takes_the_process_down() -> None:
    """libyaml's composer recursed in C on 40,000 brackets and killed the process (SIGSEGV)."""
    script = (
        "from silkbridge.datacenters.engine.parse import design_load\n"
        "result = design_load('name: d\\nx: ' + '[' * 40000 + ']' * 40000)\n"
        "print(result.errors[0].code)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "too_complex"
