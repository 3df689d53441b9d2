"""Writes for events: set-up, registration, requests and answers, bookings, scheduling, check-in, ratings.

Every write runs in a transaction and validates first. The database constraints on Booking and
Meeting are the last line against double booking: a concurrent booking that loses the race gets a
clear ValidationError, never a half-written meeting.
"""

from __future__ import annotations

import math
import secrets
import zoneinfo
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from silkbridge.core.budgets import Budget, usage_charge, usage_refund
from silkbridge.core.runs import Progress, RunAlreadyActive, RunFailure, run_enqueue, run_still_running
from silkbridge.directory.selectors import is_member
from silkbridge.directory.services import held_request_record
from silkbridge.events import history, hooks, notifications, selectors, visit_selectors
from silkbridge.events.choices import (
    DayPart,
    DeclineReason,
    MeetingOutcome,
    MeetingStatus,
    ParticipantStatus,
    PreferenceLevel,
    RequestMode,
    RequestPolicy,
    RequestStatus,
    SchedulingMode,
)
from silkbridge.events.models import (
    Booking,
    Event,
    Meeting,
    MeetingRating,
    MeetingRequest,
    Participant,
    Preference,
    ScheduleRun,
    Slot,
    schedule_run_key,
)
from silkbridge.translations.services import author_translations_save, machine_translations_queue

WORKING_HOURS = (time(9, 0), time(18, 0))
PREFERENCE_WEIGHTS: dict[PreferenceLevel, float] = {PreferenceLevel.MUST: 3.0, PreferenceLevel.WOULD_LIKE: 2.0}


def _require_staff(actor: Any) -> None:
    selectors.manager_check(viewer=actor)


def _save(instance: Any) -> Any:
    instance.full_clean()
    instance.save()
    return instance


# --- set-up -----------------------------------------------------------------------------------------


RESERVED_SLUGS = frozenset({"new", "feed"})  # path segments of the events URLs


@transaction.atomic
def event_create(*, actor: Any, fields: dict[str, Any]) -> Event:
    _require_staff(actor)
    if fields.get("slug") in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": _("“%(value)s” is a reserved word here; choose another short name.") % {"value": fields["slug"]}}
        )
    return _save(Event(created_by=actor, **fields))


@transaction.atomic
def slots_generate(
    *,
    actor: Any,
    event: Event,
    days: Iterable[date],
    day_start: time,
    day_end: time,
    minutes: int,
    breaks: Iterable[tuple[time, time]] = (),
    tables: int | None = None,
    location: str = "",
) -> list[Slot]:
    """Cut each day into slots of `minutes` in the event's time zone, skipping the breaks."""
    _require_staff(actor)
    if minutes < 5:
        raise ValidationError({"minutes": _("A slot lasts at least 5 minutes.")})
    if day_end <= day_start:
        raise ValidationError({"day_end": _("The day must end after it starts.")})
    zone = zoneinfo.ZoneInfo(event.time_zone)
    pauses = list(breaks)
    _require_wall_clock(day_start=day_start, day_end=day_end, breaks=pauses)
    created = []
    for day in sorted(set(days)):
        start = datetime.combine(day, day_start, tzinfo=zone)
        end = datetime.combine(day, day_end, tzinfo=zone)
        while start + timedelta(minutes=minutes) <= end:
            finish = start + timedelta(minutes=minutes)
            if not any(start.time() < pause_end and finish.time() > pause_start for pause_start, pause_end in pauses):
                slot, was_created = Slot.objects.get_or_create(
                    event=event, starts_at=start, defaults={"minutes": minutes, "tables": tables, "location": location}
                )
                if was_created:
                    created.append(slot)
            start = finish
    if not created and not event.slots.exists():
        raise ValidationError({"day_start": _("These settings leave no slot in the day.")})
    return created


def _require_wall_clock(*, day_start: time, day_end: time, breaks: list[tuple[time, time]]) -> None:
    """Times of a grid are wall-clock times in the event's zone; one with its own UTC offset
    ("12:30+05:00") cannot be compared with them, so it is refused by name."""
    message = _("Give a time of day in the event's time zone, without a UTC offset (12:30, not 12:30+05:00).")
    for name, value in (("day_start", day_start), ("day_end", day_end)):
        if value.tzinfo is not None:
            raise ValidationError({name: message})
    for pause_start, pause_end in breaks:
        if pause_start.tzinfo is not None or pause_end.tzinfo is not None:
            raise ValidationError({"breaks": message})
        if pause_end <= pause_start:
            raise ValidationError({"breaks": _("A break must end after it starts.")})


# --- registration -----------------------------------------------------------------------------------


def default_availability(*, event: Event, time_zone: str) -> list[int]:
    """Slots inside working hours (09:00–18:00) in the participant's own time zone."""
    zone = zoneinfo.ZoneInfo(time_zone)
    chosen = []
    for slot in event.slots.all():
        local_start = slot.starts_at.astimezone(zone)
        local_end = slot.ends_at.astimezone(zone)
        if (
            local_start.date() == local_end.date()
            and WORKING_HOURS[0] <= local_start.time()
            and local_end.time() <= WORKING_HOURS[1]
        ):
            chosen.append(slot.pk)
    return chosen


def _check_registration_open(event: Event) -> None:
    now = timezone.now()
    if now < event.registration_opens_at:
        raise ValidationError(_("Registration has not opened yet."))
    if now > event.registration_closes_at:
        raise ValidationError(_("Registration has closed."))


