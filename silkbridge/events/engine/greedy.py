"""Fast heuristics: greedy construction, augmenting relocations and an idle-gap local search.

All three are deterministic (ties broken by index) and only ever keep feasible assignments.
"""

from __future__ import annotations

from silkbridge.events.engine.problem import UNPLACED, Assignment, Budget, Problem, idle_gaps_of_mask


def greedy_assignment(problem: Problem, candidates: list[int], guide: dict[int, float] | None = None) -> Assignment:
    """Place requests by weight, then by how contested their participants are, then by scarcity of slots.

    With a ``guide`` (the fraction of each request placed by the LP relaxation) the requests the LP takes
    whole come first: on nearly integral relaxations this alone lands within a few meetings of the optimum.
    """
    assignment = Assignment(problem)
    demand = [0] * problem.participant_count
    for request in candidates:
        for participant in problem.endpoints[request]:
            demand[participant] += 1
    pressure = [
        demand[p] / max(1, min(problem.max_meetings[p] or problem.slot_count, problem.slot_count))
        for p in range(problem.participant_count)
    ]

    def order_key(request: int) -> tuple[float, float, float, int, int]:
        a, b = problem.endpoints[request]
        guided = -round(guide.get(request, 0.0), 3) if guide is not None else 0.0
        return (
            guided,
            -problem.weights[request],
            pressure[a] + pressure[b],
            problem.domain[request].bit_count(),
            request,
        )

    for request in sorted(candidates, key=order_key):
        free = assignment.free_slots(request)
        if free:
            assignment.place(request, best_slot(assignment, request, free))
    return assignment


def best_slot(assignment: Assignment, request: int, free: int) -> int:
    """The free slot adding the fewest idle gaps for both participants; the earliest among equals."""
    a, b = assignment.problem.endpoints[request]
    busy_a, busy_b = assignment.busy[a], assignment.busy[b]
    day_ranges = assignment.problem.day_ranges
    free_a, free_b = assignment.problem.available[a], assignment.problem.available[b]
    base = idle_gaps_of_mask(busy_a, day_ranges, free_a) + idle_gaps_of_mask(busy_b, day_ranges, free_b)
    best, best_cost = -1, 1 << 30
    while free:
        bit = free & -free
        free ^= bit
        cost = (
            idle_gaps_of_mask(busy_a | bit, day_ranges, free_a)
            + idle_gaps_of_mask(busy_b | bit, day_ranges, free_b)
            - base
        )
        if cost < best_cost:
            best, best_cost = bit.bit_length() - 1, cost
            if cost <= 0 and (busy_a | busy_b) == 0:
                break
    return best


def augment(assignment: Assignment, candidates: list[int], budget: Budget) -> int:
    """Place unplaced requests by moving the (at most two) meetings that block a slot elsewhere.

    One pass over the unplaced requests (the wall clock only as a safety stop). Returns how many requests
    were added. A move never removes a meeting, so the weight only grows.
    """
    problem = assignment.problem
    added = 0
    unplaced = sorted(
        (r for r in candidates if assignment.slot_of[r] == UNPLACED), key=lambda r: (-problem.weights[r], r)
    )
    for request in unplaced:
        if budget.expired():
            break
        a, b = problem.endpoints[request]
        if not (assignment.has_room(a) and assignment.has_room(b)):
            continue
        free = assignment.free_slots(request)
        if free:
            assignment.place(request, best_slot(assignment, request, free))
            added += 1
            continue
        if _place_by_relocation(assignment, request):
            added += 1
    return added


