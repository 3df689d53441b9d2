"""Meetings notify both sides: placed (by the scheduler or a participant), cancelled, and reminded 30 minutes
before, once, in each participant's language and time zone; never a reminder for a cancelled meeting."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.events import services
from silkbridge.events.tests.factories import EventFactory, in_days, register
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.models import Notification
from silkbridge.notifications.services import notification_settings_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """A Shanghai participant (represented by a Chinese reader) and a Karachi one, with an accepted request."""
    event = EventFactory(slot_days=[in_days(10)], slot_start=time(10, 0), slot_end=time(12, 0))
    shanghai = register(event, country="CN", time_zone="Asia/Shanghai", user=UserFactory(language="zh-hans"))
    karachi = register(event, country="PK", time_zone="Asia/Karachi")
    for participant in (shanghai, karachi):
        services.participant_set_status(actor=event.created_by, participant=participant, status="approved")
    meeting_request = services.request_create(
        actor=shanghai.representatives.get(), requester=shanghai, recipient=karachi
    )
    services.request_answer(actor=karachi.representatives.get(), meeting_request=meeting_request, accept=True)
    meeting_request.refresh_from_db()
    Notification.objects.all().delete()
    slots = list(event.slots.order_by("starts_at"))
    return {"event": event, "shanghai": shanghai, "karachi": karachi, "request": meeting_request, "slots": slots}


def _users(participant):
    return list(participant.representatives.all())


def test_a_meeting_placed_by_the_scheduler_tells_both_sides_with_their_own_time(
    pair, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_book(meeting_request=pair["request"], slot=pair["slots"][0])  # no actor: the scheduler
    (to_shanghai,) = Notification.objects.filter(recipient__in=_users(pair["shanghai"]), kind=NotificationKind.MEETING)
    (to_karachi,) = Notification.objects.filter(recipient__in=_users(pair["karachi"]), kind=NotificationKind.MEETING)
    # 10:00 in Karachi is 13:00 in Shanghai; each side reads its own zone.
    assert "13:00" in to_shanghai.texts["zh-hans"]["body"]
    assert "Asia/Shanghai" in to_shanghai.texts["zh-hans"]["body"]
    assert "10:00" in to_karachi.texts["en"]["body"]
    assert pair["shanghai"].organisation.name_en in to_karachi.texts["en"]["title"]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[_users(pair["shanghai"])[0].email] == to_shanghai.texts["zh-hans"]["title"]
    assert "会谈" in subjects[_users(pair["shanghai"])[0].email]


def test_reminder_goes_once_30_minutes_before_in_the_participants_zone(pair, django_capture_on_commit_callbacks):
    meeting = services.meeting_book(meeting_request=pair["request"], slot=pair["slots"][0])
    Notification.objects.all().delete()
    starts_at = meeting.slot.starts_at
    mail.outbox.clear()

    assert services.meeting_reminders_send(now=starts_at - timedelta(minutes=45))["reminders"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.meeting_reminders_send(now=starts_at - timedelta(minutes=28))
    assert counts == {"meetings": 1, "reminders": 2}
    (shanghai_reminder,) = Notification.objects.filter(recipient__in=_users(pair["shanghai"]))
    assert shanghai_reminder.kind == NotificationKind.REMINDER
    assert "13:00" in shanghai_reminder.texts["zh-hans"]["title"]
    assert "30" in shanghai_reminder.texts["zh-hans"]["body"]
    (karachi_reminder,) = Notification.objects.filter(recipient__in=_users(pair["karachi"]))
    assert "10:00" in karachi_reminder.texts["en"]["title"]
    assert len(mail.outbox) == 2
    assert any("提醒" in message.subject for message in mail.outbox)  # the Chinese reader's e-mail

    # Run again (cron every 5 minutes): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.meeting_reminders_send(now=starts_at - timedelta(minutes=23))
    assert again["reminders"] == 0
    assert len(mail.outbox) == 2
    # Once started, no reminder.
    assert services.meeting_reminders_send(now=starts_at + timedelta(minutes=1))["meetings"] == 0


def test_a_cancelled_meeting_gets_no_reminder_and_a_moved_one_is_reminded_at_its_new_time(pair):
    karachi_user = _users(pair["karachi"])[0]
    first_slot, later_slot = pair["slots"][0], pair["slots"][2]
    meeting = services.meeting_book(meeting_request=pair["request"], slot=first_slot)
    services.meeting_reminders_send(now=first_slot.starts_at - timedelta(minutes=20))
    services.meeting_cancel(actor=karachi_user, meeting=meeting)
    assert Notification.objects.filter(kind=NotificationKind.MEETING, recipient__in=_users(pair["shanghai"])).exists()
    Notification.objects.all().delete()

    # Cancelled: its time comes and nothing is sent.
    assert services.meeting_reminders_send(now=first_slot.starts_at - timedelta(minutes=10))["reminders"] == 0
    # Placed again later (moved): reminded anew, at the new time only.
    services.meeting_book(meeting_request=pair["request"], slot=later_slot)
    Notification.objects.all().delete()
    assert services.meeting_reminders_send(now=first_slot.starts_at - timedelta(minutes=10))["reminders"] == 0
    assert services.meeting_reminders_send(now=later_slot.starts_at - timedelta(minutes=29))["reminders"] == 2


def test_email_off_for_reminders_still_reminds_in_app(pair, django_capture_on_commit_callbacks):
    karachi_user = _users(pair["karachi"])[0]
    notification_settings_update(
        user=karachi_user,
        email_kinds=[kind for kind in NotificationKind.values if kind != NotificationKind.REMINDER],
        weekly_digest=False,
    )
    meeting = services.meeting_book(meeting_request=pair["request"], slot=pair["slots"][0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reminders_send(now=meeting.slot.starts_at - timedelta(minutes=15))
    assert [message.to for message in mail.outbox] == [[_users(pair["shanghai"])[0].email]]
    assert Notification.objects.filter(recipient=karachi_user, kind=NotificationKind.REMINDER).count() == 1


def test_the_command_runs_the_reminders(pair, capsys):
    call_command("events", "meeting-reminders")
    assert capsys.readouterr().out.strip() == '{"meetings": 0, "reminders": 0}'


def test_a_request_cancelled_after_its_meeting_was_placed_tells_the_other_side_the_meeting_is_off(
    pair, django_capture_on_commit_callbacks
):
    """The requester cancelling an accepted request takes its placed meeting away: the other side is told, as
    for a meeting cancelled, instead of finding a gap in their agenda."""
    services.meeting_book(meeting_request=pair["request"], slot=pair["slots"][0])
    Notification.objects.all().delete()
    mail.outbox.clear()
    requester = pair["shanghai"].representatives.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_cancel(actor=requester, meeting_request=pair["request"])
    (told,) = Notification.objects.filter(recipient__in=_users(pair["karachi"]), kind=NotificationKind.MEETING)
    assert pair["shanghai"].organisation.name_en in told.texts["en"]["title"]
    assert "10:00" in told.texts["en"]["body"]
    assert not Notification.objects.filter(recipient=requester).exists()  # who did it is not told
    assert [message.to for message in mail.outbox] == [[_users(pair["karachi"])[0].email]]
