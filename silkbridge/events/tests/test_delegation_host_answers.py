"""Hosts confirm or decline the slot the scheduler gave them at a delegation visit (issue 14, item 6): a
confirmation shows on both agendas and turns the member's calendar entry from TENTATIVE to CONFIRMED; a
decline cancels the meeting, frees the slot and tells the other side and the organiser; the member side
may do neither, and a stranger finds no such meeting."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.events import services
from silkbridge.events.choices import MeetingEventKind
from silkbridge.events.models import Booking, Meeting, MeetingEvent
from silkbridge.events.tests.delegation import accepted, at, delegation_event, host, member, plan_itinerary
from silkbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _client(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _post(path, user, payload=None):
    _, secret = api_token_create(user=user, name="tests")
    return Client().post(
        f"/api/v1{path}",
        json.dumps(payload or {}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


@pytest.fixture
def visit():
    event, days = delegation_event()
    plan_itinerary(event, days)
    chinese, lahore = member(event), host(event, "Lahore")
    slot = event.slots.get(starts_at=at(days[1], 11))
    meeting = services.meeting_book(meeting_request=accepted(chinese, lahore), slot=slot)
    Notification.objects.all().delete()
    return {"event": event, "member": chinese, "host": lahore, "meeting": meeting, "slot": slot}


def _vevent(ics: str, meeting: Meeting) -> str:
    start = ics.index(f"UID:meeting-{meeting.pk}@silkbridge")
    return ics[start : ics.index("END:VEVENT", start)]


def test_the_host_confirms_on_its_agenda_and_the_member_sees_it_in_page_and_calendar(visit):
    event, meeting = visit["event"], visit["meeting"]
    member_client = _client(visit["member"].representatives.first())
    before = member_client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert "Awaiting the host" in before
    assert "STATUS:TENTATIVE" in _vevent(
        member_client.get(f"/events/{event.slug}/agenda.ics").content.decode(), meeting
    )

    host_client = _client(visit["host"].representatives.first())
    page = host_client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert f"/events/{event.slug}/meetings/{meeting.pk}/confirm/" in page
    assert host_client.post(f"/events/{event.slug}/meetings/{meeting.pk}/confirm/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.host_confirmed_at is not None
    # confirming twice is fine and changes nothing
    first = meeting.host_confirmed_at
    assert host_client.post(f"/events/{event.slug}/meetings/{meeting.pk}/confirm/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.host_confirmed_at == first
    assert MeetingEvent.objects.filter(request=meeting.request, kind=MeetingEventKind.HOST_CONFIRMED).count() == 1
    assert f"/meetings/{meeting.pk}/confirm/" not in host_client.get(f"/events/{event.slug}/agenda/").content.decode()

    after = member_client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert "Confirmed by the host" in after
    ics = member_client.get(f"/events/{event.slug}/agenda.ics").content.decode()
    assert "STATUS:CONFIRMED" in _vevent(ics, meeting)
    chinese = _client(visit["member"].representatives.first(), "zh-hans")
    assert "已由接待方确认" in chinese.get(f"/events/{event.slug}/agenda/").content.decode()


def test_the_host_declines_with_a_reason_the_meeting_is_cancelled_and_the_others_are_told(visit):
    event, meeting, slot = visit["event"], visit["meeting"], visit["slot"]
    host_user = visit["host"].representatives.first()
    response = _client(host_user).post(
        f"/events/{event.slug}/meetings/{meeting.pk}/decline/",
        {f"decline-{meeting.pk}-reason": "Our director is abroad that day"},
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    # the slot is free again for both sides
    assert not Booking.objects.filter(slot=slot).exists()
    row = MeetingEvent.objects.get(request=meeting.request, kind=MeetingEventKind.HOST_DECLINED)
    assert row.changes["reason"] == "Our director is abroad that day"
    assert row.actor == host_user
    member_users = list(visit["member"].representatives.all())
    assert Notification.objects.filter(recipient__in=member_users).count() == 1
    told = Notification.objects.get(recipient=event.created_by)
    assert "Our director is abroad that day" in told.body
    assert not Notification.objects.filter(recipient=host_user).exists()
    page = _client(member_users[0]).get(f"/events/{event.slug}/agenda/").content.decode()
    assert 'data-kind="meeting"' not in page


def test_the_member_may_not_answer_for_the_host_and_a_stranger_finds_no_meeting(visit):
    event, meeting = visit["event"], visit["meeting"]
    member_user = visit["member"].representatives.first()
    assert _client(member_user).post(f"/events/{event.slug}/meetings/{meeting.pk}/confirm/").status_code == 403
    assert _post(f"/events/{event.slug}/meetings/{meeting.pk}/confirm", member_user).status_code == 403
    assert _post(f"/events/{event.slug}/meetings/{meeting.pk}/decline", member_user).status_code == 403
    stranger = UserFactory()
    assert _post(f"/events/{event.slug}/meetings/{meeting.pk}/confirm", stranger).status_code == 404
    assert _post(f"/events/{event.slug}/meetings/{meeting.pk}/decline", stranger).status_code == 404
    meeting.refresh_from_db()
    assert meeting.host_confirmed_at is None
    assert Booking.objects.filter(meeting=meeting).count() == 2


def test_the_api_confirms_declines_and_refuses_a_cancelled_meeting(visit):
    event, meeting = visit["event"], visit["meeting"]
    host_user = visit["host"].representatives.first()
    confirmed = _post(f"/events/{event.slug}/meetings/{meeting.pk}/confirm", host_user)
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["host_confirmed_at"] is not None
    assert _post(f"/events/{event.slug}/meetings/{meeting.pk}/confirm", host_user).status_code == 200
    _, secret = api_token_create(user=visit["member"].representatives.first(), name="tests")
    items = Client().get(f"/api/v1/events/{event.slug}/itinerary/agenda", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    (item,) = [i for i in items if i["meeting_id"] == meeting.pk]
    assert item["confirmed"] is True

    too_long = _post(f"/events/{event.slug}/meetings/{meeting.pk}/decline", host_user, {"reason": "x" * 501})
    assert too_long.status_code == 422
    assert Meeting.objects.filter(pk=meeting.pk).exists()

    # a meeting marked cancelled (it stays on record) cannot be declined again: a clear 422
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    refused = _post(f"/events/{event.slug}/meetings/{meeting.pk}/decline", host_user)
    assert refused.status_code == 422
    assert "cancelled" in refused.content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(status="scheduled")

    declined = _post(f"/events/{event.slug}/meetings/{meeting.pk}/decline", host_user, {"reason": "Closed"})
    assert declined.status_code == 200, declined.content
    assert declined.json()["status"] == "cancelled"
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    # declining again: the meeting is gone
    assert _post(f"/events/{event.slug}/meetings/{meeting.pk}/decline", host_user).status_code == 404
