"""Shapes of the events API. Times are ISO 8601 with an offset: UTC, and where a field says so, the
viewer's zone (the participant's own zone, or `?tz=`), so clients never convert time zones themselves.

Schemas never expose another participant's private data: feed tokens, availability and
representatives appear nowhere; a participant's own registration shows its availability only to itself.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Annotated, Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Schema
from pydantic import AwareDatetime, field_validator

from silkbridge.core.schemas import HistoryEntryOut
from silkbridge.directory.selectors import NO_MEMBERS_NOTE
from silkbridge.events.choices import (
    DayPart,
    DeclineReason,
    EventKind,
    MeetingOutcome,
    MeetingStatus,
    ParticipantStatus,
    PreferenceLevel,
    RequestMode,
    RequestPolicy,
    RequestStatus,
    ScheduleRunStatus,
    SchedulingMode,
)
from silkbridge.events.selectors import REQUEST_TOLD_NOTE, recipient_has_readers

TIME_ZONE_DESCRIPTION = "IANA time zone, e.g. Asia/Karachi or Asia/Shanghai."
# Ids are bounded to the database's integer range: a larger number is a 422, not a driver overflow.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


@dataclass
class Viewer:
    """Who is looking, for the fields that depend on it: local times, counterpart, own preferences."""

    time_zone: tzinfo = UTC
    participant_id: int | None = None
    preferences: dict[int, str] = field(default_factory=dict)


VIEWER_ATTRIBUTE = "events_viewer"


def viewer_of(context: Any) -> Viewer:
    request = (context or {}).get("request")
    return getattr(request, VIEWER_ATTRIBUTE, None) or Viewer()


def _check_time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"“{value}” is not a time zone.") from error
    return value


# --- events and slots -------------------------------------------------------------------------------


class BreakIn(Schema):
    starts: time = Field(..., description="Local time in the event's zone, e.g. 12:30.")
    ends: time


class SlotGridIn(Schema):
    """Slots of `minutes` cut out of each day, in the event's time zone, skipping the breaks."""

    days: list[date] = Field(..., min_length=1, max_length=62, description="Event days, e.g. 2025-05-14.")
    day_start: time = Field(..., description="Local start of each day in the event's zone, e.g. 09:00.")
    day_end: time = Field(..., description="Local end of each day, e.g. 17:00.")
    minutes: int = Field(..., ge=5, le=480, description="Length of one slot.")
    breaks: list[BreakIn] = Field(default_factory=list, max_length=10)
    tables: int | None = Field(None, ge=1, le=10_000, description="Tables or rooms per slot; null: unlimited.")
    location: str = Field("", max_length=200)


class EventIn(Schema):
    slug: str = Field(..., min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=20_000)
    kind: EventKind = EventKind.VIRTUAL
    time_zone: str = Field("Asia/Karachi", max_length=64, description=TIME_ZONE_DESCRIPTION)
    venue: str = Field("", max_length=200)
    registration_opens_at: AwareDatetime
    registration_closes_at: AwareDatetime
    participant_cap: int | None = Field(None, ge=1, le=100_000)
    requires_approval: bool = False
    request_policy: RequestPolicy = RequestPolicy.ANY
    request_mode: RequestMode = RequestMode.ACCEPTANCE
    scheduling_mode: SchedulingMode = SchedulingMode.ORGANISER
    default_min_meetings: int = Field(0, ge=0, le=1000)
    default_max_meetings: int = Field(12, ge=0, le=1000)
    video_room_base_url: str = Field("", max_length=200)
    is_published: bool = True
    slots: SlotGridIn | None = Field(None, description="Optional slot grid, created with the event.")


class EventOut(Schema):
    slug: str
    title: str
    description: str
    kind: EventKind
    time_zone: str
    venue: str
    registration_opens_at: datetime
    registration_closes_at: datetime
    participant_cap: int | None
    requires_approval: bool
    request_policy: RequestPolicy
    request_mode: RequestMode
    scheduling_mode: SchedulingMode
    default_min_meetings: int
    default_max_meetings: int
    is_published: bool
    participant_count: int = Field(0, description="Registrations of every status.")


class EventFilters(Schema):
    q: str = Field("", max_length=200, description="Words of the title.")
    kind: EventKind | None = None


