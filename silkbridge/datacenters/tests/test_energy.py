"""Annual PUE, energy and cost: the relations an energy engineer would check first."""

from __future__ import annotations

import pytest

from silkbridge.datacenters.engine.energy import EnergyInputError, estimate_energy
from silkbridge.datacenters.engine.epw import read_epw
from silkbridge.datacenters.engine.model import Component, Design, Energy, Kind, Site

from .epw_samples import epw_text

N_PLUS_ONE = (Component(id="ups", kind=Kind.UPS, capacity_kw=1250, modules=5, efficiency=0.965),)
TWO_N = (
    Component(id="ups-a", kind=Kind.UPS, capacity_kw=1000, modules=4, efficiency=0.965),
    Component(id="ups-b", kind=Kind.UPS, capacity_kw=1000, modules=4, efficiency=0.965),
)
TRANSFORMERS = (
    Component(id="tx-a", kind=Kind.TRANSFORMER, capacity_kw=2000),
    Component(id="tx-b", kind=Kind.TRANSFORMER, capacity_kw=2000),
)


def make_design(
    city: str | None = "islamabad",
    *,
    cooling_type: str = "water_cooled_chiller",
    economiser: str = "waterside",
    supply_air_c: float = 24.0,
    chilled_water_c: float = 12.0,
    load_fraction: float = 1.0,
    ups: tuple[Component, ...] = N_PLUS_ONE,
    tariff_per_kwh: float | None = None,
    currency: str = "PKR",
) -> Design:
    return Design(
        name="1 MW test hall",
        it_load_kw=1000.0,
        site=Site(city=city, country="PK"),
        components=ups + TRANSFORMERS,
        paths=(),
        energy=Energy(
            cooling_type=cooling_type,
            economiser=economiser,
            supply_air_c=supply_air_c,
            chilled_water_c=chilled_water_c,
            load_fraction=load_fraction,
            tariff_per_kwh=tariff_per_kwh,
            currency=currency,
        ),
    )


def test_result_shape_and_keys():
    result = estimate_energy(make_design())
    data = result.to_dict()
    assert set(data) == {
        "pue_annual",
        "pue_monthly",
        "pue_at_load",
        "load_fraction",
        "hours",
        "economiser_hours",
        "partial_economiser_hours",
        "mechanical_cooling_hours",
        "hours_outside_a1",
        "hours_outside_a1_note",
        "it_energy_mwh",
        "facility_energy_mwh",
        "cooling_energy_mwh",
        "losses_energy_mwh",
        "misc_energy_mwh",
        "breakdown_mwh",
        "annual_cost",
        "currency",
        "tariff_per_kwh",
        "tariff_reference",
        "electrical",
        "climate_source",
        "method",
        "warnings",
    }
    assert len(data["pue_monthly"]) == 12
    assert [point["load_fraction"] for point in data["pue_at_load"]] == [0.25, 0.5, 0.75, 1.0]
    assert data["hours"] == 8760
    assert data["it_energy_mwh"] == pytest.approx(8760.0)
    assert data["climate_source"]["kind"] == "normals"
    assert data["climate_source"]["sources"]
    assert data["electrical"]["ups_redundancy"] == "N+1"
    assert data["economiser_hours"] + data["mechanical_cooling_hours"] == 8760


def test_energy_balance_adds_up():
    result = estimate_energy(make_design())
    parts = result.it_energy_mwh + result.cooling_energy_mwh + result.losses_energy_mwh + result.misc_energy_mwh
    assert result.facility_energy_mwh == pytest.approx(parts, abs=0.01)
    assert result.pue_annual == pytest.approx(result.facility_energy_mwh / result.it_energy_mwh, abs=1e-3)
    assert sum(result.breakdown_mwh.values()) + result.it_energy_mwh == pytest.approx(
        result.facility_energy_mwh, abs=0.05
    )


@pytest.mark.parametrize("city", ["islamabad", "lahore", "karachi", "peshawar", "quetta", "beijing", "urumqi"])
def test_pue_stays_in_the_published_range(city):
    # Reference section 4: new large sites about 1.3, global average 1.56-1.58, MEA 1.79 (2020).
    for cooling_type, economiser in (("water_cooled_chiller", "waterside"), ("air_cooled_chiller", "none")):
        pue = estimate_energy(make_design(city, cooling_type=cooling_type, economiser=economiser)).pue_annual
        assert 1.15 < pue < 1.8


def test_karachi_air_cooled_is_worse_than_islamabad_water_cooled_with_economiser():
    islamabad = estimate_energy(make_design("islamabad"))
    karachi = estimate_energy(make_design("karachi", cooling_type="air_cooled_chiller", economiser="none"))
    assert karachi.pue_annual > islamabad.pue_annual + 0.1


@pytest.mark.parametrize("cold_city", ["beijing", "urumqi"])
def test_colder_climate_gives_more_economiser_hours_and_lower_pue(cold_city):
    islamabad = estimate_energy(make_design("islamabad"))
    cold = estimate_energy(make_design(cold_city))
    assert cold.economiser_hours > islamabad.economiser_hours + 2000
    assert cold.pue_annual < islamabad.pue_annual


def test_summer_months_cost_more_than_winter_months():
    monthly = estimate_energy(make_design("islamabad")).pue_monthly
    assert monthly[5] > monthly[0] + 0.1  # June against January


