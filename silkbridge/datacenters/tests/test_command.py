"""`silkbridge dc assess` and `silkbridge dc validate` on the example designs and on broken input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "datacenters"


def _assess(*args: str) -> str:
    out = StringIO()
    call_command("dc", "assess", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("tier", [1, 2, 3, 4])
def test_each_example_classifies_as_the_tier_it_was_written_for(tier):
    result = json.loads(_assess(str(EXAMPLES / f"tier{tier}.yaml"), "--json", "--years", "2000", "--seed", "5"))
    assert result["tier"] == tier
    assert all("passed" in criterion and "reasons" in criterion for criterion in result["criteria"])
    availability = result["availability"]
    low, high = availability["interval"]
    assert 0 < low <= availability["simulated"] <= high <= 1
    assert availability["downtime_minutes_per_year"]["analytical"] >= 0
    assert 1.0 < result["pue"] < 3.0


def test_the_summary_names_the_tier_and_the_availability():
    text = _assess(str(EXAMPLES / "tier3.yaml"), "--years", "2000")
    assert "Tier III" in text
    assert "availability: analytical" in text


def test_a_broken_design_lists_every_error_and_fails(tmp_path):
    design = tmp_path / "broken.yaml"
    design.write_text("name: Broken\nit_load_kw: -1\npower:\n  ups:\n    - id: U\n      modules: 0\n", encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError, match="error"):
        call_command("dc", "assess", str(design), stdout=StringIO(), stderr=errors)
    assert "it_load_kw" in errors.getvalue()
    assert "power.ups[0].modules" in errors.getvalue()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("dc", "assess", str(tmp_path / "absent.yaml"))
