"""A fictional demo event and a fictional delegation visit, so that the event pages look alive on first run
(`silkbridge load_demo`)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from silkbridge.directory.models import Organisation
from silkbridge.events import services, visit_selectors, visit_services
from silkbridge.events.choices import EventKind, ParticipantStatus, RequestStatus
from silkbridge.events.models import Event, MeetingRequest, Participant
from silkbridge.events.visit_cities import BEIJING_TIME, PAKISTAN_TIME
from silkbridge.zones.models import Zone

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


DELEGATION_SLUG = "demo-delegation-beijing-islamabad-lahore-karachi"
DELEGATION_MEMBERS = 4
HOSTS_PER_CITY = 2


def _pkt(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zoneinfo.ZoneInfo(PAKISTAN_TIME))


@transaction.atomic
def demo_delegation_ensure(*, staff: Any) -> tuple[Event, bool]:
    """Create the demo delegation visit once: four fictional Chinese demo companies fly Beijing →
    Islamabad → Lahore → Karachi over three days, visit Lahore Technopolis, and meet Pakistani demo
    companies in each city — those the marketplace matched with them where matches exist (run after the
    matches are computed), else the city's first demo companies. The scheduler places the meetings in a
    background run. Flights, times and addresses are invented for the demo. Running it again changes
    nothing."""
    existing = Event.objects.filter(slug=DELEGATION_SLUG).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    event = services.event_create(
        actor=staff,
        fields={
            "slug": DELEGATION_SLUG,
            "title": "Chinese technology delegation: Islamabad, Lahore, Karachi (demo)",
            "description": (
                "A fictional delegation visit that ships with the demo data: members from four Chinese demo "
                "companies meet Pakistani demo companies in three cities and visit a technology zone. Flights, "
                "times and addresses are invented."
            ),
            "kind": EventKind.DELEGATION,
            "time_zone": PAKISTAN_TIME,
            "venue": "Islamabad, Lahore, Karachi",
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": now + timedelta(days=40),
            "request_policy": "cross_country",
        },
    )
    d1 = (now + timedelta(days=45)).date()
    d2, d3 = d1 + timedelta(days=1), d1 + timedelta(days=2)
    services.slots_generate(
        actor=staff,
        event=event,
        days=[d1, d2, d3],
        day_start=time(9, 0),
        day_end=time(17, 0),
        minutes=45,
        breaks=[(time(13, 0), time(13, 45))],
    )
    beijing = zoneinfo.ZoneInfo(BEIJING_TIME)
    legs = [
        ("Beijing", "Islamabad", datetime.combine(d1, time(1, 30), tzinfo=beijing), _pkt(d1, 5), "Flight (demo)"),
        ("Islamabad", "Lahore", _pkt(d2, 8), _pkt(d2, 9), "Flight (demo)"),
        ("Lahore", "Karachi", _pkt(d3, 7), _pkt(d3, 8, 45), "Flight (demo)"),
        (
            "Karachi",
            "Beijing",
            _pkt(d3, 23),
            datetime.combine(d3 + timedelta(days=1), time(11, 0), tzinfo=beijing),
            "Flight with a connection (demo)",
        ),
    ]
    for from_city, to_city, departs, arrives, carrier in legs:
        visit_services.leg_add(
            actor=staff,
            event=event,
            from_city=from_city,
            to_city=to_city,
            departs_at=departs,
            arrives_at=arrives,
            carrier=carrier,
        )
    stops = [
        ("Islamabad", _pkt(d1, 6), _pkt(d2, 8), "Demo hotel, Blue Area, Islamabad"),
        ("Lahore", _pkt(d2, 9), _pkt(d3, 7), "Demo hotel, Gulberg, Lahore"),
        ("Karachi", _pkt(d3, 8, 45), _pkt(d3, 22), "Demo hotel, Clifton, Karachi"),
    ]
    for city, arrives, leaves, address in stops:
        visit_services.stop_add(
            actor=staff, event=event, city=city, arrives_at=arrives, leaves_at=leaves, address=address
        )
    slot_ids = list(event.slots.values_list("pk", flat=True))
    demo = Organisation.objects.filter(is_demo=True, visibility="public", kind="company").order_by("key")
    members = list(demo.filter(country="CN")[:DELEGATION_MEMBERS])
    cities = ("Islamabad", "Lahore", "Karachi")
    hosts: dict[str, list[Organisation]] = {}
    for city in cities:
        matched = {
            organisation.pk: organisation
            for member in members
            for organisation in visit_selectors.matched_hosts(organisation_id=member.pk, cities=[city])
            if organisation.is_demo and organisation.kind == "company"
        }
        chosen = list(matched.values())[:HOSTS_PER_CITY]
        for organisation in demo.filter(country="PK", city=city).exclude(pk__in=matched):
            if len(chosen) >= HOSTS_PER_CITY:
                break
            chosen.append(organisation)
        hosts[city] = chosen
    participants: dict[int, Participant] = {}
    for organisation in members + [host for chosen in hosts.values() for host in chosen]:
        participant = Participant.objects.create(
            event=event,
            organisation=organisation,
            status=ParticipantStatus.APPROVED,
            time_zone=BEIJING_TIME if organisation.country == "CN" else PAKISTAN_TIME,
            interpreter_needed=organisation.country == "CN",
            max_meetings=event.default_max_meetings,
        )
        participant.available_slots.set(slot_ids)
        participants[organisation.pk] = participant
    for index, member in enumerate(members):
        for city in cities:
            if not hosts[city]:
                continue
            host = hosts[city][index % len(hosts[city])]
            MeetingRequest.objects.create(
                event=event,
                requester=participants[host.pk],
                recipient=participants[member.pk],
                status=RequestStatus.ACCEPTED,
                created_by=staff,
                answered_at=now,
                message="Demo request: we would like to meet your delegation in our city.",
            )
    lahore_zone = Zone.objects.filter(key="lahore-technopolis").first()
    if lahore_zone is not None:
        visit_services.site_visit_add(
            actor=staff, event=event, zone_key=lahore_zone.key, starts_at=_pkt(d2, 14, 30), minutes=90,
            contact="Zone site office (demo contact)",
        )  # fmt: skip
    services.schedule_run_start(actor=staff, event=event, time_limit=10, seed=0)
    return event, True


def demo_case_site_visit_ensure(*, staff: Any, relocation_request_id: int, zone_key: str) -> bool:
    """Put the demo relocation case's site visit inside the demo delegation visit: the requesting company
    joins the delegation (if it is not one of its members) and visits the zone during the lunch break of
    the delegation's day in the zone's city. Whether it was added now (False when it was there already or
    the delegation, the zone or the request is missing). Times are invented for the demo."""
    event = Event.objects.filter(slug=DELEGATION_SLUG).first()
    zone = Zone.objects.filter(key=zone_key).first()
    if event is None or zone is None:
        return False
    if event.site_visits.filter(relocation_request_id=relocation_request_id).exists():
        return False
    from silkbridge.zones.models import RelocationRequest

    relocation_request = RelocationRequest.objects.filter(pk=relocation_request_id).first()
    stop = event.stops.filter(city=zone.city).order_by("arrives_at").first() if relocation_request else None
    if relocation_request is None or stop is None:
        return False
    with transaction.atomic():
        participant, created = Participant.objects.get_or_create(
            event=event,
            organisation_id=relocation_request.organisation_id,
            defaults={
                "status": ParticipantStatus.APPROVED,
                "time_zone": BEIJING_TIME,
                "interpreter_needed": True,
                "max_meetings": event.default_max_meetings,
            },
        )
        if created:
            participant.available_slots.set(event.slots.values_list("pk", flat=True))
        day = stop.arrives_at.astimezone(zoneinfo.ZoneInfo(PAKISTAN_TIME)).date()
        visit_services.site_visit_add(
            actor=staff,
            event=event,
            zone_key=zone.key,
            starts_at=_pkt(day, 13, 0),
            minutes=45,
            attendee_ids=[participant.pk],
            relocation_request_id=relocation_request.pk,
            contact="Zone officer at the gate (demo contact)",
        )
    return True
