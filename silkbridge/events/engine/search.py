"""Large-neighbourhood search: free the meetings around a few participants and re-place them exactly.

Each step picks a request the plan leaves out (most often one the LP relaxation places, heaviest first, in a
seeded random order), grows a neighbourhood of participants around its two participants through their
requests, removes every meeting of a request touching the neighbourhood, and solves that sub-problem exactly
with HiGHS (``milp.solve_weight``) around the rest of the plan, which stays as it is. The new placement is
kept when it weighs at least as much as the one removed, so the weight never drops; equal weight is kept too,
which moves the plan to another point of the plateau.

Every choice depends only on the plan, the LP values and a ``random.Random(seed)``; the number of steps and
each sub-problem's node limit are fixed before the search starts, so the search is deterministic unless the
wall-clock safety stop (``Budget``) ends it.
"""

from __future__ import annotations

import random

from silkbridge.events.engine import milp
from silkbridge.events.engine.greedy import improve_by_move
from silkbridge.events.engine.problem import UNPLACED, Assignment, Budget, Problem

# Variables of one sub-problem: HiGHS solves these in a few tenths of a second, so many steps fit a budget;
# on small models a fifth of the model (the whole of a tight one can take HiGHS seconds).
NEIGHBOURHOOD_VARIABLES = 3_000
NEIGHBOURHOOD_SHARE = 0.2
MIN_NEIGHBOURHOOD_VARIABLES = 200
SUB_PROBLEM_NODES = 200


def improve(
    assignment: Assignment,
    live: list[int],
    residual: dict[int, int],
    *,
    guide: dict[int, float],
    target: float,
    steps: int,
    seed: int,
    budget: Budget,
    stall_limit: int | None = None,
) -> int:
    """Up to ``steps`` neighbourhood steps, stopping early only when the weight reaches ``target`` (a proven
    upper bound) or, given a ``stall_limit``, after that many steps in a row without a heavier plan (the
    caller then hands over to the exact MILP). Returns the number of steps run."""
    problem = assignment.problem
    rng = random.Random(seed)
    live_set = set(live)
    size = neighbourhood_size(sum(residual[r].bit_count() for r in live))
    done = 0
    stalled = 0
    for _ in range(steps):
        if assignment.weight >= target - 1e-9 or budget.expired():
            break
        if stall_limit is not None and stalled >= stall_limit:
            break
        unplaced = [r for r in live if assignment.slot_of[r] == UNPLACED]
        if not unplaced:
            break
        done += 1
        start = _pick(problem, unplaced, guide, rng)
        requests = _neighbourhood(assignment, start, live_set, residual, rng, size)
        before = assignment.weight
        _resolve(assignment, requests, residual, budget)
        stalled = 0 if assignment.weight > before + 1e-9 else stalled + 1
    return done


def neighbourhood_size(variables: int) -> int:
    """Variables of one step's sub-problem for a model of ``variables``."""
    return max(MIN_NEIGHBOURHOOD_VARIABLES, min(NEIGHBOURHOOD_VARIABLES, int(variables * NEIGHBOURHOOD_SHARE)))


def _pick(problem: Problem, unplaced: list[int], guide: dict[int, float], rng: random.Random) -> int:
    """A random unplaced request, biased to the ones the LP takes and to heavy ones (tournament of three)."""
    drawn = [unplaced[rng.randrange(len(unplaced))] for _ in range(3)]
    return max(drawn, key=lambda r: (guide.get(r, 0.0) > 0.5, problem.weights[r], -r))


def _neighbourhood(
    assignment: Assignment, start: int, live: set[int], residual: dict[int, int], rng: random.Random, size: int
) -> list[int]:
    problem = assignment.problem
    chosen: set[int] = set()
    requests: list[int] = []
    variables = 0
    queue = list(problem.endpoints[start])
    seen = set(queue)
    while queue and variables < size:
        participant = queue.pop(0)
        for request in problem.requests_of[participant]:
            if request in chosen or request not in live:
                continue
            chosen.add(request)
            requests.append(request)
            variables += residual[request].bit_count()
        # Next: the partners this participant meets (their slots move with it), in a random order.
        partners = [
            other
            for request in problem.requests_of[participant]
            if request in live
            for other in problem.endpoints[request]
            if other not in seen
        ]
        rng.shuffle(partners)
        for other in partners:
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return requests


def _resolve(assignment: Assignment, requests: list[int], residual: dict[int, int], budget: Budget) -> bool:
    problem = assignment.problem
    before = {r: assignment.slot_of[r] for r in requests if assignment.slot_of[r] != UNPLACED}
    for request in before:
        assignment.remove(request)
    maximum = [None if limit is None else limit - assignment.count[p] for p, limit in enumerate(problem.max_meetings)]
    capacity = [
        None if tables is None else tables - assignment.load[s] for s, tables in enumerate(problem.slot_capacity)
    ]
    result = milp.solve_weight(
        problem,
        requests,
        residual,
        wall_seconds=budget.remaining(),
        node_limit=SUB_PROBLEM_NODES,
        busy=assignment.busy,
        capacity=capacity,
        maximum=maximum,
    )
    if result.stopped_by_wall_clock:
        budget.clock_stopped = True
    removed = sum(round(problem.weights[r] * result.scale) for r in before)
    if result.status != "unknown" and result.objective >= removed:
        for request, slot in sorted(result.slot_of.items()):
            assignment.place(request, slot)
        # The MILP is blind to idle gaps: move each re-placed meeting to its best free slot (same meetings,
        # same weight). Without this, 70 steps at 3,000 participants doubled the gaps the greedy left.
        for request in sorted(result.slot_of):
            improve_by_move(assignment, request)
        return result.objective > removed
    for request, slot in sorted(before.items()):
        assignment.place(request, slot)
    return False
