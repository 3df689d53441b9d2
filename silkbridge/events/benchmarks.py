"""`silkbridge bench schedule-apply`: the scheduler run's apply phase on a generated event, in the database.

The event comes from the scheduler benchmark's generator (`engine.generate.generate`: Zipf-like popularity,
morning/afternoon availability, participant limits, limited tables), written as rows (one organisation
and one representative per participant, every request accepted; fictional, `bench-` keys), planned by the
real scheduler, then booked as a run books it: `_plan_apply` under the lock on every participant, and
the run's notifications. Two ways, each on a fresh copy of the same event, timed apart:

- `per_meeting` (the old way): each meeting booked tells both sides at once, inside the locked booking:
  one notification per representative per meeting;
- `per_participant` (the run's way now): the booking tells nobody; after it commits, each participant
  is told once of all its meetings (`schedule_run_tell`).

Everything is written in one transaction that is rolled back at the end, so the database is left as it
was and no e-mail is sent; `emails` counts the e-mails the notifications would hand to the mail task
(the generated users keep the default settings: every kind by e-mail).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from silkbridge.accounts.models import User
from silkbridge.directory.models import Membership, Organisation
from silkbridge.events import services
from silkbridge.events.engine.generate import generate
from silkbridge.events.engine.scheduler import schedule_json
from silkbridge.events.models import Event, MeetingRequest, Participant, ScheduleRun, Slot
from silkbridge.notifications import selectors as notification_selectors
from silkbridge.notifications.models import Notification


class _RollBack(Exception):
    pass


def bench_schedule_apply(
    *, participants: int, requests: int, slots: int, seed: int, time_limit: float
) -> dict[str, Any]:
    """Seconds and notifications of the apply phase, the old way and the new, on the same generated event."""
    instance = generate(participants, requests, slots, seed)
    # The first link made in a process loads every URL pattern (and the API's schemas): seconds that a
    # worker pays once, not in every run; paid here, before either way is timed.
    reverse("events:agenda", kwargs={"slug": "warm-up"})
    figures: dict[str, Any] = {"participants": participants, "requests": len(instance["requests"]), "slots": slots}
    for way in ("per_meeting", "per_participant"):
        try:
            with transaction.atomic():
                figures[way] = _apply_once(instance, way=way, seed=seed, time_limit=time_limit)
                raise _RollBack
        except _RollBack:
            pass
    return figures


def _apply_once(instance: dict[str, Any], *, way: str, seed: int, time_limit: float) -> dict[str, Any]:
    event, schedule_run = _event_from(instance, seed=seed, time_limit=time_limit)
    started = time.monotonic()
    plan = schedule_json(services.schedule_instance(event), time_limit=time_limit, seed=seed)
    solved = time.monotonic()
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    cpu_solved = time.process_time()
    with transaction.atomic():
        booked, refused = services._plan_apply(event, plan, tell=way == "per_meeting")
    booking, cpu_booking = time.monotonic(), time.process_time()
    if way == "per_participant":
        services.schedule_run_tell(schedule_run=schedule_run, meeting_ids=booked)
    told, cpu_told = time.monotonic(), time.process_time()
    made = Notification.objects.filter(pk__gt=before).select_related("recipient")
    return {
        "meetings": len(booked),
        "refused": len(refused),
        "solve_seconds": round(solved - started, 2),
        "apply_locked_seconds": round(booking - solved, 2),
        "tell_after_seconds": round(told - booking, 2),
        "apply_total_seconds": round(told - solved, 2),
        # This process's CPU seconds (the database's own work aside): steadier than the wall clock on a
        # shared machine.
        "apply_locked_cpu_seconds": round(cpu_booking - cpu_solved, 2),
        "tell_after_cpu_seconds": round(cpu_told - cpu_booking, 2),
        "notifications": made.count(),
        "emails": sum(
            1
            for notification in made
            if notification_selectors.email_wanted(user=notification.recipient, kind="meeting")
        ),
    }


def _event_from(instance: dict[str, Any], *, seed: int, time_limit: float) -> tuple[Event, ScheduleRun]:
    """The generated instance as an event's rows (approved participants, accepted requests)."""
    from silkbridge.core.runs import run_enqueue
    from silkbridge.events.models import schedule_run_key
    from silkbridge.events.tasks import schedule_run_task

    tag = f"bench-{seed}-{len(instance['participants'])}"
    now = timezone.now()
    staff = User.objects.create(email=f"{tag}-staff@example.org", full_name="Bench staff", role="staff")
    event = Event.objects.create(
        slug=tag,
        title="Generated matchmaking event (fictional)",
        description="Generated for the benchmark.",
        kind="virtual",
        time_zone="Asia/Karachi",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=30),
        created_by=staff,
    )
    slot_rows = {
        slot["id"]: Slot(
            event=event, starts_at=datetime.fromisoformat(slot["start"]), minutes=slot["minutes"], tables=slot["tables"]
        )
        for slot in instance["slots"]
    }
    Slot.objects.bulk_create(slot_rows.values())
    people = instance["participants"]
    users = User.objects.bulk_create(
        [
            User(email=f"{tag}-{person['id']}@example.org", full_name=f"Representative {person['id']}")
            for person in people
        ]
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                key=f"{tag}-{person['id']}",
                kind="company",
                name_en=f"Generated company {person['id']} (fictional)",
                language="en",
                country="PK",
                city="Lahore",
                visibility="public",
            )
            for person in people
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=organisation, role="owner")
            for user, organisation in zip(users, organisations, strict=True)
        ]
    )
    rows = Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                organisation=organisation,
                time_zone="Asia/Shanghai" if number % 2 else "Asia/Karachi",
                status="approved",
                max_meetings=person["max_meetings"],
            )
            for number, (person, organisation) in enumerate(zip(people, organisations, strict=True))
        ]
    )
    by_id = {person["id"]: row for person, row in zip(people, rows, strict=True)}
    Participant.representatives.through.objects.bulk_create(
        [Participant.representatives.through(participant=row, user=user) for row, user in zip(rows, users, strict=True)]
    )
    Participant.available_slots.through.objects.bulk_create(
        [
            Participant.available_slots.through(participant=by_id[person["id"]], slot=slot_rows[slot_id])
            for person in people
            for slot_id in person["available"]
        ]
    )
    MeetingRequest.objects.bulk_create(
        [
            MeetingRequest(
                event=event,
                requester=by_id[request["a"]],
                recipient=by_id[request["b"]],
                created_by=users[0],
                status="accepted",
                answered_at=now,
            )
            for request in instance["requests"]
        ]
    )
    run = run_enqueue(
        kind=services.SCHEDULE_RUN_KIND, created_by=staff, task=schedule_run_task, exclusive_key=schedule_run_key(event)
    )
    return event, ScheduleRun.objects.create(event=event, run=run, seed=seed, time_limit=time_limit)
