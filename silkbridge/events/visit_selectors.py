"""Reads for delegation visits: the itinerary, who is a member and who a host, which slots each pair
may meet in, each person's agenda with its legs and site visits, and who may see a site visit.

The rule that a member is never in two places at once is decided here (`Itinerary`), from the plain
rules of events/engine/itinerary.py, and read by the scheduler's input, by every booking and by the
site-visit service alike.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from silkbridge.directory.choices import Visibility
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.events import selectors
from silkbridge.events.choices import EventKind, MeetingStatus
from silkbridge.events.engine import itinerary as engine
from silkbridge.events.models import (
    Booking,
    Event,
    Meeting,
    MeetingRequest,
    Participant,
    SiteVisit,
    Slot,
    VisitLeg,
    VisitStop,
)
from silkbridge.events.visit_cities import city_name, city_time_zone
from silkbridge.marketplace.selectors import live_q, offered_to_others_q
from silkbridge.matching.models import Match
from silkbridge.zones.relocation_selectors import relocation_requests_visible_to

HOST_COUNTRY = "PK"


def is_delegation(event: Event) -> bool:
    return event.kind == EventKind.DELEGATION


def is_host(participant: Participant) -> bool:
    """Hosts are the Pakistani organisations the delegation meets; everyone else is a member."""
    return participant.organisation.country == HOST_COUNTRY


def host_side(meeting: Meeting) -> Participant | None:
    """The host of a delegation visit's meeting (the side that confirms or declines its slot); None when
    the event is no delegation visit or neither side is a host."""
    if not is_delegation(meeting.event):
        return None
    for participant in (meeting.request.recipient, meeting.request.requester):
        if is_host(participant):
            return participant
    return None


def members(*, event: Event) -> QuerySet[Participant]:
    return event.participants.select_related("organisation").exclude(organisation__country=HOST_COUNTRY)


def hosts(*, event: Event) -> QuerySet[Participant]:
    return event.participants.select_related("organisation").filter(organisation__country=HOST_COUNTRY)


def stops(*, event: Event) -> QuerySet[VisitStop]:
    return event.stops.order_by("arrives_at", "pk")


def legs(*, event: Event) -> QuerySet[VisitLeg]:
    return event.legs.order_by("departs_at", "pk")


def site_visits(*, event: Event) -> QuerySet[SiteVisit]:
    return (
        event.site_visits.select_related("zone", "relocation_request__organisation")
        .prefetch_related("attendees__organisation")
        .order_by("starts_at", "pk")
    )


def engine_stop(stop: VisitStop) -> engine.Stop:
    return engine.Stop(city=stop.city, arrives_at=stop.arrives_at, leaves_at=stop.leaves_at)


def engine_leg(leg: VisitLeg) -> engine.Leg:
    return engine.Leg(
        from_city=leg.from_city, to_city=leg.to_city, departs_at=leg.departs_at, arrives_at=leg.arrives_at
    )


def engine_block(visit: SiteVisit, *, every_member: Iterable[int]) -> engine.Block:
    attendees = {attendee.pk for attendee in visit.attendees.all()} or set(every_member)
    return engine.Block(
        starts_at=visit.starts_at, ends_at=visit.ends_at, members=frozenset(f"p{pk}" for pk in attendees)
    )


@dataclass
class Itinerary:
    """Where the delegation is when, read once for a scheduler run or a booking."""

    stops: list[engine.Stop]
    legs: list[engine.Leg]
    blocks: list[engine.Block]
    member_ids: set[int]
    host_cities: dict[int, str]  # host participant -> its organisation's city

    def slot_city(self, slot: Slot) -> str | None:
        return engine.city_at(self.stops, slot.starts_at, slot.ends_at)

    def blocked(self, slot: Slot, participant_id: int) -> bool:
        if participant_id not in self.member_ids:
            return False  # a host stays in its city: legs and site visits do not take its time
        return engine.blocked(
            slot.starts_at, slot.ends_at, member=f"p{participant_id}", legs=self.legs, blocks=self.blocks
        )

    def pair_city(self, requester_id: int, recipient_id: int) -> str | None:
        """The city a pair must meet in: the host's (None when neither is a host: any city of the visit)."""
        return self.host_cities.get(requester_id) or self.host_cities.get(recipient_id)

    def pair_fits(self, slot: Slot, requester_id: int, recipient_id: int) -> bool:
        """Whether the pair may meet in the slot: the delegation is in the host's city for the whole slot
        (or in a city at all, between two members), and neither member is travelling or on a site visit."""
        city = self.slot_city(slot)
        if requester_id in self.member_ids or recipient_id in self.member_ids:
            wanted = self.pair_city(requester_id, recipient_id)
            if city is None or (wanted is not None and city != wanted):
                return False
        return not (self.blocked(slot, requester_id) or self.blocked(slot, recipient_id))