def _check_member(actor: Any, organisation: Any) -> None:
    if getattr(actor, "is_staff", False):
        return
    if not is_member(actor, organisation):
        raise PermissionDenied(_("You can register only an organisation you belong to."))


@transaction.atomic
def participant_register(
    *,
    actor: Any,
    event: Event,
    organisation: Any,
    time_zone: str,
    slot_ids: Iterable[int] | None = None,
    interests: str = "",
    interpreter_needed: bool = False,
    max_meetings: int | None = None,
) -> Participant:
    """Register an organisation (or join its registration as another representative)."""
    _check_member(actor, organisation)
    event = Event.objects.select_for_update().get(pk=event.pk)  # serialises the participant cap
    existing = Participant.objects.filter(event=event, organisation=organisation).first()
    if existing is not None:
        if not existing.representatives.filter(pk=actor.pk).exists():
            existing.representatives.add(actor)
            history.participant_representative_added(participant=existing, actor=actor)
        return existing
    _check_registration_open(event)
    if event.participant_cap is not None:
        active = event.participants.exclude(status__in=[ParticipantStatus.REJECTED, ParticipantStatus.WITHDRAWN])
        if active.count() >= event.participant_cap:
            raise ValidationError(_("The event is full."))
    participant = _save(
        Participant(
            event=event,
            organisation=organisation,
            time_zone=time_zone,
            interests=interests,
            interpreter_needed=interpreter_needed,
            min_meetings=event.default_min_meetings,
            max_meetings=max_meetings if max_meetings is not None else event.default_max_meetings,
            status=ParticipantStatus.PENDING if event.requires_approval else ParticipantStatus.APPROVED,
        )
    )
    participant.representatives.add(actor)
    availability_set(
        participant=participant,
        slot_ids=slot_ids if slot_ids is not None else default_availability(event=event, time_zone=time_zone),
    )
    history.participant_registered(participant=participant, actor=actor)
    return participant


