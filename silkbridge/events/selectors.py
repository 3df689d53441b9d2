"""Reads for events: who sees what, participant lists, requests, agendas and the organiser's figures."""

from __future__ import annotations

import zoneinfo
from collections import Counter
from datetime import time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silkbridge.core.selectors import history_entries
from silkbridge.directory.choices import Visibility
from silkbridge.directory.selectors import has_active_members_expression, members_of, organisation_ids_of
from silkbridge.events.choices import DayPart, MeetingEventKind, MeetingStatus, ParticipantStatus, RequestStatus
from silkbridge.events.models import (
    Booking,
    Event,
    Meeting,
    MeetingEvent,
    MeetingRating,
    MeetingRequest,
    Participant,
    ParticipantEvent,
    Slot,
)
from silkbridge.marketplace.selectors import live_q, offered_to_others_q
from silkbridge.matching.models import Match


def events_visible(*, viewer: Any) -> QuerySet[Event]:
    """The events the viewer may see (staff: every event; others: published ones), bare: no counts, no
    order, for use as a subquery (`event_list` is this with each event's participant count)."""
    if getattr(viewer, "is_staff", False):
        return Event.objects.all()
    return Event.objects.filter(is_published=True)


def event_list(*, viewer: Any) -> QuerySet[Event]:
    events = events_visible(viewer=viewer).annotate(participant_count=Count("participants", distinct=True))
    return events.order_by("-registration_opens_at", "pk")


def event_get(*, viewer: Any, slug: str) -> Event:
    return event_list(viewer=viewer).get(slug=slug)


def can_manage_events(*, user: Any) -> bool:
    """Staff set up events, approve registrations, run the scheduler and see the organiser's figures."""
    return bool(getattr(user, "is_staff", False))


def manager_check(*, viewer: Any) -> None:
    """PermissionDenied unless the viewer may manage events. Checked before any lookup, so that
    non-staff cannot probe which events exist; the pages and the API share it."""
    if not can_manage_events(user=viewer):
        raise PermissionDenied(_("Only staff may manage events."))


def event_manage_get(*, viewer: Any, slug: str) -> Event:
    """An event to manage: PermissionDenied for anyone but staff, then Event.DoesNotExist."""
    manager_check(viewer=viewer)
    return event_get(viewer=viewer, slug=slug)


def participant_for_user(*, event: Event, user: Any) -> Participant | None:
    """The registration the user represents at this event, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(event=event, representatives=user).select_related("organisation", "event").first()


def participant_joinable(*, event: Event, user: Any) -> Participant | None:
    """The registration at this event of an organisation the user belongs to but does not represent yet (a
    colleague, staff or the demo registered it): the user may join it, registration open or not."""
    if not getattr(user, "is_authenticated", False) or participant_for_user(event=event, user=user) is not None:
        return None
    return (
        Participant.objects.filter(event=event, organisation_id__in=organisation_ids_of(user))
        .exclude(status__in=[ParticipantStatus.REJECTED, ParticipantStatus.WITHDRAWN])
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


# What a sender is told, on the page and in the API, when someone can read the request (NO_MEMBERS_NOTE otherwise).
REQUEST_TOLD_NOTE = gettext_lazy("The participant's representatives are told and answer on Silkbridge.")


def request_readers(*, participant: Participant) -> list[Any]:
    """Who reads the meeting requests a participant receives: its active representatives or, where it has
    none (staff or the demo registered an organisation), the active members of its organisation, who join
    its registration to answer. Empty: nobody on Silkbridge can read them (the directory then holds them
    for staff until the organisation is claimed)."""
    representatives = list(participant.representatives.filter(is_active=True))
    return representatives or members_of(participant.organisation_id)


def participant_acting(*, event: Event, viewer: Any, participant_id: int | None = None) -> Participant | None:
    """Whose requests or agenda the viewer reads: their own registration, or for staff asking for one,
    any participant of the event. None when the viewer represents none (or names another one)."""
    if participant_id is not None and can_manage_events(user=viewer):
        participants = Participant.objects.select_related("organisation", "event")
        return participants.filter(event=event, pk=participant_id).first()
    participant = participant_for_user(event=event, user=viewer)
    if participant is None or (participant_id is not None and participant_id != participant.pk):
        return None
    return participant


def request_get(*, event: Event, viewer: Any, request_id: int) -> MeetingRequest | None:
    """A request of the event that the viewer's participant sent or received (staff: any); None otherwise."""
    requests = MeetingRequest.objects.filter(event=event, pk=request_id).select_related(
        "event", "requester__organisation", "recipient__organisation"
    )
    if not can_manage_events(user=viewer):
        participant = participant_for_user(event=event, user=viewer)
        if participant is None:
            return None
        requests = requests.filter(Q(requester=participant) | Q(recipient=participant))
    return requests.first()


