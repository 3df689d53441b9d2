"""Matchmaking events: slots, participants, meeting requests, meetings and their bookings, ratings.

The invariants users rely on are database constraints, not only scheduler rules: a participant is
never booked into two meetings in one slot (Booking: unique participant and slot) and a table is
never given twice in one slot (Meeting: unique slot and table).
"""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from silkbridge.core.models import HistoryRow, RunStatus
from silkbridge.core.runs import run_error_display
from silkbridge.events.choices import (
    DayPart,
    DeclineReason,
    EventKind,
    MeetingEventKind,
    MeetingOutcome,
    MeetingStatus,
    ParticipantEventKind,
    ParticipantStatus,
    PreferenceLevel,
    RequestMode,
    RequestPolicy,
    RequestStatus,
    ScheduleRunStatus,
    SchedulingMode,
)


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("“%(value)s” is not a time zone."), params={"value": value}) from error


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Event(models.Model):
    """A matchmaking event or a delegation visit, with its rules for requests and scheduling."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, max_length=20_000, validators=[MaxLengthValidator(20_000)]
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind, default=EventKind.VIRTUAL)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Karachi", validators=[validate_time_zone])
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    participant_cap = models.PositiveIntegerField(_("participant cap"), null=True, blank=True)
    requires_approval = models.BooleanField(_("registrations need staff approval"), default=False)
    request_policy = models.CharField(
        _("who may request whom"), max_length=16, choices=RequestPolicy, default=RequestPolicy.ANY
    )
    request_mode = models.CharField(
        _("request mode"), max_length=12, choices=RequestMode, default=RequestMode.ACCEPTANCE
    )
    scheduling_mode = models.CharField(
        _("scheduling mode"), max_length=14, choices=SchedulingMode, default=SchedulingMode.ORGANISER
    )
    default_min_meetings = models.PositiveSmallIntegerField(_("minimum meetings per participant"), default=0)
    default_max_meetings = models.PositiveSmallIntegerField(_("maximum meetings per participant"), default=12)
    video_room_base_url = models.URLField(_("video room base address"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("-registration_opens_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="events_event_registration_window",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(default_max_meetings__gte=F("default_min_meetings")),
                name="events_event_meeting_targets",
                violation_error_message=_("The maximum number of meetings is below the minimum."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Slot(models.Model):
    """One meeting slot; `tables` None means unlimited (a virtual event)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    tables = models.PositiveIntegerField(_("tables or rooms"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ("starts_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "starts_at"],
                name="events_slot_unique_start",
                violation_error_message=_("The event already has a slot starting then."),
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=5),
                name="events_slot_minutes",
                violation_error_message=_("A slot lasts at least 5 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.starts_at.isoformat()}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class Participant(models.Model):
    """An organisation registered for an event; its representatives share one schedule."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=ParticipantStatus, default=ParticipantStatus.PENDING)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("representatives"), related_name="event_participations"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Karachi", validators=[validate_time_zone])
    interests = models.TextField(_("interests"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    min_meetings = models.PositiveSmallIntegerField(_("minimum meetings"), default=0)
    max_meetings = models.PositiveSmallIntegerField(_("maximum meetings"), default=12)
    interpreter_needed = models.BooleanField(_("interpreter needed (Chinese ↔ English/Urdu)"), default=False)
    available_slots = models.ManyToManyField(Slot, verbose_name=_("available in"), related_name="+", blank=True)
    feed_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ("event", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                name="events_participant_once",
                violation_error_message=_("This organisation is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=Q(max_meetings__gte=F("min_meetings")),
                name="events_participant_meeting_targets",
                violation_error_message=_("The maximum number of meetings is below the minimum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.event}"


class Preference(models.Model):
    """How much one participant wants to meet another (must / would like / no thanks)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="preferences")
    target = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("preference"), max_length=12, choices=PreferenceLevel)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.UniqueConstraint(fields=["participant", "target"], name="events_preference_once"),
            models.CheckConstraint(
                condition=~Q(participant=F("target")),
                name="events_preference_not_self",
                violation_error_message=_("A participant cannot rate itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.target_id}: {self.level}"


class MeetingRequest(models.Model):
    """A request by one participant to meet another, and its answer."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="requests_sent")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="requests_received")
    message = models.TextField(_("message"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    day_part = models.CharField(_("when"), max_length=10, choices=DayPart, default=DayPart.ANY)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus, default=RequestStatus.PENDING)
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason, blank=True)
    decline_note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                name="events_request_once",
                violation_error_message=_("You have already sent this participant a request."),
            ),
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")),
                name="events_request_not_self",
                violation_error_message=_("A participant cannot request a meeting with itself."),
            ),
        ]
        # Analytics (requests sent in a period, per event and status): read from this index alone.
        indexes = [models.Index(fields=["created_at", "event", "status", "id"], name="events_request_created")]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"


class Meeting(models.Model):
    """An accepted request placed in a slot (and at a table where tables are limited)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="meetings")
    table = models.PositiveIntegerField(_("table"), null=True, blank=True)
    is_fixed = models.BooleanField(_("fixed"), default=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus, default=MeetingStatus.SCHEDULED)
    video_url = models.URLField(_("video room"), blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    # A delegation visit: when the host's side confirmed the slot the scheduler gave it (empty: awaiting).
    host_confirmed_at = models.DateTimeField(_("confirmed by the host"), null=True, blank=True)
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ("slot__starts_at", "table", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(table__isnull=False),
                name="events_meeting_table_once_per_slot",
                violation_error_message=_("This table is already taken in this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot}"


class Booking(models.Model):
    """One participant's place in one meeting: the row that makes double booking impossible."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "slot"],
                name="events_booking_participant_once_per_slot",
                violation_error_message=_("This participant already has a meeting in this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.slot_id}"


class MeetingRating(models.Model):
    """A participant's short verdict after a meeting; "cooperation possible" is a lead to follow."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=24, choices=MeetingOutcome)
    comment = models.TextField(_("comment"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting rating")
        verbose_name_plural = _("meeting ratings")
        constraints = [models.UniqueConstraint(fields=["meeting", "participant"], name="events_rating_once")]
        # Analytics (ratings given in a period, by outcome): read from this index alone.
        indexes = [models.Index(fields=["created_at", "meeting", "outcome", "id"], name="events_rating_created")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.outcome}"

    @property
    def is_lead(self) -> bool:
        return self.outcome == MeetingOutcome.COOPERATION_POSSIBLE


# How the background run's state reads as a scheduler run's (the API's ScheduleRunStatus).
_RUN_STATUS_AS_SCHEDULE_STATUS = {
    RunStatus.QUEUED: ScheduleRunStatus.QUEUED,
    RunStatus.RUNNING: ScheduleRunStatus.RUNNING,
    RunStatus.SUCCEEDED: ScheduleRunStatus.FINISHED,
    RunStatus.FAILED: ScheduleRunStatus.FAILED,
}


class ScheduleRun(models.Model):
    """One run of the scheduler over an event: what it placed, its bound and why requests stayed out.

    Its state (queued, running, finished or failed), who started it, when, and any error live on its
    background run (`run`, a core.Run), the one truth the worker, the reaper and the run page share.
    At most one run per event is queued or running at a time, held by the database through the run's
    exclusive key (`schedule_run_key`): a second start fails on the constraint and leaves no row.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    run = models.OneToOneField("core.Run", on_delete=models.PROTECT, related_name="schedule_run")
    seed = models.IntegerField(default=0)
    time_limit = models.FloatField(default=30.0)
    placed = models.PositiveIntegerField(default=0)
    objective = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    idle_gaps = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    unscheduled = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")
        ordering = ("-pk",)

    def __str__(self) -> str:
        return f"{self.event_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def status(self) -> str:
        return _RUN_STATUS_AS_SCHEDULE_STATUS[RunStatus(self.run.status)]

    def get_status_display(self) -> str:
        return str(ScheduleRunStatus(self.status).label)

    @property
    def started_at(self) -> datetime:
        return self.run.created_at

    @property
    def finished_at(self) -> datetime | None:
        return self.run.finished_at

    @property
    def started_by(self) -> Any:
        return self.run.created_by

    @property
    def error(self) -> str:
        return run_error_display(self.run)


def schedule_run_key(event: Event) -> str:
    """The exclusive key of an event's scheduler runs: one queued or running at a time."""
    return f"events.schedule:{event.pk}"


class ParticipantEvent(HistoryRow):
    """One row of a registration's history: who changed it, when, and what changed."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=24, choices=ParticipantEventKind)

    class Meta(HistoryRow.Meta):
        verbose_name = _("registration history entry")
        verbose_name_plural = _("registration history")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class MeetingEvent(HistoryRow):
    """One row of a meeting's history, kept on its request (a cancelled meeting's row is deleted, its
    history is not): who requested, answered, booked, cancelled, marked or rated it, and when."""

    request = models.ForeignKey(
        MeetingRequest, verbose_name=_("meeting request"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=24, choices=MeetingEventKind)

    class Meta(HistoryRow.Meta):
        verbose_name = _("meeting history entry")
        verbose_name_plural = _("meeting history")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


# --- delegation visits ------------------------------------------------------------------------------
# A delegation visit is an Event of kind "delegation": its slot grid covers every city day, its
# participants are the delegation's members (companies from abroad) and its hosts (Pakistani
# organisations), and its meetings are booked and scheduled like any event's. What it adds is where the
# delegation is when: stops, the legs between them, and zone site visits (docs/events.md).


class VisitStop(models.Model):
    """One city of a delegation visit, from arrival to departure: its meetings with hosts take place here."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="stops")
    city = models.CharField(_("city"), max_length=100)
    arrives_at = models.DateTimeField(_("arrives"))
    leaves_at = models.DateTimeField(_("leaves"))
    address = models.CharField(_("where the delegation meets its hosts"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ("arrives_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(leaves_at__gt=F("arrives_at")),
                name="events_stop_leaves_after_arrival",
                violation_error_message=_("The delegation must leave the city after it arrives."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.arrives_at:%Y-%m-%d}"


class VisitLeg(models.Model):
    """A journey of the whole delegation between two cities; no member meets anyone while it lasts."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="legs")
    from_city = models.CharField(_("from"), max_length=100)
    to_city = models.CharField(_("to"), max_length=100)
    departs_at = models.DateTimeField(_("departs"))
    arrives_at = models.DateTimeField(_("arrives"))
    carrier = models.CharField(_("flight, train or road"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("travel leg")
        verbose_name_plural = _("travel legs")
        ordering = ("departs_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(arrives_at__gt=F("departs_at")),
                name="events_leg_arrives_after_departure",
                violation_error_message=_("A leg must arrive after it departs."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_city} → {self.to_city} {self.departs_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.arrives_at - self.departs_at).total_seconds() // 60)


class SiteVisit(models.Model):
    """A visit of members of the delegation to a zone, in the city the delegation is in at the time;
    it may belong to a company's relocation request (and so to the zone's relocation case)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="site_visits")
    zone = models.ForeignKey("zones.Zone", verbose_name=_("zone"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    attendees = models.ManyToManyField(
        Participant, verbose_name=_("members who go"), related_name="site_visits", blank=True
    )
    relocation_request = models.ForeignKey(
        "zones.RelocationRequest",
        verbose_name=_("relocation request"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    contact = models.CharField(_("contact on site"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=15),
                name="events_site_visit_minutes",
                violation_error_message=_("A site visit lasts at least 15 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)
