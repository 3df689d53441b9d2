"""A four-city delegation visit for tests: Beijing → Islamabad → Lahore → Karachi over three days.

Day 1 in Islamabad, day 2 in Lahore (the leg Islamabad → Lahore takes 08:00–10:00 PKT), day 3 in
Karachi (the leg from Lahore lands at 09:45, so the 09:00 slot is on the road). Hourly slots 09:00–17:00
PKT each day. Hosts are Pakistani organisations in each city; members are Chinese companies.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time
from typing import Any

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.events import services, visit_services
from silkbridge.events.models import Event, Participant
from silkbridge.events.tests.factories import EventFactory, in_days, register

PKT = zoneinfo.ZoneInfo("Asia/Karachi")
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int, minute: int = 0, zone: zoneinfo.ZoneInfo = PKT) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def delegation_event(*, staff: Any = None, days_ahead: int = 20) -> tuple[Event, list[date]]:
    staff = staff or StaffFactory()
    days = [in_days(days_ahead + offset) for offset in range(3)]
    event: Event = EventFactory.create(
        kind="delegation", created_by=staff, slot_days=days, slot_minutes=60, slot_start=time(9), slot_end=time(17)
    )
    return event, days


def plan_itinerary(event: Event, days: list[date], *, staff: Any = None) -> None:
    staff = staff or event.created_by
    d1, d2, d3 = days
    visit_services.leg_add(
        actor=staff, event=event, from_city="Beijing", to_city="Islamabad",
        departs_at=at(d1, 2, 0, BEIJING), arrives_at=at(d1, 5, 30), carrier="PK 853",
    )  # fmt: skip
    visit_services.stop_add(actor=staff, event=event, city="Islamabad", arrives_at=at(d1, 6), leaves_at=at(d2, 8))
    visit_services.leg_add(
        actor=staff, event=event, from_city="Islamabad", to_city="Lahore", departs_at=at(d2, 8), arrives_at=at(d2, 10)
    )
    visit_services.stop_add(actor=staff, event=event, city="Lahore", arrives_at=at(d2, 10), leaves_at=at(d3, 7))
    visit_services.leg_add(
        actor=staff, event=event, from_city="Lahore", to_city="Karachi", departs_at=at(d3, 7), arrives_at=at(d3, 9, 45)
    )
    visit_services.stop_add(
        actor=staff, event=event, city="Karachi", arrives_at=at(d3, 9, 45), leaves_at=at(d3, 20), address="Hotel lobby"
    )


def member(event: Event, **fields: Any) -> Participant:
    slots = list(event.slots.values_list("pk", flat=True))
    return register(event, country="CN", time_zone="Asia/Shanghai", slot_ids=slots, **fields)


def host(event: Event, city: str, **fields: Any) -> Participant:
    slots = list(event.slots.values_list("pk", flat=True))
    return register(event, country="PK", slot_ids=slots, organisation_fields={"city": city}, **fields)


def accepted(requester: Participant, recipient: Participant) -> Any:
    meeting_request = services.request_create(
        actor=requester.representatives.first(), requester=requester, recipient=recipient
    )
    return services.request_answer(
        actor=recipient.representatives.first(), meeting_request=meeting_request, accept=True
    )