def test_economiser_lowers_pue():
    without = estimate_energy(make_design("beijing", economiser="none"))
    waterside = estimate_energy(make_design("beijing", economiser="waterside"))
    assert without.economiser_hours == 0
    assert waterside.pue_annual < without.pue_annual


@pytest.mark.parametrize(
    ("cooling_type", "economiser"), [("dx", "airside"), ("air_cooled_chiller", "airside"), ("dx", "none")]
)
def test_higher_supply_air_set_point_lowers_pue(cooling_type, economiser):
    cold_aisle_18 = estimate_energy(
        make_design("lahore", cooling_type=cooling_type, economiser=economiser, supply_air_c=18)
    )
    cold_aisle_27 = estimate_energy(
        make_design("lahore", cooling_type=cooling_type, economiser=economiser, supply_air_c=27)
    )
    assert cold_aisle_27.pue_annual < cold_aisle_18.pue_annual
    assert cold_aisle_27.economiser_hours >= cold_aisle_18.economiser_hours


def test_low_supply_air_forces_colder_chilled_water():
    warm = estimate_energy(make_design("islamabad", chilled_water_c=18.0, supply_air_c=27.0))
    cold = estimate_energy(make_design("islamabad", chilled_water_c=18.0, supply_air_c=20.0))
    assert warm.pue_annual < cold.pue_annual


def test_two_n_at_thirty_percent_load_has_higher_pue_than_n_plus_one():
    n_plus_one = estimate_energy(make_design(load_fraction=0.3, ups=N_PLUS_ONE))
    two_n = estimate_energy(make_design(load_fraction=0.3, ups=TWO_N))
    assert two_n.electrical["ups_redundancy"] == "2N"
    assert two_n.electrical["ups_loading"] == pytest.approx(0.15)
    assert two_n.breakdown_mwh["ups_losses"] > n_plus_one.breakdown_mwh["ups_losses"] * 1.3
    assert two_n.pue_annual > n_plus_one.pue_annual


def test_pue_rises_at_low_load():
    points = dict(estimate_energy(make_design()).pue_at_load)
    assert points[0.25] > points[0.5] > points[1.0] - 0.01


def test_a_less_efficient_ups_loses_more():
    good = estimate_energy(make_design())
    poor_ups = (Component(id="ups", kind=Kind.UPS, capacity_kw=1250, modules=5, efficiency=0.93),)
    poor = estimate_energy(make_design(ups=poor_ups))
    assert poor.breakdown_mwh["ups_losses"] > 1.8 * good.breakdown_mwh["ups_losses"]


def test_missing_ups_and_transformers_are_assumed_and_warned():
    design = Design(name="bare", it_load_kw=500.0, site=Site(city="lahore"), components=(), paths=())
    result = estimate_energy(design)
    assert result.electrical["ups_assumed"] is True
    assert result.electrical["ups_redundancy"] == "N+1 (assumed)"
    assert len(result.warnings) == 2


def test_an_epw_year_gives_a_result_from_its_hours():
    weather = read_epw(epw_text(city="Hourlyville", mean_c=22.0))
    result = estimate_energy(make_design(city=None), hourly=weather)
    assert result.climate_source["kind"] == "epw"
    assert result.climate_source["city"] == "Hourlyville"
    assert result.hours == 8760
    assert 1.1 < result.pue_annual < 1.8


def test_hourly_weather_wins_over_the_city_and_a_cold_year_beats_a_hot_one():
    cold = estimate_energy(make_design("karachi"), hourly=read_epw(epw_text(mean_c=5.0)))
    hot = estimate_energy(make_design("karachi"), hourly=read_epw(epw_text(mean_c=28.0)))
    assert cold.economiser_hours > hot.economiser_hours
    assert cold.pue_annual < hot.pue_annual


def test_leap_year_epw_counts_8784_hours():
    result = estimate_energy(make_design(), hourly=read_epw(epw_text(leap=True)))
    assert result.hours == 8784
    assert result.it_energy_mwh == pytest.approx(8784.0)


def test_cost_scales_with_tariff():
    base = estimate_energy(make_design(tariff_per_kwh=35.0))
    double = estimate_energy(make_design(tariff_per_kwh=70.0))
    assert base.currency == "PKR"
    assert base.annual_cost == pytest.approx(base.facility_energy_mwh * 1000 * 35.0, rel=1e-6)
    assert base.annual_cost is not None
    assert double.annual_cost == pytest.approx(2 * base.annual_cost, rel=1e-6)


def test_no_tariff_gives_no_cost_but_the_reference_range():
    data = estimate_energy(make_design()).to_dict()
    assert data["annual_cost"] is None
    assert data["currency"] is None
    assert "Rs 32-42/kWh" in data["tariff_reference"]


def test_unknown_city_without_weather_is_refused():
    with pytest.raises(EnergyInputError, match="EPW"):
        estimate_energy(make_design("atlantis"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cooling_type": "absorption"}, "cooling_type"),
        ({"economiser": "magic"}, "economiser"),
        ({"supply_air_c": 40.0}, "supply_air_c"),
        ({"load_fraction": 0.0}, "load_fraction"),
    ],
)
def test_bad_energy_settings_are_refused(changes, message):
    with pytest.raises(EnergyInputError, match=message):
        estimate_energy(make_design(**changes))
