"""The event rules hold under concurrent writes (the database and row locks enforce them).

Two requests race for the same participant in the same slot, and two pairs race for the last table
of a slot; two accepts race for a participant's last meeting; a rejection races an accept; two
scheduler runs start at once. Whatever the interleaving, exactly one wins; the loser gets the
service's ValidationError, never a second row or a half-written one. On PostgreSQL (CI's second
pass) the writes run in concurrent threads, each with its own connection.
"""

from __future__ import annotations

import threading
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.core.tests.races import WON, race
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events import services
from silkbridge.events.choices import RequestStatus, ScheduleRunStatus
from silkbridge.events.models import Booking, Meeting, MeetingRequest, Participant, ScheduleRun
from silkbridge.events.tasks import schedule_run_task
from silkbridge.events.tests.scheduling import schedule_run_now

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.long]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test empties every table when it ends (pytest-django runs these tests after
    all others), so each one loads the taxonomy, glossary, zones and organisations it reads first."""
    from silkbridge.conftest import reference_data_load

    reference_data_load()


def _event(tables, attempt, **fields):
    staff = StaffFactory()
    now = timezone.now()
    event = services.event_create(
        actor=staff,
        fields={
            "slug": f"race-{tables}-{attempt}",
            "title": "Race",
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": now + timedelta(days=1),
            **fields,
        },
    )
    services.slots_generate(
        actor=staff,
        event=event,
        days=[date(2027, 3, 10)],
        day_start=time(9),
        day_end=time(10),
        minutes=30,
        tables=tables,
    )
    return event


def _participant(event, country, max_meetings=12):
    organisation = OrganisationFactory(country=country)
    user = UserFactory()
    participant = Participant.objects.create(
        event=event, organisation=organisation, status="approved", max_meetings=max_meetings
    )
    participant.representatives.add(user)
    participant.available_slots.set(event.slots.all())
    return participant


def _accepted(event, requester, recipient, status=RequestStatus.ACCEPTED):
    return MeetingRequest.objects.create(
        event=event,
        requester=requester,
        recipient=recipient,
        status=status,
        created_by=requester.representatives.first(),
    )


def _race(requests, slot):
    """Book every request into `slot` at once, each in its own thread and database connection.

    SQLite serialises writers with one lock per database (and the in-memory test database turns a
    wait into an error), so there the attempts run one after the other; the constraints are the same.
    """
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(requests))

    def book(meeting_request, concurrent):
        try:
            if concurrent:
                barrier.wait(timeout=10)
            services.meeting_book(meeting_request=meeting_request, slot=slot)
            outcome = "booked"
        except ValidationError:
            outcome = "refused"
        finally:
            if concurrent:
                connections.close_all()
        with lock:
            outcomes.append(outcome)

    if connection.vendor != "postgresql":
        for meeting_request in requests:
            book(meeting_request, concurrent=False)
        return sorted(outcomes)
    threads = [threading.Thread(target=book, args=(meeting_request, True)) for meeting_request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_no_participant_or_table_is_ever_booked_twice_in_one_slot():
    for attempt in range(3):
        event = _event(None, attempt)
        popular, first, second = (_participant(event, country) for country in ("CN", "PK", "PK"))
        slot = event.slots.order_by("starts_at").first()
        outcomes = _race([_accepted(event, first, popular), _accepted(event, second, popular)], slot)
        assert outcomes == ["booked", "refused"]
        assert Booking.objects.filter(participant=popular, slot=slot).count() == 1
        assert Meeting.objects.filter(slot=slot).count() == 1

        event = _event(1, attempt)
        a, b, c, d = (_participant(event, country) for country in ("CN", "PK", "CN", "PK"))
        slot = event.slots.order_by("starts_at").first()
        outcomes = _race([_accepted(event, a, b), _accepted(event, c, d)], slot)
        assert outcomes == ["booked", "refused"]
        assert list(Meeting.objects.filter(slot=slot).values_list("table", flat=True)) == [1]
        assert Booking.objects.filter(slot=slot).count() == 2


def test_two_accepts_at_once_never_take_a_participant_past_its_meeting_limit():
    event = _event(None, 0, scheduling_mode="participants")
    popular = _participant(event, "CN", max_meetings=1)
    first, second = _participant(event, "PK"), _participant(event, "PK")
    requests = [_accepted(event, requester, popular, RequestStatus.PENDING) for requester in (first, second)]
    early, late = event.slots.order_by("starts_at")[:2]
    answerer = popular.representatives.get()

    outcomes = race(
        *(
            lambda meeting_request=meeting_request, slot=slot: services.request_answer(
                actor=answerer, meeting_request=meeting_request, accept=True, slot=slot
            )
            for meeting_request, slot in zip(requests, (early, late), strict=True)
        )
    )

    assert sorted(outcomes) == sorted([WON, f"{popular.organisation} already has its maximum number of meetings (1)."])
    assert Booking.objects.filter(participant=popular).count() == 1
    assert Meeting.objects.filter(event=event).count() == 1
    winner, loser = (requests[0], requests[1]) if outcomes[0] == WON else (requests[1], requests[0])
    assert MeetingRequest.objects.get(pk=winner.pk).status == RequestStatus.ACCEPTED
    assert MeetingRequest.objects.get(pk=loser.pk).status == RequestStatus.PENDING  # the refusal kept nothing


def test_a_rejection_racing_an_accept_leaves_the_rejected_participant_without_meetings():
    event = _event(None, 0, scheduling_mode="participants")
    leaving, staying = _participant(event, "CN"), _participant(event, "PK")
    meeting_request = _accepted(event, staying, leaving, RequestStatus.PENDING)
    slot = event.slots.order_by("starts_at").first()
    staff = event.created_by

    outcomes = race(
        lambda: services.request_answer(
            actor=leaving.representatives.get(), meeting_request=meeting_request, accept=True, slot=slot
        ),
        lambda: services.participant_set_status(actor=staff, participant=leaving, status="rejected"),
    )

    assert outcomes[1] == WON
    assert outcomes[0] in {WON, "This request has already been answered."}
    assert Participant.objects.get(pk=leaving.pk).status == "rejected"
    assert MeetingRequest.objects.get(pk=meeting_request.pk).status == RequestStatus.CANCELLED
    assert Meeting.objects.filter(event=event).count() == 0
    assert Booking.objects.filter(slot__event=event).count() == 0


def test_two_scheduler_starts_at_once_make_exactly_one_run_and_leave_none_running(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued for a worker
    event = _event(None, 0)
    first, second = _participant(event, "CN"), _participant(event, "PK")
    _accepted(event, first, second)
    staff = event.created_by
    started: list[ScheduleRun] = []

    outcomes = race(
        lambda: started.append(services.schedule_run_start(actor=staff, event=event, time_limit=5)),
        lambda: started.append(services.schedule_run_start(actor=staff, event=event, time_limit=5)),
    )

    assert sorted(outcomes) == sorted([WON, "The scheduler is already running for this event; wait for it to finish."])
    assert ScheduleRun.objects.filter(event=event).count() == 1
    (run,) = started
    schedule_run_task.call(run.run_id)  # what the worker does with the queued task
    run = ScheduleRun.objects.select_related("run").get(pk=run.pk)
    assert run.status == ScheduleRunStatus.FINISHED
    assert run.placed == 1
    assert not ScheduleRun.objects.filter(event=event, run__status__in=["queued", "running"]).exists()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    again = schedule_run_now(actor=staff, event=event, time_limit=5)  # the event is free to run again
    assert again.status == ScheduleRunStatus.FINISHED
