"""Psychrometrics against published ASHRAE Handbook—Fundamentals (SI) values."""

from __future__ import annotations

import numpy as np
import pytest

from silkbridge.datacenters.engine import psychrometrics


@pytest.mark.parametrize(
    ("temperature_c", "table_pa"),
    [
        # ASHRAE Fundamentals 2017 SI, chapter 1, Table 3 (saturation pressure; over ice below 0 °C).
        (-20.0, 103.26),
        (0.0, 611.2),
        (20.0, 2339.3),
        (35.0, 5629.0),
        (40.0, 7385.1),
    ],
)
def test_saturation_pressure_matches_ashrae_table(temperature_c, table_pa):
    assert psychrometrics.saturation_pressure_pa(temperature_c) == pytest.approx(table_pa, rel=1e-3)


def test_station_pressure_matches_ashrae_standard_atmosphere():
    # ASHRAE Fundamentals chapter 1, Table 1: 1500 m -> 84.556 kPa; sea level 101.325 kPa.
    assert psychrometrics.station_pressure_pa(0.0) == pytest.approx(101_325.0)
    assert psychrometrics.station_pressure_pa(1500.0) == pytest.approx(84_556.0, rel=1e-4)


@pytest.mark.parametrize(
    ("dry_bulb_c", "relative_humidity_pct", "wet_bulb_c"),
    [
        (35.0, 40.0, 24.0),  # psychrometric chart, sea level
        (30.0, 50.0, 22.0),
        (20.0, 100.0, 20.0),  # saturated air: wet-bulb equals dry-bulb
    ],
)
def test_wet_bulb_from_relative_humidity_at_sea_level(dry_bulb_c, relative_humidity_pct, wet_bulb_c):
    assert psychrometrics.wet_bulb_from_relative_humidity(dry_bulb_c, relative_humidity_pct) == pytest.approx(
        wet_bulb_c, abs=0.15
    )


def test_wet_bulb_inverts_ashrae_equation_33():
    # Eq. 33 at 40 °C dry-bulb and 20 °C wet-bulb gives W = 0.00646 kg/kg (worked by hand).
    assert psychrometrics.wet_bulb_from_humidity_ratio(40.0, 0.00646) == pytest.approx(20.0, abs=0.1)


def test_wet_bulb_below_freezing_lies_between_dew_point_and_dry_bulb():
    wet_bulb = psychrometrics.wet_bulb_from_dew_point(-5.0, -10.0)
    assert -10.0 < wet_bulb < -5.0


def test_altitude_lowers_the_wet_bulb_at_the_same_relative_humidity():
    sea_level = psychrometrics.wet_bulb_from_relative_humidity(35.0, 40.0)
    quetta = psychrometrics.wet_bulb_from_relative_humidity(35.0, 40.0, psychrometrics.station_pressure_pa(1650.0))
    assert quetta < sea_level - 0.3


def test_dew_point_and_relative_humidity_round_trip():
    dew_point = psychrometrics.dew_point_from_relative_humidity(20.0, 50.0)
    assert dew_point == pytest.approx(9.3, abs=0.05)
    assert psychrometrics.relative_humidity_from_dew_point(20.0, dew_point) == pytest.approx(50.0, abs=1e-6)


def test_humidity_ratio_at_saturation_matches_ashrae_table():
    # Table 2, 20 °C saturated: Ws = 0.014758 kg/kg. The table includes the enhancement factor
    # (about 1.004 near sea level) that the ideal-gas formula leaves out, hence 0.5 %.
    saturated = psychrometrics.humidity_ratio(psychrometrics.saturation_pressure_pa(20.0))
    assert saturated == pytest.approx(0.014758, rel=5e-3)
    assert saturated < 0.014758


def test_functions_accept_arrays_and_keep_their_shape():
    dry_bulb = np.array([35.0, 30.0, -5.0])
    wet_bulb = psychrometrics.wet_bulb_from_dew_point(dry_bulb, np.array([18.9, 18.4, -10.0]))
    assert isinstance(wet_bulb, np.ndarray)
    assert wet_bulb.shape == (3,)
    assert np.all(wet_bulb <= dry_bulb)
    assert isinstance(psychrometrics.wet_bulb_from_dew_point(35.0, 18.9), float)
