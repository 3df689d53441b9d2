"""Sanity of the shipped climate normals (data/climate.yaml) and its loader."""

from __future__ import annotations

import pytest
import yaml

from silkbridge.datacenters.engine.climate import CLIMATE_FILE, climate_for, known_cities

PAKISTAN = ("islamabad", "rawalpindi", "lahore", "karachi", "peshawar", "quetta", "faisalabad", "gwadar")
CHINA = ("beijing", "shanghai", "urumqi")


def test_known_cities_cover_pakistan_and_china():
    assert set(PAKISTAN + CHINA) <= set(known_cities())


@pytest.mark.parametrize("city", known_cities())
def test_every_city_has_twelve_sane_months_and_a_source(city):
    climate = climate_for(city)
    assert climate is not None
    assert len(climate.max_c) == len(climate.min_c) == len(climate.dew_point_c) == 12
    for high, low, dew_point in zip(climate.max_c, climate.min_c, climate.dew_point_c, strict=True):
        assert -40 <= low <= high <= 50
        assert dew_point <= (high + low) / 2
    if climate.relative_humidity_pct is not None:
        assert all(0 <= value <= 100 for value in climate.relative_humidity_pct)
    assert climate.sources
    assert all("http" in source for source in climate.sources)
    assert climate.station
    assert climate.period
    assert -90 <= climate.latitude <= 90
    assert -180 <= climate.longitude <= 180


@pytest.mark.parametrize("city", known_cities())
def test_estimated_humidity_says_how_and_why(city):
    climate = climate_for(city)
    assert climate is not None
    if climate.humidity_estimated:
        assert "FAO-56" in climate.humidity_note
        assert "reason" not in climate.humidity_note  # the reason text itself, not the key


def test_raw_file_marks_every_estimate_with_a_reason():
    raw = yaml.safe_load(CLIMATE_FILE.read_text(encoding="utf-8"))
    for key, entry in raw["cities"].items():
        if "shares" in entry:
            assert entry["shares"] in raw["cities"]
            assert entry.get("notes"), f"{key} must say why it shares another city's normals"
            continue
        assert entry["sources"], key
        humidity = entry["humidity"]
        if humidity.get("estimated"):
            assert humidity.get("reason"), key


def test_islamabad_matches_the_reference_table():
    climate = climate_for("Islamabad")
    assert climate is not None
    # datacenter-reference.md section 4: Jan 18/4, Jun 38/25, Dec 20/5.
    assert (climate.max_c[0], climate.min_c[0]) == (18.0, 4.0)
    assert (climate.max_c[5], climate.min_c[5]) == (38.0, 25.0)
    assert (climate.max_c[11], climate.min_c[11]) == (20.0, 5.0)


def test_rawalpindi_shares_islamabad_and_says_so():
    rawalpindi, islamabad = climate_for("rawalpindi"), climate_for("islamabad")
    assert rawalpindi is not None
    assert islamabad is not None
    assert rawalpindi.max_c == islamabad.max_c
    assert rawalpindi.name == "Rawalpindi"
    assert "Islamabad" in rawalpindi.notes


def test_lookup_ignores_case_and_spaces_and_returns_none_for_unknown_cities():
    assert climate_for(" KARACHI ") is not None
    assert climate_for("Timbuktu") is None
    assert climate_for(None) is None
    assert climate_for("") is None


def test_colder_climates_are_colder():
    urumqi, karachi = climate_for("urumqi"), climate_for("karachi")
    assert urumqi is not None
    assert karachi is not None
    assert sum(urumqi.mean_c) < sum(karachi.mean_c)
    assert karachi.pressure_pa > urumqi.pressure_pa  # Urumqi stands ~900 m higher
