"""LP relaxation of the weight problem (HiGHS interior point through SciPy): an upper bound and a guide.

The full LP (one column per request and slot, 300,000 columns at 3,000 participants) did not finish in 85 s
on the reference machine; the aggregated one below has one column per request and solves in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from silkbridge.events.engine.problem import Problem


@dataclass
class Relaxation:
    bound: float  # upper bound on the weight the candidate requests can add
    value: dict[int, float]  # request -> fraction placed in the LP optimum


def solve_relaxation(
    problem: Problem, candidates: list[int], residual: dict[int, int], *, seconds: float
) -> Relaxation | None:
    """The LP optimum, or None when HiGHS stops without one (time limit, numerical trouble).

    Slots are aggregated to keep the LP small (one column per request, not per request and slot): a set
    ``M`` of slots holds at most its free tables, and at most ``|M|`` meetings of one participant, counting
    the requests whose possible slots lie inside ``M``. ``M`` ranges over the distinct request domains,
    which in practice are a handful of blocks (all day, mornings, one day...).
    """
    live = [r for r in candidates if residual[r]]
    if not live:
        return Relaxation(0.0, {})
    row_of: dict[tuple[int, ...], int] = {}
    upper: list[float] = []
    row_indices: list[int] = []
    column_indices: list[int] = []

    def add(key: tuple[int, ...], bound: float, column: int) -> None:
        row = row_of.get(key)
        if row is None:
            row = row_of[key] = len(upper)
            upper.append(bound)
        row_indices.append(row)
        column_indices.append(column)

    masks = _slot_sets(problem, live, residual)
    capacity_of = {mask: _tables(problem, mask) for mask in masks}
    for column, request in enumerate(live):
        mask = residual[request]
        for index, block in enumerate(masks):
            if mask & ~block == 0:
                if capacity_of[block] is not None:
                    add((1, index), float(capacity_of[block]), column)  # type: ignore[arg-type]
                for participant in problem.endpoints[request]:
                    free = (block & ~problem.fixed_busy[participant]).bit_count()
                    add((2, participant, index), float(free), column)
        for participant in problem.endpoints[request]:
            maximum = problem.max_meetings[participant]
            if maximum is not None:
                add((3, participant), float(maximum), column)
    matrix = coo_matrix((np.ones(len(row_indices)), (row_indices, column_indices)), shape=(len(upper), len(live)))
    costs = -np.array([problem.weights[request] for request in live])
    result = linprog(
        costs,
        A_ub=matrix.tocsr(),
        b_ub=np.array(upper),
        bounds=(0.0, 1.0),
        method="highs-ipm",
        options={"time_limit": max(0.1, seconds)},
    )
    if result.status != 0 or result.x is None:
        return None
    # The optimum is found to a relative tolerance of about 1e-8; pad the bound by more than that.
    bound = -float(result.fun) * (1 + 1e-7) + 1e-6
    value = {request: float(amount) for request, amount in zip(live, result.x, strict=True) if amount > 1e-6}
    return Relaxation(bound, value)


def _slot_sets(problem: Problem, live: list[int], residual: dict[int, int]) -> list[int]:
    """Distinct request domains (most common first, at most 64) plus the set of all slots."""
    counts: dict[int, int] = {}
    for request in live:
        counts[problem.domain[request]] = counts.get(problem.domain[request], 0) + 1
    masks = sorted(counts, key=lambda mask: (-counts[mask], mask))[:64]
    everything = (1 << problem.slot_count) - 1
    return masks if everything in masks else [*masks, everything]


def _tables(problem: Problem, mask: int) -> int | None:
    total = 0
    for slot in range(problem.slot_count):
        if (mask >> slot) & 1:
            capacity = problem.slot_capacity[slot]
            if capacity is None:
                return None
            total += capacity
    return total
