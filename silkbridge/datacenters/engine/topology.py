"""Tier classification of a design per the Uptime Institute Tier Standard: Topology, criterion by criterion.

This assesses design documents. It is not an Uptime certification: only Uptime certifies
(Tier Certification of Design Documents → of Constructed Facility → of Operational
Sustainability), and a Tier is never inferred from a computed availability.

How each criterion is decided (sources: docs/datacenters-design-format.md and
shared/reference/datacenter-reference.md):

- Tier I  dedicated_infrastructure: a UPS, an engine generator able to carry N on its own, dedicated
          cooling (chiller or CRAC).
          capacity_n: N reaches the IT load and the heat load (utility allowed, active paths).
          fuel_storage: the tanks deliver >= 12 h at N to generators that carry N (a tank piped only to
          generators smaller than N counts only with fuel for the rest; DesignNetworks.fuel_autonomy).
- Tier II redundant_components: generators, UPS modules, chillers/CRAC, CRAH, pumps and heat
          rejection each have at least one redundant unit (N+1 or better, or 2N).
- Tier III distribution_paths: >= 2 component-disjoint routes to each sink, >= 1 of them active.
          concurrent_maintainability: each component, UPS module and path removed in turn, alternate
          paths switched in, utility absent: N still reaches both sinks.
          generators_primary: the generators alone carry N; no standby or unstated rating.
          fuel_storage_maintainable: with any one tank out, the rest still deliver >= 12 h at N.
- Tier IV active_paths: >= 2 disjoint routes to each sink over active paths only.
          fault_tolerance: each element failed in turn, active paths only, no switching, utility absent.
          compartmentalisation: every compartment failed in turn (all it holds at once); components
          without a compartment fail the criterion because their separation cannot be shown. In the
          compartment of the IT or heat load only the load, PDUs, busways and the paths between them
          (the racks' cords) are exempt; every other element there fails with the compartment.
          continuous_cooling: with only UPS power and thermal storage (generators starting), N of
          cooling reaches the heat load. One ride-through rule: a UPS or a thermal store counts when
          it rides through >= 10 minutes. Whether a cooling unit is on UPS is derived from the
          topology (a feeder in `powered_by` energised from a UPS); `ups_backed` is only taken for
          units that name no feeder, and parse warns when it contradicts the topology.

Reason codes (params are strings or numbers; the web layer translates by code):
    ups_missing {}, generator_missing {}, cooling_missing {}
    generators_cannot_carry_load {delivered_kw, demand_kw, sink}
    load_not_met {system, sink, delivered_kw, demand_kw}
    capacity_limited_by {system, sink, units}   the saturated units of the minimum cut, "ID (kW), ..."
    fuel_below_minimum {hours, minimum_hours}
    fuel_maintainable_below_minimum {hours, minimum_hours, element, largest_hours}  (element: the tank whose
        maintenance leaves least, largest_hours: its own fuel_hours)
    no_redundancy {group, installed_units, units_needed, scheme}
    too_few_paths {system, sink, total, required}
    too_few_active_paths {system, sink, active, required}
    maintenance_drops_load {element, element_kind, system, sink, delivered_kw, demand_kw}
    fault_drops_load {element, element_kind, system, sink, delivered_kw, demand_kw}
    compartment_drops_load {compartment, elements, system, sink, delivered_kw, demand_kw}
    compartment_missing {elements, count}
    standby_generator {element}, generator_rating_missing {element}
    no_continuous_cooling {delivered_kw, demand_kw, sink, elements, minimum_minutes}
    thermal_storage_too_short {element, minutes, minimum_minutes}
    ups_ride_through_too_short {element, minutes, minimum_minutes}
Note codes (on passing criteria, for the reader):
    prime_generator_accepted {element}
    compartment_with_load_exempt {compartment, sink, elements}
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from .model import Design, GeneratorRating, Kind, System
from .network import FAULT, MAINTENANCE, WITH_UTILITY, DesignNetworks, Failure, Outcome, Policy, SystemNetwork
from .standards import StandardEquivalent, en50600_equivalent, tia942_equivalent

MINIMUM_FUEL_HOURS = 12.0
CONTINUOUS_COOLING_MINUTES = 10.0  # our assumption: generator start + transfer + chiller restart
CERTIFICATION_NOTE = (
    "Assessment of design documents against the Uptime Institute Tier Standard: Topology. It is not a Tier "
    "certification: only Uptime Institute certifies, in three stages (TCDD design documents, TCCF constructed "
    "facility, TCOS operational sustainability)."
)

# What may stand beside the load in its own compartment: exempt from the compartment test there (with the
# paths between them, the racks' own cords), but only where it really is last before the load: see
# beside_the_load. Anything else in the data hall is tested like anywhere else.
BESIDE_THE_LOAD = frozenset({Kind.IT_LOAD, Kind.HEAT_LOAD, Kind.PDU, Kind.BUSWAY})


def beside_the_load(design: Design) -> frozenset[str]:
    """The loads, and the PDUs and busways every path out of which leads only to the load or to others of these.

    The declared kind is not enough: a switchboard listed under `pdus` that feeds a UPS or a mechanical board is
    upstream plant and burns with the hall like anywhere else. Found as the largest set closed under "every
    outgoing path stays inside" (a ring of PDUs feeding the load is still beside it).
    """
    exempt = {component.id for component in design.components if component.kind in BESIDE_THE_LOAD}
    boards = {component.id for component in design.components if component.kind in (Kind.PDU, Kind.BUSWAY)}
    feeds: dict[str, set[str]] = {}
    for path in design.paths:
        feeds.setdefault(path.source, set()).add(path.target)
    changed = True
    while changed:
        leaving = {element for element in exempt if element in boards and not feeds.get(element, set()) <= exempt}
        exempt -= leaving
        changed = bool(leaving)
    return frozenset(exempt)


CRITERIA: dict[str, tuple[int, str]] = {
    "dedicated_infrastructure": (1, "Dedicated site infrastructure: UPS, engine generator, cooling"),
    "capacity_n": (1, "Capacity: N reaches the IT load and the heat load"),
    "fuel_storage": (1, "Fuel storage: at least 12 h at N"),
    "redundant_components": (2, "Redundant capacity components (N+R)"),
    "distribution_paths": (3, "Distribution paths: one active and one alternate"),
    "concurrent_maintainability": (3, "Concurrent maintainability of every component and path"),
    "generators_primary": (3, "Engine generators as the primary power source"),
    "fuel_storage_maintainable": (3, "Fuel storage: 12 h at N counting only maintainable storage"),
    "active_paths": (4, "Distribution paths: two simultaneously active"),
    "fault_tolerance": (4, "Fault tolerance: any single failure leaves N"),
    "compartmentalisation": (4, "Compartmentalisation of complementary systems"),
    "continuous_cooling": (4, "Continuous cooling"),
}

REASON_MESSAGES: dict[str, str] = {
    "ups_missing": "no UPS system feeds the IT load",
    "generator_missing": "no engine generator feeds the IT load",
    "cooling_missing": "no dedicated cooling (chiller or CRAC) serves the heat load",
    "generators_cannot_carry_load": "the engine generators alone deliver only {delivered_kw} of {demand_kw} kW to "
    "{sink}",
    "load_not_met": "only {delivered_kw} of {demand_kw} kW of {system} reach {sink}",
    "capacity_limited_by": "what limits the {system} reaching {sink}, at full capacity: {units}",
    "fuel_below_minimum": "fuel storage lasts {hours} h at N; at least {minimum_hours} h is required",
    "fuel_maintainable_below_minimum": "with tank {element} ({largest_hours} h) out for maintenance, the others "
    "deliver {hours} h at N; at least {minimum_hours} h is required",
    "no_redundancy": "{group}: {installed_units} unit(s) installed, {units_needed} needed for N ({scheme}): no "
    "redundant unit",
    "too_few_paths": "{system}: {total} independent distribution path(s) to {sink}; {required} are required (one "
    "may be an alternate)",
    "too_few_active_paths": "{system}: {active} independent active distribution path(s) to {sink}; {required} "
    "active are required",
    "maintenance_drops_load": "{element} ({element_kind}): taking it out for maintenance leaves {delivered_kw} of "
    "{demand_kw} kW of {system} at {sink} — fails concurrent maintainability",
    "fault_drops_load": "{element} ({element_kind}): a fault there drops the {system} of {sink} to {delivered_kw} "
    "of {demand_kw} kW — fails fault tolerance",
    "compartment_drops_load": "a fire in compartment {compartment} (holding {elements}) leaves {delivered_kw} of "
    "{demand_kw} kW of {system} at {sink} — fails compartmentalisation",
    "compartment_missing": "{count} component(s) state no compartment, so their separation cannot be shown: {elements}",
    "standby_generator": "{element} is standby-rated (limited running hours); Tier III and IV need generators rated "
    "without a runtime limit at the design load",
    "generator_rating_missing": "{element} has no stated rating; Tier III and IV need generators rated without a "
    "runtime limit at the design load",
    "no_continuous_cooling": "while the engine generators start (UPS power and thermal storage only), "
    "{delivered_kw} of {demand_kw} kW of cooling reach {sink}; stopped: {elements}",
    "thermal_storage_too_short": "{element} rides through {minutes} min, below the {minimum_minutes} min assumed "
    "for generator start and chiller restart",
    "ups_ride_through_too_short": "{element} (UPS feeding cooling) rides through {minutes} min, below the "
    "{minimum_minutes} min assumed for generator start and chiller restart; the cooling it feeds is counted as "
    "stopped",
    "prime_generator_accepted": "{element} is prime-rated: accepted on the condition that the manufacturer allows "
    "unlimited hours at the design load",
    "compartment_with_load_exempt": "compartment {compartment} holds {sink}; a fire there is tested on everything "
    "in it except the load and what must stand beside it ({elements})",
}

Params = dict[str, str | int | float]


@dataclass(frozen=True)
class Reason:
    """Why a criterion failed (or, in `notes`, what the reader should know), naming the elements responsible."""

    code: str
    params: Params
    message: str
    system: str  # the network affected: "power" or "cooling"


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    tier_required: int  # the lowest Tier that requires it
    passed: bool
    reasons: list[Reason] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class CapacityGroup:
    """Installed capacity of one group of capacity components against its N."""

    group: str  # generators | ups_modules | cooling_units | crah | pumps | heat_rejection
    system: str
    demand_kw: float
    unit_ids: list[str]
    installed_units: int
    installed_kw: float
    units_needed: int  # N as a number of units
    redundant_units: int  # units that can be lost, largest first, with N left
    scheme: str  # below N | N | N+1 | N+2 | N+<R> | 2N | 2(N+1)


@dataclass(frozen=True)
class DistributionPaths:
    system: str
    sink: str
    active: int  # component-disjoint routes over active paths
    total: int  # ... over active and alternate paths


@dataclass(frozen=True)
class TierVerdict:
    design_name: str
    tier: int  # highest Tier whose criteria, and those of every lower Tier, all pass; 0 below Tier I
    claimed_tier: int | None
    criteria: list[Criterion]
    next_tier_blockers: list[Criterion]  # the failed criteria of Tier `tier + 1` (empty at Tier IV)
    capacity_groups: list[CapacityGroup]
    distribution_paths: list[DistributionPaths]
    fuel_hours: float
    fuel_hours_maintainable: float
    tia942: StandardEquivalent
    en50600: StandardEquivalent
    notes: list[str]

    def criterion(self, code: str) -> Criterion:
        return next(criterion for criterion in self.criteria if criterion.code == code)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def reason_make(code: str, affected: System | str, **params: str | int | float) -> Reason:
    """A reason about the `affected` network; `params` fill the English message (and the translations)."""
    return Reason(code=code, params=params, message=REASON_MESSAGES[code].format(**params), system=str(affected))


def _kw(value: float) -> int | float:
    return round(value) if abs(value - round(value)) < 0.05 else round(value, 1)


# --- the analysis ---------------------------------------------------------------------------------


@dataclass
class _Element:
    id: str
    kind: str  # shown in messages: the component kind, "ups module", "path" or "fuel line"
    failure: Failure


class _Analysis:
    def __init__(self, design: Design) -> None:
        self.design = design
        self.networks = DesignNetworks(design)
        self.power = self.networks.power
        self.cooling = self.networks.cooling

    def sink(self, system: System) -> str:
        return self.power.sink_id if system is System.POWER else self.cooling.sink_id

    def shortfalls(self, outcome: Outcome) -> Iterator[tuple[System, float, float]]:
        if not outcome.power_met:
            yield System.POWER, outcome.power_kw, outcome.power_demand_kw
        if not outcome.cooling_met:
            yield System.COOLING, outcome.cooling_kw, outcome.cooling_demand_kw

    def elements(self) -> list[_Element]:
        elements = []
        for component in self.design.components:
            if component.kind in (Kind.IT_LOAD, Kind.HEAT_LOAD, Kind.UTILITY):
                continue  # the load itself is not tested; the utility is absent at Tier III/IV anyway
            elements.append(_Element(component.id, component.kind.value, Failure(components=frozenset({component.id}))))
            if component.kind is Kind.UPS and component.modules > 1:
                elements.append(_Element(component.id, "ups module", Failure(modules=((component.id, 1),))))
        for path in self.design.paths:
            kind = "fuel line" if self.design.component(path.source).kind is Kind.FUEL_TANK else "path"
            elements.append(_Element(path.id, kind, Failure(paths=frozenset({path.id}))))
        return elements

    def baseline_reasons(self) -> list[Reason]:
        """Reasons why N does not even reach the sinks with the generators alone (Tier III/IV baseline)."""
        outcome = self.networks.outcome(Failure(), FAULT)
        reasons = []
        for system, delivered, demand in self.shortfalls(outcome):
            code = "generators_cannot_carry_load" if system is System.POWER else "load_not_met"
            params: Params = {"delivered_kw": _kw(delivered), "demand_kw": _kw(demand), "sink": self.sink(system)}
            if system is System.COOLING:
                params["system"] = system.value
            reasons.append(reason_make(code, system, **params))
        return reasons


def classify(design: Design) -> TierVerdict:
    """Classify a design: the Tier met, every criterion with its reasons, TIA-942 and EN 50600 equivalents."""
    analysis = _Analysis(design)
    fault_failures = _scenario_reasons(analysis)
    criteria = [
        _dedicated_infrastructure(analysis),
        _capacity_n(analysis),
        *_fuel_storage(analysis, fuel := _fuel_hours(analysis)),
        _redundant_components(analysis, groups := capacity_groups(analysis)),
        *_distribution_paths(analysis, paths := _path_counts(analysis)),
        fault_failures[0],
        _generators_primary(analysis),
        fault_failures[1],
        _compartmentalisation(analysis),
        _continuous_cooling(analysis),
    ]
    order = list(CRITERIA)
    criteria.sort(key=lambda criterion: order.index(criterion.code))
    tier = tier_met(criteria)
    blockers = [criterion for criterion in criteria if criterion.tier_required == tier + 1 and not criterion.passed]
    fuel_total, fuel_maintainable, _, _ = fuel
    return TierVerdict(
        design_name=design.name,
        tier=tier,
        claimed_tier=design.claimed_tier,
        criteria=criteria,
        next_tier_blockers=blockers,
        capacity_groups=groups,
        distribution_paths=paths,
        fuel_hours=_kw(fuel_total),
        fuel_hours_maintainable=_kw(fuel_maintainable),
        tia942=tia942_equivalent(criteria),
        en50600=en50600_equivalent(criteria),
        notes=[CERTIFICATION_NOTE, "A Tier is never inferred from a computed availability."],
    )


def tier_met(criteria: list[Criterion]) -> int:
    tier = 0
    for candidate in (1, 2, 3, 4):
        if all(criterion.passed for criterion in criteria if criterion.tier_required <= candidate):
            tier = candidate
        else:
            break
    return tier


def _criterion(code: str, reasons: list[Reason], notes: list[Reason] | None = None) -> Criterion:
    tier_required, title = CRITERIA[code]
    return Criterion(code, title, tier_required, passed=not reasons, reasons=reasons, notes=notes or [])


# --- Tier I ---------------------------------------------------------------------------------------


def _dedicated_infrastructure(analysis: _Analysis) -> Criterion:
    reasons = []
    on_power_route = {analysis.power.components[cid].kind for cid in analysis.power.on_route}
    on_cooling_route = {analysis.cooling.components[cid].kind for cid in analysis.cooling.on_route}
    if Kind.UPS not in on_power_route:
        reasons.append(reason_make("ups_missing", System.POWER))
    if Kind.GENERATOR not in on_power_route:
        reasons.append(reason_make("generator_missing", System.POWER))
    else:
        outcome = analysis.networks.outcome(Failure(), FAULT)
        if not outcome.power_met:
            reasons.append(
                reason_make(
                    "generators_cannot_carry_load",
                    System.POWER,
                    delivered_kw=_kw(outcome.power_kw),
                    demand_kw=_kw(outcome.power_demand_kw),
                    sink=analysis.power.sink_id,
                )
            )
            reasons += _limit_reason(analysis, System.POWER, FAULT)
    if not on_cooling_route & {Kind.CHILLER, Kind.CRAC}:
        reasons.append(reason_make("cooling_missing", System.COOLING))
    return _criterion("dedicated_infrastructure", reasons)


def _limit_reason(analysis: _Analysis, system: System, policy: Policy) -> list[Reason]:
    """Name the units that cap the flow (the minimum cut), so a capacity failure says what to enlarge."""
    baseline = analysis.networks.baseline(policy)
    network = analysis.power if system is System.POWER else analysis.cooling
    capacities = baseline.power_capacities if system is System.POWER else baseline.cooling_capacities
    units = network.limiting_units(capacities)
    if not units:
        return []
    listed = ", ".join(f"{unit} ({_kw(kw)} kW)" for unit, kw in units)
    return [reason_make("capacity_limited_by", system, system=system.value, sink=network.sink_id, units=listed)]


def _capacity_n(analysis: _Analysis) -> Criterion:
    outcome = analysis.networks.outcome(Failure(), WITH_UTILITY)
    reasons = [
        reason_make(
            "load_not_met",
            system,
            system=system.value,
            sink=analysis.sink(system),
            delivered_kw=_kw(delivered),
            demand_kw=_kw(demand),
        )
        for system, delivered, demand in analysis.shortfalls(outcome)
    ]
    for system, _, _ in analysis.shortfalls(outcome):
        reasons += _limit_reason(analysis, system, WITH_UTILITY)
    return _criterion("capacity_n", reasons)


def _fuel_hours(analysis: _Analysis) -> tuple[float, float, str, float]:
    """Hours at N the tanks can deliver to generators that carry N; the same with the tank whose maintenance
    leaves least out of service; that tank's id and its own hours (see DesignNetworks.fuel_autonomy)."""
    power = analysis.power
    feeding = sorted(
        {line.source for lines in power.fuel_lines.values() for line in lines if line.target in power.on_route}
    )
    if not feeding:
        return 0.0, 0.0, "", 0.0
    total = analysis.networks.fuel_autonomy()
    maintainable, tank_id = min((analysis.networks.fuel_autonomy(frozenset({tank})), tank) for tank in feeding)
    return total, maintainable, tank_id, analysis.design.component(tank_id).fuel_hours or 0.0


