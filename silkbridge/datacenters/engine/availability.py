"""Availability of a data-center design: an analytical estimate and a Monte Carlo simulation.

Method notes (for the engineer reading the report)
--------------------------------------------------

*What is UP.* The design is two directed networks. The power network is UP when the maximum flow from
the available sources (utility feeds while the grid is up; generators that are available, started,
running and have fuel) to the IT load is at least the IT load; the cooling network is UP when the flow
from the chillers/CRAC units to the heat load is at least the cooling load. Both must be UP. Node
capacities are `capacity_kw` (None: unlimited); a component with `modules: m` carries capacity/m per
working module and each module fails on its own. A cooling unit with `powered_by` is down when none of
those power components is energised (reachable from an available source through working elements).
Alternate paths (`active: false`) need manual switching, which takes longer than UPS or thermal
ride-through, so they are NOT used against unplanned failures; they ARE used while an element is out
for planned maintenance (the purpose of concurrent maintainability).

*Elements.* Every component, every UPS/chiller module and every path can fail (constant rate, repair
exponential with the stated MTTR). A path that is the only way into (or out of) a component is merged
with that component into one block, because their failures have the same effect; the report names the
block after the component. The utility grid is one common element for all utility feeds (two feeds
from the same grid fail together — pessimistic for truly independent substations). Grid outages are an
alternating process with exponential up and down times from the site's frequency and mean duration.

*Generators* are standby units, not ordinary parallel blocks: standing by they fail at the standby rate
(from NREL's operational availability 0.9998); every grid outage demands a start (fail to start per
demand); running they fail at the fail-to-run rate per running hour; a failed set is repaired (MTTR)
and then rejoins. Demands caused by failures inside the facility (a failed utility transformer) are not
counted as extra starts. Fuel: the fuel on site is what the tanks can deliver to
generators that carry N (topology's fuel autonomy). Scheduled deliveries top the tanks up
(site.fuel_supply, else the stated default of reliability.yaml `fuel`): an outage starts at a random
phase of the delivery cycle, with the tanks short of what was burnt since the last delivery; the plant is
dry from the moment the tanks run out until a delivery arrives (each fails with a probability and is
replaced after the lead time) or the grid returns. A generator is fed only through a working tank and
fuel line.

*Maintenance windows* (reliability.yaml, e.g. 168 h/yr per chiller train, OREDA) are taken one element
at a time, never overlapping, with alternate paths in use.

*Analytical estimate.* Conditioned on the grid being up or down, the elements are independent. For each
condition the minimal cut sets of order 1 and 2 are found exhaustively by failing blocks and re-running
the max-flow; cut sets of order 3 are searched among blocks whose product of unavailabilities is at
least 1e-4 of the order-1/2 result (each skipped triple contributes less than that). Unavailability is
the Esary-Proschan cut-set bound 1 - prod(1 - prod q). During an outage the generator availability
depends on the time since the outage began, p(t) = A_inf + (p0 - A_inf) exp(-(lambda_FTR + mu) t) with
p0 = A_op (1 - FTS); the system unavailability is integrated over the outage age with Gauss quadrature
(weights exp(-t/mean outage)), and the fuel-out window adds its probability directly. Maintenance
conditions use order-1 cut sets and order-2 sets among the 15 least available blocks.
Exact: series chains, k-out-of-n and parallel structures up to order 3 without generators (the cut-set
bound is exact for disjoint cut sets and a close upper bound otherwise). Approximate: larger cut sets
are dropped; a set still in repair after failing in an earlier outage is carried over only on
average (its repair time is added to the standby unavailability, not correlated with the outage
sequence); common-cause failures are not modelled.

*Monte Carlo.* Failure counts per element are sampled over the whole horizon (Poisson), with uniform
times and exponential repairs; generator fail-to-start events are thinned binomially from the number of
grid outages and fail-to-run events are sampled over the expected running hours, each anchoring the
grid outage it happened in; fuel-out windows are thinned the same way. The system state changes only
at these events, so the structure function is evaluated once per distinct set of failed blocks
(cached). Where the outcome then depends only on whether the grid is up, the grid is sampled locally
(it is memoryless; right after an anchored outage it starts up). Failure windows of redundant
generators that overlap only each other, never with more sets down at once than are spare (any k sets
may be down with nothing else failed), cannot change the state and are dropped before the sweep. The
horizon is split into batches; the confidence interval is the batch-means normal interval.
Where the plant with nothing failed is down exactly while dry, dry outages whose grid outage meets no other
window are not drawn: their covered time (the union of their dry intervals, a Boolean model on the time
axis) is drawn per chunk from its normal limit with its exact mean and variance, less what the drawn ones
cover; only dry outages near other windows, or longer than fuel autonomy + 6 mean outages, are drawn. A
lone generator's window (its failure alone leaves the plant on the grid only) that meets nothing else is
added up directly, and many grid-sensitive windows have their grid-down time drawn from the two-state
chain's exact mean and variance. Short runs (few such windows a chunk) draw and sweep everything. Weak spots:
apart from that restart the locally sampled grid is independent of nearby anchored outages, and a
repair that outlasts a 5,000-year chunk is cut at its end.

*Which figures dominate.* On a Pakistani grid (about 2.5 outages a day) the generators run about half
the time: fail-to-run, fail-to-start, generator redundancy and fuel autonomy against resupply dominate.
On a strong grid the UPS modules, single switchboards and the chiller plant (maintenance) dominate.
An availability figure never implies a Tier (Uptime Tier is a topology test).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from silkbridge.datacenters.engine.availability_analytical import (
    AnalyticalResult,
    analytical_unavailability,
    fuel_autonomy,
)
from silkbridge.datacenters.engine.availability_simulation import (
    BATCHES,
    SimulationResult,
    confidence_interval,
    simulate,
)
from silkbridge.datacenters.engine.availability_structure import Block, Structure
from silkbridge.datacenters.engine.model import Design
from silkbridge.datacenters.engine.reliability_data import (
    HOURS_PER_YEAR,
    GridData,
    element_data,
    fuel_supply_data,
    grid_data,
)

__all__ = [
    "AvailabilityResult",
    "Block",
    "SimulationResult",
    "Structure",
    "analytical_unavailability",
    "assess_availability",
    "benchmark",
    "simulate",
]


@dataclass
class AvailabilityResult:
    analytical: float
    simulated: float
    interval: tuple[float, float]
    confidence: float
    downtime_minutes_per_year: dict[str, float]
    outages_per_year: float
    single_points_of_failure: list[dict[str, Any]]
    component_data: list[dict[str, Any]]
    grid: dict[str, Any]
    years: int
    seed: int
    seconds: float
    method: list[str] = field(default_factory=list)
    fuel_supply: dict[str, Any] | None = None  # the deliveries used, which were assumed, the fuel on site

    def to_dict(self) -> dict[str, Any]:
        return {
            "analytical": self.analytical,
            "simulated": self.simulated,
            "interval": [self.interval[0], self.interval[1]],
            "confidence": self.confidence,
            "downtime_minutes_per_year": dict(self.downtime_minutes_per_year),
            "outages_per_year": self.outages_per_year,
            "single_points_of_failure": [dict(row) for row in self.single_points_of_failure],
            "component_data": [dict(row) for row in self.component_data],
            "grid": dict(self.grid),
            "years": self.years,
            "seed": self.seed,
            "method": list(self.method),
            "fuel_supply": dict(self.fuel_supply) if self.fuel_supply else None,
        }


# --------------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------------


def assess_availability(
    design: Design, *, years: int = 100_000, seed: int = 0, confidence: float = 0.95
) -> AvailabilityResult:
    """Analytical and simulated steady-state availability of the design, with its weak points."""
    started = time.perf_counter()
    if years < 1:
        raise ValueError("years must be at least 1")
    data = element_data(design)
    grid = grid_data(design)
    structure = Structure(design, data)
    analytical = analytical_unavailability(structure, grid)
    simulated = simulate(structure, grid, years=years, seed=seed)
    minutes = HOURS_PER_YEAR * 60
    return AvailabilityResult(
        analytical=1 - analytical.unavailability,
        simulated=1 - simulated.unavailability,
        interval=confidence_interval(simulated, confidence),
        confidence=confidence,
        downtime_minutes_per_year={
            "analytical": analytical.unavailability * minutes,
            "simulated": simulated.unavailability * minutes,
        },
        outages_per_year=simulated.outages / years,
        single_points_of_failure=_ranking(structure, analytical),
        component_data=_component_rows(structure),
        grid=grid.to_dict(),
        years=years,
        seed=seed,
        seconds=time.perf_counter() - started,
        method=_method_notes(structure, grid, analytical),
        fuel_supply=_fuel_supply(structure, grid),
    )


def _fuel_supply(structure: Structure, grid: GridData) -> dict[str, Any] | None:
    """The refuelling figures the model used (None without tanks or without a utility to fail)."""
    if not structure.tanks or not structure.has_utility:
        return None
    autonomy = fuel_autonomy(structure)
    if not math.isfinite(autonomy):
        return None
    return {**fuel_supply_data(structure.design, autonomy, grid).to_dict(), "fuel_hours": autonomy}


def _ranking(structure: Structure, analytical: AnalyticalResult) -> list[dict[str, Any]]:
    """Blocks ranked by their share of the downtime; `single` marks a block that alone takes the load down."""
    total = analytical.unavailability
    single = {
        structure.blocks[index].name
        for index in range(len(structure.blocks))
        if not structure.is_up(frozenset({index}), grid_up=True)
    }
    by_name = {block.name: block for block in structure.blocks}
    rows = []
    for name, value in sorted(analytical.shares.items(), key=lambda item: -item[1]):
        if value <= 0 or total <= 0:
            continue
        block = by_name.get(name)
        rows.append(
            {
                "element": name,
                "members": list(block.members) if block else [name],
                "share": min(value / total, 1.0),
                "downtime_minutes_per_year": value * HOURS_PER_YEAR * 60,
                "single_point": name in single,
            }
        )
    return rows[:20]


def _component_rows(structure: Structure) -> list[dict[str, Any]]:
    return [structure.data[element_id].to_dict() for element_id in structure.data]


def _method_notes(structure: Structure, grid: GridData, analytical: AnalyticalResult) -> list[str]:
    notes = [
        "Analytical: minimal cut sets (orders 1-2 exhaustive, order 3 pruned at 1e-4) over max-flow, "
        "conditioned on grid up/down, generator availability integrated over the outage age; "
        f"cut sets found: {analytical.cut_counts}.",
        "Simulation: Poisson failure counts per element, binomially thinned generator fail-to-start per grid "
        "outage, fail-to-run over expected running hours, fuel-out windows, one-at-a-time maintenance; "
        f"{BATCHES} batches for the interval.",
        f"Grid: {grid.outages_per_year:g} outages/yr of {grid.mean_outage_hours:g} h ({grid.origin}).",
        "Alternate (inactive) paths are not used against unplanned failures; they are used during maintenance.",
    ]
    if not structure.tanks and any(block.is_generator for block in structure.blocks):
        notes.append("No fuel tanks described: the generators are assumed never to run out of fuel.")
    if not structure.has_cooling:
        notes.append("No cooling network described: cooling is not assessed.")
    autonomy = fuel_autonomy(structure)
    if structure.tanks and structure.has_utility:
        supply = fuel_supply_data(structure.design, autonomy, grid)
        assumed = ", ".join(supply.assumed) or "none"
        notes.append(
            f"Fuel deliveries: every {supply.interval_hours:.3g} h, a failed one replaced after "
            f"{supply.lead_time_hours:.3g} h, {supply.failure_probability:.3g} of deliveries fail; fuel on site "
            f"{autonomy:.3g} h at N. Assumed (not from the design): {assumed}. {supply.source}"
        )
    return notes


def benchmark(design: Design, *, years: int = 1_000_000, seed: int = 0, confidence: float = 0.95) -> dict[str, Any]:
    """Time the Monte Carlo alone (for `make bench`): seconds, availability and interval reached."""
    data = element_data(design)
    grid = grid_data(design)
    structure = Structure(design, data)
    result = simulate(structure, grid, years=years, seed=seed)
    low, high = confidence_interval(result, confidence)
    return {
        "design": design.name,
        "elements": len(data),
        "blocks": len(structure.blocks),
        "years": years,
        "seconds": result.seconds,
        "simulated": 1 - result.unavailability,
        "interval": [low, high],
        "outages_per_year": result.outages / years,
    }