def itinerary(event: Event) -> Itinerary:
    participants = list(event.participants.select_related("organisation"))
    member_ids = {p.pk for p in participants if not is_host(p)}
    return Itinerary(
        stops=[engine_stop(stop) for stop in stops(event=event)],
        legs=[engine_leg(leg) for leg in legs(event=event)],
        blocks=[engine_block(visit, every_member=member_ids) for visit in site_visits(event=event)],
        member_ids=member_ids,
        host_cities={p.pk: p.organisation.city for p in participants if is_host(p)},
    )


def booking_problem(*, meeting_request: MeetingRequest, slot: Slot) -> str | None:
    """Why a delegation meeting cannot take the slot (None: it can, or the event is no delegation visit)."""
    event = meeting_request.event
    if not is_delegation(event):
        return None
    plan = itinerary(event)
    if plan.pair_fits(slot, meeting_request.requester_id, meeting_request.recipient_id):
        return None
    city = plan.slot_city(slot)
    wanted = plan.pair_city(meeting_request.requester_id, meeting_request.recipient_id)
    if city is None:
        return _("The delegation is travelling or not yet in Pakistan at this time.")
    if wanted is not None and city != wanted:
        return _("The delegation is in %(city)s at this time, not in %(host_city)s where the host is.") % {
            "city": city_name(city),
            "host_city": city_name(wanted),
        }
    return _("A member of the pair is on a site visit at this time.")


# --- who may see a site visit ---------------------------------------------------------------------------


def site_visits_visible(*, viewer: Any) -> QuerySet[SiteVisit]:
    """The site visits the viewer may see. A visit for a relocation request is seen by staff, the
    request's company, and the visited zone's organisation only while the request is shared with that
    zone (the request's own selector decides; a zone it is not shared with never sees it). A visit for
    no request is seen by staff and by the delegation's participants."""
    base = SiteVisit.objects.select_related("zone", "event", "relocation_request")
    if getattr(viewer, "is_staff", False):
        return base.all()
    organisations = organisation_ids_of(viewer)
    if not organisations:
        return SiteVisit.objects.none()
    readable = relocation_requests_visible_to(viewer).values("pk")
    own_request = Q(relocation_request__organisation_id__in=organisations)
    zone_shared = Q(
        zone__organisation_id__in=organisations,
        relocation_request__shared_with=F("zone"),
    )
    in_delegation = Q(relocation_request__isnull=True, event__participants__organisation_id__in=organisations)
    return base.filter((Q(relocation_request__in=readable) & (own_request | zone_shared)) | in_delegation).distinct()


def site_visits_for_request(
    *, viewer: Any, relocation_request_id: int, zone_id: int | None = None
) -> QuerySet[SiteVisit]:
    """The visible site visits of one relocation request (of one zone: a relocation case's)."""
    rows = site_visits_visible(viewer=viewer).filter(relocation_request_id=relocation_request_id)
    if zone_id is not None:
        rows = rows.filter(zone_id=zone_id)
    return rows.order_by("starts_at", "pk")


# --- agendas ---------------------------------------------------------------------------------------------


@dataclass
class AgendaItem:
    """One line of a delegation agenda, with the time zone of the place it happens in."""

    kind: str  # "leg", "site_visit" or "meeting"
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    end_time_zone: str
    title: str
    where: str
    details: list[str]
    uid: str
    meeting_id: int | None = None
    # A meeting with a host: whether the host confirmed its slot (None for anything else).
    confirmed: bool | None = None
    # The reader is the meeting's host and may confirm or decline it.
    host_answers: bool = False

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(zoneinfo.ZoneInfo(self.end_time_zone))


def _stop_at(stop_rows: list[VisitStop], moment: datetime) -> VisitStop | None:
    for stop in stop_rows:
        if stop.arrives_at <= moment < stop.leaves_at:
            return stop
    return None