def meeting_get(*, event: Event, viewer: Any, meeting_id: int) -> Meeting | None:
    """A meeting of the event that the viewer's participant is booked into (staff: any); None otherwise."""
    meetings = Meeting.objects.filter(event=event, pk=meeting_id).select_related(
        "request__requester", "request__recipient"
    )
    if not can_manage_events(user=viewer):
        participant = participant_for_user(event=event, user=viewer)
        if participant is None:
            return None
        meetings = meetings.filter(bookings__participant=participant)
    return meetings.first()


def participant_list(*, event: Event, viewer: Any) -> QuerySet[Participant]:
    """Approved participants, for approved participants and staff only (anyone else: PermissionDenied).

    The viewer's own registration is left out. For a participant looking, those whose organisation's
    live profiles best match its own organisation's come first (`match_score`: the best stored match,
    or None), then the rest by country and name. Pages and API narrow it with
    `events.filtersets.ParticipantFilterSet`."""
    viewer_participant = participant_for_user(event=event, user=viewer)
    is_approved = viewer_participant is not None and viewer_participant.status == ParticipantStatus.APPROVED
    if not is_approved and not getattr(viewer, "is_staff", False):
        raise PermissionDenied(_("Only approved participants and staff see who takes part."))
    participants = (
        Participant.objects.filter(event=event, status=ParticipantStatus.APPROVED)
        .select_related("organisation")
        .prefetch_related("organisation__sectors")
    )
    if viewer_participant is not None:
        participants = participants.exclude(pk=viewer_participant.pk)
    if viewer_participant is None:
        return participants.order_by("organisation__country", "organisation__name_en", "pk")
    best = (
        Match.objects.filter(
            live_q("opportunity__"),
            offered_to_others_q("other__"),
            opportunity__organisation_id=viewer_participant.organisation_id,
            other__organisation_id=OuterRef("organisation_id"),
        )
        .order_by("-score")
        .values("score")[:1]
    )
    return participants.annotate(match_score=Subquery(best)).order_by(
        F("match_score").desc(nulls_last=True), "organisation__country", "organisation__name_en", "pk"
    )


def participants_search(participants: QuerySet[Participant], query: str) -> QuerySet[Participant]:
    """Participants whose organisation's name or description, or whose interests, hold the words.

    A private organisation shows the event who it is, not its description: the directory's rule, so
    that a search cannot read the description out word by word."""
    if not query:
        return participants
    return participants.filter(
        Q(organisation__name_en__icontains=query)
        | Q(organisation__name_local__icontains=query)
        | Q(interests__icontains=query)
        | (Q(organisation__description__icontains=query) & ~Q(organisation__visibility=Visibility.PRIVATE))
    )


def requests_of(*, participant: Participant) -> QuerySet[MeetingRequest]:
    """The requests the participant received or sent, newest first, each marked `is_received` and
    `recipient_has_readers` (see request_readers); what `events.filtersets.MeetingRequestFilterSet` narrows
    by box and status."""
    related = ("requester__organisation", "recipient__organisation", "meeting__slot")
    received = ExpressionWrapper(Q(recipient=participant), output_field=BooleanField())
    return (
        MeetingRequest.objects.filter(Q(recipient=participant) | Q(requester=participant))
        .select_related(*related)
        .annotate(is_received=received, recipient_has_readers=recipient_has_readers_expression())
        .order_by("-created_at", "-pk")
    )


def recipient_has_readers_expression() -> ExpressionWrapper:
    """Over meeting requests: whether anyone can read the request (request_readers is not empty)."""
    representatives = Participant.representatives.through.objects.filter(
        participant_id=OuterRef("recipient_id"), user__is_active=True
    )
    members = has_active_members_expression("recipient__organisation_id")
    return ExpressionWrapper(Q(Exists(representatives)) | Q(members), output_field=BooleanField())