def _fuel_storage(analysis: _Analysis, fuel: tuple[float, float, str, float]) -> list[Criterion]:
    total, maintainable, largest_id, largest_hours = fuel
    minimum = _kw(MINIMUM_FUEL_HOURS)
    basic = []
    if total < MINIMUM_FUEL_HOURS:
        basic.append(reason_make("fuel_below_minimum", System.POWER, hours=_kw(total), minimum_hours=minimum))
    maintainable_reasons = []
    if maintainable < MINIMUM_FUEL_HOURS:
        maintainable_reasons.append(
            reason_make(
                "fuel_maintainable_below_minimum",
                System.POWER,
                hours=_kw(maintainable),
                minimum_hours=minimum,
                element=largest_id or "-",
                largest_hours=_kw(largest_hours),
            )
        )
    return [_criterion("fuel_storage", basic), _criterion("fuel_storage_maintainable", maintainable_reasons)]


# --- Tier II: capacity groups ----------------------------------------------------------------------

_GROUPS: list[tuple[str, System, frozenset[Kind]]] = [
    ("generators", System.POWER, frozenset({Kind.GENERATOR})),
    ("ups_modules", System.POWER, frozenset({Kind.UPS})),
    ("cooling_units", System.COOLING, frozenset({Kind.CHILLER, Kind.CRAC})),
    ("crah", System.COOLING, frozenset({Kind.CRAH})),
    ("pumps", System.COOLING, frozenset({Kind.PUMP})),
    ("heat_rejection", System.COOLING, frozenset({Kind.COOLING_TOWER, Kind.DRY_COOLER})),
]


