"""Meeting scheduler: place accepted requests in (slot, table), maximising weight, then fewest idle gaps.

Strategy, a portfolio that uses its budget (figures: ``bench.py`` and docs/benchmarks.md, 2 cores):

1. **Greedy** by weight, then by how over-requested the two participants are, then by how few common slots
   the pair has; each meeting goes where it adds the fewest idle gaps. **Augmenting relocations** then place
   an unplaced request by moving the one or two meetings that block a slot.
2. **Bounds**: a combinatorial bound (``bounds.py``), then an **LP relaxation** with slots aggregated
   (``relaxation.py``, HiGHS interior point): the reported upper bound and the order of an **LP-guided
   greedy**. A plan that reaches the bound is proven optimal and the weight phases end there.
3. **Large-neighbourhood search** (``search.py``): free the meetings around a few participants and
   re-place them exactly with HiGHS, around the rest of the plan; the weight never drops. It runs for a
   number of steps fixed from the work budget, or until the bound is reached.
4. **Exact MILP** (``milp.py``, HiGHS through ``scipy.optimize.milp``) on models of at most
   ``EXACT_MAX_VARIABLES`` variables (forum size) once the search stalls: it finds a heavier plan or proves
   the current one optimal (gap 0). It stops at the proof, its node limit or the clock, never
   because the current plan looks good.
5. **Idle gaps** (second objective, lexicographic): a local search that moves a meeting to a better free
   slot or swaps two meetings of one person (the set of meetings, so the weight, never changes), then on
   small models **CP-SAT** with the weight at least the phase-1 weight as a constraint, minimising gaps
   modelled with per participant-day first/last positions over the slots the participant attends. Its
   bound is reported as ``idle_gaps_lower_bound`` when the weight is proven optimal.
6. **Tables** are numbered afterwards, per slot: fixed tables are kept, fixed meetings without a number get
   the smallest free ones first (so a re-run keeps them), then the others in request order.

Fixed meetings never move: they are removed from the residual capacities before any of this runs.

The plan (``Plan.to_dict()``)::

    {"meetings": [{"request", "slot", "table"}], "objective", "upper_bound", "gap", "idle_gaps",
     "idle_gaps_lower_bound" (null unless CP-SAT proved one for this weight), "seconds", "status"
     ("optimal": the weight is proven optimal, gap 0; or "feasible"), "greedy_objective",
     "reproducible" (false when the wall clock, not the work limit, stopped a phase),
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
    Budget,
    Problem,
    idle_gaps_of_mask,
    problem_from_instance,
    weight_scale,
)

# CP-SAT counts "deterministic time" in its own units; on the reference 2-core machine one unit is about
# this many wall seconds at the sizes we solve. The wall-clock guard catches slower machines.
DETERMINISTIC_UNITS_PER_SECOND = 1.0
WORKERS = 1
# Model building is plain Python; skip CP-SAT when building alone would not fit in the time left.
BUILD_SECONDS_PER_VARIABLE = 2e-5
EPSILON = 1e-9
# CP-SAT's idle-gap phase gets every request below this many x[request, slot] variables.
SMALL_MODEL_VARIABLES = 60_000
# The exact MILP runs on models up to this many variables (forum size: 1,000-5,000; 300 companies / 2,000
# requests / 12 slots: 17,000, proven in 7 s where the search stalled 0.1 % short), when the budget allows
# its root LP at about this many seconds per variable (measured: 9,000 variables, 3.5 s on the loaded
# reference machine). Larger events rely on the LP bound and the neighbourhood search. It may use this
# share of the time left, and this many branch-and-bound nodes per second of work (its work limit).
EXACT_MAX_VARIABLES = 40_000
EXACT_ROOT_SECONDS_PER_VARIABLE = 4e-4
EXACT_SHARE = 0.8
EXACT_NODES_PER_SECOND = 400
# Neighbourhood search (search.py): the share of the time limit it may fill, the set-up cost estimated per
# variable (greedy, LP, table numbering) and one step's cost, measured on the reference machine.
SEARCH_SHARE = 0.65  # the rest: table numbering, and the idle-gap local search on large events
SEARCH_SHARE_BEFORE_EXACT = 0.4
# On exact-size models the search hands over to the MILP after this many steps in a row without progress
# (the plan may already be optimal with an LP bound that is not tight: the MILP proves it in tenths).
STALL_BEFORE_EXACT = 10
SETUP_SECONDS_PER_VARIABLE = 2.5e-5
SECONDS_PER_STEP = 0.01
SECONDS_PER_STEP_VARIABLE = 5e-5
# The idle-gap phase: passes of the local search (it stops earlier at a local optimum), share of the time
# limit for CP-SAT.
GAP_PASSES = 50
GAP_SHARE = 0.3


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
    reproducible: bool = True

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
            "reproducible": self.reproducible,
        }


# What `on_progress` is told at the start of each phase: (fraction of the time limit spent, phase).
PHASES = ("greedy", "relaxation", "exact", "gaps")
ProgressCallback = Callable[[float, str], None]


def schedule_json(
    data: Any,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    work_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Validate plain data and schedule it; raises ``InstanceError`` listing every problem of the input."""
    instance = instance_from_dict(data)
    return schedule(
        instance, time_limit=time_limit, seed=seed, work_limit=work_limit, on_progress=on_progress
    ).to_dict()


