"""The no-double-booking invariants hold under concurrent bookings (the database enforces them).

Two requests race for the same participant in the same slot, and two pairs race for the last table
of a slot. Whatever the interleaving, the database ends with one booking; the loser gets the
service's ValidationError, never a second row. On PostgreSQL (CI's second pass) the bookings run
in concurrent threads, each with its own connection.
"""

from __future__ import annotations

import threading
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events import services
from silkbridge.events.choices import RequestStatus
from silkbridge.events.models import Booking, Meeting, MeetingRequest, Participant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reload_reference_data():
    """A transactional test empties every table when it ends; put back what the other tests read."""
    yield
    from silkbridge.conftest import reference_data_load

    reference_data_load()


def _event(tables, attempt):
    staff = StaffFactory()
    now = timezone.now()
    event = services.event_create(
        actor=staff,
        fields={
            "slug": f"race-{tables}-{attempt}",
            "title": "Race",
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": now + timedelta(days=1),
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


def _participant(event, country):
    organisation = OrganisationFactory(country=country)
    user = UserFactory()
    participant = Participant.objects.create(event=event, organisation=organisation, status="approved")
    participant.representatives.add(user)
    participant.available_slots.set(event.slots.all())
    return participant


def _accepted(event, requester, recipient):
    return MeetingRequest.objects.create(
        event=event,
        requester=requester,
        recipient=recipient,
        status=RequestStatus.ACCEPTED,
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