def capacity_groups(analysis: _Analysis) -> list[CapacityGroup]:
    groups = []
    for name, system, kinds in _GROUPS:
        network = analysis.power if system is System.POWER else analysis.cooling
        units = [network.components[cid] for cid in sorted(network.on_route) if network.components[cid].kind in kinds]
        if units:
            groups.append(_capacity_group(name, network, units))
    return groups


def _redundancy(capacities: list[float], demand: float) -> tuple[int, int]:
    """(units needed for N, units that can be lost largest first while N remains)."""
    ordered = sorted(capacities, reverse=True)
    total = sum(ordered)
    needed, running = 0, 0.0
    for capacity in ordered:
        if running >= demand - 1e-6:
            break
        running += capacity
        needed += 1
    if total < demand - 1e-6:
        return needed, -1
    spare, remaining = 0, total
    for capacity in ordered:
        if remaining - capacity < demand - 1e-6:
            break
        remaining -= capacity
        spare += 1
    return needed, spare


def _capacity_group(name: str, network: SystemNetwork, units: list[Any]) -> CapacityGroup:
    # UPS capacity is counted in modules: a module is the unit that fails or is maintained.
    unit_capacities: list[float] = []
    unit_sides: dict[str, list[float]] = {}
    sides = _sides(network, units)
    for unit in units:
        share = (
            [(unit.capacity_kw or 0.0) / unit.modules] * unit.modules
            if name == "ups_modules"
            else [unit.capacity_kw or 0.0]
        )
        unit_capacities += share
        unit_sides.setdefault(sides[unit.id], []).extend(share)
    needed, spare = _redundancy(unit_capacities, network.demand)
    scheme = "below N" if spare < 0 else "N" if spare == 0 else f"N+{spare}"
    if len(unit_sides) == 2 and spare >= 0:
        side_spares = [_redundancy(side, network.demand)[1] for side in unit_sides.values()]
        if min(side_spares) >= 0:
            scheme = "2N" if min(side_spares) == 0 else "2(N+1)"
            needed = max(_redundancy(side, network.demand)[0] for side in unit_sides.values())
    return CapacityGroup(
        group=name,
        system=network.system.value,
        demand_kw=_kw(network.demand),
        unit_ids=[unit.id for unit in units],
        installed_units=len(unit_capacities),
        installed_kw=_kw(sum(unit_capacities)),
        units_needed=needed,
        redundant_units=max(spare, 0),
        scheme=scheme,
    )


