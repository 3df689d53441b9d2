"""The demo event that `silkbridge load_demo` creates: alive on first run, created once."""

import pytest
from django.test import TestCase

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.events.demo import demo_event_ensure
from silkbridge.events.models import Booking, Event, Meeting

pytestmark = pytest.mark.django_db


def test_the_demo_event_has_scheduled_meetings_and_is_created_once():
    staff = StaffFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):  # its scheduler run is a task, done after the commit
        event, created = demo_event_ensure(staff=staff)
    assert created
    assert "(demo)" in event.title
    meetings = Meeting.objects.filter(event=event)
    assert meetings.count() == event.requests.count() > 0
    assert all(meeting.video_url.startswith("https://meet.silkbridge.example/rooms/") for meeting in meetings)
    assert Booking.objects.filter(meeting__event=event).count() == 2 * meetings.count()
    again, created_again = demo_event_ensure(staff=staff)
    assert (again.pk, created_again) == (event.pk, False)
    assert Event.objects.filter(slug=event.slug).count() == 1
    assert Meeting.objects.filter(event=event).count() == meetings.count()


def test_the_demo_delegation_visits_four_cities_and_meets_each_host_in_its_city():
    from silkbridge.directory.loaders import DATA_DIR, organisations_load
    from silkbridge.events.demo import demo_delegation_ensure
    from silkbridge.events.models import VisitLeg, VisitStop

    organisations_load(DATA_DIR / "demo_organisations.yaml", is_demo=True)
    staff = StaffFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        event, created = demo_delegation_ensure(staff=staff)
    assert created
    assert "(demo)" in event.title
    legs = list(VisitLeg.objects.filter(event=event).order_by("departs_at"))
    assert [leg.from_city for leg in legs] == ["Beijing", "Islamabad", "Lahore", "Karachi"]
    stops = {stop.city: stop for stop in VisitStop.objects.filter(event=event)}
    assert set(stops) == {"Islamabad", "Lahore", "Karachi"}
    meetings = list(Meeting.objects.filter(event=event).select_related("slot", "request__requester__organisation"))
    assert len(meetings) == event.requests.count() == 12
    for meeting in meetings:
        host = meeting.request.requester.organisation
        stop = stops[host.city]
        assert stop.arrives_at <= meeting.slot.starts_at
        assert meeting.slot.ends_at <= stop.leaves_at
    assert event.site_visits.count() == 1
    again, created_again = demo_delegation_ensure(staff=staff)
    assert (again.pk, created_again) == (event.pk, False)
