"""Parse and validate a scheduling instance (plain JSON data) into typed, indexed dataclasses.

Every problem found is collected, with a path such as ``requests[3].b``, and raised together as one
``InstanceError`` so the organiser can fix the whole file in one go; nothing here raises anything else.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


class InstanceError(ValueError):
    """The instance is invalid; ``messages`` lists every problem, each naming where it is."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    minutes: int
    tables: int | None  # None: unlimited

    @property
    def day(self) -> date:
        # The start date in the slot's own UTC offset: a 09:00+05:00 slot belongs to its local day.
        return self.start.date()


@dataclass(frozen=True)
class Participant:
    id: str
    available: tuple[str, ...]
    max_meetings: int | None = None


@dataclass(frozen=True)
class Request:
    id: str
    a: str
    b: str
    weight: float = 1.0
    slots: tuple[str, ...] | None = None  # None: any slot


@dataclass(frozen=True)
class FixedMeeting:
    request: str
    slot: str
    table: int | None = None  # None: the scheduler picks one


@dataclass(frozen=True)
class Instance:
    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    fixed: tuple[FixedMeeting, ...] = ()
    slot_index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    participant_index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    request_index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.slot_index.update({slot.id: index for index, slot in enumerate(self.slots)})
        self.participant_index.update({person.id: index for index, person in enumerate(self.participants)})
        self.request_index.update({request.id: index for index, request in enumerate(self.requests)})

    def to_dict(self) -> dict[str, Any]:
        return {
            "slots": [
                {"id": s.id, "start": s.start.isoformat(), "minutes": s.minutes, "tables": s.tables} for s in self.slots
            ],
            "participants": [
                {"id": p.id, "available": list(p.available), "max_meetings": p.max_meetings} for p in self.participants
            ],
            "requests": [
                {
                    "id": r.id,
                    "a": r.a,
                    "b": r.b,
                    "weight": r.weight,
                    "slots": None if r.slots is None else list(r.slots),
                }
                for r in self.requests
            ],
            "fixed": [{"request": f.request, "slot": f.slot, "table": f.table} for f in self.fixed],
        }


def instance_from_json(text: str | bytes) -> Instance:
    """Parse JSON text; malformed JSON is reported as an ``InstanceError`` like any other problem."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InstanceError([f"$: malformed JSON: {error}"]) from None
    return instance_from_dict(data)


def instance_from_dict(data: Any) -> Instance:
    """Validate plain data (as decoded from JSON) and return the typed instance, or raise ``InstanceError``."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise InstanceError([f"$: expected an object, got {_type_name(data)}"])
    for key in data:
        if key not in {"slots", "participants", "requests", "fixed"}:
            problems.append(f"{key}: unknown key")
    slots = _parse_list(data, "slots", _parse_slot, problems, required=True)
    participants = _parse_list(data, "participants", _parse_participant, problems, required=True)
    requests = _parse_list(data, "requests", _parse_request, problems, required=True)
    fixed = _parse_list(data, "fixed", _parse_fixed, problems, required=False)
    if problems:
        raise InstanceError(problems)
    _check_references(slots, participants, requests, fixed, problems)
    if not problems:
        _check_fixed_rules(slots, participants, requests, fixed, problems)
    if problems:
        raise InstanceError(problems)
    return Instance(tuple(slots), tuple(participants), tuple(requests), tuple(fixed))


# --- field parsing ---------------------------------------------------------------------------------------


def _parse_list(data: Mapping[str, Any], key: str, parse: Any, problems: list[str], *, required: bool) -> list[Any]:
    if key not in data or (data[key] is None and not required):
        if required:
            problems.append(f"{key}: missing")
        return []
    items = data[key]
    if not isinstance(items, list):
        problems.append(f"{key}: expected a list, got {_type_name(items)}")
        return []
    parsed = []
    for position, item in enumerate(items):
        path = f"{key}[{position}]"
        if not isinstance(item, Mapping):
            problems.append(f"{path}: expected an object, got {_type_name(item)}")
            continue
        before = len(problems)
        value = parse(item, path, problems)
        if len(problems) == before:
            parsed.append(value)
    return parsed