@transaction.atomic
def participant_join(*, actor: Any, participant: Participant) -> Participant:
    """A member of a registered organisation joins its registration as a representative, registration open
    or not (a new member of an organisation that staff or the demo registered, e.g. after claiming it, can
    then answer the requests that waited for it)."""
    if not getattr(actor, "is_authenticated", False) or not is_member(actor, participant.organisation_id):
        raise PermissionDenied(_("Only a member of the organisation may join its registration."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status in {ParticipantStatus.REJECTED, ParticipantStatus.WITHDRAWN}:
        raise ValidationError(_("This registration is no longer active."))
    if not participant.representatives.filter(pk=actor.pk).exists():
        participant.representatives.add(actor)
        history.participant_representative_added(participant=participant, actor=actor)
    return participant


def _require_representative(actor: Any, participant: Participant) -> None:
    """Only the participant's own representatives (or staff) change its registration or interests."""
    if getattr(actor, "is_staff", False):
        return
    if not participant.representatives.filter(pk=getattr(actor, "pk", None)).exists():
        raise PermissionDenied(_("Only the participant's representatives may change this."))


@transaction.atomic
def participant_update(
    *,
    actor: Any,
    participant: Participant,
    time_zone: str,
    interests: str,
    interpreter_needed: bool,
    max_meetings: int,
    slot_ids: Iterable[int],
) -> Participant:
    _require_representative(actor, participant)
    slot_ids = list(slot_ids)
    participant = _lock_participants(participant.pk)[participant.pk]
    booked = meetings_booked(participant=participant)
    if max_meetings < booked:
        raise ValidationError(
            {
                "max_meetings": ngettext(
                    "You already have %(count)d meeting; cancel it before lowering the maximum.",
                    "You already have %(count)d meetings; cancel some before lowering the maximum.",
                    booked,
                )
                % {"count": booked}
            }
        )
    wanted = {"time_zone": time_zone, "interests": interests, "interpreter_needed": interpreter_needed}
    wanted["max_meetings"] = max_meetings
    changes = {name: [getattr(participant, name), value] for name, value in wanted.items()}
    slots_before = sorted(participant.available_slots.values_list("pk", flat=True))
    for name, value in wanted.items():
        setattr(participant, name, value)
    _save(participant)
    availability_set(participant=participant, slot_ids=slot_ids)
    changes["slots"] = [slots_before, sorted(set(slot_ids))]
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    history.participant_updated(participant=participant, actor=actor, changes=changes)
    return participant


def availability_set(*, participant: Participant, slot_ids: Iterable[int]) -> None:
    wanted = set(slot_ids)
    slots = list(Slot.objects.filter(event=participant.event, pk__in=wanted))
    if len(slots) != len(wanted):
        raise ValidationError({"slots": _("Some of the chosen slots do not belong to this event.")})
    booked = set(Booking.objects.filter(participant=participant).values_list("slot_id", flat=True))
    if booked - wanted:
        raise ValidationError({"slots": _("You already have a meeting in a slot you removed; cancel it first.")})
    participant.available_slots.set(slots)


LEFT_STATUSES = frozenset({ParticipantStatus.REJECTED, ParticipantStatus.WITHDRAWN})


@transaction.atomic
def participant_set_status(*, actor: Any, participant: Participant, status: str) -> Participant:
    """Staff approve, reject or withdraw a registration. A participant that is rejected or withdrawn
    leaves the event: its waiting and accepted requests are cancelled with their meetings, and the
    participants it would have met are told."""
    _require_staff(actor)
    participant = _lock_participants(participant.pk)[participant.pk]
    before = participant.status
    participant.status = status
    _save(participant)
    history.participant_status_changed(participant=participant, actor=actor, before=before)
    if status in LEFT_STATUSES:
        _requests_cancel_for_leaver(participant, actor=actor)
    notifications.notify(
        users=participant.representatives.all(),
        template="registration_status",
        context={
            "participant": participant,
            "event": participant.event,
            "link": notifications.event_link(participant.event),
        },
    )
    return participant


def _requests_cancel_for_leaver(participant: Participant, *, actor: Any) -> None:
    open_requests = list(
        MeetingRequest.objects.select_for_update()
        .filter(Q(requester=participant) | Q(recipient=participant))
        .filter(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED])
        .order_by("pk")
    )
    if not open_requests:
        return
    others = {
        meeting_request.recipient_id if meeting_request.requester_id == participant.pk else meeting_request.requester_id
        for meeting_request in open_requests
    }
    had_meeting = set(Meeting.objects.filter(request__in=open_requests).values_list("request_id", flat=True))
    hooks.meetings_deleting.fire(list(Meeting.objects.filter(request__in=open_requests).values_list("pk", flat=True)))
    Meeting.objects.filter(request__in=open_requests).delete()
    MeetingRequest.objects.filter(pk__in=[r.pk for r in open_requests]).update(status=RequestStatus.CANCELLED)
    for meeting_request in open_requests:
        history.meeting_cancelled(request=meeting_request, actor=actor, before=meeting_request.status)
    for other in Participant.objects.filter(pk__in=others).order_by("pk"):
        lost_meeting = any(r.pk in had_meeting and other.pk in (r.requester_id, r.recipient_id) for r in open_requests)
        notifications.notify(
            users=other.representatives.all(),
            template="participant_left",
            context={
                "organisation": participant.organisation,
                "event": participant.event,
                "lost_meeting": lost_meeting,
                "link": notifications.event_link(participant.event, "events:requests"),
            },
        )


@transaction.atomic
def preference_set(*, actor: Any, participant: Participant, target: Participant, level: str | None) -> None:
    """How much the participant wants to meet another one. Only its representatives say so, and only
    about a participant they may see: the participant list's rule (approved participants only)."""
    _require_representative(actor, participant)
    if target.event_id != participant.event_id or target.pk == participant.pk:
        raise ValidationError({"target": _("Choose another participant of this event.")})
    if not selectors.participant_list(event=participant.event, viewer=actor).filter(pk=target.pk).exists():
        raise ValidationError({"target": _("Choose another participant of this event.")})
    if not level:
        Preference.objects.filter(participant=participant, target=target).delete()
        return
    Preference.objects.update_or_create(participant=participant, target=target, defaults={"level": level})


# --- requests ---------------------------------------------------------------------------------------


def _check_request_allowed(requester: Participant, recipient: Participant) -> None:
    if requester.event_id != recipient.event_id:
        raise ValidationError({"recipient": _("Both participants must be registered for the same event.")})
    if requester.pk == recipient.pk:
        raise ValidationError({"recipient": _("A participant cannot request a meeting with itself.")})
    if requester.status != ParticipantStatus.APPROVED or recipient.status != ParticipantStatus.APPROVED:
        raise ValidationError({"recipient": _("Both participants must be approved for the event.")})
    event = requester.event
    if (
        event.request_policy == RequestPolicy.CROSS_COUNTRY
        and requester.organisation.country == recipient.organisation.country
    ):
        raise ValidationError({"recipient": _("At this event, meetings are only arranged across countries.")})
    if (
        MeetingRequest.objects.filter(requester=recipient, recipient=requester)
        .exclude(status=RequestStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError({"recipient": _("This participant has already sent you a request; answer it instead.")})
    if MeetingRequest.objects.filter(requester=requester, recipient=recipient).exists():
        raise ValidationError({"recipient": _("You have already sent this participant a request.")})


@transaction.atomic
def request_create(
    *,
    actor: Any,
    requester: Participant,
    recipient: Participant,
    message: str = "",
    day_part: str = DayPart.ANY,
    translations: Mapping[str, Mapping[str, Any]] | None = None,
) -> MeetingRequest:
    """Ask another participant for a meeting; `translations`: the sender's own translations of the
    message (language -> {"message": text}). A machine translation of the message is queued after commit."""
    if not requester.representatives.filter(pk=actor.pk).exists() and not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("You do not represent this participant."))
    _check_request_allowed(requester, recipient)
    automatic = requester.event.request_mode == RequestMode.AUTOMATIC
    meeting_request = _save(
        MeetingRequest(
            event=requester.event,
            requester=requester,
            recipient=recipient,
            message=message,
            day_part=day_part,
            created_by=actor,
            status=RequestStatus.ACCEPTED if automatic else RequestStatus.PENDING,
            answered_at=timezone.now() if automatic else None,
        )
    )
    history.meeting_requested(request=meeting_request, actor=actor)
    if translations:
        author_translations_save(obj=meeting_request, translations=translations, limits={"message": 2000})
    machine_translations_queue(obj=meeting_request)
    link = notifications.event_link(requester.event, "events:requests")
    readers = selectors.request_readers(participant=recipient)
    if not readers:
        # Nobody to read it: staff's queue keeps it until the organisation is claimed; then it reaches the
        # new members, who join the registration to answer. Names only: `what` is read in any language.
        held_request_record(
            organisation=recipient.organisation,
            sender=actor,
            what=f"{requester.event.title}: {requester.organisation.name_en}",
            url=link,
        )
    notifications.notify(
        users=readers,
        template="request_received",
        context={"request": meeting_request, "event": requester.event, "link": link},
    )
    return meeting_request


@transaction.atomic
def request_answer(
    *,
    actor: Any,
    meeting_request: MeetingRequest,
    accept: bool,
    reason: str = "",
    note: str = "",
    slot: Slot | None = None,
) -> MeetingRequest:
    """Accept (booking a free slot where participants pick theirs) or decline with a reason; the
    requester is told. At events where the organiser runs the scheduler, no slot can be chosen here."""
    # Participants first, then the request: the same order as every other booking path.
    _lock_participants(meeting_request.requester_id, meeting_request.recipient_id)
    meeting_request = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    recipient = meeting_request.recipient
    if not recipient.representatives.filter(pk=actor.pk).exists() and not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only the participant who received the request may answer it."))
    if slot is not None and meeting_request.event.scheduling_mode != SchedulingMode.PARTICIPANTS:
        raise ValidationError(
            {"slot": _("At this event the organiser schedules the meetings; accept without choosing a slot.")}
        )
    if meeting_request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if not accept and reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason for declining.")})
    meeting_request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    meeting_request.decline_reason = "" if accept else reason
    meeting_request.decline_note = "" if accept else note
    meeting_request.answered_at = timezone.now()
    meeting_request.save(update_fields=["status", "decline_reason", "decline_note", "answered_at"])
    history.meeting_answered(request=meeting_request, actor=actor)
    if accept and slot is not None:
        meeting_book(meeting_request=meeting_request, slot=slot, actor=actor)
    notifications.notify(
        users=meeting_request.requester.representatives.all(),
        template="request_answered",
        context={
            "request": meeting_request,
            "event": meeting_request.event,
            "link": notifications.event_link(meeting_request.event, "events:requests"),
        },
    )
    return meeting_request


@transaction.atomic
def request_cancel(*, actor: Any, meeting_request: MeetingRequest) -> None:
    if not meeting_request.requester.representatives.filter(pk=actor.pk).exists() and not getattr(
        actor, "is_staff", False
    ):
        raise PermissionDenied(_("Only the participant who sent the request may cancel it."))
    if meeting_request.status not in {RequestStatus.PENDING, RequestStatus.ACCEPTED}:
        raise ValidationError(_("Only a waiting or accepted request can be cancelled."))
    before = meeting_request.status
    meeting_request.status = RequestStatus.CANCELLED
    meeting_request.save(update_fields=["status"])
    meeting = Meeting.objects.filter(request=meeting_request).select_related("slot", "event").first()
    if meeting is not None:
        # Its placed meeting goes with it: the other side is told, as for a meeting cancelled.
        pair = [meeting_request.requester, meeting_request.recipient]
        _tell_sides(meeting, template="meeting_cancelled", pair=pair, actor=actor, starts_at=meeting.slot.starts_at)
        hooks.meetings_deleting.fire([meeting.pk])
        meeting.delete()
    history.meeting_cancelled(request=meeting_request, actor=actor, before=before)


# --- bookings ---------------------------------------------------------------------------------------


def _video_url(event: Event) -> str:
    """A room per meeting whose address cannot be guessed from another meeting's."""
    if not event.video_room_base_url or event.kind == "physical":
        return ""
    return f"{event.video_room_base_url.rstrip('/')}/silkbridge-{event.slug}-{secrets.token_urlsafe(12)}"


def _lock_participants(*participant_ids: int) -> dict[int, Participant]:
    """Lock the participants' rows (in id order, so two writers never wait on each other in a circle).

    Whoever books a meeting for a participant, or changes its status or limit, holds its row, so the
    meeting limit and the approval are checked against what no one else is changing at that moment.
    """
    locked = Participant.objects.select_for_update().filter(pk__in=participant_ids).order_by("pk")
    return {participant.pk: participant for participant in locked.select_related("organisation")}


def meetings_booked(*, participant: Participant) -> int:
    """How many meetings the participant has (cancelled ones aside): what counts against its limit."""
    return Booking.objects.filter(participant=participant).exclude(meeting__status=MeetingStatus.CANCELLED).count()


@transaction.atomic
def meeting_book(
    *,
    meeting_request: MeetingRequest,
    slot: Slot,
    table: int | None = None,
    is_fixed: bool = True,
    actor: Any = None,
    tell: bool = True,
) -> Meeting:
    """Place an accepted request in a slot. Raises ValidationError naming the conflict; writes nothing then.

    Both participants must still be approved and below their meeting limit; their rows stay locked
    until the booking commits, so two bookings at once cannot both take a participant's last place.
    Both sides are told of the meeting, unless `tell` is off: a scheduler run tells each participant once
    of all its meetings, after it has booked them (`schedule_run_tell`).
    """
    if meeting_request.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("Only accepted requests can be scheduled."))
    if slot.event_id != meeting_request.event_id:
        raise ValidationError({"slot": _("This slot belongs to another event.")})
    if not selectors.slot_fits_day_part(
        slot=slot, day_part=meeting_request.day_part, time_zone=meeting_request.event.time_zone
    ):
        raise ValidationError({"slot": _("The pair agreed to meet at another time of day.")})
    locked = _lock_participants(meeting_request.requester_id, meeting_request.recipient_id)
    if visit_selectors.is_delegation(meeting_request.event):
        # After the pair (the order of every booking path); the itinerary's writes hold this lock too
        # (visit_services), so a site visit planned at the same moment is either seen here or sees this
        # booking: never a member in two places.
        Event.objects.select_for_update(no_key=True).filter(pk=meeting_request.event_id).first()
    problem = visit_selectors.booking_problem(meeting_request=meeting_request, slot=slot)
    if problem:
        raise ValidationError({"slot": problem})
    pair = [locked[meeting_request.requester_id], locked[meeting_request.recipient_id]]
    for participant in pair:
        if participant.status != ParticipantStatus.APPROVED:
            raise ValidationError(
                {"slot": _("%(name)s is no longer approved for the event.") % {"name": participant.organisation}}
            )
        if meetings_booked(participant=participant) >= participant.max_meetings:
            raise ValidationError(
                {
                    "slot": _("%(name)s already has its maximum number of meetings (%(count)d).")
                    % {"name": participant.organisation, "count": participant.max_meetings}
                }
            )
        if not participant.available_slots.filter(pk=slot.pk).exists():
            raise ValidationError(
                {"slot": _("%(name)s is not available in this slot.") % {"name": participant.organisation}}
            )
    try:
        with transaction.atomic():
            if slot.tables is not None and table is None:
                table = _free_table(slot)
            meeting = Meeting.objects.create(
                event=meeting_request.event,
                request=meeting_request,
                slot=slot,
                table=table,
                is_fixed=is_fixed,
                video_url=_video_url(meeting_request.event),
            )
            Booking.objects.bulk_create(
                [Booking(meeting=meeting, participant=participant, slot=slot) for participant in pair]
            )
    except IntegrityError as error:
        raise ValidationError({"slot": _conflict_message(meeting_request, slot)}) from error
    history.meeting_booked(meeting=meeting, actor=actor)  # no actor: placed by the scheduler
    if tell:
        _tell_sides(meeting, template="meeting_placed", pair=pair, actor=actor)
    return meeting


def _tell_sides(meeting: Meeting, *, template: str, pair: list[Participant], actor: Any, **extra: Any) -> None:
    """Tell each side's representatives (but not the person who did it) about the meeting, with the time in
    their own registration's zone and the other side named."""
    for participant, other in ((pair[0], pair[1]), (pair[1], pair[0])):
        users = participant.representatives.exclude(pk=getattr(actor, "pk", None))
        notifications.notify(
            users=users,
            template=template,
            context={
                "meeting": meeting,
                "event": meeting.event,
                "participant": participant,
                "other": other,
                "link": notifications.event_link(meeting.event, "events:agenda"),
                **extra,
            },
        )


def _free_table(slot: Slot) -> int:
    used = set(Meeting.objects.filter(slot=slot, table__isnull=False).values_list("table", flat=True))
    for number in range(1, (slot.tables or 0) + 1):
        if number not in used:
            return number
    raise ValidationError({"slot": _("Every table in this slot is taken.")})


def _conflict_message(meeting_request: MeetingRequest, slot: Slot) -> str:
    if Meeting.objects.filter(request=meeting_request).exists():
        return _("This request is already scheduled.")
    if Booking.objects.filter(
        slot=slot, participant__in=[meeting_request.requester_id, meeting_request.recipient_id]
    ).exists():
        return _("One of the two already has a meeting in this slot.")
    return _("The table was taken a moment ago; choose the slot again.")


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting) -> None:
    participants = [meeting.request.requester, meeting.request.recipient]
    if not getattr(actor, "is_staff", False) and not any(
        p.representatives.filter(pk=actor.pk).exists() for p in participants
    ):
        raise PermissionDenied(_("You may not cancel this meeting."))
    history.meeting_unbooked(meeting=meeting, actor=actor)
    _tell_sides(meeting, template="meeting_cancelled", pair=participants, actor=actor, starts_at=meeting.slot.starts_at)
    hooks.meetings_deleting.fire([meeting.pk])
    meeting.delete()