def _place_by_relocation(assignment: Assignment, request: int) -> bool:
    problem = assignment.problem
    a, b = problem.endpoints[request]
    candidates = problem.domain[request] & assignment.open_slots
    while candidates:
        bit = candidates & -candidates
        candidates ^= bit
        slot = bit.bit_length() - 1
        blockers = {assignment.occupant[p].get(slot) for p in (a, b)} - {None}
        if any(blocker in problem.fixed_slot for blocker in blockers):
            continue
        moved: list[tuple[int, int]] = []
        for blocker in sorted(blockers):  # type: ignore[type-var]
            old_slot = assignment.remove(blocker)  # type: ignore[arg-type]
            free = assignment.free_slots(blocker) & ~bit  # type: ignore[arg-type]
            if not free:
                assignment.place(blocker, old_slot)  # type: ignore[arg-type]
                break
            assignment.place(blocker, best_slot(assignment, blocker, free))  # type: ignore[arg-type]
            moved.append((blocker, old_slot))  # type: ignore[arg-type]
        else:
            if assignment.free_slots(request) & bit:
                assignment.place(request, slot)
                return True
        for blocker, old_slot in reversed(moved):
            assignment.remove(blocker)
            assignment.place(blocker, old_slot)
    return False


def reduce_gaps(assignment: Assignment, budget: Budget, *, passes: int) -> int:
    """Local search on idle gaps: move a meeting to a better free slot, or swap two meetings of one person.

    At most ``passes`` passes (the wall clock only as a safety stop). The set of meetings never changes, so
    the weight stays the same. Returns the number of gaps removed.
    """
    problem = assignment.problem
    removed = 0
    improved = True
    while improved and passes > 0 and not budget.expired():
        passes -= 1
        improved = False
        for request in assignment.placed_free():
            if budget.expired():
                break
            gain = improve_by_move(assignment, request)
            if gain:
                removed += gain
                improved = True
        for participant in range(problem.participant_count):
            if budget.expired():
                break
            gain = _improve_by_swap(assignment, participant)
            if gain:
                removed += gain
                improved = True
    return removed


def _pair_gaps(assignment: Assignment, request: int) -> int:
    a, b = assignment.problem.endpoints[request]
    return assignment.gaps_of(a) + assignment.gaps_of(b)


def improve_by_move(assignment: Assignment, request: int) -> int:
    before = _pair_gaps(assignment, request)
    if before == 0:
        return 0
    old_slot = assignment.remove(request)
    free = assignment.free_slots(request)
    best_slot_found, best_gaps = old_slot, before
    while free:
        bit = free & -free
        free ^= bit
        slot = bit.bit_length() - 1
        assignment.place(request, slot)
        gaps = _pair_gaps(assignment, request)
        assignment.remove(request)
        if gaps < best_gaps:
            best_slot_found, best_gaps = slot, gaps
    assignment.place(request, best_slot_found)
    return before - best_gaps


def _improve_by_swap(assignment: Assignment, participant: int) -> int:
    """Swap the slots of two of one participant's meetings when that helps the two other participants."""
    problem = assignment.problem
    if assignment.gaps_of(participant) == 0:
        return 0
    gained = 0
    meetings = sorted(
        (slot, request)
        for slot, request in assignment.occupant[participant].items()
        if request not in problem.fixed_slot
    )
    for i in range(len(meetings)):
        for j in range(i + 1, len(meetings)):
            (slot_1, request_1), (slot_2, request_2) = meetings[i], meetings[j]
            if assignment.slot_of[request_1] != slot_1 or assignment.slot_of[request_2] != slot_2:
                continue
            other_1 = _other(problem, request_1, participant)
            other_2 = _other(problem, request_2, participant)
            if not (problem.domain[request_1] >> slot_2) & 1 or not (problem.domain[request_2] >> slot_1) & 1:
                continue
            if (assignment.busy[other_1] >> slot_2) & 1 or (assignment.busy[other_2] >> slot_1) & 1:
                continue
            before = assignment.gaps_of(other_1) + assignment.gaps_of(other_2)
            assignment.remove(request_1)
            assignment.remove(request_2)
            assignment.place(request_1, slot_2)
            assignment.place(request_2, slot_1)
            after = assignment.gaps_of(other_1) + assignment.gaps_of(other_2)
            if after < before:
                gained += before - after
                meetings[i], meetings[j] = (slot_1, request_2), (slot_2, request_1)
            else:
                assignment.remove(request_1)
                assignment.remove(request_2)
                assignment.place(request_1, slot_1)
                assignment.place(request_2, slot_2)
    return gained


def _other(problem: Problem, request: int, participant: int) -> int:
    a, b = problem.endpoints[request]
    return b if a == participant else a
