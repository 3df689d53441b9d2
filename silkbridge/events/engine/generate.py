"""Realistic scheduling instances for tests and benchmarks (plain dicts in the input JSON shape).

``generate`` models a large matchmaking event: a few popular companies receive most requests (Zipf-like),
availability comes in morning/afternoon blocks, some participants only come for half-days, each accepts
8-14 meetings, "must meet" requests weigh 3, some requests are limited to mornings or afternoons, and tables
are limited (participants/3 per slot) unless ``unlimited_tables``.

``generate_tight`` models the brokerage forums of Bofill et al. (JAIR 2022, "Constraint-based
multi-objective B2B meeting scheduling"): 40-80 companies, 120-300 meetings, 8-22 slots over one or two
mornings and afternoons, few tables, many companies present only in the morning or the afternoon, a few
meetings already fixed. They are hard because some companies have nearly as many meetings as slots they are
present in, so the fewest idle gaps needs their whole day packed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

PAKISTAN_TIME = timezone(timedelta(hours=5))


def event_slots(slots: int, days: int, *, tables: int | None, minutes: int = 25) -> list[dict[str, Any]]:
    """``slots`` slots spread over ``days`` days, each day half in the morning and half after lunch."""
    result = []
    per_day = [slots // days + (1 if day < slots % days else 0) for day in range(days)]
    number = 0
    for day, count in enumerate(per_day):
        morning = (count + 1) // 2
        for position in range(count):
            hour_start = 9 if position < morning else 14
            offset = position if position < morning else position - morning
            start = datetime(2027, 3, 10, hour_start, tzinfo=PAKISTAN_TIME) + timedelta(days=day, minutes=30 * offset)
            number += 1
            result.append({"id": f"s{number}", "start": start.isoformat(), "minutes": minutes, "tables": tables})
    return result


def _blocks(slots: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """Slot ids per (date, "morning"/"afternoon") block."""
    blocks: dict[tuple[str, str], list[str]] = {}
    for slot in slots:
        start = datetime.fromisoformat(slot["start"])
        blocks.setdefault((start.date().isoformat(), "morning" if start.hour < 13 else "afternoon"), []).append(
            slot["id"]
        )
    return blocks


def _availability(rng: random.Random, blocks: dict[tuple[str, str], list[str]], half_day_share: float) -> list[str]:
    keys = sorted(blocks)
    if rng.random() >= half_day_share:
        chosen = keys
    elif rng.random() < 0.5:
        chosen = [key for key in keys if key[1] == rng.choice(["morning", "afternoon"])]
    else:
        chosen = [rng.choice(keys)]
    return [slot_id for key in chosen for slot_id in blocks[key]]


def generate(
    participants: int,
    requests: int,
    slots: int,
    seed: int,
    *,
    days: int = 2,
    unlimited_tables: bool = False,
    half_day_share: float = 0.2,
    must_meet_share: float = 0.1,
    limited_share: float = 0.15,
    zipf_exponent: float = 0.9,
) -> dict[str, Any]:
    rng = random.Random(seed)
    slot_list = event_slots(slots, days, tables=None if unlimited_tables else max(1, participants // 3))
    blocks = _blocks(slot_list)
    people = [
        {
            "id": f"p{number}",
            "available": _availability(rng, blocks, half_day_share),
            "max_meetings": rng.randint(8, 14),
        }
        for number in range(1, participants + 1)
    ]
    # Popularity is Zipf-like over a random ranking, so the popular companies are spread over the ids.
    ranking = list(range(participants))
    rng.shuffle(ranking)
    popularity = [0.0] * participants
    for rank, person in enumerate(ranking):
        popularity[person] = 1.0 / (rank + 1) ** zipf_exponent
    cumulative = []
    running = 0.0
    for value in popularity:
        running += value
        cumulative.append(running)
    seen: set[tuple[int, int]] = set()
    request_list: list[dict[str, Any]] = []
    max_pairs = participants * (participants - 1) // 2
    while len(request_list) < min(requests, max_pairs):
        requester = rng.randrange(participants)
        target = rng.choices(range(participants), cum_weights=cumulative)[0]
        pair = (min(requester, target), max(requester, target))
        if requester == target or pair in seen:
            continue
        seen.add(pair)
        request: dict[str, Any] = {
            "id": f"r{len(request_list) + 1}",
            "a": f"p{requester + 1}",
            "b": f"p{target + 1}",
            "weight": 3.0 if rng.random() < must_meet_share else 1.0,
        }
        if rng.random() < limited_share:
            part = rng.choice(["morning", "afternoon"])
            request["slots"] = [slot_id for key in sorted(blocks) if key[1] == part for slot_id in blocks[key]]
        request_list.append(request)
    return {"slots": slot_list, "participants": people, "requests": request_list, "fixed": []}


def generate_tight(
    seed: int,
    *,
    companies: int | None = None,
    meetings: int | None = None,
    slots: int | None = None,
) -> dict[str, Any]:
    rng = random.Random(seed)
    companies = companies or rng.randint(40, 80)
    meetings = meetings or rng.randint(120, 300)
    slots = slots or rng.randint(8, 22)
    days = 2 if slots >= 16 else 1
    # Few tables: just enough on average, so some slots are crowded.
    tables = max(2, -(-meetings * 115 // 100 // slots))
    slot_list = event_slots(slots, days, tables=tables)
    blocks = _blocks(slot_list)
    people = [{"id": f"c{number}", "available": _availability(rng, blocks, 0.35)} for number in range(1, companies + 1)]
    available = [set(person["available"]) for person in people]
    load = [0] * companies
    request_list: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    attempts = 0
    while len(request_list) < meetings and attempts < meetings * 200:
        attempts += 1
        a, b = rng.randrange(companies), rng.randrange(companies)
        pair = (min(a, b), max(a, b))
        common = available[a] & available[b]
        # A company cannot have more meetings than slots it attends; stay just under that, so days are full.
        if a == b or pair in seen or not common:
            continue
        if load[a] >= len(available[a]) - 1 or load[b] >= len(available[b]) - 1:
            continue
        seen.add(pair)
        load[a] += 1
        load[b] += 1
        request: dict[str, Any] = {"id": f"m{len(request_list) + 1}", "a": f"c{a + 1}", "b": f"c{b + 1}"}
        if rng.random() < 0.1:
            request["slots"] = sorted(common, key=lambda slot_id: int(slot_id[1:]))[: max(1, len(common) // 2)]
        request_list.append(request)
    fixed = _some_fixed(rng, slot_list, available, request_list, share=0.05)
    return {"slots": slot_list, "participants": people, "requests": request_list, "fixed": fixed}


def _some_fixed(
    rng: random.Random,
    slot_list: list[dict[str, Any]],
    available: list[set[str]],
    request_list: list[dict[str, Any]],
    *,
    share: float,
) -> list[dict[str, Any]]:
    """Fix a few meetings at random valid places, as if agreed by phone before the run."""
    busy: set[tuple[str, str]] = set()
    used_tables: dict[str, int] = {}
    tables = {slot["id"]: slot["tables"] for slot in slot_list}
    fixed = []
    for request in rng.sample(request_list, int(len(request_list) * share)):
        a, b = int(request["a"][1:]) - 1, int(request["b"][1:]) - 1
        options = sorted((available[a] & available[b]) & set(request.get("slots") or tables))
        options = [
            s
            for s in options
            if (request["a"], s) not in busy and (request["b"], s) not in busy and used_tables.get(s, 0) < tables[s]
        ]
        if not options:
            continue
        slot_id = rng.choice(options)
        busy.update({(request["a"], slot_id), (request["b"], slot_id)})
        used_tables[slot_id] = used_tables.get(slot_id, 0) + 1
        meeting: dict[str, Any] = {"request": request["id"], "slot": slot_id}
        if rng.random() < 0.5:
            meeting["table"] = used_tables[slot_id]
        fixed.append(meeting)
    return fixed


def generate_forum(seed: int) -> dict[str, Any]:
    """A brokerage forum as an organiser would enter it (the benchmark set of ``bench.forum_set``).

    40-100 companies, 150-400 accepted requests, 20-24 slots of 20 minutes on one day (or 10-12 a day on
    two), tables for about 60-90 % of the meetings a slot could hold, a quarter of the companies present only
    in the morning or only in the afternoon, every company with 0-3 forbidden slots of its own (a talk, a
    site visit), some requests limited to one session, a few "priority" requests of weight 2, some companies
    with a maximum number of meetings, and 20-40 % of the requests already fixed (agreed before the run).
    """
    rng = random.Random(f"forum-{seed}")
    companies = rng.randint(40, 100)
    wanted = rng.randint(150, min(400, companies * 5))
    slot_count = rng.randint(20, 24)
    days = rng.choice([1, 1, 2])
    tables = max(2, round(wanted / slot_count * rng.uniform(0.7, 1.3)))
    slot_list = event_slots(slot_count, days, tables=tables, minutes=20)
    blocks = _blocks(slot_list)
    sessions = sorted(blocks)
    people: list[dict[str, Any]] = []
    for number in range(1, companies + 1):
        roll = rng.random()
        chosen = [rng.choice(sessions)] if roll < 0.25 else sessions
        present = [slot_id for key in chosen for slot_id in blocks[key]]
        forbidden = set(rng.sample(present, min(len(present) - 1, rng.randint(0, 3))))
        person: dict[str, Any] = {"id": f"c{number}", "available": [s for s in present if s not in forbidden]}
        if rng.random() < 0.2:
            person["max_meetings"] = rng.randint(4, 10)
        people.append(person)
    available = [set(person["available"]) for person in people]
    # A fifth of the companies are "exhibitors" that most requests go to.
    exhibitors = rng.sample(range(companies), max(3, companies // 5))
    request_list: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    attempts = 0
    while len(request_list) < wanted and attempts < wanted * 50:
        attempts += 1
        a = rng.randrange(companies)
        b = rng.choice(exhibitors) if rng.random() < 0.7 else rng.randrange(companies)
        pair = (min(a, b), max(a, b))
        if a == b or pair in seen:
            continue
        seen.add(pair)
        request: dict[str, Any] = {"id": f"q{len(request_list) + 1}", "a": f"c{a + 1}", "b": f"c{b + 1}"}
        if rng.random() < 0.2:
            request["weight"] = 2.0
        if rng.random() < 0.15:
            key = rng.choice(sessions)
            request["slots"] = list(blocks[key])
        request_list.append(request)
    fixed = _some_fixed(rng, slot_list, available, request_list, share=rng.uniform(0.2, 0.4))
    # A maximum set before the phone agreements cannot be below them.
    fixed_count: dict[str, int] = {}
    requests_by_id = {request["id"]: request for request in request_list}
    for meeting in fixed:
        for side in ("a", "b"):
            company = requests_by_id[meeting["request"]][side]
            fixed_count[company] = fixed_count.get(company, 0) + 1
    for person in people:
        if "max_meetings" in person:
            person["max_meetings"] = max(person["max_meetings"], fixed_count.get(person["id"], 0))
    return {"slots": slot_list, "participants": people, "requests": request_list, "fixed": fixed}
