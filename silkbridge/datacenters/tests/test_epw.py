"""EPW reader: valid files, leap years, missing values and clear errors on malformed input."""

from __future__ import annotations

import numpy as np
import pytest

from silkbridge.datacenters.engine import psychrometrics
from silkbridge.datacenters.engine.epw import EpwError, read_epw

from .epw_samples import epw_text


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _replace_field(text: str, line_number: int, field_index: int, value: str) -> str:
    lines = _lines(text)
    fields = lines[line_number - 1].split(",")
    fields[field_index] = value
    lines[line_number - 1] = ",".join(fields)
    return "\n".join(lines) + "\n"


def test_reads_location_and_8760_hours():
    weather = read_epw(epw_text(city="Testville", elevation_m=540.0))
    assert weather.location.city == "Testville"
    assert weather.location.country == "PAK"
    assert weather.location.latitude == pytest.approx(33.68)
    assert weather.location.time_zone == pytest.approx(5.0)
    assert weather.location.elevation_m == pytest.approx(540.0)
    assert weather.hours == 8760
    assert weather.month[0] == 1
    assert weather.month[-1] == 12
    assert weather.hour[0] == 1
    assert weather.hour[23] == 24
    assert weather.pressure_pa[0] == pytest.approx(95_000.0)
    assert np.all(weather.dew_point_c <= weather.dry_bulb_c)
    assert weather.filled_values == 0


def test_reads_a_leap_year_of_8784_hours():
    weather = read_epw(epw_text(leap=True))
    assert weather.hours == 8784
    assert np.count_nonzero(weather.month == 2) == 29 * 24


def test_accepts_bytes_in_latin_1():
    text = epw_text(city="Peshawar").replace("Peshawar", "Pésh", 1)
    weather = read_epw(text.encode("latin-1"))
    assert weather.location.city == "Pésh"


def test_missing_dew_point_is_rebuilt_from_relative_humidity():
    text = _replace_field(epw_text(), 9, 7, "99.9")
    weather = read_epw(text)
    expected = psychrometrics.dew_point_from_relative_humidity(float(weather.dry_bulb_c[0]), 50.0)
    assert weather.dew_point_c[0] == pytest.approx(expected)
    assert weather.filled_values == 1


def test_missing_pressure_comes_from_the_elevation():
    text = _replace_field(epw_text(elevation_m=1500.0), 9, 9, "999999")
    weather = read_epw(text)
    assert weather.pressure_pa[0] == pytest.approx(84_556.0, rel=1e-4)
    assert weather.filled_values == 1


@pytest.mark.parametrize(
    ("mutate", "line", "reason"),
    [
        (lambda text: text.replace("LOCATION", "PLACE", 1), 1, "LOCATION"),
        (lambda text: text.replace(",33.68,", ",133.68,", 1), 1, "latitude"),
        (lambda text: text.replace(",5.0,540.0", "", 1), 1, "10 fields"),
        (lambda text: _replace_field(text, 9, 1, "13"), 9, "month"),
        (lambda text: _replace_field(text, 100, 6, "hot"), 100, "dry-bulb 'hot' is not a number"),
        (lambda text: _replace_field(text, 200, 6, "99.9"), 200, "dry-bulb is missing"),
        (lambda text: _replace_field(_replace_field(text, 300, 7, "99.9"), 300, 8, "999"), 300, "both missing"),
        (lambda text: _replace_field(text, 400, 8, "150"), 400, "relative humidity"),
        (lambda text: _replace_field(text, 500, 9, "5000"), 500, "station pressure"),
        (lambda text: _replace_field(text, 600, 3, "7.5"), 600, "whole number"),
        (
            lambda text: "\n".join(line[:20] if index == 700 else line for index, line in enumerate(_lines(text))),
            701,
            "fields",
        ),
    ],
)
def test_malformed_lines_name_the_line_and_the_reason(mutate, line, reason):
    with pytest.raises(EpwError) as caught:
        read_epw(mutate(epw_text()))
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"line {line}:")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("", "lines"),
        ("LOCATION,x\n", "lines"),
        (b"\x00\xff\xfe garbage \x00" * 10, "lines"),
        ("\n".join(epw_text().splitlines()[:-1]), "8760"),
        (epw_text() + "2023,12,31,24,60,x,1,1,1,95000\n", "8760"),
    ],
)
def test_whole_file_problems_raise_epw_error(data, reason):
    with pytest.raises(EpwError) as caught:
        read_epw(data)
    assert reason in str(caught.value)


def test_nothing_but_epw_error_escapes_on_random_bytes():
    generator = np.random.default_rng(1)
    for _ in range(20):
        with pytest.raises(EpwError):
            read_epw(generator.integers(0, 256, size=5000, dtype=np.uint8).tobytes())