def schedule(
    instance: Instance,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    work_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> Plan:
    """Best plan found within ``time_limit`` seconds.

    What is guaranteed: every phase is bounded by *work* fixed in advance, never by the clock — HiGHS node
    limits, a number of neighbourhood steps, CP-SAT deterministic time, passes of the local search — sized
    for ``work_limit`` seconds of the reference machine (default: ``time_limit``). So the same instance,
    ``seed`` and ``work_limit`` give the same plan, on any machine and under any load, whenever the wall
    clock did not have to stop a phase at ``time_limit`` (a safety stop only). The plan says which case it
    is: ``reproducible`` is false when the clock stopped a phase (a slow or loaded machine). A smaller
    ``work_limit`` than ``time_limit`` leaves room for a loaded machine; the search stops earlier than the
    work only when it has proved the weight optimal.

    ``on_progress(fraction, phase)`` is called as each phase (one of PHASES) starts, with the share of
    the time limit spent so far; it must not raise."""
    started = time.monotonic()
    budget = Budget(started + max(0.0, time_limit))
    work = time_limit if work_limit is None else work_limit

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
    variables = sum(residual[r].bit_count() for r in live)

    assignment = greedy_assignment(problem, live)
    augment(assignment, live, budget)
    greedy_weight = assignment.weight
    bound = _round_down_to_weights(problem, live, combinatorial_bound(problem, live, residual))
    guide: dict[int, float] = {}
    if assignment.weight < bound - EPSILON:
        # Imported here: SciPy takes a while to load, and many runs (a solved event with late requests) are
        # proven optimal by the greedy and the combinatorial bound alone.
        from silkbridge.events.engine import milp
        from silkbridge.events.engine.relaxation import solve_relaxation
        from silkbridge.events.engine.search import improve

        report("relaxation")
        relaxation = solve_relaxation(problem, live, residual, seconds=budget.remaining() * 0.3)
        if relaxation is not None:
            bound = _round_down_to_weights(problem, live, min(bound, relaxation.bound))
            guide = relaxation.value
            guided = greedy_assignment(problem, live, relaxation.value)
            augment(guided, live, budget)
            if guided.weight > assignment.weight:
                assignment = guided
        else:
            budget.clock_stopped = True
    # The whole MILP only where its root LP (not interruptible: HiGHS overran its time limit there) fits the
    # work budget left after the search; decided on the work, not the clock, so a seed still fixes the plan.
    is_exact_size = variables <= EXACT_MAX_VARIABLES and variables * EXACT_ROOT_SECONDS_PER_VARIABLE <= work * (
        1 - SEARCH_SHARE_BEFORE_EXACT
    )
    if assignment.weight < bound - EPSILON and not budget.expired():
        # Exact re-optimisation of neighbourhoods until the bound or the work budget (a number of steps
        # fixed from the time limit and the model size); on models the MILP can take whole, a share only.
        report("exact")
        steps = _search_steps(work * (SEARCH_SHARE_BEFORE_EXACT if is_exact_size else SEARCH_SHARE), variables)
        improve(
            assignment,
            live,
            residual,
            guide=guide,
            target=bound,
            steps=steps,
            seed=seed,
            budget=budget,
            stall_limit=STALL_BEFORE_EXACT if is_exact_size else None,
        )
    if assignment.weight < bound - EPSILON and is_exact_size and not budget.expired():
        # Prove it, or find better: HiGHS on the whole model. It runs until the proof (gap 0), its node limit or
        # the clock; a good heuristic plan never stops it early. (Asking it for a plan heavier than this one,
        # a dense objective row, made it slower: 300 / 2,000 / 12 slots found nothing in 30 s, not 1270 in 7.)
        result = milp.solve_weight(
            problem,
            live,
            residual,
            wall_seconds=budget.remaining() * EXACT_SHARE,
            node_limit=max(100, round(work * EXACT_NODES_PER_SECOND)),
        )
        budget.clock_stopped |= result.stopped_by_wall_clock
        bound = min(bound, result.bound / result.scale)
        if result.slot_of and result.objective > round(assignment.weight * result.scale):
            assignment = _assignment_of(problem, result.slot_of)
        bound = _round_down_to_weights(problem, live, bound)
    status = "optimal" if assignment.weight >= bound - EPSILON else "feasible"

    report("gaps")
    reduce_gaps(assignment, budget, passes=GAP_PASSES)
    gaps_lower_bound = None
    # Late requests added to a solved event (fixed meetings, greedy proven optimal by the bound): the
    # gap-aware insertion and the local search suffice; CP-SAT would cost seconds for a handful of meetings.
    is_late_request_path = greedy_weight >= bound - EPSILON and bool(problem.fixed_slot)
    if not budget.expired() and not is_late_request_path and assignment.total_gaps() > 0:
        # Small models: fewest gaps among all plans at least this heavy (lexicographic: the weight is a
        # constraint). Large ones: keep this set of meetings and only reassign their slots.
        keep_set = not _is_small(live, residual)
        gap_requests = assignment.placed_free() if keep_set else live
        if not _can_build(gap_requests, residual, budget):
            budget.clock_stopped = True  # the clock, not the work, decided to skip the phase
        elif _is_small(gap_requests, residual):
            report_gaps = _minimise_gaps(
                problem,
                gap_requests,
                residual,
                assignment,
                budget,
                seed,
                work * GAP_SHARE * DETERMINISTIC_UNITS_PER_SECOND,
                keep_set=keep_set,
                is_complete=status == "optimal" and not keep_set,
            )
            assignment, gaps_lower_bound = report_gaps
    elif assignment.total_gaps() == 0 and status == "optimal":
        gaps_lower_bound = 0

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
        reproducible=not budget.clock_stopped,
    )