# --- the scheduler ----------------------------------------------------------------------------------


def request_weight(meeting_request: MeetingRequest, preferences: dict[tuple[int, int], str]) -> float:
    """Must-meet counts three times, would-like twice, in either direction."""
    weight = 1.0
    for pair in (
        (meeting_request.requester_id, meeting_request.recipient_id),
        (meeting_request.recipient_id, meeting_request.requester_id),
    ):
        level = preferences.get(pair)
        if level is not None:
            weight = max(weight, PREFERENCE_WEIGHTS.get(PreferenceLevel(level), 1.0))
    return weight


def schedule_instance(event: Event) -> dict[str, Any]:
    """The scheduler's input for an event: accepted requests, availability, and scheduled meetings as fixed."""
    slots = list(event.slots.all())
    zone = zoneinfo.ZoneInfo(event.time_zone)
    participants = list(
        event.participants.filter(status=ParticipantStatus.APPROVED).prefetch_related("available_slots")
    )
    preferences = {
        (p.participant_id, p.target_id): p.level for p in Preference.objects.filter(participant__event=event)
    }
    accepted = list(event.requests.filter(status=RequestStatus.ACCEPTED))
    approved = {participant.pk for participant in participants}
    meetings = list(Meeting.objects.filter(event=event).exclude(status=MeetingStatus.CANCELLED))

    # A delegation visit: a pair meets only where the delegation is, in the host's city, and never while
    # a member travels or is on a site visit (visit_selectors.Itinerary).
    plan = visit_selectors.itinerary(event) if visit_selectors.is_delegation(event) else None

    def allowed(meeting_request: MeetingRequest) -> list[str] | None:
        if meeting_request.day_part == DayPart.ANY and plan is None:
            return None
        return [
            f"s{slot.pk}"
            for slot in slots
            if selectors.slot_fits_day_part(slot=slot, day_part=meeting_request.day_part, time_zone=event.time_zone)
            and (plan is None or plan.pair_fits(slot, meeting_request.requester_id, meeting_request.recipient_id))
        ]

    requests = []
    for meeting_request in accepted:
        if meeting_request.requester_id not in approved or meeting_request.recipient_id not in approved:
            continue
        entry: dict[str, Any] = {
            "id": f"r{meeting_request.pk}",
            "a": f"p{meeting_request.requester_id}",
            "b": f"p{meeting_request.recipient_id}",
            "weight": request_weight(meeting_request, preferences),
        }
        slots_allowed = allowed(meeting_request)
        if slots_allowed is not None:
            entry["slots"] = slots_allowed
        requests.append(entry)
    known = {entry["id"] for entry in requests}
    return {
        "slots": [
            {
                "id": f"s{slot.pk}",
                "start": slot.starts_at.astimezone(zone).isoformat(),
                "minutes": slot.minutes,
                "tables": slot.tables,
            }
            for slot in slots
        ],
        "participants": [
            {
                "id": f"p{p.pk}",
                "available": [
                    f"s{slot.pk}" for slot in p.available_slots.all() if plan is None or not plan.blocked(slot, p.pk)
                ],
                "max_meetings": p.max_meetings,
            }
            for p in participants
        ],
        "requests": requests,
        "fixed": [
            {
                "request": f"r{meeting.request_id}",
                "slot": f"s{meeting.slot_id}",
                **({"table": meeting.table} if meeting.table else {}),
            }
            for meeting in meetings
            if f"r{meeting.request_id}" in known
        ],
    }