def _parse_slot(item: Mapping[str, Any], path: str, problems: list[str]) -> Slot | None:
    _reject_unknown_keys(item, path, {"id", "start", "minutes", "tables"}, problems)
    slot_id = _required_id(item, path, problems)
    start = None
    raw_start = item.get("start")
    if not isinstance(raw_start, str):
        problems.append(f"{path}.start: expected an ISO 8601 date-time string, got {_type_name(raw_start)}")
    else:
        try:
            start = datetime.fromisoformat(raw_start)
        except ValueError:
            problems.append(f"{path}.start: not an ISO 8601 date-time: {raw_start!r}")
        else:
            if start.utcoffset() is None:
                problems.append(f"{path}.start: needs a UTC offset, e.g. 2027-03-10T09:00:00+05:00")
    minutes = _integer(item, "minutes", path, problems, minimum=1, required=True)
    tables = _integer(item, "tables", path, problems, minimum=0, required=False)
    return Slot(slot_id, start, minutes, tables) if start is not None and minutes is not None else None


def _parse_participant(item: Mapping[str, Any], path: str, problems: list[str]) -> Participant:
    _reject_unknown_keys(item, path, {"id", "available", "max_meetings"}, problems)
    participant_id = _required_id(item, path, problems)
    available = _id_list(item, "available", path, problems, required=True) or ()
    max_meetings = _integer(item, "max_meetings", path, problems, minimum=0, required=False)
    return Participant(participant_id, available, max_meetings)


def _parse_request(item: Mapping[str, Any], path: str, problems: list[str]) -> Request:
    _reject_unknown_keys(item, path, {"id", "a", "b", "weight", "slots"}, problems)
    request_id = _required_id(item, path, problems)
    a = _required_string(item, "a", path, problems)
    b = _required_string(item, "b", path, problems)
    weight = item.get("weight", 1.0)
    if weight is None:
        weight = 1.0
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        problems.append(f"{path}.weight: expected a number, got {_type_name(weight)}")
    elif not math.isfinite(weight) or weight < 0:
        problems.append(f"{path}.weight: must be a finite number ≥ 0, got {weight}")
    slots = _id_list(item, "slots", path, problems, required=False)
    return Request(request_id, a, b, float(weight) if isinstance(weight, int | float) else 1.0, slots)


def _parse_fixed(item: Mapping[str, Any], path: str, problems: list[str]) -> FixedMeeting:
    _reject_unknown_keys(item, path, {"request", "slot", "table"}, problems)
    request = _required_string(item, "request", path, problems)
    slot = _required_string(item, "slot", path, problems)
    table = _integer(item, "table", path, problems, minimum=1, required=False)
    return FixedMeeting(request, slot, table)


def _reject_unknown_keys(item: Mapping[str, Any], path: str, allowed: set[str], problems: list[str]) -> None:
    problems.extend(f"{path}.{key}: unknown key" for key in item if key not in allowed)


def _required_id(item: Mapping[str, Any], path: str, problems: list[str]) -> str:
    return _required_string(item, "id", path, problems)


def _required_string(item: Mapping[str, Any], key: str, path: str, problems: list[str]) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        problems.append(f"{path}.{key}: expected a non-empty string, got {_type_name(value)}")
        return ""
    return value


def _integer(
    item: Mapping[str, Any], key: str, path: str, problems: list[str], *, minimum: int, required: bool
) -> int | None:
    value = item.get(key)
    if value is None:
        if required:
            problems.append(f"{path}.{key}: missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{path}.{key}: expected an integer, got {_type_name(value)}")
        return None
    if value < minimum:
        problems.append(f"{path}.{key}: must be ≥ {minimum}, got {value}")
        return None
    return value


def _id_list(
    item: Mapping[str, Any], key: str, path: str, problems: list[str], *, required: bool
) -> tuple[str, ...] | None:
    value = item.get(key)
    if value is None:
        if required:
            problems.append(f"{path}.{key}: missing")
        return None
    if not isinstance(value, list):
        problems.append(f"{path}.{key}: expected a list of slot ids, got {_type_name(value)}")
        return None
    seen: set[str] = set()
    for position, element in enumerate(value):
        if not isinstance(element, str) or not element:
            problems.append(f"{path}.{key}[{position}]: expected a slot id string, got {_type_name(element)}")
        elif element in seen:
            problems.append(f'{path}.{key}[{position}]: duplicate slot "{element}"')
        else:
            seen.add(element)
    return tuple(element for element in value if isinstance(element, str))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


# --- cross-reference checks ------------------------------------------------------------------------------


def _check_duplicates(kind: str, ids: Sequence[str], problems: list[str]) -> None:
    first_position: dict[str, int] = {}
    for position, item_id in enumerate(ids):
        if item_id in first_position:
            problems.append(
                f'{kind}[{position}].id: duplicate id "{item_id}" (first at {kind}[{first_position[item_id]}])'
            )
        else:
            first_position[item_id] = position


