"""Meeting scheduler: place accepted requests in (slot, table), maximising weight, then fewest idle gaps.

Strategy (measured on 3,000 participants / 25,000 requests / 16 and 24 slots, 2 cores, see ``bench.py``):

1. **Greedy** by weight, then by how over-requested the two participants are, then by how few common slots
   the pair has; each meeting goes where it adds the fewest idle gaps (earliest among equals).
   **Augmenting relocations** then place an unplaced request by moving the one or two meetings that block a
   slot. About a second; 0.5 % below the optimum.
2. **Bounds**: a combinatorial bound (per-participant excess, LP-dual style, ``bounds.py``); when the greedy
   reaches it the greedy is optimal and nothing else runs for weight. That is the usual case when late
   requests are added to a solved event (fixed meetings): 100 late requests take about 0.3 s plus parsing.
   Otherwise an **LP relaxation** with slots aggregated (``relaxation.py``, HiGHS interior point, ~3 s).
   It came out integral and equal to the optimum wherever we could check, so it is both the reported upper
   bound and the order for a second, **LP-guided greedy** (0.1 % gap at 16 slots, optimal at 24 slots).
   The full per-slot LP did not finish in 85 s; CP-SAT's own bound stayed 5-50 % loose.
3. **CP-SAT phase 1**, small models only (at most 60,000 ``x[request, slot]`` booleans): at-most-one per
   participant and slot, table and maximum constraints, fixed meetings as constants, seeded with the best
   greedy as a hint. It proves optimality on tight forum instances in a few seconds. On the large events it
   improved nothing in 20 s (at 300 participants it found +8 in 60 s where HiGHS MILP proved +9 in 16 s),
   so there the time goes to idle gaps instead. It runs one worker and stops on *deterministic* time, so a
   given seed gives the same plan; wall time is only a guard against slow machines.
4. **Idle gaps**: a local search (move a meeting to a better free slot, swap two meetings of one person;
   the set of meetings and so the weight never change), then on small models **CP-SAT phase 2**: weight at
   least the phase-1 weight as a constraint, minimise gaps modelled with per participant-day first/last busy
   positions. Its bound is reported as ``idle_gaps_lower_bound`` when the weight is proven optimal.
5. **Tables** are numbered afterwards, per slot: fixed tables are kept, fixed meetings without a number get
   the smallest free ones first (so a re-run keeps them), then the others in request order.

Fixed meetings never move: they are removed from the residual capacities before any of this runs.

The plan (``Plan.to_dict()``)::

    {"meetings": [{"request", "slot", "table"}], "objective", "upper_bound", "gap", "idle_gaps",
     "idle_gaps_lower_bound" (null unless CP-SAT proved one for this weight), "seconds", "status"
     ("optimal" or "feasible"), "greedy_objective",
     "unscheduled": [{"request", "reason"}]}

``reason``: ``no_common_slot`` (the pair shares no allowed, available slot), ``limit`` (one of them reached
``max_meetings``), ``capacity`` (every common slot is taken by their other meetings or has no free table).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from silkbridge.events.engine.bounds import combinatorial_bound
from silkbridge.events.engine.greedy import augment, greedy_assignment, reduce_gaps
from silkbridge.events.engine.instance import Instance, instance_from_dict
from silkbridge.events.engine.problem import (
    UNPLACED,
    Assignment,
    Problem,
    idle_gaps_of_mask,
    problem_from_instance,
    weight_scale,
)
from silkbridge.events.engine.relaxation import solve_relaxation

# CP-SAT counts "deterministic time" in its own units; on the reference 2-core machine one unit is about
# this many wall seconds at the sizes we solve. The wall-clock guard catches slower machines.
DETERMINISTIC_UNITS_PER_SECOND = 1.0
WORKERS = 1
# Model building is plain Python; skip CP-SAT when building alone would not fit in the time left.
BUILD_SECONDS_PER_VARIABLE = 2e-5
EPSILON = 1e-9
# Below this many x[request, slot] variables CP-SAT gets every request; above, only the promising ones.
SMALL_MODEL_VARIABLES = 60_000


@dataclass(frozen=True)
class Meeting:
    request: str
    slot: str
    table: int


@dataclass
class Plan:
    meetings: list[Meeting]
    objective: float
    upper_bound: float
    idle_gaps: int
    seconds: float
    status: str = "feasible"
    greedy_objective: float = 0.0
    idle_gaps_lower_bound: int | None = None
    unscheduled: list[dict[str, str]] = field(default_factory=list)

    @property
    def gap(self) -> float:
        if self.upper_bound <= EPSILON:
            return 0.0
        return max(0.0, (self.upper_bound - self.objective) / self.upper_bound)

    def to_dict(self) -> dict[str, Any]:
        return {
            "meetings": [{"request": m.request, "slot": m.slot, "table": m.table} for m in self.meetings],
            "objective": round(self.objective, 9),
            "upper_bound": round(self.upper_bound, 9),
            "gap": round(self.gap, 9),
            "idle_gaps": self.idle_gaps,
            "idle_gaps_lower_bound": self.idle_gaps_lower_bound,
            "seconds": round(self.seconds, 3),
            "status": self.status,
            "greedy_objective": round(self.greedy_objective, 9),
            "unscheduled": self.unscheduled,
        }


# What `on_progress` is told at the start of each phase: (fraction of the time limit spent, phase).
PHASES = ("greedy", "relaxation", "exact", "gaps")
ProgressCallback = Callable[[float, str], None]


def schedule_json(
    data: Any, *, time_limit: float = 30.0, seed: int = 0, on_progress: ProgressCallback | None = None
) -> dict[str, Any]:
    """Validate plain data and schedule it; raises ``InstanceError`` listing every problem of the input."""
    return schedule(instance_from_dict(data), time_limit=time_limit, seed=seed, on_progress=on_progress).to_dict()


def schedule(
    instance: Instance, *, time_limit: float = 30.0, seed: int = 0, on_progress: ProgressCallback | None = None
) -> Plan:
    """Best plan found within ``time_limit`` seconds; the same seed gives the same plan.

    ``on_progress(fraction, phase)`` is called as each phase (one of PHASES) starts, with the share of
    the time limit spent so far; it must not raise."""
    started = time.monotonic()
    deadline = started + max(0.0, time_limit)

    def report(phase: str) -> None:
        if on_progress is not None:
            spent = (time.monotonic() - started) / time_limit if time_limit > 0 else 0.0
            on_progress(min(0.99, spent), phase)

    report("greedy")
    problem = problem_from_instance(instance)
    candidates = problem.free_requests()
    residual = {r: problem.residual_domain(r) for r in candidates}
    live = [r for r in candidates if residual[r]]
    fixed_weight = sum(problem.weights[r] for r in problem.fixed_slot)

    assignment = greedy_assignment(problem, live)
    augment(assignment, live, _fraction_of(deadline, 0.1))
    greedy_weight = assignment.weight
    bound = combinatorial_bound(problem, live, residual)
    model_requests = live
    if assignment.weight < bound - EPSILON and _remaining(deadline) > 0.5:
        report("relaxation")
        relaxation = solve_relaxation(problem, live, residual, seconds=_remaining(deadline) * 0.3)
        if relaxation is not None:
            bound = min(bound, relaxation.bound)
            guided = greedy_assignment(problem, live, relaxation.value)
            augment(guided, live, _fraction_of(deadline, 0.1))
            if guided.weight > assignment.weight:
                assignment = guided
            model_requests = _promising(problem, live, residual, relaxation.value, assignment)
    bound = _round_down_to_weights(problem, live, bound)
    status = "optimal" if assignment.weight >= bound - EPSILON else "feasible"

    built = None
    # Measured: on large events (300,000 variables) CP-SAT found nothing better than the LP-guided greedy
    # in 20 s, so its time goes to the gap local search instead; on small and tight ones it closes the gap.
    if status != "optimal" and _is_small(model_requests, residual) and _can_build(model_requests, residual, deadline):
        from silkbridge.events.engine import cpsat  # imported lazily: OR-Tools takes a while to load

        report("exact")
        built = cpsat.build_model(problem, model_requests, residual)
        result = cpsat.solve(
            built,
            assignment,
            deterministic_time=time_limit * 0.65 * DETERMINISTIC_UNITS_PER_SECOND,
            wall_seconds=_remaining(deadline) * 0.75,
            seed=seed,
            workers=WORKERS,
            maximise=True,
        )
        if result.status != "unknown":
            if model_requests is live:
                bound = min(bound, result.bound / built.scale)
            if result.objective > round(assignment.weight * built.scale):
                assignment = cpsat.assignment_from(problem, result.slot_of)
            bound = _round_down_to_weights(problem, live, bound)
            if assignment.weight >= bound - EPSILON:
                status = "optimal"

    report("gaps")
    reduce_gaps(assignment, _fraction_of(deadline, 0.3 if _is_small(live, residual) else 0.9))
    gaps_lower_bound = None
    # Late requests added to a solved event (fixed meetings, greedy proven optimal by the bound): the
    # gap-aware insertion and the local search suffice; CP-SAT would cost seconds for a handful of meetings.
    is_late_request_path = built is None and bool(problem.fixed_slot) and status == "optimal"
    if _remaining(deadline) > 0.2 and not is_late_request_path:
        # Small models: fewest gaps among all plans at least this heavy. Large ones: keep this set of
        # meetings and only reassign their slots.
        keep_set = not _is_small(live, residual)
        gap_requests = assignment.placed_free() if keep_set else live
        if _is_small(gap_requests, residual) and _can_build(gap_requests, residual, deadline):
            assignment, gaps_lower_bound = _minimise_gaps(
                problem,
                gap_requests,
                residual,
                assignment,
                None if keep_set or model_requests is not live else built,
                deadline,
                seed,
                time_limit * 0.2 * DETERMINISTIC_UNITS_PER_SECOND,
                keep_set=keep_set,
                is_complete=status == "optimal" and not keep_set,
            )

    return Plan(
        meetings=_number_tables(problem, assignment),
        objective=fixed_weight + assignment.weight,
        upper_bound=max(fixed_weight + bound, fixed_weight + assignment.weight),
        idle_gaps=assignment.total_gaps(),
        seconds=time.monotonic() - started,
        status=status,
        greedy_objective=fixed_weight + greedy_weight,
        idle_gaps_lower_bound=gaps_lower_bound,
        unscheduled=_unscheduled(problem, assignment),
    )


def _minimise_gaps(
    problem: Problem,
    live: list[int],
    residual: dict[int, int],
    assignment: Assignment,
    built: Any,
    deadline: float,
    seed: int,
    deterministic_time: float,
    *,
    keep_set: bool,
    is_complete: bool,
) -> tuple[Assignment, int | None]:
    """CP-SAT phase 2: the fewest idle gaps among plans at least as heavy as ``assignment``.

    The lower bound on gaps is only reported when the model holds every candidate request.
    """
    from silkbridge.events.engine import cpsat

    current_gaps = assignment.total_gaps()
    if current_gaps == 0:
        return assignment, 0
    if built is None:
        built = cpsat.build_model(problem, live, residual, all_placed=keep_set)
    cpsat.add_gap_objective(built, None if keep_set else round(assignment.weight * built.scale))
    constant = current_gaps - _modelled_gaps(assignment, built.gap_cells)
    result = cpsat.solve(
        built,
        assignment,
        deterministic_time=deterministic_time,
        wall_seconds=_remaining(deadline) * 0.9,
        seed=seed,
        workers=WORKERS,
        maximise=False,
    )
    if result.status == "unknown":
        return assignment, None
    improved = cpsat.assignment_from(problem, result.slot_of)
    lower_bound = None
    if is_complete and result.bound != float("inf"):
        lower_bound = constant + max(0, math.ceil(result.bound - 1e-6))
    if improved.weight >= assignment.weight - EPSILON and improved.total_gaps() < current_gaps:
        assignment = improved
    return assignment, lower_bound


def _promising(
    problem: Problem, live: list[int], residual: dict[int, int], value: dict[int, float], assignment: Assignment
) -> list[int]:
    """Requests worth a CP-SAT variable on big instances: those the LP or the current plan takes."""
    if _is_small(live, residual):
        return live
    return [r for r in live if value.get(r, 0.0) > 0.01 or assignment.slot_of[r] != UNPLACED]


def _modelled_gaps(assignment: Assignment, cells: set[tuple[int, int]]) -> int:
    day_ranges = assignment.problem.day_ranges
    return sum(idle_gaps_of_mask(assignment.busy[p], [day_ranges[day]]) for p, day in cells)


def _number_tables(problem: Problem, assignment: Assignment) -> list[Meeting]:
    """Tables 1..n per slot; fixed tables are kept, the rest take the smallest free numbers."""
    fixed_tables = {problem.instance.request_index[f.request]: f.table for f in problem.instance.fixed}
    by_slot: dict[int, list[int]] = {}
    for request, slot in enumerate(assignment.slot_of):
        if slot != UNPLACED:
            by_slot.setdefault(slot, []).append(request)
    meetings: list[Meeting] = []
    for slot in sorted(by_slot):
        taken = {fixed_tables[r] for r in by_slot[slot] if fixed_tables.get(r) is not None}
        next_table = 1
        # Fixed meetings without a table number first, so re-running with late requests keeps their numbers.
        for request in sorted(by_slot[slot], key=lambda r: (r not in problem.fixed_slot, r)):
            table = fixed_tables.get(request)
            if table is None:
                while next_table in taken:
                    next_table += 1
                table = next_table
                taken.add(table)
            meetings.append(Meeting(problem.request_ids[request], problem.slot_ids[slot], table))
    return meetings


def _unscheduled(problem: Problem, assignment: Assignment) -> list[dict[str, str]]:
    result = []
    for request, slot in enumerate(assignment.slot_of):
        if slot != UNPLACED:
            continue
        a, b = problem.endpoints[request]
        if not problem.domain[request]:
            reason = "no_common_slot"
        elif not (assignment.has_room(a) and assignment.has_room(b)):
            reason = "limit"
        else:
            reason = "capacity"
        result.append({"request": problem.request_ids[request], "reason": reason})
    return result


def _round_down_to_weights(problem: Problem, live: list[int], bound: float) -> float:
    """Plans weigh a multiple of 1/scale, so a bound can drop to that grid (removing LP tolerance padding)."""
    if bound == math.inf:
        return bound
    scale = weight_scale([problem.weights[r] for r in live] or [1.0])
    if scale >= 10**6:
        return bound
    return math.floor(bound * scale + 1e-6) / scale


def _is_small(requests: list[int], residual: dict[int, int]) -> bool:
    return sum(residual[r].bit_count() for r in requests) <= SMALL_MODEL_VARIABLES


def _can_build(live: list[int], residual: dict[int, int], deadline: float) -> bool:
    variables = sum(residual[r].bit_count() for r in live)
    return variables > 0 and variables * BUILD_SECONDS_PER_VARIABLE < _remaining(deadline) / 3


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _fraction_of(deadline: float, share: float) -> float:
    return time.monotonic() + _remaining(deadline) * share
