"""A small max-flow (Edmonds–Karp) over arc arrays, built once and re-solved per failure scenario.

The Tier analysis solves the same graph a few hundred times with a handful of capacities
changed (a component out, a UPS module down, a path cut), so the graph keeps its structure in
flat lists and each solve gets its own capacity list. Graphs here have under a few hundred arcs;
shortest augmenting paths need only a few augmentations, and the solve stops as soon as the
demand is met because the question is always "does N reach the sink?", not "how much could".
"""

from __future__ import annotations

from collections import deque

INFINITE = float("inf")
TOLERANCE = 1e-6  # kW; capacities are engineering figures, a micro-kW shortfall is rounding


class FlowGraph:
    """Directed graph with arcs in pairs: arc `a` and its residual twin `a ^ 1`."""

    def __init__(self) -> None:
        self.adjacency: list[list[int]] = []
        self.heads: list[int] = []
        self.capacities: list[float] = []

    @property
    def node_count(self) -> int:
        return len(self.adjacency)

    def node_add(self) -> int:
        self.adjacency.append([])
        return len(self.adjacency) - 1

    def arc_add(self, tail: int, head: int, capacity: float) -> int:
        """Add an arc and its residual twin; return the forward arc's index (always even)."""
        arc = len(self.heads)
        self.heads += [head, tail]
        self.capacities += [capacity, 0.0]
        self.adjacency[tail].append(arc)
        self.adjacency[head].append(arc + 1)
        return arc

    def max_flow(self, source: int, sink: int, capacities: list[float], demand: float) -> tuple[float, list[float]]:
        """Flow from source to sink, stopping once `demand` is reached.

        Returns the flow value (at most `demand`) and the residual capacities; the flow on a
        forward arc `a` is `residual[a ^ 1]` (its twin starts at zero).
        """
        residual = list(capacities)
        adjacency, heads = self.adjacency, self.heads
        node_count = len(adjacency)
        value = 0.0
        while value < demand - TOLERANCE:
            via = [-1] * node_count
            via[source] = -2
            queue = deque([source])
            while queue and via[sink] == -1:
                node = queue.popleft()
                for arc in adjacency[node]:
                    head = heads[arc]
                    if via[head] == -1 and residual[arc] > TOLERANCE:
                        via[head] = arc
                        queue.append(head)
            if via[sink] == -1:
                break
            # The bottleneck starts at the remaining demand so an all-unlimited route never pushes infinity.
            bottleneck = demand - value
            node = sink
            while node != source:
                arc = via[node]
                bottleneck = min(bottleneck, residual[arc])
                node = heads[arc ^ 1]
            node = sink
            while node != source:
                arc = via[node]
                residual[arc] -= bottleneck
                residual[arc ^ 1] += bottleneck
                node = heads[arc ^ 1]
            value += bottleneck
        return value, residual

    def reachable(self, starts: list[int], capacities: list[float]) -> list[bool]:
        """Nodes reachable from `starts` along forward arcs with capacity left."""
        seen = [False] * len(self.adjacency)
        queue = deque(starts)
        for node in starts:
            seen[node] = True
        heads = self.heads
        while queue:
            node = queue.popleft()
            for arc in self.adjacency[node]:
                if not arc & 1 and capacities[arc] > TOLERANCE and not seen[heads[arc]]:
                    seen[heads[arc]] = True
                    queue.append(heads[arc])
        return seen
