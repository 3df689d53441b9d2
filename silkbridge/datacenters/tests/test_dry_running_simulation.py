"""Monte Carlo on designs that run their tanks dry many times a year (issue 12, simulation cost).

The dry outages that touch no other window are summed in closed form instead of drawn one by one (and a lone
generator's windows that meet nothing else are added up without the sweep). These
tests hold the summed estimate to the old one (every dry outage drawn, `sum_isolated_fuel=False`) within
the two confidence intervals, and to the analytical figure, on three designs written apart from the engine:
the Tier I example on its Karachi site, a Tier III proposal with 2 h of fuel, a hospital rack room whose
tank runs dry on most long outages.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from silkbridge.datacenters.engine.availability_analytical import analytical_unavailability
from silkbridge.datacenters.engine.availability_simulation import (
    _FuelProcess,
    _occupation_moments,
    _Simulator,
    _union,
    confidence_interval,
    simulate,
)
from silkbridge.datacenters.engine.availability_structure import Structure
from silkbridge.datacenters.engine.model import Design
from silkbridge.datacenters.engine.parse import design_load
from silkbridge.datacenters.engine.reliability_data import HOURS_PER_YEAR, element_data, grid_data

ROOT = Path(__file__).resolve().parents[3]
TIER1 = ROOT / "examples" / "datacenters" / "tier1.yaml"
NO_FUEL = Path(__file__).parent / "designs" / "tier3_no_fuel.yaml"
PESHAWAR = Path(__file__).parent / "designs" / "unseen" / "peshawar_hospital_rack_room_small_tank.yaml"


def load(path: Path) -> Design:
    parsed = design_load(path.read_text(encoding="utf-8"), filename=path.name)
    assert parsed.design is not None, parsed.errors
    return parsed.design


def structure_and_grid(path: Path) -> tuple[Structure, object]:
    design = load(path)
    return Structure(design, element_data(design)), grid_data(design)


@pytest.mark.parametrize(
    ("path", "years", "dry_per_year"),
    [(TIER1, 40_000, 6.7), (NO_FUEL, 20_000, 93.3), (PESHAWAR, 5_000, 267.7)],
    ids=["tier1-karachi", "tier3-two-hours-of-fuel", "peshawar-eight-hour-tank"],
)
def test_summed_dry_outages_agree_with_drawing_every_one(path: Path, years: int, dry_per_year: float) -> None:
    structure, grid = structure_and_grid(path)
    simulator = _Simulator(structure, grid, np.random.Generator(np.random.PCG64(0)))  # type: ignore[arg-type]
    process = simulator._fuel_process
    assert isinstance(process, _FuelProcess)  # the summed path is taken on these designs
    assert process.rate * HOURS_PER_YEAR == pytest.approx(dry_per_year, rel=0.01)
    summed = simulate(structure, grid, years=years, seed=11)  # type: ignore[arg-type]
    drawn = simulate(structure, grid, years=years, seed=12, sum_isolated_fuel=False)  # type: ignore[arg-type]
    low_s, high_s = confidence_interval(summed, 0.99)
    low_d, high_d = confidence_interval(drawn, 0.99)
    allowed = math.hypot((high_s - low_s) / 2, (high_d - low_d) / 2)
    assert abs(summed.unavailability - drawn.unavailability) <= allowed
    # The intervals are alike: the summed part carries the variance of the whole dry-outage process. Each
    # width is itself estimated from 50 batch means (about +-10 %), so their ratio may stray by 40 %.
    assert 0.6 < (high_s - low_s) / (high_d - low_d) < 1.6
    # Outages a year: each summed dry spell still counts as one outage.
    assert summed.outages / years == pytest.approx(drawn.outages / years, rel=0.01)
    # The analytical figure counts overlapping dry outages twice, the simulation once, and carries generator
    # repairs between outages only on average: it sits at or above the simulated downtime, within 6 % of it
    # (tier1: 4.1 %, the same gap as before the dry outages were summed).
    analytical = analytical_unavailability(structure, grid).unavailability  # type: ignore[arg-type]
    assert summed.unavailability <= analytical * 1.002
    assert summed.unavailability == pytest.approx(analytical, rel=0.06)


def test_dry_outage_process_moments_match_the_sampler() -> None:
    """Coverage, its variance and the number of dry spells of the closed form against drawn dry outages."""
    structure, grid = structure_and_grid(NO_FUEL)
    simulator = _Simulator(structure, grid, np.random.Generator(np.random.PCG64(5)))  # type: ignore[arg-type]
    process = simulator._fuel_process
    assert process is not None
    years, length = 200, 200 * HOURS_PER_YEAR
    covered, spells = [], []
    dry_probability = simulator._fuel[0]
    for _ in range(150):
        count = simulator.rng.binomial(simulator.rng.poisson(grid.outages_per_year * years), dry_probability)  # type: ignore[attr-defined]
        start, end = simulator._draw_dry(
            simulator.rng.random(count) * length, simulator._fuel_joint, 0.0, lambda *_: None
        )
        end = np.minimum(end, length)
        low, high = _union(start[end > start], end[end > start])
        covered.append(float((high - low).sum()) / length)
        spells.append(low.size / years)
    standard_error = float(np.std(covered)) / math.sqrt(len(covered))
    assert float(np.mean(covered)) == pytest.approx(process.coverage, abs=4 * standard_error)
    assert float(np.std(covered)) == pytest.approx(math.sqrt(process.variance / length), rel=0.2)
    assert float(np.mean(spells)) == pytest.approx(process.clumps * HOURS_PER_YEAR, rel=0.01)


def test_few_dry_outages_are_all_drawn() -> None:
    """A short run (under 5,000 expected dry outages and 2,000 generator windows a chunk) draws and sweeps
    every one: the result is the reference one, to the last digit."""
    structure, grid = structure_and_grid(TIER1)
    first = simulate(structure, grid, years=500, seed=3)  # type: ignore[arg-type]
    second = simulate(structure, grid, years=500, seed=3, sum_isolated_fuel=False)  # type: ignore[arg-type]
    assert first.unavailability == second.unavailability
    assert first.outages == second.outages


def test_summed_grid_occupation_has_the_moments_of_the_sampled_grid() -> None:
    """Grid-down time inside 1,500 windows (fewer than _SUMMED_SEGMENTS: sampled span by span), 300 times over,
    against the closed-form mean and variance that replace the sampling when a chunk has many windows."""
    structure, grid = structure_and_grid(TIER1)
    simulator = _Simulator(structure, grid, np.random.Generator(np.random.PCG64(2)))  # type: ignore[arg-type]
    windows = np.random.default_rng(4)
    lengths = windows.exponential(18.3, 1_500)  # a generator repair's remainder after its outage
    start_up = windows.random(1_500) < 0.5
    draws = np.array([simulator._grid_occupation(lengths, start_up) for _ in range(300)])
    mean, variance, entries = _occupation_moments(
        lengths,
        np.where(start_up, 0.0, grid.unavailability),  # type: ignore[attr-defined]
        1 / grid.mean_up_hours,  # type: ignore[attr-defined]
        1 / grid.mean_outage_hours,  # type: ignore[attr-defined]
    )
    spread = float(draws[:, 0].std())
    assert float(draws[:, 0].mean()) == pytest.approx(float(mean.sum()), abs=4 * spread / math.sqrt(300))
    assert spread == pytest.approx(math.sqrt(float(variance.sum())), rel=0.15)
    assert float(draws[:, 1].mean()) == pytest.approx(float(entries.sum()), rel=0.01)