def scheduler_budget() -> Budget:
    """Each user's hourly allowance of scheduler runs and seconds of search (a run lasts its time limit)."""
    return Budget(
        resource="events.scheduler",
        max_runs=settings.SCHEDULER_RUNS_PER_HOUR,
        max_units=settings.SCHEDULER_SECONDS_PER_HOUR,
        runs_label=_("scheduler runs"),
        units_label=_("seconds of search"),
    )


def _time_limit_check(time_limit: float) -> None:
    if not 1 <= time_limit <= settings.SCHEDULER_MAX_TIME_LIMIT:
        message = _("The time limit must be between 1 and %(limit)d seconds.") % {
            "limit": settings.SCHEDULER_MAX_TIME_LIMIT
        }
        raise ValidationError({"time_limit": message})


def schedule_run_start(*, actor: Any, event: Event, time_limit: float = 30.0, seed: int = 0) -> ScheduleRun:
    """Queue a scheduler run for a worker, unless one is already queued or running for the event.

    The database holds "one active run per event" (the background run's exclusive key), so two starts
    at once end with exactly one run; the other gets a ValidationError and leaves no row behind. The
    run is charged to the actor's hourly budget here, and the charge is given back when refused.
    """
    from silkbridge.events.tasks import schedule_run_task

    _require_staff(actor)
    _time_limit_check(time_limit)
    charge = usage_charge(user=actor, budget=scheduler_budget(), units=math.ceil(time_limit))
    try:
        with transaction.atomic():
            run = run_enqueue(
                kind=SCHEDULE_RUN_KIND, created_by=actor, task=schedule_run_task, exclusive_key=schedule_run_key(event)
            )
            return ScheduleRun.objects.create(event=event, run=run, seed=seed, time_limit=time_limit)
    except RunAlreadyActive as error:
        usage_refund(charge=charge)
        raise ValidationError(
            {"event": _("The scheduler is already running for this event; wait for it to finish.")}
        ) from error


