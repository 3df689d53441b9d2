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