def _check_references(
    slots: list[Slot],
    participants: list[Participant],
    requests: list[Request],
    fixed: list[FixedMeeting],
    problems: list[str],
) -> None:
    _check_duplicates("slots", [s.id for s in slots], problems)
    _check_duplicates("participants", [p.id for p in participants], problems)
    _check_duplicates("requests", [r.id for r in requests], problems)
    slot_ids = {s.id for s in slots}
    participant_ids = {p.id for p in participants}
    request_ids = {r.id for r in requests}
    for position, person in enumerate(participants):
        for index, slot_id in enumerate(person.available):
            if slot_id not in slot_ids:
                problems.append(f'participants[{position}].available[{index}]: unknown slot "{slot_id}"')
    for position, request in enumerate(requests):
        for side in ("a", "b"):
            participant_id = getattr(request, side)
            if participant_id not in participant_ids:
                problems.append(f'requests[{position}].{side}: unknown participant "{participant_id}"')
        if request.a == request.b:
            problems.append(f'requests[{position}]: participant "{request.a}" cannot meet itself')
        for index, slot_id in enumerate(request.slots or ()):
            if slot_id not in slot_ids:
                problems.append(f'requests[{position}].slots[{index}]: unknown slot "{slot_id}"')
    fixed_first: dict[str, int] = {}
    for position, meeting in enumerate(fixed):
        if meeting.request not in request_ids:
            problems.append(f'fixed[{position}].request: unknown request "{meeting.request}"')
        elif meeting.request in fixed_first:
            first = fixed_first[meeting.request]
            problems.append(
                f'fixed[{position}].request: request "{meeting.request}" is already fixed at fixed[{first}]'
            )
        else:
            fixed_first[meeting.request] = position
        if meeting.slot not in slot_ids:
            problems.append(f'fixed[{position}].slot: unknown slot "{meeting.slot}"')


def _check_fixed_rules(
    slots: list[Slot],
    participants: list[Participant],
    requests: list[Request],
    fixed: list[FixedMeeting],
    problems: list[str],
) -> None:
    """A fixed meeting must itself obey every rule the scheduler obeys, or the plan could not be valid."""
    slot_by_id = {s.id: s for s in slots}
    person_by_id = {p.id: p for p in participants}
    request_by_id = {r.id: r for r in requests}
    busy: dict[tuple[str, str], int] = {}  # (participant, slot) -> fixed position
    tables_used: dict[tuple[str, int], int] = {}
    meetings_in_slot: dict[str, int] = {}
    meetings_of: dict[str, int] = {}
    for position, meeting in enumerate(fixed):
        path = f"fixed[{position}]"
        request = request_by_id[meeting.request]
        slot = slot_by_id[meeting.slot]
        if request.slots is not None and slot.id not in request.slots:
            problems.append(f'{path}.slot: slot "{slot.id}" is not allowed by request "{request.id}"')
        for participant_id in (request.a, request.b):
            if slot.id not in person_by_id[participant_id].available:
                problems.append(f'{path}.slot: participant "{participant_id}" is not available in slot "{slot.id}"')
            other = busy.get((participant_id, slot.id))
            if other is not None:
                problems.append(
                    f'{path}.slot: participant "{participant_id}" is double-booked in slot "{slot.id}" '
                    f"(also at fixed[{other}])"
                )
            busy[(participant_id, slot.id)] = position
            meetings_of[participant_id] = meetings_of.get(participant_id, 0) + 1
        meetings_in_slot[slot.id] = meetings_in_slot.get(slot.id, 0) + 1
        if meeting.table is not None:
            if slot.tables is not None and meeting.table > slot.tables:
                problems.append(
                    f'{path}.table: table {meeting.table} is out of range 1..{slot.tables} in slot "{slot.id}"'
                )
            other = tables_used.get((slot.id, meeting.table))
            if other is not None:
                problems.append(
                    f'{path}.table: table {meeting.table} in slot "{slot.id}" is also used by fixed[{other}]'
                )
            tables_used[(slot.id, meeting.table)] = position
    for slot_id, count in meetings_in_slot.items():
        tables = slot_by_id[slot_id].tables
        if tables is not None and count > tables:
            problems.append(f'fixed: {count} meetings fixed in slot "{slot_id}", which has only {tables} tables')
    for participant_id, count in meetings_of.items():
        maximum = person_by_id[participant_id].max_meetings
        if maximum is not None and count > maximum:
            problems.append(
                f'fixed: participant "{participant_id}" has {count} fixed meetings, more than max_meetings {maximum}'
            )