SCHEDULE_RUN_KIND = "events.schedule"
# What the run page says while the solver is in each of its phases (the engine names them in PHASES;
# a test holds the two lists equal).
SCHEDULER_PHASES = {
    "greedy": gettext_lazy("Placing the accepted requests"),
    "relaxation": gettext_lazy("Computing how good a plan can be"),
    "exact": gettext_lazy("Searching for a better plan"),
    "gaps": gettext_lazy("Closing idle gaps between meetings"),
}


def schedule_run_execute(*, schedule_run: ScheduleRun, progress: Progress) -> dict[str, Any]:
    """Do a claimed scheduler run (in a worker): meetings already placed stay where they are, accepted
    requests are added. Returns the plan's summary for the run's result; an event the scheduler cannot
    read ends the run failed with the reasons (RunFailure). A run the reaper gave up while the solver
    ran books nothing (RunReaped): its key is free, so another scheduler run may be booking already."""
    from silkbridge.events.engine.instance import InstanceError
    from silkbridge.events.engine.scheduler import schedule_json

    event = schedule_run.event

    def solver_progress(fraction: float, phase: str) -> None:
        progress(fraction, str(SCHEDULER_PHASES.get(phase, "")))

    try:
        plan = schedule_json(
            schedule_instance(event),
            time_limit=schedule_run.time_limit,
            seed=schedule_run.seed,
            on_progress=solver_progress,
        )
    except InstanceError as error:
        raise RunFailure("; ".join(error.messages)) from error
    progress(0.98, _("Booking the meetings"))
    with transaction.atomic():
        run_still_running(schedule_run.run_id)
        booked, refused = _plan_apply(event, plan)
        placed = len(booked)
        schedule_run.placed = placed
        schedule_run.objective = plan.get("objective")
        schedule_run.upper_bound = plan.get("upper_bound")
        schedule_run.idle_gaps = plan.get("idle_gaps")
        schedule_run.seconds = plan.get("seconds")
        schedule_run.unscheduled = [*plan.get("unscheduled", []), *refused]
        schedule_run.save(update_fields=["placed", "objective", "upper_bound", "idle_gaps", "seconds", "unscheduled"])
    # The participants' rows are free again (answering a request no longer waits on the run); now each
    # participant is told once of all the meetings the run placed for it.
    progress(0.99, _("Telling the participants about their meetings"))
    told = schedule_run_tell(schedule_run=schedule_run, meeting_ids=booked)
    return {
        "schedule_run": schedule_run.pk,
        "event": event.slug,
        "placed": placed,
        "told": told,
        "unscheduled": len(schedule_run.unscheduled),
        "objective": schedule_run.objective,
        "upper_bound": schedule_run.upper_bound,
        "idle_gaps": schedule_run.idle_gaps,
        "seconds": schedule_run.seconds,
        "url": reverse("events:manage", kwargs={"slug": event.slug}) + "#scheduler",
    }


