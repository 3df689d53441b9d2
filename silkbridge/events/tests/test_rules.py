"""Event rules that the pages and the API share because the services hold them (issue 9, finding 12):
who may pick a slot, the meeting limit, what rejection takes away, and one scheduler run at a time."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.core.models import Run
from silkbridge.events import services
from silkbridge.events.models import Booking, Meeting, MeetingRequest, ScheduleRun
from silkbridge.events.tests.factories import EventFactory, in_days, register
from silkbridge.events.tests.scheduling import schedule_run_now

pytestmark = pytest.mark.django_db


def _post(client, path, payload, user):
    _, secret = api_token_create(user=user, name="tests")
    return client.post(
        f"/api/v1{path}", json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )


def _get(client, path, user):
    _, secret = api_token_create(user=user, name="tests")
    return client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {secret}")


def _request(requester, recipient):
    return services.request_create(actor=requester.representatives.get(), requester=requester, recipient=recipient)


def _accept(meeting_request, **kwargs):
    return services.request_answer(
        actor=meeting_request.recipient.representatives.get(), meeting_request=meeting_request, accept=True, **kwargs
    )


# --- who picks the slot -----------------------------------------------------------------------------


def test_a_participant_cannot_book_a_slot_where_the_organiser_runs_the_scheduler(client):
    event = EventFactory(slot_days=[in_days(14)], scheduling_mode="organiser")
    requester, recipient = register(event, country="PK"), register(event, country="CN")
    meeting_request = _request(requester, recipient)
    slot = event.slots.first()

    response = _post(
        client,
        f"/events/{event.slug}/requests/{meeting_request.pk}/answer",
        {"accept": True, "slot": slot.pk},
        recipient.representatives.get(),
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "At this event the organiser schedules the meetings; accept without choosing a slot."
    )
    meeting_request.refresh_from_db()
    assert meeting_request.status == "pending"
    assert not Meeting.objects.exists()
    # Accepting without a slot is what the organiser's events expect.
    _accept(meeting_request)
    meeting_request.refresh_from_db()
    assert meeting_request.status == "accepted"
    assert not Meeting.objects.exists()


# --- the meeting limit ------------------------------------------------------------------------------


def test_accepting_with_a_slot_stops_at_the_participants_meeting_limit(client):
    event = EventFactory(slot_days=[in_days(14)], scheduling_mode="participants")
    popular = register(event, country="CN", max_meetings=1)
    requests = [_request(register(event, country="PK"), popular) for _ in range(3)]
    slots = list(event.slots.order_by("starts_at")[:3])
    user = popular.representatives.get()

    answers = [
        _post(
            client,
            f"/events/{event.slug}/requests/{meeting_request.pk}/answer",
            {"accept": True, "slot": slot.pk},
            user,
        )
        for meeting_request, slot in zip(requests, slots, strict=True)
    ]

    assert [answer.status_code for answer in answers] == [200, 422, 422]
    message = f"{popular.organisation} already has its maximum number of meetings (1)."
    assert [(error["field"], error["message"]) for error in answers[1].json()["errors"]] == [("body.slot", message)]
    assert Booking.objects.filter(participant=popular).count() == 1
    assert [r.status for r in MeetingRequest.objects.filter(pk__in=[r.pk for r in requests]).order_by("pk")] == [
        "accepted",
        "pending",
        "pending",
    ]


def test_the_scheduler_gets_the_limit_and_keeps_to_it():
    event = EventFactory(slot_days=[in_days(14)], scheduling_mode="organiser")
    popular = register(event, country="CN", max_meetings=1)
    for _ in range(3):
        _accept(_request(register(event, country="PK"), popular))

    instance = services.schedule_instance(event)
    limits = {entry["id"]: entry["max_meetings"] for entry in instance["participants"]}
    assert limits[f"p{popular.pk}"] == 1
    run = schedule_run_now(actor=StaffFactory(), event=event, time_limit=5)

    assert run.placed == 1
    assert sorted(entry["reason"] for entry in run.unscheduled) == ["limit", "limit"]
    assert Booking.objects.filter(participant=popular).count() == 1


def test_the_limit_cannot_be_lowered_below_the_meetings_already_booked():
    event = EventFactory(slot_days=[in_days(14)], scheduling_mode="participants")
    participant = register(event, country="CN", max_meetings=3)
    slots = list(event.slots.order_by("starts_at")[:2])
    for slot in slots:
        _accept(_request(register(event, country="PK"), participant), slot=slot)

    with pytest.raises(ValidationError) as error:
        services.participant_update(
            actor=participant.representatives.first(),
            participant=participant,
            time_zone="Asia/Karachi",
            interests="",
            interpreter_needed=False,
            max_meetings=1,
            slot_ids=list(event.slots.values_list("pk", flat=True)),
        )

    assert error.value.message_dict == {
        "max_meetings": ["You already have 2 meetings; cancel some before lowering the maximum."]
    }
    participant.refresh_from_db()
    assert participant.max_meetings == 3


# --- rejection --------------------------------------------------------------------------------------


def test_rejection_cancels_requests_and_meetings_tells_the_others_and_closes_the_list(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(slot_days=[in_days(14)], scheduling_mode="participants")
    rejected = register(event, country="CN")
    met, asked, bystander = register(event), register(event), register(event)
    meeting = _accept(_request(met, rejected), slot=event.slots.first()).meeting
    waiting = _request(rejected, asked)
    untouched = _request(bystander, met)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client, f"/events/{event.slug}/participants/{rejected.pk}/status", {"status": "rejected"}, StaffFactory()
        )

    assert response.status_code == 200
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Booking.objects.filter(slot__event=event).exists()
    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert statuses == {meeting.request_id: "cancelled", waiting.pk: "cancelled", untouched.pk: "pending"}
    told = {message.to[0]: message for message in mail.outbox}
    for other in (met, asked):
        subject = told[other.representatives.get().email].subject
        assert subject == f"{rejected.organisation} no longer takes part in {event.title}"
    assert "Your meeting with it is cancelled too" in told[met.representatives.get().email].body
    assert "Your meeting with it is cancelled too" not in told[asked.representatives.get().email].body
    assert bystander.representatives.get().email not in told

    user = rejected.representatives.get()
    api = _get(client, f"/events/{event.slug}/participants", user)
    assert api.status_code == 403
    assert api.json()["message"] == "Only approved participants and staff see who takes part."
    client.force_login(user)
    page = client.get(reverse("events:participants", args=[event.slug]))
    assert page.status_code == 403
    assert "Only approved participants and staff see who takes part." in page.content.decode()
    assert met.organisation.name_en not in page.content.decode()
    assert _get(client, f"/events/{event.slug}/agenda", user).json()["count"] == 0


# --- one scheduler run at a time --------------------------------------------------------------------


def test_a_second_run_while_one_is_running_is_refused_and_leaves_no_row(client):
    event = EventFactory(slot_days=[in_days(14)])
    staff = StaffFactory()
    running = services.schedule_run_start(actor=staff, event=event, time_limit=30)

    response = _post(client, f"/events/{event.slug}/schedule", {"time_limit": 5, "seed": 0}, staff)

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "The scheduler is already running for this event; wait for it to finish."
    )
    assert list(ScheduleRun.objects.filter(event=event)) == [running]


def _worker_died(schedule_run):
    """Its worker claimed the run, then was killed: the heartbeat stopped a minute ago."""
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    Run.objects.filter(pk=schedule_run.run_id).update(
        status="running", started_at=a_minute_ago, heartbeat_at=a_minute_ago
    )


def test_a_run_whose_worker_died_is_marked_failed_and_the_next_run_succeeds(client):
    event = EventFactory(slot_days=[in_days(14)])
    staff = StaffFactory()
    dead = services.schedule_run_start(actor=staff, event=event, time_limit=30)
    _worker_died(dead)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = _post(client, f"/events/{event.slug}/schedule", {"time_limit": 5, "seed": 0}, staff)

    assert response.status_code == 202
    assert _get(client, f"/runs/{response.json()['id']}", staff).json()["status"] == "succeeded"
    dead = ScheduleRun.objects.select_related("run").get(pk=dead.pk)
    assert dead.status == "failed"
    assert dead.error == "The worker stopped before the run finished; start it again."
    assert dead.finished_at is not None
    assert _get(client, f"/runs/{dead.run_id}", staff).json()["error"] == dead.error


def test_the_dashboard_shows_a_dead_run_as_failed(client):
    event = EventFactory(slot_days=[in_days(14)])
    staff = StaffFactory()
    dead = services.schedule_run_start(actor=staff, event=event, time_limit=30)
    _worker_died(dead)
    fresh_event = EventFactory(slot_days=[in_days(14)])
    fresh = services.schedule_run_start(actor=staff, event=fresh_event, time_limit=30)

    assert _get(client, f"/events/{event.slug}/dashboard", staff).json()["last_run"]["status"] == "failed"
    assert _get(client, f"/events/{fresh_event.slug}/dashboard", staff).json()["last_run"]["status"] == "queued"
    fresh.refresh_from_db()
    assert fresh.status == "queued"
