"""Events endpoints: events and slots, registration, participants and preferences, meeting requests,
agendas and ratings, and the organiser's scheduling, meeting list and figures.

A participant's requests and agenda are visible to its representatives and staff only; anything the
caller may not see answers 404, as if it did not exist.
"""

import zoneinfo
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_OPTIONAL, AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user, filterset_qs
from silkbridge.core.runs import runs_reap
from silkbridge.core.schemas import RunOut
from silkbridge.directory import selectors as directory_selectors
from silkbridge.directory.models import Organisation
from silkbridge.events import selectors, services
from silkbridge.events.filtersets import (
    EventFilterSet,
    MeetingFilterSet,
    MeetingRequestFilterSet,
    ParticipantFilterSet,
)
from silkbridge.events.models import Event, Meeting, MeetingRequest, Participant, Preference, Slot
from silkbridge.events.schemas import (
    VIEWER_ATTRIBUTE,
    AgendaItemOut,
    AnswerIn,
    DashboardOut,
    EventFilters,
    EventHistoryOut,
    EventIn,
    EventOut,
    MeetingFilters,
    MeetingMarkIn,
    MeetingOut,
    ParticipantFilters,
    ParticipantOut,
    ParticipantStatusIn,
    PreferenceIn,
    PreferenceOut,
    RatingIn,
    RatingOut,
    RegistrationIn,
    RegistrationOut,
    RegistrationPatch,
    RequestFilters,
    RequestIn,
    RequestOut,
    ScheduleIn,
    SlotFilters,
    SlotGridIn,
    SlotOut,
    SlotsGeneratedOut,
    Viewer,
)

