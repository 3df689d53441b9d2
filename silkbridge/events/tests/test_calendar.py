"""Calendar files: valid RFC 5545 (CRLF, folding, escaping), one VEVENT per meeting, times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from silkbridge.events import calendar, selectors, services
from silkbridge.events.tests import ics
from silkbridge.events.tests.factories import EventFactory, in_days, register

pytestmark = pytest.mark.django_db


def test_text_is_escaped_and_long_lines_fold_without_splitting_characters():
    name = "北京智能制造技术有限公司, Beijing; Shenzhen \\ Lahore\nsecond line " * 3
    text = calendar.render_calendar(
        events=[
            calendar.CalendarEvent(
                uid="meeting-1@silkbridge",
                starts_at=datetime(2025, 3, 4, 5, 0, tzinfo=UTC),
                ends_at=datetime(2025, 3, 4, 5, 30, tzinfo=UTC),
                summary=name,
                description=name,
            )
        ],
        stamp=datetime(2025, 1, 1, tzinfo=UTC),
    )
    parsed = ics.parse(text)  # asserts CRLF and the 75-octet limit on every physical line
    assert parsed["events"][0]["SUMMARY"] == name
    for escaped in ("\\;", "\\,", "\\n", "\\\\"):
        assert escaped in text
    assert "\r\n " in text  # it did fold


def test_fold_keeps_short_lines_and_counts_octets_not_characters():
    assert calendar.fold("SUMMARY:short") == "SUMMARY:short"
    folded = calendar.fold("SUMMARY:" + "数" * 40)  # 8 + 120 octets
    lines = folded.split("\r\n")
    assert [len(line.encode()) <= 75 for line in lines] == [True] * len(lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if index else line for index, line in enumerate(lines)) == "SUMMARY:" + "数" * 40


def test_a_feed_has_its_name_and_refresh_interval_and_an_empty_one_is_valid():
    text = calendar.render_calendar(events=[], name="Expo, day 1", refresh=timedelta(hours=1))
    parsed = ics.parse(text)
    assert parsed["events"] == []
    assert parsed["properties"]["X-WR-CALNAME"] == "Expo, day 1"
    assert parsed["properties"]["REFRESH-INTERVAL;VALUE=DURATION"] == "PT1H"
    assert parsed["properties"]["VERSION"] == "2.0"


def _meeting_between(event, first, second, slot):
    meeting_request = services.request_create(
        actor=first.representatives.get(), requester=first, recipient=second, message="Hello"
    )
    # The organiser places the meeting (participants pick slots only at events that let them).
    services.request_answer(actor=second.representatives.get(), meeting_request=meeting_request, accept=True)
    meeting_request.refresh_from_db()
    return services.meeting_book(meeting_request=meeting_request, slot=slot)


def test_the_participant_calendar_has_one_event_per_meeting_in_utc():
    event = EventFactory(
        slot_days=[in_days(10)],
        slot_start=time(10, 0),
        slot_end=time(11, 0),
        slot_tables=5,
        kind="hybrid",
        video_room_base_url="https://meet.example.org/rooms",
    )
    slots = list(event.slots.order_by("starts_at"))
    shanghai = register(event, country="CN", time_zone="Asia/Shanghai", interpreter_needed=True)
    karachi = register(event, country="PK")
    lahore = register(event, country="PK")
    first = _meeting_between(event, shanghai, karachi, slots[0])
    second = _meeting_between(event, lahore, shanghai, slots[1])

    parsed = ics.parse(calendar.participant_calendar(participant=shanghai))

    by_uid = {entry["UID"]: entry for entry in parsed["events"]}
    assert set(by_uid) == {f"meeting-{first.pk}@silkbridge", f"meeting-{second.pk}@silkbridge"}
    entry = by_uid[f"meeting-{first.pk}@silkbridge"]
    day = in_days(10)
    assert ics.utc(entry["DTSTART"]) == datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC)  # 10:00 PKT
    assert ics.utc(entry["DTEND"]) == datetime(day.year, day.month, day.day, 5, 30, tzinfo=UTC)
    assert entry["SUMMARY"] == f"Meeting: {karachi.organisation.name_en}"
    assert entry["LOCATION"] == f"Table 1 / {first.video_url}"
    assert event.title in entry["DESCRIPTION"]
    assert "Interpreter needed" in entry["DESCRIPTION"]
    assert entry["URL"].endswith(f"/events/{event.slug}/agenda/")
    assert "X-WR-CALNAME" not in parsed["properties"]  # a download, not a feed
    # The counterpart's calendar holds the same meeting under the same UID, and only its own meetings.
    other = ics.parse(calendar.participant_calendar(participant=karachi, as_feed=True))
    assert [entry["UID"] for entry in other["events"]] == [f"meeting-{first.pk}@silkbridge"]
    assert other["events"][0]["SUMMARY"] == f"Meeting: {shanghai.organisation.name_en}"
    assert other["properties"]["X-WR-CALNAME"] == f"{event.title} — {karachi.organisation.name_en}"


def test_a_cancelled_request_leaves_the_calendar():
    event = EventFactory(slot_days=[in_days(10)], slot_start=time(10, 0), slot_end=time(11, 0))
    first, second = register(event, country="CN"), register(event, country="PK")
    meeting = _meeting_between(event, first, second, event.slots.first())
    services.request_cancel(actor=first.representatives.get(), meeting_request=meeting.request)
    assert ics.parse(calendar.participant_calendar(participant=first))["events"] == []
    assert not selectors.agenda(participant=second).exists()


def test_each_meeting_in_the_calendar_carries_a_display_alarm_30_minutes_before():
    event = EventFactory(slot_days=[in_days(10)], slot_start=time(10, 0), slot_end=time(11, 0))
    first, second = register(event, country="CN", time_zone="Asia/Shanghai"), register(event, country="PK")
    _meeting_between(event, first, second, event.slots.order_by("starts_at").first())

    parsed = ics.parse(calendar.participant_calendar(participant=first))

    [entry] = parsed["events"]
    assert entry["alarms"] == [
        {
            "TRIGGER": "-PT30M",
            "ACTION": "DISPLAY",
            "DESCRIPTION": f"Meeting with {second.organisation.name_en} in 30 minutes",
        }
    ]
    # The DESCRIPTION of the event itself is still the event's, not the alarm's.
    assert event.title in entry["DESCRIPTION"]
