"""Integer-indexed view of an instance and a mutable assignment, shared by the greedy, the bounds and CP-SAT.

Slots are re-indexed in chronological order, grouped by day, so one participant's meetings on one day are a
contiguous run of bits in a Python ``int`` bit mask. A participant's idle gaps on a day are the slots it is
available in, without a meeting, between its first and its last meeting of that day (docs/events.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from silkbridge.events.engine.instance import Instance

UNPLACED = -1


@dataclass
class Problem:
    """The instance as indices and bit masks; fixed meetings already taken out of the residual capacities."""

    instance: Instance
    slot_ids: list[str]  # chronological order; bit i of a mask is slot_ids[i]
    day_ranges: list[tuple[int, int]]  # [first, last] slot index of each day
    request_ids: list[str]
    endpoints: list[tuple[int, int]]  # participant indices (a, b) per request
    weights: list[float]
    domain: list[int]  # slots both participants are available in and the request allows
    fixed_slot: dict[int, int]  # request -> slot of its fixed meeting
    fixed_busy: list[int]  # per participant: slots taken by fixed meetings
    fixed_count: list[int]  # per participant: number of fixed meetings
    slot_capacity: list[int | None]  # residual tables per slot (None: unlimited)
    max_meetings: list[int | None]  # residual maximum per participant (None: unlimited)
    requests_of: list[list[int]]  # per participant: its request indices
    available: list[int]  # per participant: slots it attends (a gap is counted only in these)

    @property
    def slot_count(self) -> int:
        return len(self.slot_ids)

    @property
    def participant_count(self) -> int:
        return len(self.max_meetings)

    def free_requests(self) -> list[int]:
        return [r for r in range(len(self.request_ids)) if r not in self.fixed_slot]

    def residual_domain(self, request: int) -> int:
        """Slots where the request could go given only the fixed meetings (not the other free ones)."""
        a, b = self.endpoints[request]
        if self.max_meetings[a] == 0 or self.max_meetings[b] == 0:
            return 0
        open_slots = sum(1 << s for s, cap in enumerate(self.slot_capacity) if cap is None or cap > 0)
        return self.domain[request] & ~self.fixed_busy[a] & ~self.fixed_busy[b] & open_slots


def problem_from_instance(instance: Instance) -> Problem:
    order = sorted(range(len(instance.slots)), key=lambda i: (instance.slots[i].day, instance.slots[i].start, i))
    slots = [instance.slots[i] for i in order]
    slot_position = {slot.id: position for position, slot in enumerate(slots)}
    day_ranges: list[tuple[int, int]] = []
    for position, slot in enumerate(slots):
        if position and slot.day == slots[position - 1].day:
            day_ranges[-1] = (day_ranges[-1][0], position)
        else:
            day_ranges.append((position, position))
    participant_index = instance.participant_index
    available = [_mask(slot_position[s] for s in person.available) for person in instance.participants]
    every_slot = (1 << len(slots)) - 1
    endpoints, weights, domain = [], [], []
    requests_of: list[list[int]] = [[] for _ in instance.participants]
    for index, request in enumerate(instance.requests):
        a, b = participant_index[request.a], participant_index[request.b]
        endpoints.append((a, b))
        weights.append(request.weight)
        allowed = every_slot if request.slots is None else _mask(slot_position[s] for s in request.slots)
        domain.append(available[a] & available[b] & allowed)
        requests_of[a].append(index)
        requests_of[b].append(index)
    fixed_slot: dict[int, int] = {}
    fixed_busy = [0] * len(instance.participants)
    fixed_count = [0] * len(instance.participants)
    capacity: list[int | None] = [slot.tables for slot in slots]
    for meeting in instance.fixed:
        fixed_request, fixed_at = instance.request_index[meeting.request], slot_position[meeting.slot]
        fixed_slot[fixed_request] = fixed_at
        for participant in endpoints[fixed_request]:
            fixed_busy[participant] |= 1 << fixed_at
            fixed_count[participant] += 1
        tables = capacity[fixed_at]
        if tables is not None:
            capacity[fixed_at] = tables - 1
    max_meetings = [
        None if person.max_meetings is None else person.max_meetings - fixed_count[i]
        for i, person in enumerate(instance.participants)
    ]
    return Problem(
        instance=instance,
        slot_ids=[slot.id for slot in slots],
        day_ranges=day_ranges,
        request_ids=[request.id for request in instance.requests],
        endpoints=endpoints,
        weights=weights,
        domain=domain,
        fixed_slot=fixed_slot,
        fixed_busy=fixed_busy,
        fixed_count=fixed_count,
        slot_capacity=capacity,
        max_meetings=max_meetings,
        requests_of=requests_of,
        available=available,
    )


def weight_scale(weights: list[float]) -> int:
    """The smallest power of ten (up to 10^6) that makes every weight an integer; exact for usual weights."""
    for exponent in range(7):
        scale = 10**exponent
        if all(abs(w * scale - round(w * scale)) < 1e-9 * max(1.0, w * scale) for w in weights):
            return scale
    return 10**6


def _mask(positions: object) -> int:
    mask = 0
    for position in positions:  # type: ignore[attr-defined]
        mask |= 1 << position
    return mask


def idle_gaps_of_mask(busy: int, day_ranges: list[tuple[int, int]], available: int = -1) -> int:
    """One participant's idle gaps: per day, the ``available`` slots without a meeting between its first and
    last meeting of the day (a slot it does not attend is not idle time). ``-1``: available everywhere."""
    gaps = 0
    for first, last in day_ranges:
        day = (busy >> first) & ((1 << (last - first + 1)) - 1)
        if day & (day - 1):  # at least two meetings that day
            lowest = (day & -day).bit_length() - 1
            span = ((1 << day.bit_length()) - 1) & ~((1 << lowest) - 1)
            gaps += (span & ~day & (available >> first)).bit_count()
    return gaps


class Assignment:
    """A partial plan for the free requests on top of the fixed meetings, with O(1) feasibility checks."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.slot_of = [UNPLACED] * len(problem.request_ids)
        for request, slot in problem.fixed_slot.items():
            self.slot_of[request] = slot
        self.busy = list(problem.fixed_busy)
        self.count = [0] * problem.participant_count  # free meetings placed, on top of fixed ones
        self.load = [0] * problem.slot_count  # free meetings placed per slot
        self.occupant: list[dict[int, int]] = [{} for _ in range(problem.participant_count)]
        for request, slot in problem.fixed_slot.items():
            for participant in problem.endpoints[request]:
                self.occupant[participant][slot] = request
        self.open_slots = self._compute_open_slots()
        self.weight = 0.0

    def _compute_open_slots(self) -> int:
        mask = 0
        for slot, capacity in enumerate(self.problem.slot_capacity):
            if capacity is None or self.load[slot] < capacity:
                mask |= 1 << slot
        return mask

    def has_room(self, participant: int) -> bool:
        maximum = self.problem.max_meetings[participant]
        return maximum is None or self.count[participant] < maximum

    def free_slots(self, request: int) -> int:
        """Slots where the (unplaced) request could go right now."""
        a, b = self.problem.endpoints[request]
        if not (self.has_room(a) and self.has_room(b)):
            return 0
        return self.problem.domain[request] & ~self.busy[a] & ~self.busy[b] & self.open_slots

    def place(self, request: int, slot: int) -> None:
        problem = self.problem
        self.slot_of[request] = slot
        for participant in problem.endpoints[request]:
            self.busy[participant] |= 1 << slot
            self.count[participant] += 1
            self.occupant[participant][slot] = request
        self.load[slot] += 1
        capacity = problem.slot_capacity[slot]
        if capacity is not None and self.load[slot] >= capacity:
            self.open_slots &= ~(1 << slot)
        self.weight += problem.weights[request]

    def remove(self, request: int) -> int:
        problem = self.problem
        slot = self.slot_of[request]
        self.slot_of[request] = UNPLACED
        for participant in problem.endpoints[request]:
            self.busy[participant] &= ~(1 << slot)
            self.count[participant] -= 1
            del self.occupant[participant][slot]
        self.load[slot] -= 1
        self.open_slots |= 1 << slot
        self.weight -= problem.weights[request]
        return slot

    def gaps_of(self, participant: int) -> int:
        return idle_gaps_of_mask(self.busy[participant], self.problem.day_ranges, self.problem.available[participant])

    def total_gaps(self) -> int:
        return sum(self.gaps_of(p) for p in range(self.problem.participant_count))

    def placed_free(self) -> list[int]:
        return [r for r, s in enumerate(self.slot_of) if s != UNPLACED and r not in self.problem.fixed_slot]


@dataclass
class Budget:
    """Wall-clock safety stop shared by the phases; ``clock_stopped`` records whether it ever fired."""

    deadline: float
    clock_stopped: bool = False
    notes: list[str] = field(default_factory=list)

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        if time.monotonic() >= self.deadline:
            self.clock_stopped = True
            return True
        return False