class SlotOut(Schema):
    id: int
    starts_at: datetime = Field(..., description="UTC.")
    ends_at: datetime
    minutes: int
    tables: int | None
    location: str
    time_zone: str = Field("UTC", description="The zone of `local_starts_at` and `local_ends_at`.")
    local_starts_at: datetime | None = None
    local_ends_at: datetime | None = None

    @staticmethod
    def resolve_time_zone(obj: Any, context: Any) -> str:
        return str(viewer_of(context).time_zone)

    @staticmethod
    def resolve_local_starts_at(obj: Any, context: Any) -> datetime:
        return obj.starts_at.astimezone(viewer_of(context).time_zone)

    @staticmethod
    def resolve_local_ends_at(obj: Any, context: Any) -> datetime:
        return obj.ends_at.astimezone(viewer_of(context).time_zone)


class SlotFilters(Schema):
    tz: str = Field("", max_length=64, description="Show local times in this zone instead of your participant's zone.")

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_time_zone(value) if value else value


class SlotsGeneratedOut(Schema):
    created: int = Field(..., description="Slots added; slots that already existed are kept.")
    slot_count: int = Field(..., description="Slots the event has now.")


# --- participants -----------------------------------------------------------------------------------


class OrganisationBriefOut(Schema):
    key: str
    name_en: str
    name_local: str
    country: str
    city: str
    sectors: list[str]

    @staticmethod
    def resolve_sectors(obj: Any) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]


class ParticipantOut(Schema):
    """Another participant, as every approved participant sees it."""

    id: int
    organisation: OrganisationBriefOut
    interests: str
    interpreter_needed: bool
    my_preference: PreferenceLevel | None = Field(None, description="Your preference for meeting them.")

    @staticmethod
    def resolve_my_preference(obj: Any, context: Any) -> str | None:
        return viewer_of(context).preferences.get(obj.pk)


class ParticipantFilters(Schema):
    q: str = Field("", max_length=200, description="Words of the name, description or interests.")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2 code, e.g. CN.")
    sector: str = Field("", max_length=40, description="Sector code; a focus field includes its sub-fields.")


class RegistrationIn(Schema):
    organisation: str = Field(..., min_length=1, max_length=80, description="The organisation's key.")
    time_zone: str = Field(..., max_length=64, description=TIME_ZONE_DESCRIPTION)
    slots: list[ObjectId] | None = Field(
        None, max_length=10_000, description="Slot ids you are available in; default: 09:00–18:00 in your zone."
    )
    interests: str = Field("", max_length=5000)
    interpreter_needed: bool = False
    max_meetings: int | None = Field(None, ge=0, le=1000, description="Default: the event's maximum.")

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_time_zone(value)


class RegistrationPatch(Schema):
    time_zone: str | None = Field(None, max_length=64, description=TIME_ZONE_DESCRIPTION)
    slots: list[ObjectId] | None = Field(None, max_length=10_000, description="Replaces your availability.")
    interests: str | None = Field(None, max_length=5000)
    interpreter_needed: bool | None = None
    max_meetings: int | None = Field(None, ge=0, le=1000)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return _check_time_zone(value) if value is not None else value


class RegistrationOut(Schema):
    """A registration as its own representatives and staff see it."""

    id: int
    event: str = Field(..., alias="event.slug")
    organisation: OrganisationBriefOut
    status: ParticipantStatus
    time_zone: str
    interests: str
    interpreter_needed: bool
    min_meetings: int
    max_meetings: int
    slots: list[int] = Field(..., description="Slot ids the participant is available in.")
    registered_at: datetime

    @staticmethod
    def resolve_slots(obj: Any) -> list[int]:
        return sorted(slot.pk for slot in obj.available_slots.all())


class ParticipantStatusIn(Schema):
    status: ParticipantStatus


class PreferenceIn(Schema):
    level: PreferenceLevel | None = Field(..., description="null removes the preference.")


class PreferenceOut(Schema):
    target: int
    level: PreferenceLevel | None


# --- requests ---------------------------------------------------------------------------------------


class ParticipantBriefOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.key")
    name: str = Field(..., alias="organisation.name_en")
    country: str = Field(..., alias="organisation.country")


class MeetingBriefOut(Schema):
    id: int
    slot: int = Field(..., alias="slot_id")
    starts_at: datetime = Field(..., alias="slot.starts_at")
    table: int | None
    status: MeetingStatus


class RequestIn(Schema):
    recipient: int = Field(..., ge=1, le=MAX_ID, description="The participant id of the organisation you want to meet.")
    message: str = Field("", max_length=2000)
    day_part: DayPart = DayPart.ANY