def recipient_has_readers(meeting_request: MeetingRequest) -> bool:
    """Whether anyone can read the request: the annotation where the request came through requests_of."""
    annotated = getattr(meeting_request, "recipient_has_readers", None)
    if annotated is not None:
        return bool(annotated)
    return bool(request_readers(participant=meeting_request.recipient))


def requests_for(*, participant: Participant) -> dict[str, QuerySet[MeetingRequest]]:
    related = ("requester__organisation", "recipient__organisation", "meeting__slot")
    return {
        "received": participant.requests_received.select_related(*related).order_by("-created_at"),
        "sent": participant.requests_sent.select_related(*related).order_by("-created_at"),
    }


def agenda(*, participant: Participant) -> QuerySet[Meeting]:
    """The participant's meetings in time order, with the counterpart and the slot."""
    return (
        Meeting.objects.filter(bookings__participant=participant)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("slot", "request__requester__organisation", "request__recipient__organisation", "event")
        .prefetch_related(Prefetch("ratings", queryset=MeetingRating.objects.filter(participant=participant)))
        .order_by("slot__starts_at", "pk")
    )


def counterpart(*, meeting: Meeting, participant: Participant) -> Participant:
    request = meeting.request
    return request.recipient if request.requester_id == participant.pk else request.requester


def meeting_side(*, meeting: Meeting, user: Any) -> Participant | None:
    """Which of the meeting's two participants the user represents (None: neither)."""
    for participant in (meeting.request.requester, meeting.request.recipient):
        if participant.representatives.filter(pk=user.pk).exists():
            return participant
    return None


NOON = time(12, 0)


def slot_fits_day_part(*, slot: Slot, day_part: str, time_zone: str) -> bool:
    """Whether a slot lies in the time of day a pair agreed on (morning: starts before noon, in the event's zone)."""
    if day_part == DayPart.ANY:
        return True
    local_start = slot.starts_at.astimezone(zoneinfo.ZoneInfo(time_zone)).time()
    return (local_start < NOON) == (day_part == DayPart.MORNING)


def free_slots(*, meeting_request: MeetingRequest) -> list[Slot]:
    """Slots where both sides are available and free, the pair's time of day fits, and a table is left."""
    pair = [meeting_request.requester_id, meeting_request.recipient_id]
    common = Slot.objects.filter(event=meeting_request.event)
    for participant_id in pair:
        common = common.filter(
            pk__in=Participant.available_slots.through.objects.filter(participant_id=participant_id).values("slot_id")
        )
    busy = Booking.objects.filter(participant_id__in=pair).values("slot_id")
    slots = common.exclude(pk__in=busy).annotate(used=Count("meetings")).order_by("starts_at")
    return [
        slot
        for slot in slots
        if (slot.tables is None or slot.used < slot.tables)
        and slot_fits_day_part(slot=slot, day_part=meeting_request.day_part, time_zone=meeting_request.event.time_zone)
    ]