def _assignment_of(problem: Problem, slot_of: dict[int, int]) -> Assignment:
    assignment = Assignment(problem)
    for request, slot in sorted(slot_of.items()):
        assignment.place(request, slot)
    return assignment


def _search_steps(seconds: float, variables: int) -> int:
    """Neighbourhood steps for the budget: what is left of it after the set-up phases (estimated from the
    model size, not measured, so that the count does not depend on the machine's load) at the measured
    cost of one step on the reference machine."""
    from silkbridge.events.engine.search import neighbourhood_size

    setup = variables * SETUP_SECONDS_PER_VARIABLE
    step = SECONDS_PER_STEP + SECONDS_PER_STEP_VARIABLE * neighbourhood_size(variables)
    return max(0, int((seconds - setup) / step))


def _minimise_gaps(
    problem: Problem,
    live: list[int],
    residual: dict[int, int],
    assignment: Assignment,
    budget: Budget,
    seed: int,
    deterministic_time: float,
    *,
    keep_set: bool,
    is_complete: bool,
) -> tuple[Assignment, int | None]:
    """CP-SAT: the fewest idle gaps among plans at least as heavy as ``assignment`` (never fewer meetings'
    weight: it is a constraint). The lower bound on gaps is only reported when the model holds every
    candidate request and the weight is proven optimal.
    """
    from silkbridge.events.engine import cpsat  # imported lazily: OR-Tools takes a while to load

    current_gaps = assignment.total_gaps()
    built = cpsat.build_model(problem, live, residual, all_placed=keep_set)
    cpsat.add_gap_objective(built, None if keep_set else round(assignment.weight * built.scale))
    constant = current_gaps - _modelled_gaps(assignment, built.gap_cells)
    result = cpsat.solve(
        built,
        assignment,
        deterministic_time=deterministic_time,
        wall_seconds=budget.remaining() * 0.9,  # the rest: reading the answer, numbering tables, writing
        seed=seed,
        workers=WORKERS,
        maximise=False,
    )
    if result.stopped_by_wall_clock:
        budget.clock_stopped = True
    if result.status == "unknown":
        return assignment, None
    improved = cpsat.assignment_from(problem, result.slot_of)
    lower_bound = None
    if is_complete and result.bound != float("inf"):
        lower_bound = constant + max(0, math.ceil(result.bound - 1e-6))
    if improved.weight >= assignment.weight - EPSILON and improved.total_gaps() < current_gaps:
        assignment = improved
    return assignment, lower_bound


def _modelled_gaps(assignment: Assignment, cells: set[tuple[int, int]]) -> int:
    day_ranges = assignment.problem.day_ranges
    available = assignment.problem.available
    return sum(idle_gaps_of_mask(assignment.busy[p], [day_ranges[day]], available[p]) for p, day in cells)


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


def _can_build(live: list[int], residual: dict[int, int], budget: Budget) -> bool:
    variables = sum(residual[r].bit_count() for r in live)
    return variables > 0 and variables * BUILD_SECONDS_PER_VARIABLE < budget.remaining() / 3
