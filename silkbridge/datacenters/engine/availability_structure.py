"""Availability, part 1: the design compiled into failure blocks and a cached structure function.

The structure function answers "is the load carried?" for a set of failed blocks by a max-flow over
the power network (then the cooling network, whose units need a live power feed). The Monte Carlo
asks it for every distinct state it meets, so the flow graphs are compiled once (an evaluation only
sets capacities) and results are cached under an integer bitmask of the failed blocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from silkbridge.datacenters.engine.flow import FlowGraph
from silkbridge.datacenters.engine.model import (
    COOLING_KINDS,
    POWER_KINDS,
    SINK_KINDS,
    SOURCE_KINDS,
    Component,
    Design,
    Kind,
    Path,
    System,
)
from silkbridge.datacenters.engine.reliability_data import ElementData

INFINITY = float("inf")
TOLERANCE = 1e-9
_NOT_MERGEABLE = SOURCE_KINDS | SINK_KINDS | {Kind.UTILITY, Kind.GENERATOR}


@dataclass(frozen=True)
class Block:
    """Elements whose failure has the same effect: a component (or one module) and its merged paths."""

    name: str
    members: tuple[str, ...]
    component: str | None  # the component this block takes out (None: a stand-alone path)
    module_of: str | None = None  # the component when this block is one of its modules
    is_generator: bool = False
    is_utility: bool = False


def mask_of(blocks: frozenset[int] | set[int]) -> int:
    """Bitmask of block indices (bit i set: block i failed)."""
    mask = 0
    for index in blocks:
        mask |= 1 << index
    return mask


def bits(mask: int) -> Iterator[int]:
    """The block indices set in a bitmask, lowest first."""
    while mask:
        lowest = mask & -mask
        yield lowest.bit_length() - 1
        mask ^= lowest


class _Network:
    """One system's flow graph with node splitting, compiled once.

    Component i has an in-node 2i and an out-node 2i+1 joined by an edge carrying its capacity; paths join
    out-nodes to in-nodes. Every edge that can ever exist is built here, and an evaluation only writes
    capacities (0 for a failed element), so the per-state cost is the augmenting-path search alone.
    """

    def __init__(self, components: list[Component], paths: list[Path]) -> None:
        self.components = components
        position = {component.id: index for index, component in enumerate(components)}
        has_inlet = {path.target for path in paths}
        self.sources = [
            index
            for index, component in enumerate(components)
            if component.id not in has_inlet and component.kind not in SINK_KINDS
        ]
        self.paths = [path for path in paths if path.source in position and path.target in position]
        self.path_ends = [(position[path.source], position[path.target]) for path in self.paths]
        self.out_paths: list[list[int]] = [[] for _ in components]
        for number, (start, _) in enumerate(self.path_ends):
            self.out_paths[start].append(number)
        self.node_count = 2 * len(components) + 2
        self.source_node, self.sink_node = self.node_count - 2, self.node_count - 1
        self.graph = FlowGraph()
        for _ in range(self.node_count):
            self.graph.node_add()
        # Forward edges in this order: component capacities, source feeds, sink drains, paths.
        for index in range(len(components)):
            self._edge(2 * index, 2 * index + 1)
        for index in self.sources:
            self._edge(self.source_node, 2 * index)
        self.sinks = [index for index, component in enumerate(components) if component.kind in SINK_KINDS]
        for index in self.sinks:
            self._edge(2 * index + 1, self.sink_node)
        for start, end in self.path_ends:
            self._edge(2 * start + 1, 2 * end)

    def _edge(self, start: int, end: int) -> None:
        self.graph.arc_add(start, end, 0.0)

    def carries(
        self, required: float, node_capacity: list[float], live: list[bool], usable: list[bool]
    ) -> tuple[bool, set[int]]:
        """Whether `required` flows to the sinks; also the components reachable from a live source.

        node_capacity is per component, live per source (in self.sources order), usable per path.
        """
        forward = [
            *node_capacity,
            *(INFINITY if is_live else 0.0 for is_live in live),
            *(INFINITY for _ in self.sinks),
            *(INFINITY if is_usable else 0.0 for is_usable in usable),
        ]
        capacity = [0.0] * (2 * len(forward))
        capacity[::2] = forward
        flow, _ = self.graph.max_flow(self.source_node, self.sink_node, capacity, required)
        energised = {index for index, is_live in zip(self.sources, live, strict=True) if is_live}
        energised = {index for index in energised if node_capacity[index] > 0}
        frontier = list(energised)
        while frontier:
            node = frontier.pop()
            for number in self.out_paths[node]:
                following = self.path_ends[number][1]
                if usable[number] and following not in energised and node_capacity[following] > 0:
                    energised.add(following)
                    frontier.append(following)
        return flow >= required * (1 - TOLERANCE), energised


class Structure:
    """The design compiled into blocks and a cached structure function."""

    def __init__(self, design: Design, data: dict[str, ElementData]) -> None:
        self.design = design
        self.data = data
        self.components = {component.id: component for component in design.components}
        self.tanks = [c.id for c in design.components if c.kind is Kind.FUEL_TANK]
        self.fuel_paths = [p for p in design.paths if p.source in self.tanks]
        self.flow_paths = {
            system: [p for p in design.paths if p.system is system and p not in self.fuel_paths] for system in System
        }
        self.blocks = self._build_blocks()
        self.module_blocks: dict[str, list[int]] = {}
        for index, block in enumerate(self.blocks):
            if block.module_of is not None:
                self.module_blocks.setdefault(block.module_of, []).append(index)
        self.has_cooling = any(c.kind in (Kind.CHILLER, Kind.CRAC) for c in design.components) and any(
            c.kind is Kind.HEAT_LOAD for c in design.components
        )
        self.has_utility = any(c.kind is Kind.UTILITY for c in design.components)
        self.power_components = [c for c in design.components if c.kind in POWER_KINDS and c.kind is not Kind.FUEL_TANK]
        self.cooling_components = [c for c in design.components if c.kind in COOLING_KINDS]
        self._power_network = _Network(self.power_components, self.flow_paths[System.POWER])
        self._cooling_network = _Network(self.cooling_components, self.flow_paths[System.COOLING])
        self._feeds = frozenset(feed for component in design.components for feed in component.powered_by)
        self._power_mask = mask_of({index for index, block in enumerate(self.blocks) if self._is_power_block(block)})
        self._power_cache: dict[tuple[int, bool, bool, bool], tuple[bool, frozenset[str]]] = {}
        self._cooling_cache: dict[tuple[int, frozenset[str], bool], bool] = {}

    def _is_power_block(self, block: Block) -> bool:
        owner = block.module_of or block.component
        if owner is not None:
            return self.components[owner].kind in POWER_KINDS
        return any(path.id == block.members[0] and path.system is System.POWER for path in self.design.paths)

    # -- blocks -------------------------------------------------------------------------------------

    # -- blocks -------------------------------------------------------------------------------------

    def _build_blocks(self) -> list[Block]:
        powered = {feed for component in self.design.components for feed in component.powered_by}
        in_degree: dict[str, int] = {}
        out_degree: dict[str, int] = {}
        for path in self.design.paths:
            in_degree[path.target] = in_degree.get(path.target, 0) + 1
            out_degree[path.source] = out_degree.get(path.source, 0) + 1

        def mergeable(component_id: str) -> bool:
            component = self.components.get(component_id)
            return component is not None and component.kind not in _NOT_MERGEABLE and component_id not in powered

        merged: dict[str, list[str]] = {component.id: [] for component in self.design.components}
        standalone: list[Path] = []
        for path in self.design.paths:
            if path.active and mergeable(path.target) and in_degree.get(path.target) == 1:
                merged[path.target].append(path.id)
            elif path.active and mergeable(path.source) and out_degree.get(path.source) == 1:
                merged[path.source].append(path.id)
            else:
                standalone.append(path)
        blocks: list[Block] = []
        for component in self.design.components:
            blocks.append(
                Block(
                    name=component.id,
                    members=(component.id, *merged[component.id]),
                    component=component.id,
                    is_generator=component.kind is Kind.GENERATOR,
                    is_utility=component.kind is Kind.UTILITY,
                )
            )
            if component.modules > 1:
                for module in range(1, component.modules + 1):
                    module_id = f"{component.id}#{module}"
                    blocks.append(Block(name=module_id, members=(module_id,), component=None, module_of=component.id))
        blocks.extend(Block(name=path.id, members=(path.id,), component=None) for path in standalone)
        return blocks

    def element_figures(self, element_id: str) -> ElementData:
        """Figures of an element; a module takes its component's figures (they are per module)."""
        return self.data[element_id.split("#", 1)[0]]

    # -- structure function -------------------------------------------------------------------------

    def is_up(self, down: frozenset[int], *, grid_up: bool, fuel_ok: bool = True, maintenance: bool = False) -> bool:
        """Structure function for a set of failed block indices."""
        return self.is_up_mask(mask_of(down), grid_up=grid_up, fuel_ok=fuel_ok, maintenance=maintenance)

    def is_up_mask(self, down: int, *, grid_up: bool, fuel_ok: bool = True, maintenance: bool = False) -> bool:
        """Structure function on a bitmask. Power and cooling are cached apart: most failure sets touch one."""
        power_down = down & self._power_mask
        power_key = (power_down, grid_up, fuel_ok, maintenance)
        power = self._power_cache.get(power_key)
        if power is None:
            power = self._power_up(power_down, grid_up=grid_up, fuel_ok=fuel_ok, maintenance=maintenance)
            self._power_cache[power_key] = power
        power_up, feeds = power
        if not power_up:
            return False
        if not self.has_cooling:
            return True
        cooling_key = (down & ~self._power_mask, feeds, maintenance)
        cooling = self._cooling_cache.get(cooling_key)
        if cooling is None:
            cooling = self._cooling_up(cooling_key[0], feeds, maintenance=maintenance)
            self._cooling_cache[cooling_key] = cooling
        return cooling

    def _failures(self, down: int) -> tuple[set[str], set[str], dict[str, int]]:
        failed_components: set[str] = set()
        failed_paths: set[str] = set()
        modules_down: dict[str, int] = {}
        for index in bits(down):
            block = self.blocks[index]
            if block.module_of is not None:
                modules_down[block.module_of] = modules_down.get(block.module_of, 0) + 1
                continue
            if block.component is not None:
                failed_components.add(block.component)
            failed_paths.update(member for member in block.members if member not in self.components)
        return failed_components, failed_paths, modules_down

    @staticmethod
    def _capacities(components: list[Component], failed: set[str], modules_down: dict[str, int]) -> list[float]:
        capacities = []
        for component in components:
            if component.id in failed:
                capacities.append(0.0)
                continue
            nominal = INFINITY if component.capacity_kw is None else component.capacity_kw
            working = component.modules - modules_down.get(component.id, 0)
            capacities.append(nominal * working / component.modules if component.modules > 1 else nominal)
        return capacities

    def _power_up(self, down: int, *, grid_up: bool, fuel_ok: bool, maintenance: bool) -> tuple[bool, frozenset[str]]:
        failed_components, failed_paths, modules_down = self._failures(down)
        network = self._power_network
        usable = [(path.active or maintenance) and path.id not in failed_paths for path in network.paths]
        fuelled = self._fuelled_generators(failed_components, failed_paths, maintenance) if fuel_ok else set()
        live = []
        for index in network.sources:
            component = network.components[index]
            if component.kind is Kind.UTILITY:
                live.append(grid_up)
            else:
                live.append(component.kind is not Kind.GENERATOR or component.id in fuelled)
        capacities = self._capacities(network.components, failed_components, modules_down)
        power_up, energised = network.carries(self.design.it_load_kw, capacities, live, usable)
        return power_up, frozenset(network.components[index].id for index in energised) & self._feeds

    def _cooling_up(self, down: int, feeds: frozenset[str], *, maintenance: bool) -> bool:
        failed_components, failed_paths, modules_down = self._failures(down)
        network = self._cooling_network
        capacities = self._capacities(network.components, failed_components, modules_down)
        for index, component in enumerate(network.components):
            if component.powered_by and not any(feed in feeds for feed in component.powered_by):
                capacities[index] = 0.0  # its power feeds are all dead
        usable = [(path.active or maintenance) and path.id not in failed_paths for path in network.paths]
        cooling_up, _ = network.carries(self.design.cooling_load_kw, capacities, [True] * len(network.sources), usable)
        return cooling_up

    def _fuelled_generators(self, failed: set[str], failed_paths: set[str], maintenance: bool) -> set[str]:
        generators = {c.id for c in self.design.components if c.kind is Kind.GENERATOR and c.id not in failed}
        if not self.tanks:
            return generators  # no tanks described: integral tanks with resupply assumed
        return {
            path.target
            for path in self.fuel_paths
            if path.target in generators
            and path.source not in failed
            and (path.active or maintenance)
            and path.id not in failed_paths
        }
