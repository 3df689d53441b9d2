"""A strict reader of the iCalendar subset we write, for tests: it fails loudly where a calendar program might."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

NAME = re.compile(r"^[A-Z][A-Z0-9-]*$")
REQUIRED = {
    "VCALENDAR": {"VERSION", "PRODID"},
    "VEVENT": {"UID", "DTSTAMP", "DTSTART"},
    "VALARM": {"ACTION", "TRIGGER"},
}


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda match: "\n" if match.group(1) in "nN" else match.group(1), value)


def parse(text: str) -> dict[str, Any]:
    """Check line ends, folding, BEGIN/END balance and required properties; return the calendar as dicts.

    The result: {"properties": {...}, "events": [{"NAME": value, ...}, ...]}; values are unescaped text,
    parameters are kept in the key (e.g. "REFRESH-INTERVAL;VALUE=DURATION"). An event's VALARMs are a list of
    such dicts under its "alarms" key (each must have ACTION and TRIGGER, RFC 5545 §3.6.6).
    """
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n"), "the file must end with CRLF"
    assert b"\n" not in data.replace(b"\r\n", b""), "every line must end with CRLF, never a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "no bare CR"
    physical = data[:-2].split(b"\r\n")
    for octets in physical:
        assert len(octets) <= 75, f"line longer than 75 octets: {octets!r}"
        octets.decode("utf-8")  # folding must not split a character
    logical: list[str] = []
    for octets in physical:
        if octets[:1] in (b" ", b"\t"):
            assert logical, "a continuation line cannot come first"
            logical[-1] += octets[1:].decode("utf-8")
        else:
            logical.append(octets.decode("utf-8"))
    stack: list[str] = []
    calendar: dict[str, Any] = {"properties": {}, "events": []}
    current: dict[str, Any] = {}
    alarm: dict[str, str] = {}
    for line in logical:
        name_part, separator, value = line.partition(":")
        assert separator, f"no colon in {line!r}"
        name = name_part.split(";", 1)[0]
        assert NAME.match(name), f"bad property name {name!r}"
        if name == "BEGIN":
            if value == "VALARM":
                assert stack[-1:] == ["VEVENT"], "a VALARM belongs inside a VEVENT"
                alarm = {}
            else:
                current = {}
            stack.append(value)
            continue
        if name == "END":
            assert stack, f"END:{value} without BEGIN"
            assert stack[-1] == value, f"END:{value} does not close {stack[-1]}"
            found = {"VEVENT": current, "VALARM": alarm}.get(value, calendar["properties"])
            missing = REQUIRED.get(value, set()) - set(found)
            assert not missing, f"{value} lacks {sorted(missing)}"
            stack.pop()
            if value == "VEVENT":
                calendar["events"].append(current)
            if value == "VALARM":
                current.setdefault("alarms", []).append(alarm)
            continue
        assert stack, f"{name} outside any component"
        target = {"VEVENT": current, "VALARM": alarm}.get(stack[-1], calendar["properties"])
        key = name_part if ";" in name_part else name
        assert key not in target or name in {"ATTENDEE", "CATEGORIES"}, f"{name} given twice"
        target[key] = unescape(value)
    assert not stack, f"unclosed components: {stack}"
    return calendar


def utc(value: str) -> datetime:
    """A UTC DATE-TIME as written by us (must carry the Z)."""
    assert value.endswith("Z"), f"{value} is not in UTC form"
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
