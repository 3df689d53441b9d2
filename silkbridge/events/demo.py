"""A fictional demo event so that the event pages look alive on first run (`silkbridge load_demo`)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from silkbridge.directory.models import Organisation
from silkbridge.events import services
from silkbridge.events.choices import EventKind, ParticipantStatus, RequestStatus
from silkbridge.events.models import Event, MeetingRequest, Participant

DEMO_SLUG = "demo-china-pakistan-ai-iot-day"
PAIRS = 8


@transaction.atomic
def demo_event_ensure(*, staff: Any) -> tuple[Event, bool]:
    """Create the demo event once: two mornings of slots, demo companies from both countries, a few
    accepted requests placed by the scheduler. Running it again changes nothing."""
    existing = Event.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    event = services.event_create(
        actor=staff,
        fields={
            "slug": DEMO_SLUG,
            "title": "China–Pakistan AI & IoT matchmaking day (demo)",
            "description": (
                "A fictional event that ships with the demo data: Chinese and Pakistani demo companies meet "
                "online to discuss AI, IoT and data-center cooperation."
            ),
            "kind": EventKind.VIRTUAL,
            "time_zone": "Asia/Karachi",
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": now + timedelta(days=60),
            "request_policy": "cross_country",
            "video_room_base_url": "https://meet.silkbridge.example/rooms",
        },
    )
    first_day = (now + timedelta(days=30)).date()
    services.slots_generate(
        actor=staff,
        event=event,
        days=[first_day, first_day + timedelta(days=1)],
        day_start=time(10, 0),
        day_end=time(13, 0),
        minutes=30,
        breaks=[(time(11, 30), time(11, 45))],
    )
    slot_ids = list(event.slots.values_list("pk", flat=True))
    demo = Organisation.objects.filter(is_demo=True, visibility="public", kind="company").order_by("key")
    chinese = list(demo.filter(country="CN")[:PAIRS])
    pakistani = list(demo.filter(country="PK")[:PAIRS])
    participants = {}
    for organisation in chinese + pakistani:
        participant = Participant.objects.create(
            event=event,
            organisation=organisation,
            status=ParticipantStatus.APPROVED,
            time_zone="Asia/Shanghai" if organisation.country == "CN" else "Asia/Karachi",
            interpreter_needed=organisation.country == "CN",
            max_meetings=event.default_max_meetings,
        )
        participant.available_slots.set(slot_ids)
        participants[organisation.pk] = participant
    for index, china in enumerate(chinese):
        # Each Chinese company is asked by two Pakistani ones, so the scheduler has something to do.
        for other in {pakistani[index % len(pakistani)], pakistani[(index + 1) % len(pakistani)]} if pakistani else ():
            MeetingRequest.objects.create(
                event=event,
                requester=participants[other.pk],
                recipient=participants[china.pk],
                status=RequestStatus.ACCEPTED,
                created_by=staff,
                answered_at=now,
                message="Demo request: we would like to discuss a pilot.",
            )
    # Queued like any other run: a worker (or, embedded, the immediate backend) books the meetings.
    services.schedule_run_start(actor=staff, event=event, time_limit=10, seed=0)
    return event, True
