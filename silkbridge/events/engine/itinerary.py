"""A delegation visit's itinerary (no Django): where the delegation is when, and which slots it cannot use.

A delegation travels together from city to city. Each **stop** is a city from arrival to departure;
each **leg** is a journey between two cities; a **block** is time some members spend elsewhere in the
city (a zone site visit). From these the scheduler's input is narrowed:

- a slot belongs to the city of the stop that contains it wholly (``slot_city``), and to no city
  otherwise (on the road, in the air, or before the visit);
- a meeting with a host can only take a slot in the host's city, so a member, who is wherever the
  delegation is, is never placed in two cities at once;
- a slot that overlaps a leg is blocked for every member, and one that overlaps a block for the
  members it names (``blocked``).

``itinerary_problems`` checks the itinerary and returns every problem as (field, code, params); the
caller renders them in the reader's language. Nothing here raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Stop:
    city: str
    arrives_at: datetime
    leaves_at: datetime


@dataclass(frozen=True)
class Leg:
    from_city: str
    to_city: str
    departs_at: datetime
    arrives_at: datetime


@dataclass(frozen=True)
class Block:
    """Time some members (``members``; empty: every member) spend away from the meeting tables."""

    starts_at: datetime
    ends_at: datetime
    members: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    params: dict[str, str]


def _overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    return start < other_end and other_start < end


def stop_problems(stop: Stop, *, others: Sequence[Stop], legs: Sequence[Leg], known: Iterable[str]) -> list[Problem]:
    """What is wrong with adding `stop` to an itinerary that has `others` and `legs`."""
    problems = []
    if stop.city not in set(known):
        problems.append(Problem("city", "city_unknown", {"city": stop.city}))
    if stop.leaves_at <= stop.arrives_at:
        problems.append(Problem("leaves_at", "stop_leaves_before_arrival", {}))
        return problems
    for other in others:
        if _overlaps(stop.arrives_at, stop.leaves_at, other.arrives_at, other.leaves_at):
            problems.append(Problem("arrives_at", "stop_overlaps_stop", {"city": other.city}))
    for leg in legs:
        if _overlaps(stop.arrives_at, stop.leaves_at, leg.departs_at, leg.arrives_at):
            problems.append(Problem("arrives_at", "stop_overlaps_leg", {"from": leg.from_city, "to": leg.to_city}))
    return problems


def leg_problems(leg: Leg, *, stops: Sequence[Stop], others: Sequence[Leg], known: Iterable[str]) -> list[Problem]:
    """What is wrong with adding `leg`: unknown cities, arriving before leaving, or travelling while the
    delegation is at a stop or on another leg."""
    cities = set(known)
    problems = []
    for name in ("from_city", "to_city"):
        city = getattr(leg, name)
        if city not in cities:
            problems.append(Problem(name, "city_unknown", {"city": city}))
    if leg.from_city == leg.to_city:
        problems.append(Problem("to_city", "leg_same_city", {"city": leg.to_city}))
    if leg.arrives_at <= leg.departs_at:
        problems.append(Problem("arrives_at", "leg_arrives_before_departure", {}))
        return problems
    for stop in stops:
        if _overlaps(leg.departs_at, leg.arrives_at, stop.arrives_at, stop.leaves_at):
            problems.append(Problem("departs_at", "leg_overlaps_stop", {"city": stop.city}))
    for other in others:
        if _overlaps(leg.departs_at, leg.arrives_at, other.departs_at, other.arrives_at):
            problems.append(Problem("departs_at", "leg_overlaps_leg", {"from": other.from_city, "to": other.to_city}))
    return problems


def city_at(stops: Sequence[Stop], start: datetime, end: datetime) -> str | None:
    """The city the delegation is in for the whole of [start, end), or None (travelling, or not there yet)."""
    for stop in stops:
        if stop.arrives_at <= start and end <= stop.leaves_at:
            return stop.city
    return None


def blocked(start: datetime, end: datetime, *, member: str, legs: Sequence[Leg], blocks: Sequence[Block]) -> bool:
    """True when `member` cannot meet anyone in [start, end): the delegation travels, or the member is
    away on a block (a site visit) then."""
    if any(_overlaps(start, end, leg.departs_at, leg.arrives_at) for leg in legs):
        return True
    return any(
        _overlaps(start, end, block.starts_at, block.ends_at) and (not block.members or member in block.members)
        for block in blocks
    )
