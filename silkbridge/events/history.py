"""Registration and meeting history: one function per kind of change, called by events.services inside
the service's transaction, so that a change and its history row are stored together or not at all
(Saleor's `events.py`). A meeting's rows hang on its request, which outlives a cancelled meeting."""

from __future__ import annotations

from typing import Any

from silkbridge.events.choices import MeetingEventKind, ParticipantEventKind
from silkbridge.events.models import Meeting, MeetingEvent, MeetingRequest, Participant, ParticipantEvent


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _participant(participant: Participant, actor: Any, kind: str, changes: dict[str, Any] | None = None) -> None:
    ParticipantEvent.objects.create(participant=participant, actor=_actor(actor), kind=kind, changes=changes or {})


def _meeting(request: MeetingRequest, actor: Any, kind: str, changes: dict[str, Any] | None = None) -> None:
    MeetingEvent.objects.create(request=request, actor=_actor(actor), kind=kind, changes=changes or {})


# --- registrations ------------------------------------------------------------------------------------


def participant_registered(*, participant: Participant, actor: Any) -> None:
    _participant(participant, actor, ParticipantEventKind.REGISTERED, {"status": [None, participant.status]})


def participant_representative_added(*, participant: Participant, actor: Any) -> None:
    _participant(participant, actor, ParticipantEventKind.REPRESENTATIVE_ADDED)


def participant_updated(*, participant: Participant, actor: Any, changes: dict[str, list[Any]]) -> None:
    _participant(participant, actor, ParticipantEventKind.UPDATED, changes)


def participant_status_changed(*, participant: Participant, actor: Any, before: str) -> None:
    _participant(participant, actor, ParticipantEventKind.STATUS_CHANGED, {"status": [before, participant.status]})


# --- meetings -----------------------------------------------------------------------------------------


def meeting_requested(*, request: MeetingRequest, actor: Any) -> None:
    _meeting(request, actor, MeetingEventKind.REQUESTED, {"status": [None, request.status]})


def meeting_answered(*, request: MeetingRequest, actor: Any) -> None:
    kind = MeetingEventKind.ACCEPTED if request.status == "accepted" else MeetingEventKind.DECLINED
    _meeting(request, actor, kind, {"status": ["pending", request.status]})


def meeting_cancelled(*, request: MeetingRequest, actor: Any, before: str) -> None:
    _meeting(request, actor, MeetingEventKind.CANCELLED, {"status": [before, "cancelled"]})


def meeting_booked(*, meeting: Meeting, actor: Any) -> None:
    """Placed in a slot by a participant accepting, or by the organiser's scheduler (no actor)."""
    _meeting(meeting.request, actor, MeetingEventKind.BOOKED, {"slot": [None, meeting.slot_id], "table": meeting.table})


def meeting_unbooked(*, meeting: Meeting, actor: Any) -> None:
    _meeting(meeting.request, actor, MeetingEventKind.UNBOOKED, {"slot": [meeting.slot_id, None]})


def meeting_marked(*, meeting: Meeting, actor: Any, before: str) -> None:
    _meeting(meeting.request, actor, MeetingEventKind.MARKED, {"status": [before, meeting.status]})


def meeting_rated(*, meeting: Meeting, actor: Any, participant: Participant, outcome: str) -> None:
    _meeting(meeting.request, actor, MeetingEventKind.RATED, {"participant": participant.pk, "outcome": outcome})


def meeting_host_confirmed(*, meeting: Meeting, actor: Any) -> None:
    _meeting(meeting.request, actor, MeetingEventKind.HOST_CONFIRMED, {"slot": meeting.slot_id})


def meeting_host_declined(*, meeting: Meeting, actor: Any, reason: str) -> None:
    _meeting(meeting.request, actor, MeetingEventKind.HOST_DECLINED, {"slot": meeting.slot_id, "reason": reason})