def delegation_agenda(*, participant: Participant) -> list[AgendaItem]:
    """A participant's agenda at a delegation visit in time order: for a member its legs, site visits and
    meetings; for a host its meetings. Each item is in the local time of its place: a leg leaves in its
    departure city's time (Beijing time out of China) and arrives in its arrival city's (PKT in Pakistan)."""
    event = participant.event
    host = is_host(participant)
    items: list[AgendaItem] = []
    stop_rows = list(stops(event=event))
    if not host:
        for leg in legs(event=event):
            details = [
                _("Travel time: %(hours)d h %(minutes)02d min")
                % {"hours": leg.minutes // 60, "minutes": leg.minutes % 60}
            ]
            items.append(
                AgendaItem(
                    kind="leg",
                    starts_at=leg.departs_at,
                    ends_at=leg.arrives_at,
                    time_zone=city_time_zone(leg.from_city),
                    end_time_zone=city_time_zone(leg.to_city),
                    title=_("%(from)s → %(to)s") % {"from": city_name(leg.from_city), "to": city_name(leg.to_city)},
                    where=leg.carrier,
                    details=details,
                    uid=f"leg-{leg.pk}@silkbridge",
                )
            )
        for visit in site_visits(event=event):
            attendees = {a.pk for a in visit.attendees.all()}
            if attendees and participant.pk not in attendees:
                continue
            zone = visit.zone
            local = {"zh": zone.name_zh, "ur": zone.name_ur}.get(_language(), "") or zone.name_en
            details = [_("Contact: %(contact)s") % {"contact": visit.contact}] if visit.contact else []
            items.append(
                AgendaItem(
                    kind="site_visit",
                    starts_at=visit.starts_at,
                    ends_at=visit.ends_at,
                    time_zone=city_time_zone(zone.city),
                    end_time_zone=city_time_zone(zone.city),
                    title=_("Site visit: %(zone)s") % {"zone": local},
                    where=city_name(zone.city),
                    details=details,
                    uid=f"site-visit-{visit.pk}@silkbridge",
                )
            )
    for meeting in selectors.agenda(participant=participant):
        other = selectors.counterpart(meeting=meeting, participant=participant)
        stop = _stop_at(stop_rows, meeting.slot.starts_at)
        city = stop.city if stop else other.organisation.city
        place = ", ".join(part for part in (stop.address if stop else "", city_name(city)) if part)
        details = []
        if participant.interpreter_needed or other.interpreter_needed:
            details.append(_("Interpreter needed"))
        contacts = [c for c in other.organisation.contacts.filter(is_public=True) if c.email or c.phone][:1]
        for contact in contacts:
            details.append(
                _("Contact: %(contact)s")
                % {"contact": " · ".join(p for p in (contact.name, contact.phone, contact.email) if p)}
            )
        confirmed: bool | None = None
        if host_side(meeting) is not None:
            confirmed = meeting.host_confirmed_at is not None
            if confirmed:
                details.append(_("Confirmed by the host"))
            else:
                details.append(_("Awaiting your confirmation") if host else _("Awaiting the host"))
        zone_name = city_time_zone(city)
        items.append(
            AgendaItem(
                kind="meeting",
                starts_at=meeting.slot.starts_at,
                ends_at=meeting.slot.ends_at,
                time_zone=zone_name,
                end_time_zone=zone_name,
                title=_("Meeting: %(organisation)s") % {"organisation": other.organisation.display_name},
                where=place,
                details=details,
                uid=f"meeting-{meeting.pk}@silkbridge",
                meeting_id=meeting.pk,
                confirmed=confirmed,
                host_answers=host and confirmed is not None,
            )
        )
    items.sort(key=lambda item: (item.starts_at, item.kind))
    return items


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def member_meetings_overlapping(
    *, participant_ids: Iterable[int], starts_at: datetime, ends_at: datetime
) -> list[Booking]:
    """Bookings of these participants whose slot overlaps [starts_at, ends_at) (a new leg or site visit
    would put them in two places at once)."""
    rows = (
        Booking.objects.filter(participant_id__in=list(participant_ids), slot__starts_at__lt=ends_at)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("slot", "participant__organisation")
    )
    return [row for row in rows if row.slot.ends_at > starts_at]


# --- hosts from the marketplace matches -------------------------------------------------------------------


def matched_hosts(*, organisation_id: int, cities: Iterable[str], limit: int = 10) -> list[Organisation]:
    """Pakistani organisations in one of `cities` that the marketplace matched with the organisation's live
    profiles (their profiles offered to others), best match first: the hosts a member should meet."""
    best: dict[int, float] = {}
    rows = Match.objects.filter(
        live_q("opportunity__"),
        offered_to_others_q("other__"),
        opportunity__organisation_id=organisation_id,
        other__organisation__country=HOST_COUNTRY,
        other__organisation__city__in=list(cities),
    ).values_list("other__organisation_id", "score")
    for other_id, score in rows:
        best[other_id] = max(score, best.get(other_id, 0.0))
    organisations = Organisation.objects.filter(pk__in=best).exclude(visibility=Visibility.PRIVATE)
    return sorted(organisations, key=lambda organisation: (-best[organisation.pk], organisation.pk))[:limit]


def delegations_of(*, organisation_id: int) -> QuerySet[Event]:
    """The delegation visits an organisation takes part in as a member, soonest first: where a site visit
    for its relocation request can be planned."""
    return (
        Event.objects.filter(kind=EventKind.DELEGATION, participants__organisation_id=organisation_id)
        .distinct()
        .order_by("registration_opens_at", "pk")
    )


def can_plan_site_visit(*, user: Any, zone: Any, relocation_request: Any) -> bool:
    """Staff, or a member of the zone's own organisation for a request shared with that zone."""
    if selectors.can_manage_events(user=user):
        return True
    if relocation_request is None or zone is None or zone.organisation_id is None:
        return False
    return (
        zone.organisation_id in organisation_ids_of(user) and relocation_request.shared_with.filter(pk=zone.pk).exists()
    )
