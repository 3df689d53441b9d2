"""Instance validation: every invalid input yields an ``InstanceError`` naming each problem."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from silkbridge.events.engine.instance import InstanceError, instance_from_dict, instance_from_json


def valid() -> dict[str, Any]:
    return {
        "slots": [
            {"id": "s1", "start": "2027-03-10T09:00:00+05:00", "minutes": 25, "tables": 2},
            {"id": "s2", "start": "2027-03-10T09:30:00+05:00", "minutes": 25, "tables": None},
        ],
        "participants": [
            {"id": "p1", "available": ["s1", "s2"], "max_meetings": 1},
            {"id": "p2", "available": ["s1", "s2"]},
            {"id": "p3", "available": ["s2"]},
        ],
        "requests": [
            {"id": "r1", "a": "p1", "b": "p2", "weight": 3.0, "slots": ["s1"]},
            {"id": "r2", "a": "p2", "b": "p3"},
        ],
        "fixed": [],
    }


def messages_for(data: Any) -> list[str]:
    with pytest.raises(InstanceError) as caught:
        instance_from_dict(data)
    return caught.value.messages


def test_valid_instance_parses_into_typed_dataclasses() -> None:
    instance = instance_from_dict(valid())
    assert [s.id for s in instance.slots] == ["s1", "s2"]
    assert instance.slots[1].tables is None
    assert instance.slots[0].day.isoformat() == "2027-03-10"
    assert instance.participants[0].max_meetings == 1
    assert instance.requests[1].weight == 1.0
    assert instance.requests[1].slots is None
    assert instance.requests[0].slots == ("s1",)
    assert instance.request_index == {"r1": 0, "r2": 1}


def test_day_is_the_date_in_the_slot_own_offset() -> None:
    data = valid()
    data["slots"][0]["start"] = "2027-03-10T01:00:00+05:00"  # 2027-03-09 in UTC
    assert instance_from_dict(data).slots[0].day.isoformat() == "2027-03-10"


def test_round_trip_through_to_dict() -> None:
    instance = instance_from_dict(valid())
    assert instance_from_dict(instance.to_dict()) == instance


def with_change(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(valid())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["requests", 1, "b"], "p77", 'requests[1].b: unknown participant "p77"'),
        (["requests", 1, "b"], "p2", 'requests[1]: participant "p2" cannot meet itself'),
        (["requests", 1, "id"], "r1", 'requests[1].id: duplicate id "r1" (first at requests[0])'),
        (["participants", 2, "id"], "p1", 'participants[2].id: duplicate id "p1" (first at participants[0])'),
        (["slots", 1, "id"], "s1", 'slots[1].id: duplicate id "s1" (first at slots[0])'),
        (["participants", 2, "available"], ["s9"], 'participants[2].available[0]: unknown slot "s9"'),
        (["participants", 2, "available"], ["s2", "s2"], 'participants[2].available[1]: duplicate slot "s2"'),
        (["requests", 0, "slots"], ["s1", "s3"], 'requests[0].slots[1]: unknown slot "s3"'),
        (["requests", 0, "weight"], -1, "requests[0].weight: must be a finite number ≥ 0, got -1"),
        (["requests", 0, "weight"], "3", "requests[0].weight: expected a number, got a string"),
        (["requests", 0, "weight"], True, "requests[0].weight: expected a number, got a boolean"),
        (["slots", 0, "tables"], "2", "slots[0].tables: expected an integer, got a string"),
        (["slots", 0, "tables"], -1, "slots[0].tables: must be ≥ 0, got -1"),
        (["slots", 0, "minutes"], 0, "slots[0].minutes: must be ≥ 1, got 0"),
        (["slots", 0, "start"], "tomorrow", "slots[0].start: not an ISO 8601 date-time: 'tomorrow'"),
        (
            ["slots", 0, "start"],
            "2027-03-10T09:00:00",
            "slots[0].start: needs a UTC offset, e.g. 2027-03-10T09:00:00+05:00",
        ),
        (["participants", 0, "max_meetings"], 2.5, "participants[0].max_meetings: expected an integer, got a number"),
        (
            ["participants", 0, "available"],
            "s1",
            "participants[0].available: expected a list of slot ids, got a string",
        ),
        (["participants", 0, "id"], 7, "participants[0].id: expected a non-empty string, got an integer"),
        (["requests", 0, "colour"], "red", "requests[0].colour: unknown key"),
        (["requests", 0], "r1", "requests[0]: expected an object, got a string"),
        (["requests"], {"id": "r1"}, "requests: expected a list, got an object"),
    ],
)
def test_each_invalid_field_is_named(path: list[Any], value: Any, message: str) -> None:
    assert message in messages_for(with_change(path, value))


@pytest.mark.parametrize(
    ("fixed", "message"),
    [
        ([{"request": "r9", "slot": "s1"}], 'fixed[0].request: unknown request "r9"'),
        ([{"request": "r1", "slot": "s9"}], 'fixed[0].slot: unknown slot "s9"'),
        ([{"request": "r2", "slot": "s1"}], 'fixed[0].slot: participant "p3" is not available in slot "s1"'),
        ([{"request": "r1", "slot": "s2"}], 'fixed[0].slot: slot "s2" is not allowed by request "r1"'),
        ([{"request": "r1", "slot": "s1", "table": 3}], 'fixed[0].table: table 3 is out of range 1..2 in slot "s1"'),
        ([{"request": "r1", "slot": "s1", "table": 0}], "fixed[0].table: must be ≥ 1, got 0"),
        (
            [{"request": "r1", "slot": "s1"}, {"request": "r1", "slot": "s1"}],
            'fixed[1].request: request "r1" is already fixed at fixed[0]',
        ),
    ],
)
def test_each_broken_rule_of_a_fixed_meeting_is_named(fixed: list[dict[str, Any]], message: str) -> None:
    data = valid()
    data["fixed"] = fixed
    assert message in messages_for(data)


def test_fixed_double_booking_table_reuse_and_maximum_are_named() -> None:
    data = valid()
    data["participants"].append({"id": "p4", "available": ["s1", "s2"]})
    data["requests"] += [{"id": "r3", "a": "p2", "b": "p4"}, {"id": "r4", "a": "p1", "b": "p4"}]
    data["fixed"] = [
        {"request": "r1", "slot": "s1", "table": 1},
        {"request": "r3", "slot": "s1", "table": 1},
        {"request": "r4", "slot": "s2"},
    ]
    messages = messages_for(data)
    assert 'fixed[1].slot: participant "p2" is double-booked in slot "s1" (also at fixed[0])' in messages
    assert 'fixed[1].table: table 1 in slot "s1" is also used by fixed[0]' in messages
    assert 'fixed: participant "p1" has 2 fixed meetings, more than max_meetings 1' in messages


def test_too_many_fixed_meetings_for_the_tables_is_named() -> None:
    data = valid()
    data["slots"][0]["tables"] = 0
    data["fixed"] = [{"request": "r1", "slot": "s1"}]
    assert 'fixed: 1 meetings fixed in slot "s1", which has only 0 tables' in messages_for(data)


def test_all_problems_are_collected_at_once() -> None:
    data = valid()
    data["requests"][0]["a"] = "ghost"
    data["requests"][1]["weight"] = -2
    data["slots"][1]["minutes"] = "long"
    messages = messages_for(data)
    assert "requests[1].weight: must be a finite number ≥ 0, got -2" in messages
    assert "slots[1].minutes: expected an integer, got a string" in messages
    assert len(messages) >= 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "$: expected an object, got a list"),
        ({"participants": [], "requests": []}, "slots: missing"),
        ({"slots": [], "participants": [], "requests": [], "extra": 1}, "extra: unknown key"),
    ],
)
def test_wrong_top_level_shapes_are_named(data: Any, message: str) -> None:
    assert message in messages_for(data)


def test_malformed_json_is_reported_not_raised_as_a_traceback() -> None:
    with pytest.raises(InstanceError) as caught:
        instance_from_json('{"slots": [')
    assert caught.value.messages[0].startswith("$: malformed JSON: ")


def test_json_text_parses() -> None:
    text = '{"slots": [], "participants": [{"id": "p1", "available": []}], "requests": [], "fixed": null}'
    assert instance_from_json(text).participants[0].id == "p1"
