"""The power and cooling networks of a design as flow graphs, and "what reaches the sink if X fails".

Each component becomes two nodes joined by an arc carrying its capacity (node splitting), so a
component can be taken out or derated by changing one arc. Each path is an arc of unlimited
capacity between the components it joins: paths carry no rating in the format, they only fail.
A super-source feeds every source component. Fuel tanks stay outside the electrical graph: a
generator runs while at least one of its fuel lines (and the tank behind it) is in service.

Cooling depends on power: a cooling unit with `powered_by` runs only while one of those power
components is energised, so every scenario solves the power network first.

Scenarios are solved against a baseline per policy. Removing an element that carries no flow
in the baseline cannot lower the max-flow below the baseline value, so most scenarios of a
redundant design are answered without a solve; that is what keeps a 60-component Tier IV
analysis well under 100 ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .flow import INFINITE, TOLERANCE, FlowGraph
from .model import Component, Design, Kind, Path, System

# Kinds that can start a network: a component of these kinds with no incoming path is a source.
POWER_SOURCE_KINDS = frozenset({Kind.UTILITY, Kind.GENERATOR})
COOLING_SOURCE_KINDS = frozenset({Kind.CHILLER, Kind.CRAC, Kind.COOLING_TOWER, Kind.DRY_COOLER})
# Cooling kinds that do nothing without electricity (a heat exchanger or a storage tank is passive).
POWERED_COOLING_KINDS = frozenset({Kind.CHILLER, Kind.CRAC, Kind.CRAH, Kind.PUMP, Kind.COOLING_TOWER, Kind.DRY_COOLER})


@dataclass(frozen=True)
class Policy:
    """What the operators may rely on in a scenario."""

    allow_alternate: bool  # alternate (inactive) paths may be switched in: maintenance, not a fault
    allow_utility: bool  # the utility counts as a source: Tier I/II only


WITH_UTILITY = Policy(allow_alternate=False, allow_utility=True)
FAULT = Policy(allow_alternate=False, allow_utility=False)
MAINTENANCE = Policy(allow_alternate=True, allow_utility=False)


@dataclass(frozen=True)
class Failure:
    """Elements out of service together: whole components, paths, and UPS modules (id, modules down)."""

    components: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()
    modules: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Outcome:
    power_kw: float
    cooling_kw: float
    power_demand_kw: float
    cooling_demand_kw: float

    @property
    def power_met(self) -> bool:
        return self.power_kw >= self.power_demand_kw - TOLERANCE

    @property
    def cooling_met(self) -> bool:
        return self.cooling_kw >= self.cooling_demand_kw - TOLERANCE


class SystemNetwork:
    """One network (power or cooling) as a node-split flow graph."""

    def __init__(self, design: Design, system: System) -> None:
        components, paths = design.in_system(system)
        self.system = system
        self.components = {component.id: component for component in components}
        self.demand = design.it_load_kw if system is System.POWER else design.cooling_load_kw
        self.graph = FlowGraph()
        self.source_node = self.graph.node_add()
        self.component_arc: dict[str, int] = {}
        self.in_node: dict[str, int] = {}
        self.out_owner: dict[int, str] = {}
        self.source_arc: dict[str, int] = {}
        self.storage_arc: dict[str, int] = {}
        self.path_arc: dict[str, int] = {}
        self.paths: dict[str, Path] = {}
        self.fuel_lines: dict[str, list[Path]] = {}
        self.sink_id = ""
        for component in components:
            if component.kind is not Kind.FUEL_TANK:
                self._component_add(component)
        # A network the design leaves out (a power-only model) gets an isolated sink: nothing reaches it.
        self.sink_node = self.in_node[self.sink_id] if self.sink_id else self.graph.node_add()
        flow_paths = [path for path in paths if self.components[path.source].kind is not Kind.FUEL_TANK]
        for path in paths:
            if path not in flow_paths:
                self.fuel_lines.setdefault(path.target, []).append(path)
        self._sources_add(flow_paths)
        for path in flow_paths:
            self.paths[path.id] = path
            self.path_arc[path.id] = self.graph.arc_add(
                self.in_node[path.source] + 1, self.in_node[path.target], INFINITE
            )
        self.inactive_paths = frozenset(path.id for path in flow_paths if not path.active)
        self.on_route = self._on_route()

    def _component_add(self, component: Component) -> None:
        node_in = self.graph.node_add()
        node_out = self.graph.node_add()  # always node_in + 1; path arcs rely on it
        capacity = INFINITE if component.capacity_kw is None else component.capacity_kw
        self.component_arc[component.id] = self.graph.arc_add(node_in, node_out, capacity)
        self.in_node[component.id] = node_in
        self.out_owner[node_out] = component.id
        if component.kind in (Kind.IT_LOAD, Kind.HEAT_LOAD):
            self.sink_id = component.id

    def _sources_add(self, flow_paths: list[Path]) -> None:
        fed = {path.target for path in flow_paths}
        kinds = POWER_SOURCE_KINDS if self.system is System.POWER else COOLING_SOURCE_KINDS
        for component in self.components.values():
            if component.kind in kinds and (self.system is System.POWER or component.id not in fed):
                self.source_arc[component.id] = self.graph.arc_add(
                    self.source_node, self.in_node[component.id], INFINITE
                )
            elif component.kind is Kind.THERMAL_STORAGE:
                # Storage discharges only in the continuous-cooling scenario; closed otherwise.
                self.storage_arc[component.id] = self.graph.arc_add(self.source_node, self.in_node[component.id], 0.0)

    def _on_route(self) -> frozenset[str]:
        """Components that lie on some source-to-sink route (all sources, all paths)."""
        forward = self.graph.reachable([self.source_node], self.graph.capacities)
        backward = self._co_reachable()
        return frozenset(
            component_id
            for component_id, node in self.in_node.items()
            if forward[node] and backward[node + 1] and component_id != self.sink_id
        )

    def _co_reachable(self) -> list[bool]:
        graph = self.graph
        seen = [False] * graph.node_count
        seen[self.sink_node] = True
        stack = [self.sink_node]
        while stack:
            node = stack.pop()
            for arc in graph.adjacency[node]:
                # An odd arc at `node` is the twin of a forward arc that ends here.
                if arc & 1 and graph.capacities[arc ^ 1] > 0 and not seen[graph.heads[arc]]:
                    seen[graph.heads[arc]] = True
                    stack.append(graph.heads[arc])
        return seen

    # --- capacities per scenario ---------------------------------------------------------------

    def policy_capacities(self, policy: Policy, unpowered: frozenset[str] = frozenset()) -> list[float]:
        capacities = list(self.graph.capacities)
        if not policy.allow_alternate:
            for path_id in self.inactive_paths:
                capacities[self.path_arc[path_id]] = 0.0
        if not policy.allow_utility:
            for component_id, arc in self.source_arc.items():
                if self.components[component_id].kind is Kind.UTILITY:
                    capacities[arc] = 0.0
        for component_id in unpowered:
            capacities[self.component_arc[component_id]] = 0.0
        for generator_id in self._without_fuel(Failure(), policy):
            capacities[self.component_arc[generator_id]] = 0.0
        return capacities

    def _without_fuel(self, failure: Failure, policy: Policy) -> list[str]:
        stranded = []
        for generator_id, lines in self.fuel_lines.items():
            if not any(
                line.id not in failure.paths
                and line.source not in failure.components
                and (line.active or policy.allow_alternate)
                for line in lines
            ):
                stranded.append(generator_id)
        return stranded

    def failure_capacities(
        self, baseline: list[float], failure: Failure, policy: Policy, unpowered: frozenset[str] = frozenset()
    ) -> tuple[list[float], list[int]]:
        """Capacities with `failure` applied on top of the policy baseline, and the arcs that changed."""
        capacities = list(baseline)
        changed: list[int] = []

        def lower(arc: int, value: float) -> None:
            if value < capacities[arc]:
                capacities[arc] = value
                changed.append(arc)

        for component_id in failure.components | unpowered:
            if component_id in self.component_arc:
                lower(self.component_arc[component_id], 0.0)
        for component_id, modules_down in failure.modules:
            component = self.components.get(component_id)
            if component is not None and component.capacity_kw is not None:
                remaining = component.capacity_kw * max(0, component.modules - modules_down) / component.modules
                lower(self.component_arc[component_id], remaining)
        for path_id in failure.paths:
            if path_id in self.path_arc:
                lower(self.path_arc[path_id], 0.0)
        if self.fuel_lines and (failure.paths or failure.components):
            for generator_id in self._without_fuel(failure, policy):
                lower(self.component_arc[generator_id], 0.0)
        return capacities, changed

    def energised(self, capacities: list[float], starts: list[int] | None = None) -> frozenset[str]:
        """Components that deliver power: their output node is reachable from a live source."""
        seen = self.graph.reachable(starts if starts is not None else [self.source_node], capacities)
        return frozenset(owner for node, owner in self.out_owner.items() if seen[node])

    def unpowered(self, energised: frozenset[str]) -> frozenset[str]:
        """Cooling units whose every feeder is dead (units without powered_by are assumed fed)."""
        return frozenset(
            component.id
            for component in self.components.values()
            if component.powered_by and not any(feeder in energised for feeder in component.powered_by)
        )

    def solve(self, capacities: list[float]) -> tuple[float, list[float]]:
        return self.graph.max_flow(self.source_node, self.sink_node, capacities, self.demand)

    def limiting_units(self, capacities: list[float]) -> list[tuple[str, float]]:
        """The units on the minimum cut when N does not get through: (id, kW) of each saturated component."""
        _, residual = self.solve(capacities)
        seen = self.graph.reachable([self.source_node], residual)
        return [
            (component_id, capacities[self.component_arc[component_id]])
            for component_id, node in self.in_node.items()
            if seen[node] and not seen[node + 1] and 0 < capacities[self.component_arc[component_id]] < INFINITE
        ]

    def route_count(self, policy: Policy) -> int:
        """Number of routes from the sources to the sink that share no component (unit capacities)."""
        base = self.policy_capacities(policy)
        units = [1.0 if index % 2 == 0 and capacity > 0 else 0.0 for index, capacity in enumerate(base)]
        for arc in self.storage_arc.values():
            units[arc] = 0.0
        value, _ = self.graph.max_flow(self.source_node, self.sink_node, units, float(len(units) + 1))
        return round(value)


@dataclass
class _Baseline:
    power_capacities: list[float]
    power_kw: float
    power_residual: list[float]
    energised: frozenset[str]
    cooling_capacities: list[float]
    cooling_kw: float
    cooling_residual: list[float]


@dataclass
class DesignNetworks:
    """Both networks of a design and the scenario solver over them."""

    design: Design
    power: SystemNetwork = field(init=False)
    cooling: SystemNetwork = field(init=False)
    solves: int = 0  # max-flow solves run, for the benchmark
    _baselines: dict[Policy, _Baseline] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.power = SystemNetwork(self.design, System.POWER)
        self.cooling = SystemNetwork(self.design, System.COOLING)
        self._has_powered_cooling = any(component.powered_by for component in self.cooling.components.values())

    def baseline(self, policy: Policy) -> _Baseline:
        if policy not in self._baselines:
            power_capacities = self.power.policy_capacities(policy)
            power_kw, power_residual = self.power.solve(power_capacities)
            energised = self.power.energised(power_capacities)
            cooling_capacities = self.cooling.policy_capacities(policy, self.cooling.unpowered(energised))
            cooling_kw, cooling_residual = self.cooling.solve(cooling_capacities)
            self.solves += 2
            self._baselines[policy] = _Baseline(
                power_capacities, power_kw, power_residual, energised, cooling_capacities, cooling_kw, cooling_residual
            )
        return self._baselines[policy]

    def outcome(self, failure: Failure, policy: Policy) -> Outcome:
        """kW reaching the IT load and the heat load with `failure` out of service."""
        baseline = self.baseline(policy)
        power_capacities, changed = self.power.failure_capacities(baseline.power_capacities, failure, policy)
        power_kw = self._solve_changed(
            self.power, power_capacities, changed, baseline.power_kw, baseline.power_residual
        )
        energised = baseline.energised
        if changed and self._has_powered_cooling:
            energised = self.power.energised(power_capacities)
        newly_unpowered = self.cooling.unpowered(energised) if energised is not baseline.energised else frozenset()
        cooling_capacities, cooling_changed = self.cooling.failure_capacities(
            baseline.cooling_capacities, failure, policy, newly_unpowered
        )
        cooling_kw = self._solve_changed(
            self.cooling, cooling_capacities, cooling_changed, baseline.cooling_kw, baseline.cooling_residual
        )
        return Outcome(power_kw, cooling_kw, self.power.demand, self.cooling.demand)

    def _solve_changed(
        self, network: SystemNetwork, capacities: list[float], changed: list[int], base_kw: float, residual: list[float]
    ) -> float:
        # The baseline flow stays feasible when no changed arc carried more than its new capacity.
        if base_kw >= network.demand - TOLERANCE and all(
            residual[arc ^ 1] <= capacities[arc] + TOLERANCE for arc in changed
        ):
            return base_kw
        if not changed:
            return base_kw
        self.solves += 1
        return network.solve(capacities)[0]

    def fuel_autonomy(self, tanks_out: frozenset[str] = frozenset()) -> float:
        """Hours the stored fuel keeps N at the IT load, counting only what reaches generators that can carry it.

        A tank's `fuel_hours` is its energy in hours of the plant at N. The tanks feed generators through fuel
        lines; a set of tanks B can only burn in the generators it is piped to, which deliver D(B) kW to the IT
        load (max-flow, utility absent, alternate paths allowed). The plant runs at N for T hours exactly when,
        for every B with D(B) < N, the fuel outside B covers what B's generators cannot: T * (N - D(B)) <= the
        energy of the other tanks (the min-cut of tanks -> generators -> load with generator arcs of capacity
        kW x T). So a big tank piped only to a generator smaller than N never counts alone. Tanks piped to the
        same generators are merged first; `tanks_out` are out of service (maintenance).
        """
        power = self.power
        demand = power.demand
        fed_by: dict[str, set[str]] = {}
        for generator_id, lines in power.fuel_lines.items():
            if generator_id in power.on_route:
                for line in lines:
                    if line.source not in tanks_out:
                        fed_by.setdefault(line.source, set()).add(generator_id)
        if not fed_by or demand <= 0:
            return 0.0
        energy: dict[frozenset[str], float] = {}
        for tank_id, generators in fed_by.items():
            key = frozenset(generators)
            energy[key] = energy.get(key, 0.0) + (self.design.component(tank_id).fuel_hours or 0.0)
        return self._fuel_hours(energy)

    def _fuel_hours(self, energy: dict[frozenset[str], float]) -> float:
        """The largest T whose min-cut condition holds, by Dinkelbach's iteration on the parametric min-cut.

        One flow graph: a new source -> each tank group (its energy, kWh) -> the generators it is piped to ->
        the power network with every arc scaled to kWh over T hours -> the IT load, which must receive N x T.
        A cut that keeps groups B costs E(not B) x N + T x D(B), so N x T gets through exactly when the
        condition of fuel_autonomy holds for every B (B empty: the fuel adds up to T). When it does not, the
        minimum cut names the B that binds, and T drops to where that B is just met; each step gives a new B,
        so the iteration ends with the exact figure however many groups there are.
        """
        power = self.power
        demand = power.demand
        graph = FlowGraph()
        graph.adjacency = [list(arcs) for arcs in power.graph.adjacency]
        graph.heads = list(power.graph.heads)
        graph.capacities = list(power.graph.capacities)
        source = graph.node_add()
        group_arcs: dict[frozenset[str], int] = {}
        for generators in energy:
            node = graph.node_add()
            group_arcs[generators] = graph.arc_add(source, node, energy[generators] * demand)
            for generator_id in generators:
                graph.arc_add(node, power.in_node[generator_id], INFINITE)
        electrical = power.policy_capacities(MAINTENANCE)
        for arc in power.source_arc.values():
            electrical[arc] = 0.0  # utility absent; a generator runs only on the fuel piped to it
        hours = sum(energy.values())
        for _ in range(4 * len(energy) + 8):
            if hours <= 0:
                return 0.0
            capacities = [capacity * hours for capacity in electrical] + graph.capacities[len(electrical) :]
            delivered, residual = graph.max_flow(source, power.sink_node, capacities, demand * hours)
            if delivered >= demand * hours * (1 - 1e-9) - TOLERANCE:
                return hours
            kept = _residual_reachable(graph, source, residual)
            others = sum(energy[key] for key, arc in group_arcs.items() if not kept[graph.heads[arc]])
            carried = (delivered - others * demand) / hours  # D(B): kW the kept groups' generators deliver
            lower = others * demand / (demand - carried) if carried < demand else hours
            if lower >= hours * (1 - 1e-12):
                return lower
            hours = lower
        # Not reached: the binding sets of groups are nested as T falls (source arcs E x N against arcs scaled by
        # T), so there are at most one per group plus one. Each step's figure is only an upper bound, so a walk
        # that did not prove one would report none rather than an optimistic figure.
        return 0.0

    def ups_energised(self, minimum_minutes: float | None = None, only: str | None = None) -> frozenset[str]:
        """Power components energised with every source dark, from the UPS systems alone (or from `only`).

        With `minimum_minutes`, a UPS counts only when its stated ride-through reaches it (unstated: 0 min).
        """
        power = self.power
        dark = list(power.policy_capacities(FAULT))
        for arc in power.source_arc.values():
            dark[arc] = 0.0
        starts = [
            power.in_node[component.id] + 1
            for component in power.components.values()
            if component.kind is Kind.UPS
            and (only is None or component.id == only)
            and (minimum_minutes is None or (component.ride_through_minutes or 0.0) >= minimum_minutes)
        ]
        return power.energised(dark, starts) if starts else frozenset()

    def cooling_on_ups(self, minimum_minutes: float | None = None) -> frozenset[str]:
        """Powered cooling units that keep running while the generators start.

        Derived from the topology: a unit with `powered_by` runs when one of its feeders is energised from a
        UPS (its `ups_backed` flag is not trusted); a unit without `powered_by` is taken at its flag only while
        some UPS of the design rides through `minimum_minutes` (the same rule its feeders would face).
        """
        on_ups = self.ups_energised(minimum_minutes)
        flag_believed = any(
            component.kind is Kind.UPS
            and (minimum_minutes is None or (component.ride_through_minutes or 0.0) >= minimum_minutes)
            for component in self.power.components.values()
        )
        return frozenset(
            component.id
            for component in self.cooling.components.values()
            if component.kind in POWERED_COOLING_KINDS
            and (
                any(feeder in on_ups for feeder in component.powered_by)
                if component.powered_by
                else component.ups_backed and flag_believed
            )
        )

    def continuous_cooling(self, minimum_minutes: float) -> tuple[float, list[str]]:
        """Cooling kW reaching the heat load while the generators start: only UPS power and thermal storage.

        UPS systems and thermal storage count under one rule: each must ride through `minimum_minutes`.
        Returns the kW and the ids of powered cooling units on a route that stop in that window.
        """
        running = self.cooling_on_ups(minimum_minutes)
        stopped = frozenset(
            component.id
            for component in self.cooling.components.values()
            if component.kind in POWERED_COOLING_KINDS and component.id not in running
        )
        capacities = self.cooling.policy_capacities(FAULT, stopped)
        for storage_id, arc in self.cooling.storage_arc.items():
            minutes = self.cooling.components[storage_id].ride_through_minutes or 0.0
            if minutes >= minimum_minutes:
                capacities[arc] = INFINITE
        self.solves += 1
        cooling_kw, _ = self.cooling.solve(capacities)
        return cooling_kw, sorted(stopped & self.cooling.on_route)


def _residual_reachable(graph: FlowGraph, source: int, residual: list[float]) -> list[bool]:
    """Nodes reachable from `source` in the residual graph, twin arcs included: the source side of a min cut."""
    seen = [False] * graph.node_count
    seen[source] = True
    stack = [source]
    while stack:
        node = stack.pop()
        for arc in graph.adjacency[node]:
            head = graph.heads[arc]
            if residual[arc] > TOLERANCE and not seen[head]:
                seen[head] = True
                stack.append(head)
    return seen