def _sides(network: SystemNetwork, units: list[Any]) -> dict[str, str]:
    """Group units into independent systems (for 2N): first by the boards or headers they feed; when that does
    not give two systems, also by compartment (dedicated pumps make every chiller look like its own system)."""
    sides = _union_sides(network, units, use_compartments=False)
    if len(set(sides.values())) != 2:
        sides = _union_sides(network, units, use_compartments=True)
    return sides


def _union_sides(network: SystemNetwork, units: list[Any], *, use_compartments: bool) -> dict[str, str]:
    parent = {unit.id: unit.id for unit in units}

    def root(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    first_by_key: dict[str, str] = {}
    for unit in units:
        # Everything ends at the one sink, so feeding the sink says nothing about which system a unit is in.
        keys = [
            f"feeds:{path.target}"
            for path in network.paths.values()
            if path.source == unit.id and path.target != network.sink_id
        ]
        if use_compartments and unit.compartment:
            keys.append(f"compartment:{unit.compartment}")
        for key in keys:
            if key in first_by_key:
                parent[root(unit.id)] = root(first_by_key[key])
            else:
                first_by_key[key] = unit.id
    return {unit.id: root(unit.id) for unit in units}


def _redundant_components(analysis: _Analysis, groups: list[CapacityGroup]) -> Criterion:
    reasons = [
        reason_make(
            "no_redundancy",
            group.system,
            group=group.group,
            installed_units=group.installed_units,
            units_needed=group.units_needed,
            scheme=group.scheme,
        )
        for group in groups
        if group.redundant_units < 1 and not group.scheme.startswith("2")
    ]
    return _criterion("redundant_components", reasons)


# --- Tier III/IV: paths, maintenance, faults -------------------------------------------------------


def _path_counts(analysis: _Analysis) -> list[DistributionPaths]:
    return [
        DistributionPaths(
            system=network.system.value,
            sink=network.sink_id,
            active=network.route_count(FAULT),
            total=network.route_count(MAINTENANCE),
        )
        for network in (analysis.power, analysis.cooling)
    ]


def _distribution_paths(analysis: _Analysis, counts: list[DistributionPaths]) -> list[Criterion]:
    total_reasons, active_reasons = [], []
    for count in counts:
        if count.total < 2 or count.active < 1:
            total_reasons.append(
                reason_make(
                    "too_few_paths", count.system, system=count.system, sink=count.sink, total=count.total, required=2
                )
            )
        if count.active < 2:
            active_reasons.append(
                reason_make(
                    "too_few_active_paths",
                    count.system,
                    system=count.system,
                    sink=count.sink,
                    active=count.active,
                    required=2,
                )
            )
    return [_criterion("distribution_paths", total_reasons), _criterion("active_paths", active_reasons)]


def _scenario_reasons(analysis: _Analysis) -> tuple[Criterion, Criterion]:
    """Concurrent maintainability and fault tolerance: the same single-element scenarios under two policies."""
    baseline = analysis.baseline_reasons()
    if baseline:
        return _criterion("concurrent_maintainability", baseline), _criterion("fault_tolerance", baseline)
    maintenance: list[Reason] = []
    fault: list[Reason] = []
    whole_failed: set[str] = set()
    for element in analysis.elements():
        if element.kind == "ups module" and element.id not in whole_failed:
            continue  # the module is covered by removing the whole UPS system, which passed
        outcome = analysis.networks.outcome(element.failure, FAULT)
        if outcome.power_met and outcome.cooling_met:
            continue
        whole_failed.add(element.id)
        fault += _element_reasons("fault_drops_load", analysis, element, outcome)
        # A fault with alternate paths switched in is exactly a maintenance removal.
        maintenance += _element_reasons(
            "maintenance_drops_load", analysis, element, analysis.networks.outcome(element.failure, MAINTENANCE)
        )
    return _criterion("concurrent_maintainability", maintenance), _criterion("fault_tolerance", fault)


def _element_reasons(code: str, analysis: _Analysis, element: _Element, outcome: Outcome) -> list[Reason]:
    return [
        reason_make(
            code,
            system,
            element=element.id,
            element_kind=element.kind,
            system=system.value,
            sink=analysis.sink(system),
            delivered_kw=_kw(delivered),
            demand_kw=_kw(demand),
        )
        for system, delivered, demand in analysis.shortfalls(outcome)
    ]


def _generators_primary(analysis: _Analysis) -> Criterion:
    reasons: list[Reason] = []
    notes: list[Reason] = []
    generators = [
        component for component in analysis.design.of_kind(Kind.GENERATOR) if component.id in analysis.power.on_route
    ]
    if not generators:
        reasons.append(reason_make("generator_missing", System.POWER))
    for generator in generators:
        if generator.rating is GeneratorRating.STANDBY:
            reasons.append(reason_make("standby_generator", System.POWER, element=generator.id))
        elif generator.rating is None:
            reasons.append(reason_make("generator_rating_missing", System.POWER, element=generator.id))
        elif generator.rating is GeneratorRating.PRIME:
            notes.append(reason_make("prime_generator_accepted", System.POWER, element=generator.id))
    reasons += [reason for reason in analysis.baseline_reasons() if reason.system == System.POWER.value]
    return _criterion("generators_primary", reasons, notes)


def _compartmentalisation(analysis: _Analysis) -> Criterion:
    design = analysis.design
    reasons: list[Reason] = []
    notes: list[Reason] = []
    unplaced_exempt = (Kind.IT_LOAD, Kind.HEAT_LOAD, Kind.UTILITY)
    for system, network in ((System.POWER, analysis.power), (System.COOLING, analysis.cooling)):
        missing = [
            component.id
            for component in design.components
            if component.compartment is None
            and component.kind not in unplaced_exempt
            and (component.id in network.on_route or (component.kind is Kind.FUEL_TANK and system is System.POWER))
        ]
        if missing:
            reasons.append(reason_make("compartment_missing", system, elements=", ".join(missing), count=len(missing)))
    # Tier Standard: Topology, Tier IV: "complementary systems and distribution paths must be physically isolated
    # from one another (compartmentalized) to prevent any single event from simultaneously impacting both systems
    # and distribution paths". The compartment that holds the IT load is no exception: only the load itself and
    # what must stand beside it (PDUs, busways, the racks' own cords) are exempt; a UPS, a generator, a chiller
    # or a tank placed with the racks burns with them like anywhere else.
    members: dict[str, list[str]] = {}
    exempt_members: dict[str, list[str]] = {}
    sinks: dict[str, list[str]] = {}
    for component in design.components:
        if component.compartment:
            if component.kind in (Kind.IT_LOAD, Kind.HEAT_LOAD):
                sinks.setdefault(component.compartment, []).append(component.id)
            members.setdefault(component.compartment, []).append(component.id)
    path_members: dict[str, list[str]] = {}
    for path in design.paths:
        if path.compartment:
            path_members.setdefault(path.compartment, []).append(path.id)
    beside = beside_the_load(design)
    for compartment in sinks:
        exempt_members[compartment] = [element for element in members.get(compartment, []) if element in beside] + [
            path.id
            for path in design.paths
            if path.compartment == compartment and path.source in beside and path.target in beside
        ]
    for compartment in sorted(set(members) | set(path_members)):
        exempt = set(exempt_members.get(compartment, ()))
        if compartment in sinks:
            notes.append(
                reason_make(
                    "compartment_with_load_exempt",
                    System.POWER,
                    compartment=compartment,
                    sink=", ".join(sinks[compartment]),
                    elements=", ".join(sorted(exempt - set(sinks[compartment]))) or "-",
                )
            )
        tested = [element for element in members.get(compartment, []) if element not in exempt]
        tested_paths = [element for element in path_members.get(compartment, []) if element not in exempt]
        if not tested and not tested_paths:
            continue
        failure = Failure(components=frozenset(tested), paths=frozenset(tested_paths))
        outcome = analysis.networks.outcome(failure, FAULT)
        held = ", ".join(tested + tested_paths)
        for system, delivered, demand in analysis.shortfalls(outcome):
            reasons.append(
                reason_make(
                    "compartment_drops_load",
                    system,
                    compartment=compartment,
                    elements=held,
                    system=system.value,
                    sink=analysis.sink(system),
                    delivered_kw=_kw(delivered),
                    demand_kw=_kw(demand),
                )
            )
    return _criterion("compartmentalisation", reasons, notes)


def _continuous_cooling(analysis: _Analysis) -> Criterion:
    delivered, stopped = analysis.networks.continuous_cooling(CONTINUOUS_COOLING_MINUTES)
    reasons = []
    if delivered < analysis.cooling.demand - 1e-6:
        for storage in analysis.design.of_kind(Kind.THERMAL_STORAGE):
            minutes = storage.ride_through_minutes or 0.0
            if minutes < CONTINUOUS_COOLING_MINUTES:
                reasons.append(
                    reason_make(
                        "thermal_storage_too_short",
                        System.COOLING,
                        element=storage.id,
                        minutes=_kw(minutes),
                        minimum_minutes=_kw(CONTINUOUS_COOLING_MINUTES),
                    )
                )
        reasons += _ups_ride_through_reasons(analysis)
        reasons.append(
            reason_make(
                "no_continuous_cooling",
                System.COOLING,
                delivered_kw=_kw(delivered),
                demand_kw=_kw(analysis.cooling.demand),
                sink=analysis.cooling.sink_id,
                elements=", ".join(stopped) or "-",
                minimum_minutes=_kw(CONTINUOUS_COOLING_MINUTES),
            )
        )
    return _criterion("continuous_cooling", reasons)


def _ups_ride_through_reasons(analysis: _Analysis) -> list[Reason]:
    """UPS systems that feed cooling units but ride through less than the minimum (the storage rule)."""
    networks = analysis.networks
    feeders = {
        feeder
        for component in analysis.cooling.components.values()
        if component.id in analysis.cooling.on_route
        for feeder in component.powered_by
    }
    reasons = []
    for ups in analysis.design.of_kind(Kind.UPS):
        minutes = ups.ride_through_minutes or 0.0
        if minutes < CONTINUOUS_COOLING_MINUTES and networks.ups_energised(only=ups.id) & feeders:
            reasons.append(
                reason_make(
                    "ups_ride_through_too_short",
                    System.COOLING,
                    element=ups.id,
                    minutes=_kw(minutes),
                    minimum_minutes=_kw(CONTINUOUS_COOLING_MINUTES),
                )
            )
    return reasons


# --- benchmark ------------------------------------------------------------------------------------


def classify_benchmark(design: Design, *, repeat: int = 20) -> dict[str, float | int]:
    """Time `classify` on one design (for `make bench`): best and median milliseconds over `repeat` runs."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        classify(design)
        timings.append((time.perf_counter() - started) * 1000)
    networks = DesignNetworks(design)
    return {
        "components": len(design.components),
        "paths": len(design.paths),
        "graph_arcs": (len(networks.power.graph.heads) + len(networks.cooling.graph.heads)) // 2,
        "best_ms": round(min(timings), 2),
        "median_ms": round(statistics.median(timings), 2),
        "repeat": repeat,
    }
