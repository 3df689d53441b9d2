"""Availability, part 2: the analytical estimate (minimal cut sets, conditioned on the grid).

See the method notes in `availability` for the model; this module only evaluates it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from silkbridge.datacenters.engine.availability_structure import INFINITY, Block, Structure
from silkbridge.datacenters.engine.model import Kind
from silkbridge.datacenters.engine.network import DesignNetworks
from silkbridge.datacenters.engine.reliability_data import HOURS_PER_YEAR, FuelSupplyData, GridData, fuel_supply_data

_TRIPLE_EPSILON = 1e-4
_MAINTENANCE_PAIR_BLOCKS = 15


@dataclass
class _GeneratorFigures:
    standby_unavailability: float
    start_success: float  # p0 = A_op (1 - FTS)
    fail_to_run: float
    repair_rate: float


def _block_unavailability(structure: Structure, block: Block, *, skip_generator: bool = False) -> float:
    availability = 1.0
    for member in block.members:
        figures = structure.element_figures(member)
        if skip_generator and figures.kind == Kind.GENERATOR.value:
            continue
        availability *= 1.0 - figures.unavailability
    return 1.0 - availability


def _generator_figures(structure: Structure, block: Block, grid: GridData) -> _GeneratorFigures:
    """Standby unavailability includes sets still in repair after failing in an earlier outage.

    On a weak grid a set fails to start or to run many times a year; the time it then spends in repair
    carries over into the following outages and into grid-up time (it cannot back up an internal failure).
    """
    assert block.component is not None
    figures = structure.element_figures(block.component)
    fail_to_start = figures.fail_to_start or 0.0
    fail_to_run = figures.fail_to_run_per_hour or 0.0
    if structure.has_utility:
        demand_failures_per_hour = (
            grid.outages_per_year * fail_to_start / HOURS_PER_YEAR + fail_to_run * grid.unavailability
        )
    else:
        demand_failures_per_hour = fail_to_run
    in_repair = demand_failures_per_hour * figures.mttr_hours
    standby = min(1.0, figures.unavailability + in_repair / (1.0 + in_repair))
    return _GeneratorFigures(
        standby_unavailability=standby,
        start_success=(1.0 - standby) * (1.0 - fail_to_start),
        fail_to_run=figures.fail_to_run_per_hour or 0.0,
        repair_rate=1.0 / figures.mttr_hours if figures.mttr_hours > 0 else INFINITY,
    )


def _running_availability(generator: _GeneratorFigures, age_hours: float) -> float:
    """P(generator up at a given age of an outage): a two-state Markov chain started at p0."""
    if math.isinf(generator.repair_rate):
        return 1.0
    total = generator.fail_to_run + generator.repair_rate
    limit = generator.repair_rate / total
    return limit + (generator.start_success - limit) * math.exp(-total * age_hours)


def _minimal_cut_sets(
    is_down: Callable[[frozenset[int]], bool],
    candidates: list[int],
    worst_q: dict[int, float],
    *,
    max_order: int,
    pair_candidates: list[int] | None = None,
) -> list[tuple[int, ...]]:
    if is_down(frozenset()):
        return [()]
    cuts: list[tuple[int, ...]] = [(block,) for block in candidates if is_down(frozenset({block}))]
    single = {cut[0] for cut in cuts}
    rest = [block for block in (pair_candidates or candidates) if block not in single]
    pair_cuts = {pair for pair in itertools.combinations(rest, 2) if is_down(frozenset(pair))}
    cuts.extend(pair_cuts)
    if max_order < 3:
        return cuts
    estimate = sum(math.prod(worst_q[b] for b in cut) for cut in cuts) or 1e-12
    threshold = _TRIPLE_EPSILON * estimate
    ordered = sorted(rest, key=lambda block: -worst_q[block])
    for first_position, first in enumerate(ordered):
        for second_position in range(first_position + 1, len(ordered)):
            second = ordered[second_position]
            if worst_q[first] * worst_q[second] * worst_q[second] < threshold:
                break
            if (first, second) in pair_cuts or (second, first) in pair_cuts:
                continue
            for third in ordered[second_position + 1 :]:
                if worst_q[first] * worst_q[second] * worst_q[third] < threshold:
                    break
                triple = (first, second, third)
                if any(pair in pair_cuts or pair[::-1] in pair_cuts for pair in itertools.combinations(triple, 2)):
                    continue
                if is_down(frozenset(triple)):
                    cuts.append(triple)
    return cuts


def _cut_probabilities(cuts: list[tuple[int, ...]], q: dict[int, float]) -> list[float]:
    return [math.prod(q[block] for block in cut) for cut in cuts]


def _esary_proschan(probabilities: list[float]) -> float:
    return 1.0 - math.prod(1.0 - probability for probability in probabilities)


@dataclass
class AnalyticalResult:
    unavailability: float
    shares: dict[str, float]  # block or "grid"/"fuel" -> unavailability attributed (Fussell-Vesely)
    cut_counts: dict[str, int]


def _outage_quadrature(grid: GridData, fuel_out: float) -> list[tuple[float, float]]:
    """Nodes (age, weight) over the outage age for the fuel-ok share of grid-down time (1 - fuel_out).

    The fuel-out windows fall at a random age (the level at the outage start depends on the delivery
    cycle), so the fuel-ok share is spread over all ages in proportion.
    """
    rate = 1.0 / grid.mean_outage_hours
    points, weights = np.polynomial.laguerre.laggauss(24)
    return [
        (float(point / rate), float(weight * (1.0 - fuel_out))) for point, weight in zip(points, weights, strict=True)
    ]


_CYCLE_POINTS = 400  # midpoints over the phase of the delivery cycle at an outage start


def fuel_out_fraction(autonomy: float, supply: FuelSupplyData, grid: GridData, burn: float) -> float:
    """The share of grid-down time spent with the generators dry, under scheduled deliveries.

    An outage starts at a uniform phase u of the delivery cycle (interval I): the tanks hold
    A - burn * u * I hours (burn: the share of time the generators run), the next delivery is due after
    (1 - u) * I, and each delivery fails with probability p, to be replaced min(lead time, I) later. The
    plant is dry from the age the tanks run out until the first delivery that arrives (or the grid returns);
    with exponential outages the share of down time at an age beyond a is exp(-a / mean). A second
    exhaustion after a refill within the same outage is not counted.
    """
    if math.isinf(autonomy) or grid.mean_outage_hours <= 0:
        return 0.0
    rate = 1.0 / grid.mean_outage_hours
    interval, retry, failure = (
        supply.interval_hours,
        min(supply.lead_time_hours, supply.interval_hours),
        supply.failure_probability,
    )
    total = 0.0
    for step in range(_CYCLE_POINTS):
        phase = (step + 0.5) / _CYCLE_POINTS
        level = max(0.0, autonomy - burn * phase * interval)
        attempt, chance = 1, 1.0 - failure
        while True:
            arrival = (1.0 - phase) * interval + (attempt - 1) * retry
            weight = chance * failure ** (attempt - 1)
            if arrival > level:
                total += weight * (math.exp(-rate * level) - math.exp(-rate * arrival))
            if failure**attempt < 1e-12 or attempt > 200:
                break
            attempt += 1
    return min(total / _CYCLE_POINTS, 1.0)


def _analyse(
    structure: Structure,
    grid: GridData,
    *,
    forced: frozenset[int] = frozenset(),
    maintenance: bool = False,
    max_order: int = 3,
    pair_limit: int | None = None,
) -> AnalyticalResult:
    blocks = structure.blocks
    generators = {
        index: _generator_figures(structure, blocks[index], grid) for index, b in enumerate(blocks) if b.is_generator
    }
    plain_q = {
        index: _block_unavailability(structure, block, skip_generator=True) for index, block in enumerate(blocks)
    }
    grid_down_weight = grid.unavailability if structure.has_utility else 1.0
    autonomy = fuel_autonomy(structure)
    fuel_out = fuel_out_fraction(
        autonomy, fuel_supply_data(structure.design, autonomy, grid), grid, grid.unavailability
    )
    nodes = _outage_quadrature(grid, fuel_out)
    if not structure.has_utility:
        nodes, fuel_out = [(1e6, 1.0)], 0.0  # prime power: generators at their long-run running availability

    def q_up(index: int) -> float:
        if index in forced:
            return 1.0
        if index in generators:
            return 1 - (1 - plain_q[index]) * (1 - generators[index].standby_unavailability)
        return plain_q[index]

    def q_down(index: int, age: float) -> float:
        if index in forced:
            return 1.0
        if index in generators:
            return 1 - (1 - plain_q[index]) * _running_availability(generators[index], age)
        return plain_q[index]

    shares: dict[str, float] = {}
    cut_counts: dict[str, int] = {}
    free = [index for index in range(len(blocks)) if index not in forced]
    limited = sorted(free, key=lambda index: -q_up(index))[:pair_limit] if pair_limit else None

    # Grid up.
    up_cuts = _minimal_cut_sets(
        lambda down: not structure.is_up(down | forced, grid_up=True, maintenance=maintenance),
        free,
        {index: q_up(index) for index in free},
        max_order=max_order,
        pair_candidates=limited,
    )
    cut_counts["grid_up"] = len(up_cuts)
    up_probabilities = _cut_probabilities(up_cuts, {index: q_up(index) for index in free})
    unavailability_up = _esary_proschan(up_probabilities)
    _attribute(shares, up_cuts, up_probabilities, unavailability_up * (1 - grid_down_weight), blocks)

    # Grid down: utility blocks cannot help, so they are left out of the search.
    down_free = [index for index in free if not blocks[index].is_utility]
    worst = {index: max(q_down(index, age) for age, _ in nodes) for index in down_free}
    down_cuts = _minimal_cut_sets(
        lambda down: not structure.is_up(down | forced, grid_up=False, maintenance=maintenance),
        down_free,
        worst,
        max_order=max_order,
        pair_candidates=[index for index in limited if index in worst] if limited else None,
    )
    cut_counts["grid_down"] = len(down_cuts)
    unavailability_down = 0.0
    for age, weight in nodes:
        q = {index: q_down(index, age) for index in down_free}
        probabilities = _cut_probabilities(down_cuts, q)
        value = _esary_proschan(probabilities)
        unavailability_down += weight * value
        _attribute(shares, down_cuts, probabilities, weight * value * grid_down_weight, blocks)
    unavailability_down += fuel_out
    if fuel_out:
        shares["fuel"] = shares.get("fuel", 0.0) + fuel_out * grid_down_weight
    total = (1 - grid_down_weight) * unavailability_up + grid_down_weight * unavailability_down
    return AnalyticalResult(unavailability=total, shares=shares, cut_counts=cut_counts)


def _attribute(
    shares: dict[str, float],
    cuts: list[tuple[int, ...]],
    probabilities: list[float],
    amount: float,
    blocks: list[Block],
) -> None:
    """Fussell-Vesely: each block's share is the fraction of cut-set probability in cuts containing it."""
    total = sum(probabilities)
    if total <= 0 or amount <= 0:
        return
    for cut, probability in zip(cuts, probabilities, strict=True):
        names = [blocks[index].name for index in cut] or ["grid"]
        for name in names:
            shares[name] = shares.get(name, 0.0) + amount * probability / total


