"""Delegation visit endpoints: the itinerary (stops, legs, zone site visits), each participant's agenda
of legs, site visits and meetings in local times, and the site visits of a relocation request.

Staff plan the itinerary; a zone's own organisation may add a site visit to its zone for a relocation
request shared with it. Rules and refusals are visit_services' (422 naming `body.<field>`); what the
caller may not see answers 404.
"""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, auth_user
from silkbridge.events import selectors, visit_selectors, visit_services
from silkbridge.events.choices import MeetingStatus
from silkbridge.events.models import Event, Meeting, SiteVisit, VisitLeg, VisitStop
from silkbridge.events.schemas import MAX_ID, ObjectId
from silkbridge.zones.models import RelocationRequest
from silkbridge.zones.relocation_selectors import relocation_request_get

router = Router(tags=["events"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class StopIn(Schema):
    city: str = Field(..., max_length=100)
    arrives_at: datetime
    leaves_at: datetime
    address: str = Field("", max_length=300)


class StopOut(Schema):
    id: int
    city: str
    arrives_at: datetime
    leaves_at: datetime
    address: str


class LegIn(Schema):
    from_city: str = Field(..., max_length=100)
    to_city: str = Field(..., max_length=100)
    departs_at: datetime
    arrives_at: datetime
    carrier: str = Field("", max_length=100)


class LegOut(Schema):
    id: int
    from_city: str
    to_city: str
    departs_at: datetime
    arrives_at: datetime
    carrier: str
    minutes: int


class SiteVisitIn(Schema):
    zone: str = Field(..., max_length=100)
    starts_at: datetime
    minutes: int = Field(..., ge=1, le=24 * 60)
    attendees: list[ObjectId] = Field([], max_length=500)
    relocation_request: int | None = Field(None, ge=1, le=MAX_ID)
    contact: str = Field("", max_length=300)


class SiteVisitOut(Schema):
    id: int
    event: str
    zone: str
    starts_at: datetime
    ends_at: datetime
    minutes: int
    attendees: list[int]
    relocation_request: int | None
    contact: str

    @staticmethod
    def resolve_event(obj: SiteVisit) -> str:
        return obj.event.slug

    @staticmethod
    def resolve_zone(obj: SiteVisit) -> str:
        return obj.zone.key

    @staticmethod
    def resolve_attendees(obj: SiteVisit) -> list[int]:
        return sorted(attendee.pk for attendee in obj.attendees.all())

    @staticmethod
    def resolve_relocation_request(obj: SiteVisit) -> int | None:
        return obj.relocation_request_id


class ItineraryOut(Schema):
    stops: list[StopOut]
    legs: list[LegOut]
    site_visits: list[SiteVisitOut]


class VisitAgendaItemOut(Schema):
    kind: str
    starts_at: datetime
    ends_at: datetime
    local_start: datetime
    local_end: datetime
    time_zone: str
    end_time_zone: str
    title: str
    where: str
    details: list[str]
    meeting_id: int | None = Field(None, description="A meeting's id (legs and site visits: null).")
    confirmed: bool | None = Field(
        None, description="A meeting with a host: whether the host confirmed its slot (otherwise null)."
    )


class HostDeclineIn(Schema):
    reason: str = Field("", max_length=visit_services.REASON_MAX_LENGTH)


class HostAnswerOut(Schema):
    id: int
    status: str
    host_confirmed_at: datetime | None


def _delegation(request: HttpRequest, slug: str, *, staff: bool) -> Event:
    try:
        if staff:
            event = selectors.event_manage_get(viewer=auth_user(request), slug=slug)
        else:
            event = selectors.event_get(viewer=auth_user(request), slug=slug)
    except Event.DoesNotExist as error:
        raise Http404(_("No such event.")) from error
    if not visit_selectors.is_delegation(event):
        raise Http404(_("This event is not a delegation visit."))
    return event


@router.get(
    "/events/{slug}/itinerary",
    response={200: ItineraryOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="A delegation visit's stops, legs and site visits (staff)",
)
def itinerary(request: HttpRequest, slug: str) -> dict[str, Any]:
    event = _delegation(request, slug, staff=True)
    return {
        "stops": list(visit_selectors.stops(event=event)),
        "legs": list(visit_selectors.legs(event=event)),
        "site_visits": list(visit_selectors.site_visits(event=event).select_related("event")),
    }


@router.post(
    "/events/{slug}/itinerary/stops",
    response={201: StopOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Add a city to a delegation visit (staff)",
)
def stop_add(request: HttpRequest, slug: str, payload: StopIn) -> Status:
    event = _delegation(request, slug, staff=True)
    stop: VisitStop = visit_services.stop_add(actor=auth_user(request), event=event, **payload.dict())
    return Status(201, stop)


@router.post(
    "/events/{slug}/itinerary/legs",
    response={201: LegOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Add a travel leg to a delegation visit (staff)",
)
def leg_add(request: HttpRequest, slug: str, payload: LegIn) -> Status:
    event = _delegation(request, slug, staff=True)
    leg: VisitLeg = visit_services.leg_add(actor=auth_user(request), event=event, **payload.dict())
    return Status(201, leg)


@router.post(
    "/events/{slug}/itinerary/site-visits",
    response={201: SiteVisitOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Add a zone site visit (staff, or the zone's organisation for a request shared with it)",
)
def site_visit_add(request: HttpRequest, slug: str, payload: SiteVisitIn) -> Status:
    event = _delegation(request, slug, staff=False)
    visit = visit_services.site_visit_add(
        actor=auth_user(request),
        event=event,
        zone_key=payload.zone,
        starts_at=payload.starts_at,
        minutes=payload.minutes,
        attendee_ids=payload.attendees,
        relocation_request_id=payload.relocation_request,
        contact=payload.contact,
    )
    return Status(201, visit)


@router.get(
    "/events/{slug}/itinerary/agenda",
    response={200: list[VisitAgendaItemOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Your legs, site visits and meetings at a delegation visit, each in its local time",
)
def visit_agenda(request: HttpRequest, slug: str, participant: int | None = None) -> list[dict[str, Any]]:
    """Staff may pass `participant` to read any participant's agenda; a participant not in the
    delegation answers 404."""
    event = _delegation(request, slug, staff=False)
    if participant is not None and not 1 <= participant <= MAX_ID:
        raise Http404(_("No such participant."))
    owner = selectors.participant_acting(event=event, viewer=auth_user(request), participant_id=participant)
    if owner is None:
        raise Http404(
            _("No such participant.") if participant is not None else _("You are not registered for this event.")
        )
    return [
        {**item.__dict__, "local_start": item.local_start, "local_end": item.local_end}
        for item in visit_selectors.delegation_agenda(participant=owner)
    ]


def _host_meeting(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    """A meeting the caller is a side of (staff: any) at the delegation visit; 404 for anyone else."""
    event = _delegation(request, slug, staff=False)
    meeting = None
    if 1 <= meeting_id <= MAX_ID:
        meeting = selectors.meeting_get(event=event, viewer=auth_user(request), meeting_id=meeting_id)
    if meeting is None:
        raise Http404(_("No such meeting."))
    return meeting


@router.post(
    "/events/{slug}/meetings/{meeting_id}/confirm",
    response={200: HostAnswerOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Confirm the slot of a delegation visit's meeting (its host, or staff)",
)
def meeting_host_confirm(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    """Confirming again changes nothing; the member side answers 403."""
    meeting = _host_meeting(request, slug, meeting_id)
    return visit_services.meeting_host_confirm(actor=auth_user(request), meeting=meeting)


@router.post(
    "/events/{slug}/meetings/{meeting_id}/decline",
    response={200: HostAnswerOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Decline the slot of a delegation visit's meeting: the meeting is cancelled (its host, or staff)",
)
def meeting_host_decline(request: HttpRequest, slug: str, meeting_id: int, payload: HostDeclineIn) -> dict[str, Any]:
    """Both sides and the visit's organiser are told; the request stays accepted, to be placed again. The
    member side answers 403; a reason over 500 characters 422."""
    meeting = _host_meeting(request, slug, meeting_id)
    visit_services.meeting_host_decline(actor=auth_user(request), meeting=meeting, reason=payload.reason)
    return {"id": meeting_id, "status": MeetingStatus.CANCELLED, "host_confirmed_at": None}


@router.get(
    "/relocation-requests/{pk}/site-visits",
    response={200: list[SiteVisitOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The site visits planned for a relocation request",
)
def request_site_visits(request: HttpRequest, pk: int) -> list[SiteVisit]:
    """Those who may read the request see its visits, a zone only its own while the request is shared with it."""
    try:
        relocation_request_get(viewer=auth_user(request), pk=pk)
    except (RelocationRequest.DoesNotExist, OverflowError) as error:
        raise Http404(_("No such relocation request.")) from error
    return list(visit_selectors.site_visits_for_request(viewer=auth_user(request), relocation_request_id=pk))
