"""A cheap, always-valid upper bound on the weight the free requests can add to the fixed meetings.

Each participant ``p`` can take at most ``c_p`` more meetings: its residual maximum, and no more than the
number of slots its candidate requests could use. So at least the ``L_p`` lightest-weight excess requests
of ``p`` are lost. For any ``y_p >= 0`` with ``y_a + y_b <= 1`` on every request, the lost weight is at
least ``sum y_p L_p`` (LP duality for the "drop" covering problem). We use ``y = 1`` on a greedily chosen
independent set of heavily over-requested participants, ``0`` on their neighbours and ``1/2`` elsewhere.
A second bound counts table capacity: no more meetings than free tables, so at most the heaviest ones.
"""

from __future__ import annotations

from silkbridge.events.engine.problem import Problem


def combinatorial_bound(problem: Problem, candidates: list[int], residual: dict[int, int]) -> float:
    """Upper bound on the weight of the candidate requests that can be placed (``residual``: request -> slots)."""
    live = [r for r in candidates if residual[r]]
    total = sum(problem.weights[r] for r in live)
    if not live:
        return 0.0
    by_participant: dict[int, list[int]] = {}
    for request in live:
        for participant in problem.endpoints[request]:
            by_participant.setdefault(participant, []).append(request)
    loss: dict[int, float] = {}
    for participant, requests in by_participant.items():
        union = 0
        for request in requests:
            union |= residual[request]
        capacity = union.bit_count()
        maximum = problem.max_meetings[participant]
        if maximum is not None:
            capacity = min(capacity, maximum)
        excess = len(requests) - capacity
        if excess > 0:
            loss[participant] = sum(sorted(problem.weights[r] for r in requests)[:excess])
    lost = _dual_loss(problem, by_participant, loss)
    bound = total - lost
    table_bound = _table_bound(problem, live, residual)
    return min(bound, table_bound)


def _dual_loss(problem: Problem, by_participant: dict[int, list[int]], loss: dict[int, float]) -> float:
    multiplier = dict.fromkeys(loss, 0.5)
    neighbours: dict[int, set[int]] = {}
    for participant in loss:
        neighbours[participant] = {
            other for r in by_participant[participant] for other in problem.endpoints[r] if other != participant
        }
    for participant in sorted(loss, key=lambda p: (-loss[p], p)):
        if multiplier[participant] != 0.5:
            continue
        blocked = [q for q in neighbours[participant] if multiplier.get(q, 0.5) == 1.0]
        if blocked:
            continue
        # Raising p to 1 forces every neighbour to 0; worth it when p's gain beats the neighbours' loss.
        gain = 0.5 * loss[participant] - sum(
            0.5 * loss.get(q, 0.0) for q in neighbours[participant] if multiplier.get(q, 0.5) == 0.5
        )
        if gain > 0:
            multiplier[participant] = 1.0
            for q in neighbours[participant]:
                multiplier[q] = 0.0
    return sum(multiplier[p] * loss[p] for p in loss)


def _table_bound(problem: Problem, live: list[int], residual: dict[int, int]) -> float:
    union = 0
    for request in live:
        union |= residual[request]
    capacity = 0
    for slot in range(problem.slot_count):
        if (union >> slot) & 1:
            tables = problem.slot_capacity[slot]
            if tables is None:
                return float("inf")
            capacity += tables
    return sum(sorted((problem.weights[r] for r in live), reverse=True)[:capacity])