def dashboard(*, event: Event) -> dict[str, Any]:
    """The organiser's figures: registrations, requests, acceptance, meetings, occupancy, per country."""
    participants = list(event.participants.select_related("organisation"))
    requests = list(event.requests.all())
    meetings = list(
        Meeting.objects.filter(event=event)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("slot", "request__requester", "request__recipient")
    )
    status_counts = Counter(request.status for request in requests)
    answered = status_counts[RequestStatus.ACCEPTED] + status_counts[RequestStatus.DECLINED]
    scheduled_requests = {meeting.request_id for meeting in meetings}
    accepted_unscheduled = [
        request
        for request in requests
        if request.status == RequestStatus.ACCEPTED and request.pk not in scheduled_requests
    ]
    last_run = event.schedule_runs.select_related("run").first()
    reasons = {entry.get("request"): entry.get("reason") for entry in (last_run.unscheduled if last_run else [])}
    slot_rows = []
    per_slot = Counter(meeting.slot_id for meeting in meetings)
    for slot in event.slots.all():
        slot_rows.append(
            {
                "slot": slot,
                "meetings": per_slot[slot.pk],
                "tables": slot.tables,
                "occupancy": (per_slot[slot.pk] / slot.tables) if slot.tables else None,
            }
        )
    country_of = {participant.pk: participant.organisation.country for participant in participants}
    countries: dict[str, dict[str, int]] = {}
    for participant in participants:
        row = countries.setdefault(participant.organisation.country, {"participants": 0, "requests": 0, "meetings": 0})
        row["participants"] += 1
    for request in requests:
        countries.setdefault(
            country_of.get(request.requester_id, "?"), {"participants": 0, "requests": 0, "meetings": 0}
        )["requests"] += 1
    for meeting in meetings:
        for participant_id in (meeting.request.requester_id, meeting.request.recipient_id):
            countries.setdefault(
                country_of.get(participant_id, "?"), {"participants": 0, "requests": 0, "meetings": 0}
            )["meetings"] += 1
    booked = set(Booking.objects.filter(slot__event=event).values_list("participant_id", flat=True))
    return {
        "registrations": len(participants),
        "approved": sum(1 for p in participants if p.status == ParticipantStatus.APPROVED),
        "pending_registrations": sum(1 for p in participants if p.status == ParticipantStatus.PENDING),
        "requests": len(requests),
        "requests_by_status": {status: status_counts[status] for status in RequestStatus.values},
        "acceptance_rate": (status_counts[RequestStatus.ACCEPTED] / answered) if answered else None,
        "meetings": len(meetings),
        "checked_in": sum(1 for m in meetings if m.status == MeetingStatus.CHECKED_IN),
        "no_shows": sum(1 for m in meetings if m.status == MeetingStatus.NO_SHOW),
        "interpreter_meetings": sum(
            1 for m in meetings if m.request.requester.interpreter_needed or m.request.recipient.interpreter_needed
        ),
        "accepted_unscheduled": [
            {"request": request, "reason": reasons.get(f"r{request.pk}", "not_run")} for request in accepted_unscheduled
        ],
        "slots": slot_rows,
        "countries": dict(sorted(countries.items())),
        "without_meeting": sum(
            1 for p in participants if p.status == ParticipantStatus.APPROVED and p.pk not in booked
        ),
        "leads": MeetingRating.objects.filter(meeting__event=event, outcome="cooperation_possible").count(),
        "last_run": last_run,
    }


def meeting_list(*, event: Event) -> QuerySet[Meeting]:
    """Every meeting of the event, for exports and the staff list."""
    return (
        Meeting.objects.filter(event=event)
        .select_related("slot", "request__requester__organisation", "request__recipient__organisation")
        .order_by("slot__starts_at", "table", "pk")
    )


# --- staff pages (added by the staff-pages engineer; additive only) ---------------------------------


def registration_list(*, event: Event, status: str | None = None) -> QuerySet[Participant]:
    """Registrations of any status, oldest first, for staff approval."""
    participants = Participant.objects.filter(event=event).select_related("organisation")
    if status:
        participants = participants.filter(status=status)
    return participants.order_by("registered_at", "pk")


def participants_without_meeting(*, event: Event) -> QuerySet[Participant]:
    """Approved participants with no booking at all: the ones to call before the day."""
    return (
        Participant.objects.filter(event=event, status=ParticipantStatus.APPROVED)
        .exclude(pk__in=Booking.objects.filter(slot__event=event).values("participant_id"))
        .select_related("organisation")
        .order_by("organisation__country", "organisation__name_en", "pk")
    )


def lead_list(*, event: Event) -> QuerySet[MeetingRating]:
    """Ratings that say "cooperation possible", with both sides of the meeting."""
    return (
        MeetingRating.objects.filter(meeting__event=event, outcome="cooperation_possible")
        .select_related(
            "participant__organisation",
            "meeting__request__requester__organisation",
            "meeting__request__recipient__organisation",
        )
        .order_by("-created_at", "pk")
    )


def participants_by_id(*, event: Event, ids: list[int]) -> dict[int, Participant]:
    """The event's participants with these ids, with their organisations (for names in staff tables)."""
    found = Participant.objects.filter(event=event, pk__in=ids).select_related("organisation")
    return {participant.pk: participant for participant in found}


HISTORY_LIMIT = 200  # the latest rows of each list: a long event has thousands


