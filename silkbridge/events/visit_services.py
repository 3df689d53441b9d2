"""Writes for delegation visits: stops, travel legs and zone site visits. Pages and API call these.

Every write checks the actor first, then the whole input, and writes nothing when anything is wrong:
a ValidationError names each field at fault (`city`, `arrives_at`, `attendees`...). An itinerary
change that would put a member in two places at once — a leg or site visit over a meeting already
booked — is refused the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.events import history, notifications, selectors, services, visit_selectors
from silkbridge.events.choices import MeetingStatus
from silkbridge.events.engine import itinerary as engine
from silkbridge.events.models import Event, Meeting, Participant, SiteVisit, VisitLeg, VisitStop
from silkbridge.events.visit_cities import city_name, visit_cities
from silkbridge.zones.models import RelocationRequest, Zone

# How each problem the itinerary engine finds reads (events/engine/itinerary.py names them).
PROBLEMS = {
    "city_unknown": lambda p: _("“%(city)s” is not a city Silkbridge knows for visits.") % p,
    "stop_leaves_before_arrival": lambda p: _("The delegation must leave the city after it arrives."),
    "stop_overlaps_stop": lambda p: _("The delegation is in %(city)s at this time already.") % _named(p, "city"),
    "stop_overlaps_leg": lambda p: (
        _("The delegation is travelling from %(from)s to %(to)s at this time.") % _named(p, "from", "to")
    ),
    "leg_same_city": lambda p: _("A leg goes to another city than the one it leaves."),
    "leg_arrives_before_departure": lambda p: _("The leg arrives before it departs."),
    "leg_overlaps_stop": lambda p: _("The delegation is still in %(city)s at this time.") % _named(p, "city"),
    "leg_overlaps_leg": lambda p: (
        _("The delegation is already travelling from %(from)s to %(to)s at this time.") % _named(p, "from", "to")
    ),
}


def _named(params: dict[str, str], *keys: str) -> dict[str, str]:
    return {**params, **{key: city_name(params[key]) for key in keys}}


def _raise(problems: list[engine.Problem]) -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(PROBLEMS[problem.code](problem.params))
        raise ValidationError(errors)


def _require_delegation(event: Event) -> None:
    if not visit_selectors.is_delegation(event):
        raise ValidationError({"event": _("This event is not a delegation visit.")})
    # One itinerary write or delegation booking at a time (services.meeting_book takes the same lock, after
    # the pair's; nothing here locks a participant), so two writes checked at once cannot together put a
    # member in two places. NO KEY: rows that merely reference the event are not held up.
    Event.objects.select_for_update(no_key=True).filter(pk=event.pk).first()


FIRST_YEAR, LAST_YEAR = 2000, 2100  # a visit outside these years is a typing slip (and overflows a calendar)


def _require_aware(**moments: datetime | None) -> None:
    for name, moment in moments.items():
        if moment is None or moment.tzinfo is None:
            raise ValidationError({name: _("Give the date and time with its time zone.")})
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValidationError(
                {
                    name: _("Give a date between the years %(first)d and %(last)d.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                }
            )


def _meetings_in_the_way(event: Event, starts_at: datetime, ends_at: datetime, participant_ids: Iterable[int]) -> None:
    rows = visit_selectors.member_meetings_overlapping(
        participant_ids=participant_ids, starts_at=starts_at, ends_at=ends_at
    )
    if rows:
        names = sorted({str(row.participant.organisation) for row in rows})
        raise ValidationError(
            {
                "starts_at": _("%(names)s already has a meeting at this time; move or cancel it first.")
                % {"names": ", ".join(names)}
            }
        )


@transaction.atomic
def stop_add(
    *, actor: Any, event: Event, city: str, arrives_at: datetime, leaves_at: datetime, address: str = ""
) -> VisitStop:
    """Add a city to the itinerary; it may not overlap another stop or a leg."""
    selectors.manager_check(viewer=actor)
    _require_delegation(event)
    _require_aware(arrives_at=arrives_at, leaves_at=leaves_at)
    stop = engine.Stop(city=city, arrives_at=arrives_at, leaves_at=leaves_at)
    plan = visit_selectors.itinerary(event)
    _raise(engine.stop_problems(stop, others=plan.stops, legs=plan.legs, known=visit_cities()))
    row = VisitStop(event=event, city=city, arrives_at=arrives_at, leaves_at=leaves_at, address=address)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def leg_add(
    *,
    actor: Any,
    event: Event,
    from_city: str,
    to_city: str,
    departs_at: datetime,
    arrives_at: datetime,
    carrier: str = "",
) -> VisitLeg:
    """Add a journey of the whole delegation; every member's slots during it are blocked, so a leg over
    a meeting already booked is refused."""
    selectors.manager_check(viewer=actor)
    _require_delegation(event)
    _require_aware(departs_at=departs_at, arrives_at=arrives_at)
    leg = engine.Leg(from_city=from_city, to_city=to_city, departs_at=departs_at, arrives_at=arrives_at)
    plan = visit_selectors.itinerary(event)
    _raise(engine.leg_problems(leg, stops=plan.stops, others=plan.legs, known=visit_cities()))
    try:
        _meetings_in_the_way(event, departs_at, arrives_at, plan.member_ids)
    except ValidationError as error:
        raise ValidationError({"departs_at": error.message_dict["starts_at"]}) from error
    row = VisitLeg(
        event=event, from_city=from_city, to_city=to_city, departs_at=departs_at, arrives_at=arrives_at, carrier=carrier
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def site_visit_add(
    *,
    actor: Any,
    event: Event,
    zone_key: str,
    starts_at: datetime,
    minutes: int,
    attendee_ids: Iterable[int] = (),
    relocation_request_id: int | None = None,
    contact: str = "",
) -> SiteVisit:
    """Add a visit of members to a zone in the city the delegation is in at the time. Attendees must be
    members of the delegation (hosts stay in their city); with a relocation request, the requesting
    company must be a member and the request shared with the zone; with no attendee named, the request's
    company goes (without a request: every member). Attendees must be free then."""
    zone = Zone.objects.filter(key=zone_key).first()
    relocation_request = None
    if relocation_request_id is not None:
        relocation_request = RelocationRequest.objects.filter(pk=relocation_request_id).first()
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to plan a site visit."))
    if zone is not None and not visit_selectors.can_plan_site_visit(
        user=actor, zone=zone, relocation_request=relocation_request
    ):
        raise PermissionDenied(_("Only staff and the zone's own organisation may plan a site visit to it."))
    if zone is None:
        if not selectors.can_manage_events(user=actor):
            raise PermissionDenied(_("Only staff and the zone's own organisation may plan a site visit to it."))
        raise ValidationError({"zone": _("“%(value)s” is not a zone Silkbridge knows.") % {"value": zone_key}})
    _require_delegation(event)
    _require_aware(starts_at=starts_at)
    if relocation_request_id is not None and relocation_request is None:
        raise ValidationError({"relocation_request": _("There is no such relocation request.")})
    if not 15 <= minutes <= 12 * 60:
        raise ValidationError({"minutes": _("A site visit lasts between 15 minutes and 12 hours.")})
    ends_at = starts_at + timedelta(minutes=minutes)
    plan = visit_selectors.itinerary(event)
    city = engine.city_at(plan.stops, starts_at, ends_at)
    if city is None:
        raise ValidationError({"starts_at": _("The delegation is in no city for the whole of this time.")})
    if city != zone.city:
        raise ValidationError(
            {
                "starts_at": _("The delegation is in %(city)s at this time, and %(zone)s is in %(zone_city)s.")
                % {"city": city_name(city), "zone": zone.name_en, "zone_city": city_name(zone.city)}
            }
        )
    participants = {p.pk: p for p in event.participants.select_related("organisation")}
    attendees: list[Participant] = []
    for pk in dict.fromkeys(attendee_ids):
        participant = participants.get(pk)
        if participant is None or pk not in plan.member_ids:
            raise ValidationError(
                {"attendees": _("Participant %(id)s is not a member of this delegation.") % {"id": pk}}
            )
        attendees.append(participant)
    if relocation_request is not None:
        if not relocation_request.shared_with.filter(pk=zone.pk).exists():
            raise ValidationError(
                {"relocation_request": _("This request is not shared with %(zone)s.") % {"zone": zone.name_en}}
            )
        company = [p for p in participants.values() if p.organisation_id == relocation_request.organisation_id]
        if not company or company[0].pk not in plan.member_ids:
            raise ValidationError(
                {"relocation_request": _("The company that filed this request is not a member of this delegation.")}
            )
        # Other members see only visits for no request (docs/events.md): an attendee from another company
        # would find this company's relocation plans on its agenda, .ics and PDF.
        if any(p.organisation_id != relocation_request.organisation_id for p in attendees):
            raise ValidationError(
                {"attendees": _("A visit for a relocation request takes only the company that filed the request.")}
            )
        if not attendees:
            attendees = company
    going = [p.pk for p in attendees] or sorted(plan.member_ids)
    _meetings_in_the_way(event, starts_at, ends_at, going)
    for block in plan.blocks:
        if block.starts_at < ends_at and starts_at < block.ends_at and block.members & {f"p{pk}" for pk in going}:
            raise ValidationError({"starts_at": _("A member who goes is on another site visit at this time.")})
    row = SiteVisit(
        event=event,
        zone=zone,
        starts_at=starts_at,
        minutes=minutes,
        relocation_request=relocation_request,
        contact=contact,
        created_by=actor,
    )
    row.full_clean()
    row.save()
    row.attendees.set(attendees)
    return row


@transaction.atomic
def itinerary_row_delete(*, actor: Any, row: VisitStop | VisitLeg | SiteVisit) -> None:
    """Remove a stop, leg or site visit (staff). Meetings already booked stay where they are."""
    selectors.manager_check(viewer=actor)
    row.delete()


# --- hosts confirm or decline their slot ---------------------------------------------------------------

REASON_MAX_LENGTH = 500


def _require_host_side(actor: Any, meeting: Meeting) -> Participant:
    """The meeting's host, if the actor is staff or one of its representatives: the member side is refused
    (PermissionDenied), as is a meeting of an event that is no delegation visit (ValidationError)."""
    host = visit_selectors.host_side(meeting)
    if host is None:
        raise ValidationError(_("Only a meeting with a host of a delegation visit is confirmed or declined."))
    is_representative = host.representatives.filter(pk=getattr(actor, "pk", None)).exists()
    if not getattr(actor, "is_staff", False) and not is_representative:
        raise PermissionDenied(_("Only the host may confirm or decline this meeting."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    return host


@transaction.atomic
def meeting_host_confirm(*, actor: Any, meeting: Meeting) -> Meeting:
    """The host confirms the slot the scheduler gave it; confirming again changes nothing."""
    meeting = Meeting.objects.select_for_update().select_related("event", "slot").get(pk=meeting.pk)
    _require_host_side(actor, meeting)
    if meeting.host_confirmed_at is None:
        meeting.host_confirmed_at = timezone.now()
        meeting.save(update_fields=["host_confirmed_at"])
        history.meeting_host_confirmed(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_host_decline(*, actor: Any, meeting: Meeting, reason: str = "") -> None:
    """The host declines its slot: the meeting is cancelled as any meeting is (its bookings go, so the slot
    is free for both sides; both sides are told), the reason stays in the meeting's history and the staff
    member who organises the visit is told. The request stays accepted, to be placed again."""
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH}}
        )
    meeting = Meeting.objects.select_for_update().select_related("event", "slot").get(pk=meeting.pk)
    host = _require_host_side(actor, meeting)
    member = selectors.counterpart(meeting=meeting, participant=host)
    starts_at = meeting.slot.starts_at
    history.meeting_host_declined(meeting=meeting, actor=actor, reason=reason)
    services.meeting_cancel(actor=actor, meeting=meeting)
    organiser = meeting.event.created_by
    if organiser.pk != getattr(actor, "pk", None):
        notifications.notify(
            users=[organiser],
            template="meeting_host_declined",
            context={
                "event": meeting.event,
                "host": host,
                "member": member,
                "starts_at": starts_at,
                "reason": reason,
                "link": notifications.event_link(meeting.event, "events:meetings"),
            },
        )
