"""Exact MILP of the weight problem, solved by HiGHS through ``scipy.optimize.milp``.

One binary ``x[request, slot]`` per request and residual slot, on top of the fixed meetings::

    maximise  sum w_r x[r, s]
    subject to  sum_s x[r, s] <= 1                      (each request at most once)
                sum_{r of p} x[r, s] <= 1               (a participant in one meeting per slot)
                sum_r x[r, s] <= free tables of s       (where limited)
                sum_{r of p, s} x[r, s] <= max of p     (where limited)

Weights are scaled to integers, so HiGHS's dual bound can be rounded down to the weight grid and a gap of 0
is a proof. HiGHS runs single-threaded and is deterministic for a given model: it stops at a proven optimum
(``mip_rel_gap`` 0), at its node limit (deterministic work) or, as a safety stop only, at the wall-clock limit.
The same solver fixes a subset of the plan and re-optimises the rest in the large-neighbourhood search.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from silkbridge.events.engine.problem import Problem, weight_scale


@dataclass
class MilpResult:
    # "optimal" (gap 0 proven), "feasible" (stopped with a plan), "unknown" (stopped without a plan),
    # "infeasible" (proven: no plan reaches ``at_least``)
    status: str
    slot_of: dict[int, int]  # request -> slot of the placed ones
    objective: int  # scaled weight of ``slot_of``
    bound: int  # scaled upper bound on the weight of the modelled requests
    nodes: int  # branch-and-bound nodes explored
    stopped_by_wall_clock: bool  # True if the safety stop, not the proof or the node limit, ended it
    scale: int  # weights were multiplied by this to make them integers


def variable_count(residual: dict[int, int], requests: list[int]) -> int:
    return sum(residual[r].bit_count() for r in requests)


def solve_weight(
    problem: Problem,
    requests: list[int],
    residual: dict[int, int],
    *,
    wall_seconds: float,
    node_limit: int | None = None,
    busy: list[int] | None = None,
    capacity: list[int | None] | None = None,
    maximum: list[int | None] | None = None,
    at_least: int | None = None,
) -> MilpResult:
    """Best placement of ``requests`` in their ``residual`` slots.

    ``busy`` (per participant slot mask), ``capacity`` (per slot free tables) and ``maximum`` (per participant
    meetings left) describe what is already taken besides the fixed meetings: the neighbourhood search passes
    the part of the plan it keeps. By default only the fixed meetings are taken.

    ``at_least`` (scaled weight) asks only for plans that heavy: "infeasible" is then a proof that no plan
    reaches it, so a plan of ``at_least - 1`` already found is optimal.
    """
    busy = busy if busy is not None else problem.fixed_busy
    capacity = capacity if capacity is not None else problem.slot_capacity
    maximum = maximum if maximum is not None else problem.max_meetings
    scale = weight_scale([problem.weights[r] for r in requests] or [1.0])
    columns: list[tuple[int, int]] = []
    for request in requests:
        a, b = problem.endpoints[request]
        if maximum[a] == 0 or maximum[b] == 0:
            continue
        mask = residual[request] & ~busy[a] & ~busy[b]
        while mask:
            bit = mask & -mask
            mask ^= bit
            slot = bit.bit_length() - 1
            if capacity[slot] is None or capacity[slot] > 0:  # type: ignore[operator]
                columns.append((request, slot))
    if not columns:
        if at_least is not None and at_least > 0:
            return MilpResult("infeasible", {}, 0, 0, 0, False, scale)
        return MilpResult("optimal", {}, 0, 0, 0, False, scale)
    rows: list[int] = []
    cols: list[int] = []
    upper: list[float] = []
    row_of: dict[tuple[int, ...], int] = {}
    groups: dict[tuple[int, ...], list[int]] = {}
    for column, (request, slot) in enumerate(columns):
        a, b = problem.endpoints[request]
        keys: list[tuple[int, ...]] = [(0, request), (1, a, slot), (1, b, slot)]
        if capacity[slot] is not None:
            keys.append((2, slot))
        if maximum[a] is not None:
            keys.append((3, a))
        if maximum[b] is not None:
            keys.append((3, b))
        for key in keys:
            groups.setdefault(key, []).append(column)
    for key, members in groups.items():
        limit = _limit(key, capacity, maximum)
        if len(members) <= limit:
            continue  # never binding
        row = row_of[key] = len(upper)
        upper.append(float(limit))
        rows.extend([row] * len(members))
        cols.extend(members)
    weights = np.array([round(problem.weights[request] * scale) for request, _ in columns], dtype=float)
    constraints = []
    if upper:
        matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(upper), len(columns))).tocsr()
        constraints.append(LinearConstraint(matrix, -np.inf, np.array(upper)))
    if at_least is not None:
        constraints.append(LinearConstraint(weights.reshape(1, -1), at_least, np.inf))
    options: dict[str, object] = {"time_limit": max(0.05, wall_seconds), "mip_rel_gap": 0.0, "presolve": True}
    if node_limit is not None:
        options["node_limit"] = max(1, node_limit)
    result = milp(
        -weights,
        integrality=np.ones(len(columns)),
        bounds=Bounds(0.0, 1.0),
        constraints=constraints,
        options=options,
    )
    nodes = int(getattr(result, "mip_node_count", 0) or 0)
    if result.status == 2:  # infeasible: proven
        return MilpResult("infeasible", {}, 0, (at_least or 0) - 1, nodes, False, scale)
    if result.x is None:
        return MilpResult("unknown", {}, 0, 1 << 62, nodes, result.status == 1, scale)
    slot_of = {columns[i][0]: columns[i][1] for i, value in enumerate(result.x) if value > 0.5}
    objective = sum(round(problem.weights[r] * scale) for r in slot_of)
    dual = getattr(result, "mip_dual_bound", None)
    bound = objective if result.status == 0 else _bound(dual, objective)
    status = "optimal" if bound <= objective else "feasible"
    hit_wall = result.status == 1 and (node_limit is None or nodes < node_limit)
    return MilpResult(status, slot_of, objective, bound, nodes, hit_wall, scale)


def _limit(key: tuple[int, ...], capacity: list[int | None], maximum: list[int | None]) -> int:
    if key[0] == 2:
        return capacity[key[1]] or 0
    if key[0] == 3:
        return maximum[key[1]] or 0
    return 1


def _bound(dual: float | None, objective: int) -> int:
    """HiGHS's dual bound on the (negated, scaled) objective as an integer upper bound on the weight."""
    if dual is None or not math.isfinite(dual):
        return 1 << 62
    return max(objective, math.floor(-dual + 1e-6))