class RequestOut(Schema):
    id: int
    requester: ParticipantBriefOut
    recipient: ParticipantBriefOut
    message: str
    day_part: DayPart
    status: RequestStatus
    decline_reason: DeclineReason | Literal[""]
    decline_note: str
    created_at: datetime
    answered_at: datetime | None
    meeting: MeetingBriefOut | None = None
    recipient_has_readers: bool = Field(
        ...,
        description="False when nobody on Silkbridge can read the request (the recipient's organisation has no "
        "members yet): staff's queue keeps it and passes it on (see `delivery_note`).",
    )
    delivery_note: str = Field(..., description="What happens to the request now, in the caller's language.")

    @staticmethod
    def resolve_meeting(obj: Any) -> Any:
        try:
            return obj.meeting
        except ObjectDoesNotExist:
            return None

    # The request selectors annotate `recipient_has_readers` (one query for a whole list).
    @staticmethod
    def resolve_recipient_has_readers(obj: Any) -> bool:
        return recipient_has_readers(obj)

    @staticmethod
    def resolve_delivery_note(obj: Any) -> str:
        return str(REQUEST_TOLD_NOTE if recipient_has_readers(obj) else NO_MEMBERS_NOTE)


class RequestFilters(Schema):
    box: Literal["received", "sent"] = Field("received", description="Requests you received or sent.")
    status: RequestStatus | None = None
    participant: int | None = Field(None, ge=1, le=MAX_ID, description="Staff: whose requests (default: your own).")


class AnswerIn(Schema):
    accept: bool
    reason: DeclineReason | None = Field(None, description="Required when declining.")
    note: str = Field("", max_length=500)
    slot: int | None = Field(None, ge=1, le=MAX_ID, description="When accepting: book this free slot now.")


# --- meetings ---------------------------------------------------------------------------------------


class RatingOut(Schema):
    outcome: MeetingOutcome
    comment: str
    created_at: datetime


class AgendaItemOut(Schema):
    """One of your meetings; `local_*` times are in your participant's zone."""

    id: int
    status: MeetingStatus
    slot: int = Field(..., alias="slot_id")
    starts_at: datetime = Field(..., alias="slot.starts_at", description="UTC.")
    ends_at: datetime = Field(..., alias="slot.ends_at")
    time_zone: str = "UTC"
    local_starts_at: datetime | None = None
    local_ends_at: datetime | None = None
    counterpart: ParticipantBriefOut | None = None
    table: int | None
    location: str = Field(..., alias="slot.location")
    video_url: str
    interpreter_needed: bool = Field(False, description="One of the two asked for an interpreter.")
    my_rating: RatingOut | None = None

    @staticmethod
    def resolve_time_zone(obj: Any, context: Any) -> str:
        return str(viewer_of(context).time_zone)

    @staticmethod
    def resolve_local_starts_at(obj: Any, context: Any) -> datetime:
        return obj.slot.starts_at.astimezone(viewer_of(context).time_zone)

    @staticmethod
    def resolve_local_ends_at(obj: Any, context: Any) -> datetime:
        return obj.slot.ends_at.astimezone(viewer_of(context).time_zone)

    @staticmethod
    def resolve_counterpart(obj: Any, context: Any) -> Any:
        request = obj.request
        return request.recipient if request.requester_id == viewer_of(context).participant_id else request.requester

    @staticmethod
    def resolve_interpreter_needed(obj: Any) -> bool:
        return bool(obj.request.requester.interpreter_needed or obj.request.recipient.interpreter_needed)

    @staticmethod
    def resolve_my_rating(obj: Any) -> Any:
        ratings = list(obj.ratings.all())  # prefetched for this participant only
        return ratings[0] if ratings else None


class RatingIn(Schema):
    outcome: MeetingOutcome
    comment: str = Field("", max_length=2000)


class MeetingOut(Schema):
    """A meeting as staff see it."""

    id: int
    request: int = Field(..., alias="request_id")
    requester: ParticipantBriefOut = Field(..., alias="request.requester")
    recipient: ParticipantBriefOut = Field(..., alias="request.recipient")
    slot: int = Field(..., alias="slot_id")
    starts_at: datetime = Field(..., alias="slot.starts_at")
    ends_at: datetime = Field(..., alias="slot.ends_at")
    table: int | None
    status: MeetingStatus
    is_fixed: bool
    video_url: str
    checked_in_at: datetime | None


class MeetingFilters(Schema):
    slot: int | None = Field(None, ge=1, le=MAX_ID, description="Slot id.")
    status: MeetingStatus | None = None


