"""A delegation's itinerary and its bookings under concurrent writes: a leg planned while a meeting is
booked by hand (or placed by the scheduler) must not put a member in a meeting and on a zone site visit at
once.

The site visit's transaction is held open while the booking runs in another thread and connection: the
booking must wait for it and then see the visit, never book a slot the visit blocks."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction

from silkbridge.events import services, visit_services
from silkbridge.events.models import Booking, SiteVisit
from silkbridge.events.tests.delegation import accepted, at, delegation_event, host, member

# Concurrent connections: SQLite has one writer, so the test is deselected there (never skipped).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.postgres_only,
    pytest.mark.long,
]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    from silkbridge.conftest import reference_data_load

    reference_data_load()


def test_a_meeting_booked_while_a_site_visit_is_planned_never_leaves_a_member_in_two_places():
    event, days = delegation_event()
    staff = event.created_by
    day = days[0]
    visit_services.stop_add(actor=staff, event=event, city="Islamabad", arrives_at=at(day, 6), leaves_at=at(day, 12))
    chinese, islamabad_host = member(event), host(event, "Islamabad")
    meeting_request = accepted(chinese, islamabad_host)
    slot = event.slots.get(starts_at=at(day, 10))
    booked = threading.Event()
    outcome: dict[str, str] = {}

    def book() -> None:
        try:
            services.meeting_book(meeting_request=meeting_request, slot=slot)
            outcome["booking"] = "booked"
        except ValidationError as error:
            outcome["booking"] = " ".join(error.messages)
        finally:
            booked.set()
            connections.close_all()

    with transaction.atomic():
        visit_services.site_visit_add(
            actor=staff, event=event, zone_key="islamabad-technopolis", starts_at=at(day, 10), minutes=60
        )
        thread = threading.Thread(target=book)
        thread.start()
        booked.wait(timeout=3)  # with the lock the booking waits for this commit
    thread.join(timeout=30)
    assert SiteVisit.objects.filter(event=event).exists()
    assert "site visit" in outcome["booking"]
    assert not Booking.objects.filter(slot=slot).exists()
