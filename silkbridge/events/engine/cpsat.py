"""CP-SAT model of the free requests: ``x[request, slot]`` booleans on top of the fixed meetings.

Phase 1 maximises the (integer-scaled) weight from a greedy hint. Phase 2 keeps the weight at least as high
and minimises idle gaps, with per participant-day ``first``/``last`` busy positions:
``gaps = last - first + 1 - meetings`` (big-M links from the busy expressions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from silkbridge.events.engine.problem import Assignment, Problem, weight_scale


@dataclass
class PhaseResult:
    status: str  # "optimal", "feasible" or "unknown"
    slot_of: dict[int, int]  # free request -> slot, for the placed ones
    objective: int  # scaled
    bound: float  # scaled
    stopped_by_wall_clock: bool = False  # the safety stop, not the deterministic time, ended the search


@dataclass
class SchedulingModel:
    problem: Problem
    candidates: list[int]
    residual: dict[int, int]
    scale: int
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    variables: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    weight_expression: cp_model.LinearExpr | int = 0
    gap_cells: set[tuple[int, int]] = field(default_factory=set)  # (participant, day) with a gap term
    # (participant, day, first, last) variables of phase 2, hinted from the plan so the hint is complete.
    day_spans: list[tuple[int, int, cp_model.IntVar, cp_model.IntVar]] = field(default_factory=list)
    # (participant, day) -> the slots it attends that day, in order: position i of first/last is slot [i].
    positions: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def scaled_weight(self, request: int) -> int:
        return round(self.problem.weights[request] * self.scale)


def build_model(
    problem: Problem, candidates: list[int], residual: dict[int, int], *, all_placed: bool = False
) -> SchedulingModel:
    """The model over ``candidates``; with ``all_placed`` every candidate must get exactly one slot."""
    live = [r for r in candidates if residual[r]]
    scaling = weight_scale([problem.weights[r] for r in live] or [1.0])
    built = SchedulingModel(problem, live, residual, scaling)
    model = built.model
    per_participant_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    per_slot: dict[int, list[cp_model.IntVar]] = {}
    per_participant: dict[int, list[cp_model.IntVar]] = {}
    terms: list[cp_model.IntVar] = []
    coefficients: list[int] = []
    for request in live:
        a, b = problem.endpoints[request]
        own: list[cp_model.IntVar] = []
        mask = residual[request]
        while mask:
            bit = mask & -mask
            mask ^= bit
            slot = bit.bit_length() - 1
            variable = model.new_bool_var(f"x{request}_{slot}")
            built.variables[(request, slot)] = variable
            own.append(variable)
            per_participant_slot.setdefault((a, slot), []).append(variable)
            per_participant_slot.setdefault((b, slot), []).append(variable)
            per_slot.setdefault(slot, []).append(variable)
            terms.append(variable)
            coefficients.append(built.scaled_weight(request))
        if all_placed:
            model.add_exactly_one(own)
        elif len(own) > 1:
            model.add_at_most_one(own)
        per_participant.setdefault(a, []).extend(own)
        per_participant.setdefault(b, []).extend(own)
    for group in per_participant_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for slot, group in per_slot.items():
        capacity = problem.slot_capacity[slot]
        if capacity is not None and len(group) > capacity:
            model.add(sum(group) <= capacity)
    for participant, group in per_participant.items():
        maximum = problem.max_meetings[participant]
        if maximum is not None and maximum < problem.slot_count and len(group) > maximum:
            model.add(sum(group) <= maximum)
    built.weight_expression = cp_model.LinearExpr.weighted_sum(terms, coefficients)
    return built


def add_gap_objective(built: SchedulingModel, minimum_weight: int | None) -> None:
    """Turn the model into phase 2: weight at least ``minimum_weight`` (if given), fewest idle gaps."""
    problem, model = built.problem, built.model
    if minimum_weight is not None:
        model.add(built.weight_expression >= minimum_weight)
    busy_terms: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (request, slot), variable in built.variables.items():
        for participant in problem.endpoints[request]:
            busy_terms.setdefault((participant, slot), []).append(variable)
    participants = sorted({p for p, _ in busy_terms})
    gap_terms: list[cp_model.LinearExprT] = []
    for participant in participants:
        fixed = problem.fixed_busy[participant]
        for day, (first_slot, last_slot) in enumerate(problem.day_ranges):
            # Positions count only the slots the participant attends: an idle gap is an attended slot
            # without a meeting between the first and last meeting, so span - meetings in these positions.
            attended = [
                slot
                for slot in range(first_slot, last_slot + 1)
                if (problem.available[participant] >> slot) & 1 or (fixed >> slot) & 1
            ]
            busy: list[tuple[int, cp_model.LinearExpr | int]] = []
            for position, slot in enumerate(attended):
                if (fixed >> slot) & 1:
                    busy.append((position, 1))
                elif (participant, slot) in busy_terms:
                    busy.append((position, cp_model.LinearExpr.sum(busy_terms[(participant, slot)])))
            if len(busy) < 2:
                continue
            built.gap_cells.add((participant, day))
            built.positions[(participant, day)] = attended
            length = len(attended)
            first = model.new_int_var(0, length - 1, f"first{participant}_{first_slot}")
            last = model.new_int_var(0, length - 1, f"last{participant}_{first_slot}")
            model.add(last >= first - 1)
            built.day_spans.append((participant, day, first, last))
            for position, expression in busy:
                # busy at position => first <= position <= last
                model.add(first + length * expression <= position + length)
                model.add(last - length * expression >= position - length)
            count = cp_model.LinearExpr.sum([expression for _, expression in busy])
            gap_terms.append(last - first + 1 - count)
    model.minimize(sum(gap_terms) if gap_terms else 0)


def solve(
    built: SchedulingModel,
    hint: Assignment,
    *,
    deterministic_time: float,
    wall_seconds: float,
    seed: int,
    workers: int,
    maximise: bool,
) -> PhaseResult:
    model = built.model
    model.clear_hints()
    for (request, slot), variable in built.variables.items():
        model.add_hint(variable, hint.slot_of[request] == slot)
    for participant, day, first, last in built.day_spans:
        used = [i for i, slot in enumerate(built.positions[(participant, day)]) if (hint.busy[participant] >> slot) & 1]
        if used:
            model.add_hint(first, used[0])
            model.add_hint(last, used[-1])
        else:
            model.add_hint(first, 1)
            model.add_hint(last, 0)
    if maximise:
        model.maximize(built.weight_expression)
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    # Deterministic time stops the search at the same point on every run; wall time is only a guard.
    parameters.max_deterministic_time = max(0.05, deterministic_time)
    parameters.max_time_in_seconds = max(0.05, wall_seconds)
    parameters.num_workers = workers
    parameters.random_seed = seed
    parameters.interleave_search = workers > 1
    status = solver.solve(model)
    # Deterministic time left over means the wall-clock guard (not the work limit) stopped the search.
    clock = status != cp_model.OPTIMAL and solver.wall_time >= parameters.max_time_in_seconds * 0.99
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PhaseResult("unknown", {}, 0, math.inf, clock)
    slot_of = {request: slot for (request, slot), variable in built.variables.items() if solver.boolean_value(variable)}
    return PhaseResult(
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        slot_of,
        round(solver.objective_value),
        solver.best_objective_bound,
        clock,
    )


def assignment_from(problem: Problem, slot_of: dict[int, int]) -> Assignment:
    assignment = Assignment(problem)
    for request, slot in sorted(slot_of.items()):
        assignment.place(request, slot)
    return assignment