class MeetingMarkIn(Schema):
    status: MeetingStatus = Field(..., description="checked_in, no_show or scheduled.")


# --- scheduling and figures -------------------------------------------------------------------------


class ScheduleIn(Schema):
    time_limit: float = Field(
        30.0,
        ge=1,
        le=600,
        description="Seconds the scheduler may run: at most SILKBRIDGE_SCHEDULER_MAX_TIME_LIMIT (120 by default), "
        "counted against the caller's hourly budget.",
    )
    seed: int = Field(0, ge=0, le=2**31 - 1, description="The same seed gives the same plan.")


class UnscheduledOut(Schema):
    request: int
    reason: str = Field(..., description="no_common_slot, limit, capacity, changed, or not_run.")

    @staticmethod
    def resolve_request(obj: Any) -> int:
        return int(str(obj["request"]).removeprefix("r"))


class ScheduleRunOut(Schema):
    id: int
    run: int = Field(..., description="Its background run: GET /api/v1/runs/{run}.")
    status: ScheduleRunStatus
    started_at: datetime
    finished_at: datetime | None
    seed: int
    time_limit: float
    placed: int = Field(..., description="Meetings this run added.")
    objective: float | None = Field(..., description="Total weight of the scheduled requests.")
    upper_bound: float | None = Field(..., description="No plan can have a higher weight.")
    gap: float | None = Field(None, description="(upper_bound − objective) / upper_bound; 0 is proven optimal.")
    idle_gaps: int | None
    seconds: float | None
    unscheduled: list[UnscheduledOut]

    @staticmethod
    def resolve_run(obj: Any) -> int:
        return int(obj.run_id)

    @staticmethod
    def resolve_gap(obj: Any) -> float | None:
        if obj.objective is None or obj.upper_bound is None:
            return None
        if obj.upper_bound <= 1e-9:
            return 0.0
        return max(0.0, (obj.upper_bound - obj.objective) / obj.upper_bound)


class AcceptedUnscheduledOut(Schema):
    request: int
    requester: int
    recipient: int
    reason: str = Field(
        ...,
        description="Why the last scheduler run left it out (no_common_slot, limit, capacity, changed); "
        "not_run: no run since.",
    )

    @staticmethod
    def resolve_request(obj: Any) -> int:
        return obj["request"].pk

    @staticmethod
    def resolve_requester(obj: Any) -> int:
        return obj["request"].requester_id

    @staticmethod
    def resolve_recipient(obj: Any) -> int:
        return obj["request"].recipient_id


class SlotFiguresOut(Schema):
    slot: int
    starts_at: datetime
    meetings: int
    tables: int | None
    occupancy: float | None = Field(..., description="Meetings per table, 0–1; null: unlimited tables.")

    @staticmethod
    def resolve_slot(obj: Any) -> int:
        return obj["slot"].pk

    @staticmethod
    def resolve_starts_at(obj: Any) -> datetime:
        return obj["slot"].starts_at


class CountryFiguresOut(Schema):
    participants: int
    requests: int = Field(..., description="Requests sent by the country's participants.")
    meetings: int


class DashboardOut(Schema):
    registrations: int
    approved: int
    pending_registrations: int
    requests: int
    requests_by_status: dict[str, int]
    acceptance_rate: float | None = Field(..., description="Accepted / answered, 0–1.")
    meetings: int
    checked_in: int
    no_shows: int
    interpreter_meetings: int
    accepted_unscheduled: list[AcceptedUnscheduledOut]
    slots: list[SlotFiguresOut]
    countries: dict[str, CountryFiguresOut]
    without_meeting: int = Field(..., description="Approved participants with no meeting yet.")
    leads: int = Field(..., description="Ratings saying cooperation is possible.")
    last_run: ScheduleRunOut | None


class RegistrationHistoryOut(HistoryEntryOut):
    participant: int = Field(..., description="The registration the row belongs to.")
    organisation: str = Field(..., description="Its organisation's name.")


class MeetingHistoryOut(HistoryEntryOut):
    request: int = Field(..., description="The meeting request the row belongs to (a meeting hangs on its request).")
    requester: str = Field(..., description="The requesting organisation's name.")
    recipient: str = Field(..., description="The receiving organisation's name.")


class EventHistoryOut(Schema):
    """The latest 200 rows of each list, newest first within a registration or a request."""

    registrations: list[RegistrationHistoryOut]
    meetings: list[MeetingHistoryOut]