def _plan_apply(event: Event, plan: dict[str, Any], *, tell: bool = False) -> tuple[list[int], list[dict[str, str]]]:
    """Book the plan's new meetings (their ids are returned, to be told after commit); a meeting that a
    change since the run began makes impossible (a limit reached, a participant no longer approved)
    stays out, with the reason "changed". `tell` tells both sides of each meeting as it is booked: the
    old way, kept only for the benchmark's comparison (`silkbridge bench schedule-apply`)."""
    # Every participant of the event is locked in one order, so that a participant answering a request
    # at the same moment waits instead of deadlocking with the run. A delegation's event row after them,
    # as a booking by hand takes it (meeting_book): the itinerary's writes cannot change under the run.
    list(Participant.objects.select_for_update().filter(event=event).order_by("pk").values_list("pk", flat=True))
    if visit_selectors.is_delegation(event):
        Event.objects.select_for_update(no_key=True).filter(pk=event.pk).first()
    existing = set(Meeting.objects.filter(event=event).values_list("request_id", flat=True))
    requests = {
        r.pk: r
        for r in event.requests.filter(status=RequestStatus.ACCEPTED).select_related("event", "requester", "recipient")
    }
    slots = {slot.pk: slot for slot in event.slots.all()}
    booked: list[int] = []
    refused: list[dict[str, str]] = []
    for entry in plan["meetings"]:
        request_id = int(str(entry["request"])[1:])
        if request_id in existing:
            continue  # fixed: it stays where it is
        slot = slots[int(str(entry["slot"])[1:])]
        if request_id not in requests:
            refused.append({"request": str(entry["request"]), "reason": "changed"})
            continue
        try:
            meeting = meeting_book(
                meeting_request=requests[request_id],
                slot=slot,
                table=entry.get("table") if slot.tables is not None else None,
                is_fixed=True,
                tell=tell,
            )
        except ValidationError:
            refused.append({"request": str(entry["request"]), "reason": "changed"})
            continue
        booked.append(meeting.pk)
    return booked, refused


# How many meetings the scheduler's notification lists; the rest are "and N more", on the agenda.
SCHEDULED_LISTED = 20


# Participants told per commit by schedule_run_tell.
TELL_CHUNK = 50


def schedule_run_tell_key(*, schedule_run: ScheduleRun, participant: Participant) -> str:
    return f"events.schedule-run:{schedule_run.pk}:{participant.pk}"


def schedule_run_tell(*, schedule_run: ScheduleRun, meeting_ids: Iterable[int]) -> int:
    """Tell each participant's representatives once of all the meetings the run placed for it (in-app, and
    by e-mail where their settings allow), times in the participant's own zone, the other side named. A
    participant told already for this run (a run retried) is not told again: the key holds it.
    Participants are told in chunks (TELL_CHUNK), one commit each, after the booking's transaction. Returns how many
    participants were told."""
    meetings = (
        Meeting.objects.filter(pk__in=list(meeting_ids))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("slot", "request__requester__organisation", "request__recipient__organisation")
        .order_by("slot__starts_at", "pk")
    )
    sides: dict[int, tuple[Participant, list[dict[str, Any]]]] = {}
    for meeting in meetings:
        pair = (meeting.request.requester, meeting.request.recipient)
        for participant, other in ((pair[0], pair[1]), (pair[1], pair[0])):
            sides.setdefault(participant.pk, (participant, []))[1].append({"meeting": meeting, "other": other})
    event = schedule_run.event
    link = notifications.event_link(event, "events:agenda")
    told = 0
    everyone = list(sides.values())
    # A commit per participant made the telling wait on the disk (270 s of wall clock for 7 s of CPU at
    # 1,000 participants on the loaded machine): participants are told in chunks, one commit each, short
    # enough that SQLite's single writer is held for well under a second.
    for start in range(0, len(everyone), TELL_CHUNK):
        with transaction.atomic():
            for participant, placed in everyone[start : start + TELL_CHUNK]:
                made = notify_once(
                    users=participant.representatives.all(),
                    template="meetings_scheduled",
                    context={
                        "event": event,
                        "participant": participant,
                        "count": len(placed),
                        "listed": placed[:SCHEDULED_LISTED],
                        "more": max(0, len(placed) - SCHEDULED_LISTED),
                        "link": link,
                    },
                    key=schedule_run_tell_key(schedule_run=schedule_run, participant=participant),
                )
                told += 1 if made else 0
    return told


