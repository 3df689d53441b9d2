"""A scheduler run tells each participant once of all the meetings it placed for it (not once per meeting),
after the booking, in the participant's zone; a retried run tells nobody twice; a meeting booked by hand
still tells both sides of that meeting."""

from __future__ import annotations

import zoneinfo
from datetime import time

import pytest
from django.core import mail

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.events import services
from silkbridge.events.models import Meeting
from silkbridge.events.tests.factories import EventFactory, in_days, register
from silkbridge.events.tests.scheduling import schedule_run_now
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.models import Notification
from silkbridge.notifications.services import notification_settings_update

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def event_with_three_requests():
    """A Shanghai participant with two representatives (one reads Chinese) and three Karachi participants,
    each with a request to it accepted and not yet placed."""
    event = EventFactory(slot_days=[in_days(10)], slot_start=time(10, 0), slot_end=time(12, 0))
    shanghai = register(event, country="CN", time_zone="Asia/Shanghai", user=UserFactory(language="zh-hans"))
    register(event, organisation=shanghai.organisation, time_zone="Asia/Shanghai")  # a second representative
    others = [register(event, country="PK", time_zone="Asia/Karachi") for _number in range(3)]
    for participant in (shanghai, *others):
        services.participant_set_status(actor=event.created_by, participant=participant, status="approved")
    for other in others:
        meeting_request = services.request_create(
            actor=other.representatives.get(), requester=other, recipient=shanghai
        )
        services.request_answer(actor=shanghai.representatives.first(), meeting_request=meeting_request, accept=True)
    Notification.objects.all().delete()
    mail.outbox.clear()
    return {"event": event, "shanghai": shanghai, "others": others}


def _told(participant):
    return Notification.objects.filter(
        recipient__in=participant.representatives.all(), kind=NotificationKind.MEETING
    ).order_by("recipient_id")


def _mails_to(participant):
    addresses = {user.email for user in participant.representatives.all()}
    return [message for message in mail.outbox if message.to[0] in addresses]


def test_a_run_tells_each_representative_once_of_all_its_meetings_in_its_zone(event_with_three_requests):
    shanghai, others = event_with_three_requests["shanghai"], event_with_three_requests["others"]
    run = schedule_run_now(actor=StaffFactory(), event=event_with_three_requests["event"])  # mails sent too
    assert run.placed == 3
    assert run.run.result is not None
    assert run.run.result["told"] == 4  # the Shanghai participant and each of the three others

    told = list(_told(shanghai))
    assert len(told) == 2  # one notification for each representative, not one per meeting
    assert {notification.recipient for notification in told} == set(shanghai.representatives.all())
    meetings = Meeting.objects.filter(event=event_with_three_requests["event"]).select_related("slot")
    for notification in told:
        assert "3" in notification.texts["en"]["title"]
        assert "The scheduler placed 3 meetings for you" in notification.texts["en"]["title"]
        body = notification.texts["en"]["body"]
        assert "Asia/Shanghai" in body
        assert len([line for line in body.splitlines() if line.startswith("- ")]) == 3
        for meeting in meetings:  # each meeting at its Shanghai time (Karachi + 3 hours)
            assert meeting.slot.starts_at.astimezone(SHANGHAI).strftime("%H:%M") in body
        for other in others:
            assert other.organisation.name_en in body
        assert "会谈" in notification.texts["zh-hans"]["title"]
    shanghai_mails = _mails_to(shanghai)
    assert len(shanghai_mails) == 2
    assert sorted(message.to[0] for message in shanghai_mails) == sorted(
        user.email for user in shanghai.representatives.all()
    )
    assert any("会谈" in message.subject for message in shanghai_mails)  # the Chinese reader's e-mail
    for other in others:  # each other side: its one meeting, once
        (notification,) = _told(other)
        assert "The scheduler placed 1 meeting for you" in notification.texts["en"]["title"]
        assert shanghai.organisation.name_en in notification.texts["en"]["body"]
        assert len(_mails_to(other)) == 1
    assert len(mail.outbox) == 5


def test_the_same_run_told_again_tells_nobody_twice(event_with_three_requests, django_capture_on_commit_callbacks):
    event = event_with_three_requests["event"]
    run = schedule_run_now(actor=StaffFactory(), event=event)
    made, mailed = Notification.objects.count(), len(mail.outbox)
    assert made == 5
    placed = Meeting.objects.filter(event=event).values_list("pk", flat=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.schedule_run_tell(schedule_run=run, meeting_ids=placed) == 0  # a retried run
    assert Notification.objects.count() == made
    assert len(mail.outbox) == mailed


def test_a_long_list_is_cut_with_the_rest_on_the_agenda(event_with_three_requests, monkeypatch):
    monkeypatch.setattr(services, "SCHEDULED_LISTED", 2)
    run = schedule_run_now(actor=StaffFactory(), event=event_with_three_requests["event"])
    (first, _second) = _told(event_with_three_requests["shanghai"])
    body = first.texts["en"]["body"]
    assert run.placed == 3
    assert len([line for line in body.splitlines() if line.startswith("- ")]) == 2
    assert "and 1 more meeting, on your agenda" in body
    assert f"/events/{event_with_three_requests['event'].slug}/agenda/" in body


def test_a_user_with_meeting_emails_off_is_told_in_app_only(event_with_three_requests):
    shanghai = event_with_three_requests["shanghai"]
    quiet, loud = shanghai.representatives.order_by("pk")
    notification_settings_update(
        user=quiet,
        email_kinds=[kind for kind in NotificationKind.values if kind != NotificationKind.MEETING],
        weekly_digest=False,
    )
    schedule_run_now(actor=StaffFactory(), event=event_with_three_requests["event"])
    assert {notification.recipient for notification in _told(shanghai)} == {quiet, loud}
    assert [message.to[0] for message in _mails_to(shanghai)] == [loud.email]


def test_a_meeting_booked_by_hand_still_tells_both_sides_of_that_meeting(
    event_with_three_requests, django_capture_on_commit_callbacks
):
    event, shanghai = event_with_three_requests["event"], event_with_three_requests["shanghai"]
    meeting_request = event.requests.filter(requester=event_with_three_requests["others"][0]).get()
    slot = event.slots.order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_book(meeting_request=meeting_request, slot=slot, actor=event.created_by)
    (to_shanghai, _second) = _told(shanghai)
    assert "Meeting with" in to_shanghai.texts["en"]["title"]
    (to_other,) = _told(meeting_request.requester)
    assert "Meeting with" in to_other.texts["en"]["title"]
    assert len(mail.outbox) == 3  # both Shanghai representatives and the other side's one