def fuel_autonomy(structure: Structure) -> float:
    if not structure.tanks:
        return INFINITY
    hours = [structure.components[tank].fuel_hours for tank in structure.tanks]
    if any(value is None for value in hours):
        return INFINITY
    # Only what the tanks can deliver to generators that carry N (the same figure as the Tier criterion).
    return DesignNetworks(structure.design).fuel_autonomy()


def maintained_blocks(structure: Structure) -> dict[int, float]:
    hours: dict[int, float] = {}
    for index, block in enumerate(structure.blocks):
        if block.module_of is not None:
            continue
        total = sum(structure.element_figures(member).maintenance_hours_per_year for member in block.members)
        if total > 0:
            hours[index] = total
    return hours


def analytical_unavailability(structure: Structure, grid: GridData) -> AnalyticalResult:
    """Base unavailability plus one-at-a-time planned maintenance windows."""
    base = _analyse(structure, grid)
    maintained = maintained_blocks(structure)
    fractions = {index: min(hours / HOURS_PER_YEAR, 1.0) for index, hours in maintained.items()}
    scale = max(0.0, 1.0 - sum(fractions.values()))
    total = scale * base.unavailability
    shares = {name: scale * value for name, value in base.shares.items()}
    for index, fraction in fractions.items():
        during = _analyse(
            structure,
            grid,
            forced=frozenset({index}),
            maintenance=True,
            max_order=2,
            pair_limit=_MAINTENANCE_PAIR_BLOCKS,
        )
        total += fraction * during.unavailability
        for name, value in during.shares.items():
            shares[name] = shares.get(name, 0.0) + fraction * value
    return AnalyticalResult(unavailability=total, shares=shares, cut_counts=base.cut_counts)
