"""iCalendar (RFC 5545) files of a participant's meetings: a one-off download and a subscribable feed.

Written by hand rather than with a library because the subset is small: one VCALENDAR of VEVENTs
whose times are all in UTC ("Z"), so no VTIMEZONE is needed and every calendar program reads
them the same way. Text is escaped (§3.3.11), lines end in CRLF and are folded at 75 octets
without splitting a UTF-8 character (§3.1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.events import selectors, visit_selectors
from silkbridge.events.models import Meeting, Participant

PRODUCT_ID = "-//Silkbridge//Events//EN"
FEED_REFRESH = timedelta(hours=1)
LINE_OCTETS = 75
CRLF = "\r\n"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT in plain values; `starts_at`/`ends_at` are aware datetimes."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    # The text of a display alarm 30 minutes before (RFC 5545 §3.6.6); none where empty.
    alarm: str = ""
    # CONFIRMED, or TENTATIVE while a delegation visit's host has not confirmed the meeting (RFC 5545 §3.8.1.11).
    status: str = "CONFIRMED"


ALARM_TRIGGER = "-PT30M"


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form, e.g. 20250301T050000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, continuation lines starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line
    pieces: list[str] = []
    current = ""
    current_octets = 0
    limit = LINE_OCTETS
    for character in line:
        size = len(character.encode("utf-8"))
        if current_octets + size > limit:
            pieces.append(current)
            current, current_octets = "", 0
            limit = LINE_OCTETS - 1  # the leading space of a continuation line counts
        current += character
        current_octets += size
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _property(name: str, value: str) -> str:
    return fold(f"{name}:{value}")


def render_calendar(
    *,
    events: Iterable[CalendarEvent],
    name: str = "",
    refresh: timedelta | None = None,
    stamp: datetime | None = None,
) -> str:
    """A complete VCALENDAR; `name` and `refresh` make it a feed (X-WR-CALNAME, REFRESH-INTERVAL)."""
    stamp_text = utc_stamp(stamp or timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(_property("X-WR-CALNAME", escape_text(name)))
    if refresh is not None:
        duration = _duration(refresh)
        lines.append(f"REFRESH-INTERVAL;VALUE=DURATION:{duration}")
        lines.append(f"X-PUBLISHED-TTL:{duration}")
    for event in events:
        lines.extend(
            [
                "BEGIN:VEVENT",
                _property("UID", event.uid),
                f"DTSTAMP:{stamp_text}",
                f"DTSTART:{utc_stamp(event.starts_at)}",
                f"DTEND:{utc_stamp(event.ends_at)}",
                _property("SUMMARY", escape_text(event.summary)),
            ]
        )
        if event.location:
            lines.append(_property("LOCATION", escape_text(event.location)))
        if event.description:
            lines.append(_property("DESCRIPTION", escape_text(event.description)))
        if event.url:
            lines.append(_property("URL", event.url))
        lines.extend([f"STATUS:{event.status}", "TRANSP:OPAQUE"])
        if event.alarm:
            lines.extend(
                [
                    "BEGIN:VALARM",
                    f"TRIGGER:{ALARM_TRIGGER}",
                    "ACTION:DISPLAY",
                    _property("DESCRIPTION", escape_text(event.alarm)),
                    "END:VALARM",
                ]
            )
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return CRLF.join(lines) + CRLF


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return (
        "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{seconds}S" if seconds else "")
    )


# --- meetings -> calendar events --------------------------------------------------------------------


def meeting_location(meeting: Meeting) -> str:
    """Where to go: the slot's place and table, or the video room for a meeting without a place."""
    parts = []
    if meeting.slot.location:
        parts.append(meeting.slot.location)
    if meeting.table:
        parts.append(_("Table %(number)s") % {"number": meeting.table})
    place = ", ".join(parts)
    if meeting.video_url:
        return f"{place} / {meeting.video_url}" if place else meeting.video_url
    return place


def meeting_event(*, meeting: Meeting, participant: Participant, agenda_url: str) -> CalendarEvent:
    other = selectors.counterpart(meeting=meeting, participant=participant)
    other_name = other.organisation.name_en
    lines = [
        _("Event: %(event)s") % {"event": meeting.event.title},
        _("Meeting with: %(organisation)s") % {"organisation": other_name},
    ]
    if other.organisation.name_local and other.organisation.name_local != other_name:
        lines.append(other.organisation.name_local)
    if participant.interpreter_needed or other.interpreter_needed:
        lines.append(_("Interpreter needed"))
    if meeting.video_url:
        lines.append(_("Video room: %(url)s") % {"url": meeting.video_url})
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}@silkbridge",
        starts_at=meeting.slot.starts_at,
        ends_at=meeting.slot.ends_at,
        summary=_("Meeting: %(organisation)s") % {"organisation": other_name},
        location=meeting_location(meeting),
        description="\n".join(lines),
        url=agenda_url,
        alarm=_("Meeting with %(organisation)s in 30 minutes") % {"organisation": other_name},
    )


def delegation_item_event(*, item: visit_selectors.AgendaItem, agenda_url: str) -> CalendarEvent:
    """A leg, site visit or meeting of a delegation visit; the description gives its local times."""
    local = _("Local time: %(start)s (UTC%(start_offset)s) → %(end)s (UTC%(end_offset)s)") % {
        "start": item.local_start.strftime("%Y-%m-%d %H:%M"),
        "start_offset": item.local_start.strftime("%z"),
        "end": item.local_end.strftime("%Y-%m-%d %H:%M"),
        "end_offset": item.local_end.strftime("%z"),
    }
    return CalendarEvent(
        uid=item.uid,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        summary=item.title,
        location=item.where,
        description="\n".join([local, *item.details]),
        url=agenda_url,
        status="TENTATIVE" if item.confirmed is False else "CONFIRMED",
    )


def agenda_url(participant: Participant) -> str:
    return settings.SITE_URL + reverse("events:agenda", kwargs={"slug": participant.event.slug})


def participant_calendar(*, participant: Participant, as_feed: bool = False, stamp: datetime | None = None) -> str:
    """The participant's agenda as .ics text; `as_feed` adds the name and refresh interval for subscriptions."""
    url = agenda_url(participant)
    if visit_selectors.is_delegation(participant.event):
        events = [
            delegation_item_event(item=item, agenda_url=url)
            for item in visit_selectors.delegation_agenda(participant=participant)
        ]
    else:
        events = [
            meeting_event(meeting=meeting, participant=participant, agenda_url=url)
            for meeting in selectors.agenda(participant=participant)
        ]
    name = ""
    if as_feed:
        name = _("%(event)s — %(organisation)s") % {
            "event": participant.event.title,
            "organisation": participant.organisation.name_en,
        }
    return render_calendar(events=events, name=name, refresh=FEED_REFRESH if as_feed else None, stamp=stamp)