router = Router(tags=["events"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- lookups: each answers 404 for what the caller may not see ---------------------------------------


def _event(request: HttpRequest, slug: str) -> Event:
    try:
        return selectors.event_get(viewer=auth_user(request), slug=slug)
    except Event.DoesNotExist as error:
        raise Http404(_("No such event.")) from error


def _staff_event(request: HttpRequest, slug: str) -> Event:
    """The selector refuses non-staff (403) before any lookup, so that they cannot probe which ids exist."""
    try:
        return selectors.event_manage_get(viewer=auth_user(request), slug=slug)
    except Event.DoesNotExist as error:
        raise Http404(_("No such event.")) from error


def _mine(request: HttpRequest, event: Event) -> Participant:
    participant = selectors.participant_for_user(event=event, user=auth_user(request))
    if participant is None:
        raise Http404(_("You are not registered for this event."))
    return participant


def _acting_participant(request: HttpRequest, event: Event, participant_id: int | None) -> Participant:
    """The caller's own registration, or for staff any participant of the event."""
    participant = selectors.participant_acting(event=event, viewer=auth_user(request), participant_id=participant_id)
    if participant is None:
        if participant_id is None:
            raise Http404(_("You are not registered for this event."))
        raise Http404(_("No such participant."))
    return participant


def _first_or_404(queryset: QuerySet[Any], message: str) -> Any:
    found = queryset.first()
    if found is None:
        raise Http404(message)
    return found


def _visible_request(request: HttpRequest, event: Event, request_id: int) -> MeetingRequest:
    meeting_request = selectors.request_get(event=event, viewer=auth_user(request), request_id=request_id)
    if meeting_request is None:
        raise Http404(_("No such request."))
    return meeting_request


def _request_out(meeting_request: MeetingRequest) -> MeetingRequest:
    related = ("requester__organisation", "recipient__organisation", "meeting__slot")
    return MeetingRequest.objects.select_related(*related).get(pk=meeting_request.pk)


def _show_to(request: HttpRequest, viewer: Viewer) -> None:
    """Who is looking, for the schema fields that depend on it (local times, counterpart)."""
    setattr(request, VIEWER_ATTRIBUTE, viewer)


def _with_prefix(error: ValidationError, prefix: str) -> ValidationError:
    """The service's field errors, renamed to where the field sits in the request body."""
    if not hasattr(error, "error_dict"):
        return ValidationError({prefix: error.messages})
    return ValidationError(
        {
            prefix if name == NON_FIELD_ERRORS else f"{prefix}.{name}": messages
            for name, messages in error.message_dict.items()
        }
    )


# --- events and slots -------------------------------------------------------------------------------


@router.get(
    "/events",
    response={200: list[EventOut], **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="Matchmaking events (published; staff see all)",
)
@paginate(PagePagination)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> QuerySet[Event]:
    filterset = EventFilterSet(
        filters.dict(exclude_none=True), queryset=selectors.event_list(viewer=auth_user(request))
    )
    return filterset_qs(filterset)


@router.get("/events/{slug}", response={200: EventOut, **ERRORS}, auth=AUTH_OPTIONAL, summary="One event")
def event_detail(request: HttpRequest, slug: str) -> Event:
    return _event(request, slug)


def _grid_generate(request: HttpRequest, event: Event, grid: SlotGridIn) -> list[Slot]:
    return services.slots_generate(
        actor=auth_user(request),
        event=event,
        days=grid.days,
        day_start=grid.day_start,
        day_end=grid.day_end,
        minutes=grid.minutes,
        breaks=[(pause.starts, pause.ends) for pause in grid.breaks],
        tables=grid.tables,
        location=grid.location,
    )


@router.post(
    "/events",
    response={201: EventOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Create an event, optionally with its slot grid (staff)",
)
def event_create(request: HttpRequest, payload: EventIn) -> Status:
    """The grid is cut in the event's time zone. The event and its slots are created together or not at all."""
    with transaction.atomic():
        event = services.event_create(actor=auth_user(request), fields=payload.dict(exclude={"slots"}))
        if payload.slots is not None:
            try:
                _grid_generate(request, event, payload.slots)
            except ValidationError as error:
                raise _with_prefix(error, "slots") from error
    return Status(201, _event(request, event.slug))


@router.get(
    "/events/{slug}/slots",
    response={200: list[SlotOut], **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="The event's slots, in UTC and in your time zone",
)
@paginate(PagePagination)
def slot_list(request: HttpRequest, slug: str, filters: Query[SlotFilters]) -> QuerySet[Slot]:
    """Local times are in `tz`, else in your participant's zone, else in the event's zone."""
    event = _event(request, slug)
    participant = selectors.participant_for_user(event=event, user=auth_user(request))
    zone_name = filters.tz or (participant.time_zone if participant else event.time_zone)
    _show_to(request, Viewer(time_zone=zoneinfo.ZoneInfo(zone_name)))
    return event.slots.order_by("starts_at", "pk")


@router.post(
    "/events/{slug}/slots/generate",
    response={201: SlotsGeneratedOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Add a slot grid to an event (staff)",
)
def slot_generate(request: HttpRequest, slug: str, payload: SlotGridIn) -> Status:
    """Slots that already exist at a start time are kept as they are."""
    event = _staff_event(request, slug)
    created = _grid_generate(request, event, payload)
    return Status(201, {"created": len(created), "slot_count": event.slots.count()})


# --- registration -----------------------------------------------------------------------------------


def _registration_out(participant: Participant) -> Participant:
    return (
        Participant.objects.select_related("event", "organisation")
        .prefetch_related("organisation__sectors", "available_slots")
        .get(pk=participant.pk)
    )


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Register your organisation (or join its registration)",
)
def registration_create(request: HttpRequest, slug: str, payload: RegistrationIn) -> Status:
    """Without `slots`, you are available 09:00–18:00 in your own time zone. When the organisation is
    already registered you become one more of its representatives; the other fields are then ignored."""
    event = _event(request, slug)
    try:
        organisation = directory_selectors.organisation_get(viewer=auth_user(request), key=payload.organisation)
    except Organisation.DoesNotExist as error:
        raise ValidationError({"organisation": _("No such organisation.")}) from error
    participant = services.participant_register(
        actor=auth_user(request),
        event=event,
        organisation=organisation,
        time_zone=payload.time_zone,
        slot_ids=payload.slots,
        interests=payload.interests,
        interpreter_needed=payload.interpreter_needed,
        max_meetings=payload.max_meetings,
    )
    return Status(201, _registration_out(participant))


@router.get(
    "/events/{slug}/registrations/mine",
    response={200: RegistrationOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Your registration, with your availability",
)
def registration_mine(request: HttpRequest, slug: str) -> Participant:
    return _registration_out(_mine(request, _event(request, slug)))


@router.patch(
    "/events/{slug}/registrations/mine",
    response={200: RegistrationOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Change your time zone, availability, interests or meeting limit",
)
def registration_update(request: HttpRequest, slug: str, payload: RegistrationPatch) -> Participant:
    participant = _registration_out(_mine(request, _event(request, slug)))
    slot_ids = payload.slots
    if slot_ids is None:
        slot_ids = [slot.pk for slot in participant.available_slots.all()]
    services.participant_update(
        actor=auth_user(request),
        participant=participant,
        time_zone=payload.time_zone if payload.time_zone is not None else participant.time_zone,
        interests=payload.interests if payload.interests is not None else participant.interests,
        interpreter_needed=(
            payload.interpreter_needed if payload.interpreter_needed is not None else participant.interpreter_needed
        ),
        max_meetings=payload.max_meetings if payload.max_meetings is not None else participant.max_meetings,
        slot_ids=slot_ids,
    )
    return _registration_out(participant)


@router.post(
    "/events/{slug}/participants/{participant_id}/status",
    response={200: RegistrationOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Approve, reject or withdraw a registration (staff)",
)
def participant_status(request: HttpRequest, slug: str, participant_id: int, payload: ParticipantStatusIn) -> Any:
    event = _staff_event(request, slug)
    participant = _first_or_404(event.participants.filter(pk=participant_id), _("No such participant."))
    services.participant_set_status(actor=auth_user(request), participant=participant, status=payload.status)
    return _registration_out(participant)


# --- participants and preferences -------------------------------------------------------------------


@router.get(
    "/events/{slug}/participants",
    response={200: list[ParticipantOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Approved participants (for approved participants and staff)",
)
@paginate(PagePagination)
def participant_list(request: HttpRequest, slug: str, filters: Query[ParticipantFilters]) -> QuerySet[Participant]:
    """Your own registration is left out. `my_preference` is how much you want to meet each."""
    event = _event(request, slug)
    data = filters.dict()
    data["country"] = data["country"].upper()
    everyone = selectors.participant_list(event=event, viewer=auth_user(request))
    participants = filterset_qs(ParticipantFilterSet(data, queryset=everyone))
    participant = selectors.participant_for_user(event=event, user=auth_user(request))
    preferences: dict[int, str] = {}
    if participant is not None:
        preferences = dict(Preference.objects.filter(participant=participant).values_list("target_id", "level"))
    _show_to(request, Viewer(participant_id=participant.pk if participant else None, preferences=preferences))
    return participants


@router.put(
    "/events/{slug}/participants/{participant_id}/preference",
    response={200: PreferenceOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Say how much you want to meet a participant (null removes it)",
)
def preference_set(request: HttpRequest, slug: str, participant_id: int, payload: PreferenceIn) -> dict[str, Any]:
    event = _event(request, slug)
    participant = _mine(request, event)
    visible = selectors.participant_list(event=event, viewer=auth_user(request))  # approved viewers only
    target = _first_or_404(visible.filter(pk=participant_id), _("No such participant."))
    services.preference_set(actor=auth_user(request), participant=participant, target=target, level=payload.level)
    return {"target": target.pk, "level": payload.level}


# --- requests ---------------------------------------------------------------------------------------


@router.post(
    "/events/{slug}/requests",
    response={201: RequestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Ask a participant for a meeting",
)
def request_create(request: HttpRequest, slug: str, payload: RequestIn) -> Status:
    """At events with automatic acceptance the request is accepted at once."""
    event = _event(request, slug)
    requester = _mine(request, event)
    visible = selectors.participant_list(event=event, viewer=auth_user(request))  # approved viewers only
    recipient = visible.filter(pk=payload.recipient).first()
    if recipient is None:
        raise ValidationError({"recipient": _("No such participant at this event.")})
    meeting_request = services.request_create(
        actor=auth_user(request),
        requester=requester,
        recipient=recipient,
        message=payload.message,
        day_part=payload.day_part,
    )
    return Status(201, _request_out(meeting_request))


@router.get(
    "/events/{slug}/requests",
    response={200: list[RequestOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Requests you received or sent",
)
@paginate(PagePagination)
def request_list(request: HttpRequest, slug: str, filters: Query[RequestFilters]) -> QuerySet[MeetingRequest]:
    """Staff may pass `participant` to read any participant's requests."""
    participant = _acting_participant(request, _event(request, slug), filters.participant)
    data = filters.dict(exclude={"participant"}, exclude_none=True)
    return filterset_qs(MeetingRequestFilterSet(data, queryset=selectors.requests_of(participant=participant)))


@router.post(
    "/events/{slug}/requests/{request_id}/answer",
    response={200: RequestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Accept a request (optionally booking a free slot) or decline it with a reason",
)
def request_answer(request: HttpRequest, slug: str, request_id: int, payload: AnswerIn) -> MeetingRequest:
    event = _event(request, slug)
    meeting_request = _visible_request(request, event, request_id)
    slot = None
    if payload.slot is not None:
        slot = event.slots.filter(pk=payload.slot).first()
        if slot is None:
            raise ValidationError({"slot": _("No such slot at this event.")})
    services.request_answer(
        actor=auth_user(request),
        meeting_request=meeting_request,
        accept=payload.accept,
        reason=payload.reason or "",
        note=payload.note,
        slot=slot,
    )
    return _request_out(meeting_request)


@router.post(
    "/events/{slug}/requests/{request_id}/cancel",
    response={200: RequestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Cancel a request you sent (its meeting, if any, is cancelled too)",
)
def request_cancel(request: HttpRequest, slug: str, request_id: int) -> MeetingRequest:
    meeting_request = _visible_request(request, _event(request, slug), request_id)
    services.request_cancel(actor=auth_user(request), meeting_request=meeting_request)
    return _request_out(meeting_request)


@router.get(
    "/events/{slug}/requests/{request_id}/free-slots",
    response={200: list[SlotOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Slots where both sides are free and available",
)
@paginate(PagePagination)
def request_free_slots(request: HttpRequest, slug: str, request_id: int, filters: Query[SlotFilters]) -> list[Slot]:
    """Local times are in `tz`, else in your participant's zone, else in the event's zone."""
    event = _event(request, slug)
    meeting_request = _visible_request(request, event, request_id)
    participant = selectors.participant_for_user(event=event, user=auth_user(request))
    zone_name = filters.tz or (participant.time_zone if participant else event.time_zone)
    _show_to(request, Viewer(time_zone=zoneinfo.ZoneInfo(zone_name)))
    return selectors.free_slots(meeting_request=meeting_request)


# --- agenda and ratings -----------------------------------------------------------------------------


@router.get(
    "/events/{slug}/agenda",
    response={200: list[AgendaItemOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Your meetings, in your time zone and in UTC",
)
@paginate(PagePagination)
def agenda(request: HttpRequest, slug: str, participant: int | None = None) -> QuerySet[Meeting]:
    """Staff may pass `participant` to read any participant's agenda."""
    owner = _acting_participant(request, _event(request, slug), participant)
    _show_to(request, Viewer(time_zone=zoneinfo.ZoneInfo(owner.time_zone), participant_id=owner.pk))
    return selectors.agenda(participant=owner)


@router.post(
    "/events/{slug}/meetings/{meeting_id}/rating",
    response={200: RatingOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Rate a meeting you took part in (replaces your earlier rating)",
)
def meeting_rate(request: HttpRequest, slug: str, meeting_id: int, payload: RatingIn) -> Any:
    meeting = selectors.meeting_get(event=_event(request, slug), viewer=auth_user(request), meeting_id=meeting_id)
    if meeting is None:
        raise Http404(_("No such meeting."))
    return services.meeting_rate(
        actor=auth_user(request), meeting=meeting, outcome=payload.outcome, comment=payload.comment
    )


@router.get(
    "/events/{slug}/history",
    response={200: EventHistoryOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Registration and meeting history (staff: all; a participant: its own)",
)
def event_history(request: HttpRequest, slug: str) -> dict[str, Any]:
    """What the event's history page shows the caller: staff every registration and meeting; a
    participant's representative its own registration and the meetings it is a side of, without the
    other side's rating, and nobody's e-mail address. 403 for anyone else."""
    return selectors.event_history_entries(event=_event(request, slug), viewer=auth_user(request))


# --- the organiser ----------------------------------------------------------------------------------


@router.post(
    "/events/{slug}/schedule",
    response={202: RunOut, **ERRORS, 429: ErrorOut},
    auth=AUTH_REQUIRED,
    summary="Start the scheduler over the accepted requests in a worker (staff)",
)
def schedule_run(request: HttpRequest, slug: str, payload: ScheduleIn) -> Status:
    """Answers at once with 202 and the background run (kind `events.schedule`); poll
    `GET /api/v1/runs/{id}` until it has succeeded: its `result` holds the plan's summary (`placed`,
    `unscheduled`, `objective`, `upper_bound`, ...), and the event's dashboard the whole last run.
    Meetings already placed stay where they are. One run per event at a time (422 while one is queued or
    running). The time limit is capped (120 s by default, 422 above it) and each user has an hourly
    budget of runs and seconds: past it, 429 with `Retry-After`."""
    event = _staff_event(request, slug)
    schedule_run = services.schedule_run_start(
        actor=auth_user(request), event=event, time_limit=payload.time_limit, seed=payload.seed
    )
    return Status(202, schedule_run.run)


@router.get(
    "/events/{slug}/meetings",
    response={200: list[MeetingOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Every meeting of the event (staff)",
)
@paginate(PagePagination)
def meeting_list(request: HttpRequest, slug: str, filters: Query[MeetingFilters]) -> QuerySet[Meeting]:
    event = _staff_event(request, slug)
    filterset = MeetingFilterSet(
        filters.dict(exclude_none=True), queryset=selectors.meeting_list(event=event), event=event
    )
    return filterset_qs(filterset)


@router.post(
    "/events/{slug}/meetings/{meeting_id}/mark",
    response={200: MeetingOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Mark a meeting checked in, no-show or back to scheduled (staff)",
)
def meeting_mark(request: HttpRequest, slug: str, meeting_id: int, payload: MeetingMarkIn) -> Meeting:
    meetings = selectors.meeting_list(event=_staff_event(request, slug))
    meeting = _first_or_404(meetings.filter(pk=meeting_id), _("No such meeting."))
    return services.meeting_mark(actor=auth_user(request), meeting=meeting, status=payload.status)


@router.get(
    "/events/{slug}/dashboard",
    response={200: DashboardOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The organiser's figures (staff)",
)
def dashboard(request: HttpRequest, slug: str) -> dict[str, Any]:
    event = _staff_event(request, slug)
    runs_reap()  # a run whose worker died shows as failed, not running
    return selectors.dashboard(event=event)