def _latest(rows: QuerySet[Any]) -> QuerySet[Any]:
    """The newest HISTORY_LIMIT of `rows` (by when they were written), in `rows`' own order: the cut is
    made newest first, before any grouping, so a large event keeps its latest changes."""
    newest = rows.order_by("-created_at", "-pk").values("pk")[:HISTORY_LIMIT]
    return rows.filter(pk__in=newest)


def event_history(*, event: Event, viewer: Any) -> dict[str, QuerySet[Any]]:
    """The latest HISTORY_LIMIT rows of the registration and of the meeting history of an event: all
    rows for staff; for a participant's representative, its own registration and the meetings it is a
    side of. Anyone else: PermissionDenied."""
    registrations = ParticipantEvent.objects.filter(participant__event=event)
    meetings = MeetingEvent.objects.filter(request__event=event)
    if not getattr(viewer, "is_staff", False):
        participant = participant_for_user(event=event, user=viewer)
        if participant is None:
            raise PermissionDenied(_("Only the event's participants and staff see its history."))
        registrations = registrations.filter(participant=participant)
        meetings = meetings.filter(Q(request__requester=participant) | Q(request__recipient=participant))
        # A rating is private to the side that gave it (as everywhere else): the other side's
        # "rated" row would tell its outcome.
        meetings = meetings.filter(~Q(kind=MeetingEventKind.RATED) | Q(changes__participant=participant.pk))
    return {
        # Cut newest first, then grouped by what they belong to (the page shows one list per
        # registration and per meeting).
        "registrations": _latest(registrations)
        .select_related("actor", "participant__organisation")
        .order_by("participant__organisation__name_en", "participant_id", "-created_at", "-pk"),
        "meetings": _latest(meetings)
        .select_related("actor", "request__requester__organisation", "request__recipient__organisation")
        .order_by("-request__created_at", "request_id", "-created_at", "-pk"),
    }


def event_history_entries(*, event: Event, viewer: Any) -> dict[str, list[dict[str, Any]]]:
    """`event_history` as the viewer may read it (`core.selectors.history_entries`: the authors'
    addresses for staff only), the latest HISTORY_LIMIT rows of each list, each row naming the
    registration or the request it belongs to. What the API answers; PermissionDenied as there."""
    history = event_history(event=event, viewer=viewer)
    registrations = list(history["registrations"])
    meetings = list(history["meetings"])
    return {
        "registrations": [
            {**entry, "participant": row.participant_id, "organisation": row.participant.organisation.display_name}
            for entry, row in zip(history_entries(viewer=viewer, rows=registrations), registrations, strict=True)
        ],
        "meetings": [
            {
                **entry,
                "request": row.request_id,
                "requester": row.request.requester.organisation.display_name,
                "recipient": row.request.recipient.organisation.display_name,
            }
            for entry, row in zip(history_entries(viewer=viewer, rows=meetings), meetings, strict=True)
        ],
    }


# --- what needs a user now ("My Silkbridge") ---------------------------------------------------------


def participations_of(*, user: Any) -> QuerySet[Participant]:
    """The registrations the user represents, at any event (none for a visitor not signed in)."""
    if not getattr(user, "is_authenticated", False):
        return Participant.objects.none()
    return (
        Participant.objects.filter(representatives=user)
        .select_related("event", "organisation")
        .order_by("-event__registration_closes_at", "pk")
    )


def requests_awaiting_answer(*, user: Any) -> QuerySet[MeetingRequest]:
    """Meeting requests sent to a participant the user represents that nobody has answered yet."""
    return MeetingRequest.objects.filter(
        recipient__in=participations_of(user=user), status=RequestStatus.PENDING
    ).order_by("created_at", "pk")


def meetings_of_user_between(*, user: Any, start: Any, end: Any) -> QuerySet[Meeting]:
    """The user's meetings (as either side) starting in [start, end), not cancelled, in time order."""
    return (
        Meeting.objects.filter(
            bookings__participant__in=participations_of(user=user),
            slot__starts_at__gte=start,
            slot__starts_at__lt=end,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("slot", "event", "request__requester__organisation", "request__recipient__organisation")
        .distinct()
        .order_by("slot__starts_at", "pk")
    )