# --- on the day -------------------------------------------------------------------------------------


@transaction.atomic
def meeting_mark(*, actor: Any, meeting: Meeting, status: str) -> Meeting:
    """Staff check-in or no-show marking."""
    _require_staff(actor)
    if status not in {MeetingStatus.CHECKED_IN, MeetingStatus.NO_SHOW, MeetingStatus.SCHEDULED}:
        raise ValidationError({"status": _("Choose checked in, no-show or scheduled.")})
    before = meeting.status
    meeting.status = status
    meeting.checked_in_at = timezone.now() if status == MeetingStatus.CHECKED_IN else None
    meeting.save(update_fields=["status", "checked_in_at"])
    history.meeting_marked(meeting=meeting, actor=actor, before=before)
    return meeting


@transaction.atomic
def meeting_rate(*, actor: Any, meeting: Meeting, outcome: str, comment: str = "") -> MeetingRating:
    """A participant's verdict after the meeting; 'cooperation possible' records a lead."""
    participant = selectors.meeting_side(meeting=meeting, user=actor)
    if participant is None:
        raise PermissionDenied(_("Only the two participants may rate a meeting."))
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError({"outcome": _("You can rate a meeting once it has started.")})
    if outcome not in MeetingOutcome.values:
        raise ValidationError({"outcome": _("Choose one of the outcomes.")})
    rating, _created = MeetingRating.objects.update_or_create(
        meeting=meeting, participant=participant, defaults={"outcome": outcome, "comment": comment}
    )
    history.meeting_rated(meeting=meeting, actor=actor, participant=participant, outcome=outcome)
    return rating


def reminders_send(*, event: Event) -> dict[str, int]:
    """Nudge recipients of unanswered requests, and approved participants who still have no meeting."""
    pending = (
        event.requests.filter(status=RequestStatus.PENDING)
        .select_related("recipient__organisation")
        .order_by("recipient_id")
    )
    recipients: dict[int, list[MeetingRequest]] = {}
    for meeting_request in pending:
        recipients.setdefault(meeting_request.recipient_id, []).append(meeting_request)
    for participant_id, waiting in recipients.items():
        participant = Participant.objects.get(pk=participant_id)
        notifications.notify(
            users=participant.representatives.all(),
            template="reminder_pending",
            context={"event": event, "count": len(waiting), "link": notifications.event_link(event, "events:requests")},
        )
    idle = event.participants.filter(status=ParticipantStatus.APPROVED).exclude(bookings__isnull=False)
    for participant in idle:
        notifications.notify(
            users=participant.representatives.all(),
            template="reminder_no_meeting",
            context={"event": event, "link": notifications.event_link(event, "events:participants")},
        )
    return {"pending_reminders": len(recipients), "no_meeting_nudges": idle.count()}


# --- reminders 30 minutes before each meeting ---------------------------------------------------------

REMINDER_LEAD = timedelta(minutes=30)


def meeting_reminder_key(meeting: Meeting) -> str:
    """A reminder goes once per meeting and start time: a meeting placed again at another time (cancelled
    and booked anew) is reminded again, at its new time."""
    return f"events.meeting-reminder:{meeting.pk}:{meeting.slot.starts_at.isoformat()}"


def meeting_reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Remind both sides of every meeting that starts within the next 30 minutes (and has not started), in
    each participant's language and zone. Run every few minutes (`silkbridge events meeting-reminders`);
    each meeting is reminded once, however often it runs: the notification's key holds it. A cancelled
    meeting is reminded of nothing."""
    now = now or timezone.now()
    due = (
        Meeting.objects.filter(slot__starts_at__gt=now, slot__starts_at__lte=now + REMINDER_LEAD)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("slot", "event", "request__requester__organisation", "request__recipient__organisation")
        .order_by("slot__starts_at", "pk")
    )
    meetings = reminded = 0
    for meeting in due:
        pair = [meeting.request.requester, meeting.request.recipient]
        key = meeting_reminder_key(meeting)
        for participant, other in ((pair[0], pair[1]), (pair[1], pair[0])):
            made = notify_once(
                users=participant.representatives.all(),
                template="meeting_reminder",
                context={
                    "meeting": meeting,
                    "event": meeting.event,
                    "participant": participant,
                    "other": other,
                    "link": notifications.event_link(meeting.event, "events:agenda"),
                },
                key=key,
            )
            reminded += made
        meetings += 1
    return {"meetings": meetings, "reminders": reminded}


def notify_once(*, users: Any, template: str, context: dict[str, Any], key: str) -> int:
    with transaction.atomic():
        return len(notifications.notify(users=users, template=template, context=context, key=key))
