"""Participant pages: registration with availability in one's own zone, requests and answers, the agenda,
calendar download and feed, who may see what, and every page in three languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from silkbridge.accounts.tests.factories import MembershipFactory, UserFactory
from silkbridge.events import selectors, services
from silkbridge.events.models import MeetingRating, MeetingRequest, Participant
from silkbridge.events.tests import ics
from silkbridge.events.tests.factories import EventFactory, in_days, register, representative

pytestmark = pytest.mark.django_db
LANGUAGES = [("en", "en", "ltr"), ("zh-hans", "zh-Hans", "ltr"), ("ur", "ur", "rtl")]
CHECKED = re.compile(r'name="slots" value="(\d+)" id="slot-\d+" checked')


def _url(name, event, *args):
    return reverse(f"events:{name}", args=[event.slug, *args])


def _login(client, participant):
    user = participant.representatives.get()
    client.force_login(user)
    return user


def _meeting(first, second, slot):
    meeting_request = services.request_create(actor=first.representatives.get(), requester=first, recipient=second)
    # The organiser places the meeting (participants pick slots only at events that let them).
    services.request_answer(actor=second.representatives.get(), meeting_request=meeting_request, accept=True)
    meeting_request.refresh_from_db()
    return services.meeting_book(meeting_request=meeting_request, slot=slot)


@pytest.fixture
def event():
    """One day of 30-minute slots, 09:00–17:00 in Karachi (04:00–12:00 UTC)."""
    return EventFactory(slot_days=[in_days(14)])


# --- registration -----------------------------------------------------------------------------------


def _register_post(client, event, organisation, time_zone, slots, **fields):
    data = {
        "organisation": organisation.pk,
        "time_zone": time_zone,
        "interests": "Crop disease detection",
        "max_meetings": 10,
        "slots": slots,
        **fields,
    }
    return client.post(_url("register", event), data)


@pytest.mark.parametrize(
    ("time_zone", "first_shown", "expected_count"), [("Asia/Karachi", "09:00", 16), ("Asia/Shanghai", "12:00", 12)]
)
def test_registration_suggests_working_hours_of_the_participants_own_zone(
    client, event, time_zone, first_shown, expected_count
):
    user, organisation = representative(country="CN" if time_zone == "Asia/Shanghai" else "PK")
    user.time_zone = time_zone
    user.save()
    client.force_login(user)

    page = client.get(_url("register", event)).content.decode()

    checked = [int(pk) for pk in CHECKED.findall(page)]
    assert checked == services.default_availability(event=event, time_zone=time_zone)
    assert len(checked) == expected_count  # Shanghai's 09:00–18:00 ends at 15:00 in Karachi
    assert f'<span dir="ltr">{first_shown}–' in page
    response = _register_post(client, event, organisation, time_zone, checked)
    assert response.status_code == 302
    participant = Participant.objects.get(event=event, organisation=organisation)
    assert participant.time_zone == time_zone
    assert participant.status == "approved"
    assert participant.interests == "Crop disease detection"
    assert sorted(participant.available_slots.values_list("pk", flat=True)) == sorted(checked)
    assert list(participant.representatives.all()) == [user]


def test_the_suggest_button_shows_the_grid_in_another_zone_without_saving(client, event):
    user, organisation = representative()
    client.force_login(user)
    response = client.post(
        _url("register", event),
        {"organisation": organisation.pk, "time_zone": "Asia/Shanghai", "max_meetings": 5, "suggest": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Participant.objects.filter(organisation=organisation).exists()
    assert '<span dir="ltr">12:00–12:30</span>' in page  # 09:00 in Karachi
    assert len(CHECKED.findall(page)) == 12
    assert '<option value="Asia/Shanghai" selected>' in page


def test_editing_the_registration_keeps_a_booked_slot_or_says_why(client, event):
    slots = list(event.slots.all())
    participant = register(event, country="CN")
    other = register(event)
    _meeting(participant, other, slots[0])
    _login(client, participant)
    page = client.get(_url("register", event)).content.decode()
    assert "Your registration" in page
    assert 'name="organisation"' not in page  # the organisation is fixed once registered

    response = client.post(
        _url("register", event),
        {"time_zone": "Asia/Karachi", "max_meetings": 4, "slots": [slots[1].pk]},
    )
    assert response.status_code == 200
    assert "You already have a meeting in a slot you removed" in response.content.decode()
    participant.refresh_from_db()
    assert participant.max_meetings == 12  # nothing changed

    response = client.post(
        _url("register", event),
        {"time_zone": "Asia/Karachi", "max_meetings": 4, "slots": [slots[0].pk, slots[1].pk]},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.max_meetings == 4
    assert set(participant.available_slots.values_list("pk", flat=True)) == {slots[0].pk, slots[1].pk}


def test_a_user_without_an_organisation_is_told_to_add_one(client, event):
    client.force_login(UserFactory())
    page = client.get(_url("register", event)).content.decode()
    assert "you belong to none yet" in page
    assert reverse("directory:organisation_create") in page


def test_one_cannot_register_an_organisation_one_does_not_belong_to(client, event):
    user, _own = representative()
    _other_user, foreign = representative()
    client.force_login(user)
    response = _register_post(client, event, foreign, "Asia/Karachi", [])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Participant.objects.filter(organisation=foreign).exists()


def test_a_closed_registration_says_so_instead_of_a_form(client):
    event = EventFactory(
        registration_opens_at=timezone.now() - timedelta(days=10),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )
    user, _organisation = representative()
    client.force_login(user)
    page = client.get(_url("register", event)).content.decode()
    assert "Registration for this event is not open" in page
    assert 'name="slots"' not in page


# --- participants and requests ----------------------------------------------------------------------


def test_participants_are_listed_by_country_with_filters_and_preferences(client, event):
    viewer = register(event, country="CN")
    pakistani = register(event, country="PK", organisation_fields={"name_en": "Zeta Robotics"})
    chinese = register(event, country="CN", organisation_fields={"name_en": "Alpha Cloud"})
    _login(client, viewer)

    page = client.get(_url("participants", event)).content.decode()
    assert page.index("Alpha Cloud") < page.index("Zeta Robotics")  # CN before PK
    assert viewer.organisation.name_en not in page.split('class="card-list')[1]
    assert _url("request_new", event, pakistani.pk) in page
    filtered = client.get(_url("participants", event), {"country": "PK"}).content.decode()
    assert "Zeta Robotics" in filtered
    assert "Alpha Cloud" not in filtered

    response = client.post(
        _url("participants", event) + "?country=PK",
        {"target": chinese.pk, "level": "must", "next": _url("participants", event) + "?country=PK"},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("participants", event) + "?country=PK"
    assert viewer.preferences.get().level == "must"
    page = client.get(_url("participants", event)).content.decode()
    assert '<option value="must" selected>' in page


def test_a_request_is_sent_and_the_recipient_is_told(client, event, mailoutbox, django_capture_on_commit_callbacks):
    requester = register(event, country="CN")
    recipient = register(event, country="PK")
    _login(client, requester)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("request_new", event, recipient.pk), {"message": "Let us talk about drones.", "day_part": "morning"}
        )
    assert response.status_code == 302
    assert response["Location"] == _url("requests", event)
    meeting_request = MeetingRequest.objects.get()
    assert (meeting_request.requester, meeting_request.recipient, meeting_request.day_part) == (
        requester,
        recipient,
        "morning",
    )
    assert [message.to for message in mailoutbox] == [[recipient.representatives.get().email]]
    page = client.get(_url("requests", event)).content.decode()
    assert recipient.organisation.name_en in page
    assert "Waiting for an answer" in page


def test_a_cross_country_event_refuses_a_same_country_request_with_a_message(client):
    event = EventFactory(slot_days=[in_days(14)], request_policy="cross_country")
    requester = register(event, country="PK")
    neighbour = register(event, country="PK")
    _login(client, requester)
    listing = client.get(_url("participants", event)).content.decode()
    assert "meetings are only arranged across countries" in listing
    assert _url("request_new", event, neighbour.pk) not in listing

    response = client.post(_url("request_new", event, neighbour.pk), {"message": "Hi", "day_part": "any"})
    assert response.status_code == 200
    assert "At this event, meetings are only arranged across countries." in response.content.decode()
    assert MeetingRequest.objects.count() == 0


def test_a_pending_participant_cannot_request_yet(client):
    event = EventFactory(slot_days=[in_days(14)], requires_approval=True)
    requester = register(event, country="CN")
    recipient = register(event, country="PK")
    services.participant_set_status(actor=event.created_by, participant=recipient, status="approved")
    _login(client, requester)
    response = client.get(_url("participants", event))
    page = response.content.decode()
    assert response.status_code == 403
    assert "waiting for the organiser's approval" in page
    assert "Only approved participants and staff see who takes part." in page
    assert recipient.organisation.name_en not in page
    response = client.post(_url("request_new", event, recipient.pk), {"day_part": "any"})
    assert response.status_code == 403
    assert "Only approved participants and staff see who takes part." in response.content.decode()
    assert MeetingRequest.objects.count() == 0


def test_accepting_in_participants_pick_mode_books_the_chosen_slot(client):
    event = EventFactory(slot_days=[in_days(14)], scheduling_mode="participants", slot_tables=2)
    requester = register(event, country="PK")
    recipient = register(event, country="CN", time_zone="Asia/Shanghai")
    meeting_request = services.request_create(
        actor=requester.representatives.get(), requester=requester, recipient=recipient
    )
    free = selectors.free_slots(meeting_request=meeting_request)
    chosen = free[2]  # 10:00 in Karachi, 13:00 in Shanghai
    _login(client, recipient)

    page = client.get(_url("requests", event)).content.decode()
    assert f'<option value="{chosen.pk}">' in page
    assert re.search(rf'<option value="{chosen.pk}">[^<]*13:00–13:30 \(UTC\+0800\)</option>', page)

    response = client.post(
        _url("request_answer", event, meeting_request.pk),
        {"action": "accept", f"accept-{meeting_request.pk}-slot": chosen.pk},
    )
    assert response.status_code == 302
    meeting_request.refresh_from_db()
    assert meeting_request.status == "accepted"
    assert meeting_request.meeting.slot == chosen
    assert meeting_request.meeting.table == 1
    assert chosen not in selectors.free_slots(meeting_request=meeting_request)
    assert chosen.pk not in [slot.pk for slot in selectors.free_slots(meeting_request=meeting_request)]
    page = client.get(_url("requests", event)).content.decode()
    assert "13:00–13:30 UTC+0800" in page


def test_a_slot_taken_meanwhile_is_refused_beside_the_field(client):
    event = EventFactory(slot_days=[in_days(14)], scheduling_mode="participants")
    requester, recipient, third = (
        register(event, country="PK"),
        register(event, country="CN"),
        register(event, country="CN"),
    )
    meeting_request = services.request_create(
        actor=requester.representatives.get(), requester=requester, recipient=recipient
    )
    slot = selectors.free_slots(meeting_request=meeting_request)[0]
    _meeting(third, requester, slot)  # the requester is booked in that slot meanwhile
    _login(client, recipient)
    response = client.post(
        _url("request_answer", event, meeting_request.pk),
        {"action": "accept", f"accept-{meeting_request.pk}-slot": slot.pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    meeting_request.refresh_from_db()
    assert meeting_request.status == "pending"


def test_declining_needs_a_reason(client, event):
    requester, recipient = register(event, country="PK"), register(event, country="CN")
    meeting_request = services.request_create(
        actor=requester.representatives.get(), requester=requester, recipient=recipient
    )
    _login(client, recipient)
    answer = _url("request_answer", event, meeting_request.pk)

    response = client.post(answer, {"action": "decline", f"decline-{meeting_request.pk}-note": "Sorry"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert f'id="id_decline-{meeting_request.pk}-reason_error"' in page
    meeting_request.refresh_from_db()
    assert meeting_request.status == "pending"

    response = client.post(
        answer,
        {
            "action": "decline",
            f"decline-{meeting_request.pk}-reason": "no_time",
            f"decline-{meeting_request.pk}-note": "Sorry",
        },
    )
    assert response.status_code == 302
    meeting_request.refresh_from_db()
    assert (meeting_request.status, meeting_request.decline_reason, meeting_request.decline_note) == (
        "declined",
        "no_time",
        "Sorry",
    )
    _login(client, requester)
    assert "Our schedule is full" in client.get(_url("requests", event)).content.decode()


def test_the_requester_can_cancel_and_the_meeting_goes_with_it(client, event):
    requester, recipient = register(event, country="PK"), register(event, country="CN")
    meeting = _meeting(requester, recipient, event.slots.first())
    _login(client, requester)
    assert "data-confirm=" in client.get(_url("requests", event)).content.decode()  # site.js asks
    response = client.post(_url("request_cancel", event, meeting.request.pk))
    assert response.status_code == 302
    meeting.request.refresh_from_db()
    assert meeting.request.status == "cancelled"
    assert not selectors.agenda(participant=requester).exists()


def test_only_the_recipient_answers_and_only_the_requester_cancels(client, event):
    requester, recipient, stranger = (
        register(event, country="PK"),
        register(event, country="CN"),
        register(event, country="CN"),
    )
    meeting_request = services.request_create(
        actor=requester.representatives.get(), requester=requester, recipient=recipient
    )
    _login(client, stranger)
    assert client.post(_url("request_answer", event, meeting_request.pk), {"action": "accept"}).status_code == 404
    assert client.post(_url("request_cancel", event, meeting_request.pk)).status_code == 404
    _login(client, requester)
    assert client.post(_url("request_answer", event, meeting_request.pk), {"action": "accept"}).status_code == 404
    meeting_request.refresh_from_db()
    assert meeting_request.status == "pending"


# --- agenda and calendars ---------------------------------------------------------------------------


@pytest.fixture
def ten_oclock():
    """An event with one slot at 10:00 in Karachi (05:00 UTC) and a meeting in it."""
    event = EventFactory(
        slot_days=[in_days(14)],
        slot_start=time(10, 0),
        slot_end=time(10, 30),
        slot_tables=3,
        kind="hybrid",
        video_room_base_url="https://meet.example.org",
    )
    shanghai = register(event, country="CN", time_zone="Asia/Shanghai", interpreter_needed=True)
    karachi = register(event, country="PK", time_zone="Asia/Karachi")
    meeting = _meeting(karachi, shanghai, event.slots.get())
    return event, shanghai, karachi, meeting


def test_the_agenda_shows_times_in_the_participants_zone(client, ten_oclock):
    event, shanghai, karachi, meeting = ten_oclock
    _login(client, shanghai)
    page = client.get(_url("agenda", event)).content.decode()
    assert '<strong dir="ltr">13:00–13:30</strong>' in page
    assert "Asia/Shanghai" in page
    assert "UTC+0800" in page
    assert karachi.organisation.name_en in page
    assert "Table 1" in page
    assert meeting.video_url in page
    assert "Interpreter needed" in page
    assert 'data-action="print"' in page  # site.js prints
    assert reverse("events:feed", args=[shanghai.feed_token]) in page

    _login(client, karachi)
    page = client.get(_url("agenda", event)).content.decode()
    assert '<strong dir="ltr">10:00–10:30</strong>' in page
    assert "UTC+0500" in page
    assert shanghai.organisation.name_en in page


def test_the_agenda_and_event_page_name_the_zone_and_offset_of_the_events_days_not_todays(client):
    """A London participant reading in winter an agenda for a summer event sees BST and UTC+0100, the
    zone its times are in, not today's GMT (and the other way round in summer)."""
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    today = timezone.now().astimezone(london).utcoffset()
    days = next(n for n in range(120, 250) if datetime.combine(in_days(n), time(12), london).utcoffset() != today)
    event = EventFactory(slot_days=[in_days(days)], slot_start=time(14, 0), slot_end=time(14, 30), slot_tables=3)
    visitor = register(event, country="GB", time_zone="Europe/London")
    host = register(event, country="PK", time_zone="Asia/Karachi")
    _meeting(host, visitor, event.slots.get())
    slot_start = event.slots.get().starts_at.astimezone(london)
    offset, name = slot_start.strftime("%z"), ("British Summer Time" if slot_start.dst() else "Greenwich Mean Time")
    assert offset != timezone.now().astimezone(london).strftime("%z")  # the test is about the season changing

    _login(client, visitor)
    page = client.get(_url("agenda", event)).content.decode()
    assert f"UTC{offset}" in page
    assert f"{name} (Europe/London)" in page


def test_the_agenda_download_parses_with_one_event_per_meeting_in_utc(client, ten_oclock):
    event, shanghai, _karachi, meeting = ten_oclock
    _login(client, shanghai)
    response = client.get(_url("agenda_ics", event))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-agenda.ics"'
    parsed = ics.parse(response.content.decode())
    assert [entry["UID"] for entry in parsed["events"]] == [f"meeting-{meeting.pk}@silkbridge"]
    day = in_days(14)
    assert ics.utc(parsed["events"][0]["DTSTART"]) == datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "shanghai_zone", "karachi_zone"),
    [
        ("en", "Beijing time (Asia/Shanghai)", "PKT (Asia/Karachi)"),
        ("zh-hans", "北京时间 (Asia/Shanghai)", "巴基斯坦时间 (Asia/Karachi)"),
        ("ur", "بیجنگ کا وقت (Asia/Shanghai)", "پاکستانی وقت (Asia/Karachi)"),
    ],
)
def test_the_agenda_names_the_zone_as_its_readers_do(client, ten_oclock, language, shanghai_zone, karachi_zone):
    event, shanghai, karachi, _meeting = ten_oclock
    for participant, zone in ((shanghai, shanghai_zone), (karachi, karachi_zone)):
        user = _login(client, participant)
        user.language = language
        user.save(update_fields=["language"])
        page = client.get(_url("agenda", event)).content.decode()
        assert f"<bdi>{zone}</bdi>" in page


def test_the_feed_address_is_the_sites_address_not_the_host_header(client, ten_oclock, settings):
    """Behind a proxy the Host header is an internal name: a calendar application subscribed to it would
    reach nothing. The address shown is the one the site is served at."""
    settings.SITE_URL = "https://silkbridge.example.org"
    event, shanghai, _karachi, _meeting = ten_oclock
    _login(client, shanghai)
    page = client.get(_url("agenda", event), HTTP_HOST="localhost").content.decode()
    path = reverse("events:feed", args=[shanghai.feed_token])
    assert f"https://silkbridge.example.org{path}" in page
    assert f"webcal://silkbridge.example.org{path}" in page
    assert f"http://localhost{path}" not in page


def test_the_feed_needs_no_sign_in_and_a_wrong_token_is_404(client, ten_oclock):
    event, shanghai, _karachi, meeting = ten_oclock
    response = client.get(reverse("events:feed", args=[shanghai.feed_token]))
    assert response.status_code == 200
    parsed = ics.parse(response.content.decode())
    assert [entry["UID"] for entry in parsed["events"]] == [f"meeting-{meeting.pk}@silkbridge"]
    assert parsed["properties"]["REFRESH-INTERVAL;VALUE=DURATION"] == "PT1H"
    assert event.title in parsed["properties"]["X-WR-CALNAME"]
    assert client.get(reverse("events:feed", args=["not-the-token"])).status_code == 404
    assert client.get(reverse("events:feed", args=[shanghai.feed_token[:-1]])).status_code == 404


def test_nobody_else_sees_someones_agenda(client, ten_oclock):
    event, _shanghai, karachi, meeting = ten_oclock
    outsider = register(event, country="CN")
    _login(client, outsider)
    page = client.get(_url("agenda", event)).content.decode()
    assert karachi.organisation.name_en not in page
    assert "No meeting is on your agenda yet" in page
    assert ics.parse(client.get(_url("agenda_ics", event)).content.decode())["events"] == []
    assert (
        client.post(_url("meeting_rate", event, meeting.pk), {f"rate-{meeting.pk}-outcome": "informative"}).status_code
        == 404
    )

    stranger = UserFactory()
    client.force_login(stranger)
    response = client.get(_url("agenda", event))
    assert response.status_code == 403
    page = response.content.decode()
    assert "you do not represent one of them yet" in page
    assert _url("register", event) in page
    assert karachi.organisation.name_en not in page
    assert client.get(_url("agenda_ics", event)).status_code == 403

    client.logout()
    response = client.get(_url("agenda", event))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_meeting_is_rated_once_it_has_started(client):
    yesterday = EventFactory(slot_days=[in_days(-1)], slot_start=time(10, 0), slot_end=time(10, 30))
    first, second = register(yesterday, country="CN"), register(yesterday, country="PK")
    meeting = _meeting(first, second, yesterday.slots.get())
    user = _login(client, first)
    page = client.get(_url("agenda", yesterday)).content.decode()
    assert "Rate this meeting" in page
    response = client.post(
        _url("meeting_rate", yesterday, meeting.pk),
        {f"rate-{meeting.pk}-outcome": "cooperation_possible", f"rate-{meeting.pk}-comment": "Pilot in Lahore"},
    )
    assert response.status_code == 302
    rating = MeetingRating.objects.get()
    assert (rating.participant, rating.outcome, rating.comment, rating.is_lead) == (
        first,
        "cooperation_possible",
        "Pilot in Lahore",
        True,
    )
    assert "Your rating: Cooperation possible" in client.get(_url("agenda", yesterday)).content.decode()
    assert user in first.representatives.all()


def test_a_future_meeting_cannot_be_rated_yet(client, ten_oclock):
    event, shanghai, _karachi, meeting = ten_oclock
    _login(client, shanghai)
    assert "Rate this meeting" not in client.get(_url("agenda", event)).content.decode()
    client.post(_url("meeting_rate", event, meeting.pk), {f"rate-{meeting.pk}-outcome": "informative"})
    assert MeetingRating.objects.count() == 0


# --- public pages, sign-in, languages ---------------------------------------------------------------


def test_events_are_public_but_everything_else_needs_sign_in(client, event):
    assert event.title in client.get(reverse("events:event_list")).content.decode()
    detail = client.get(_url("event_detail", event)).content.decode()
    assert "Sign in to register" in detail
    for name in ("register", "participants", "requests", "agenda", "agenda_ics"):
        response = client.get(_url(name, event))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login"))
    unpublished = EventFactory(is_published=False)
    assert client.get(_url("event_detail", unpublished)).status_code == 404


def test_an_empty_event_list_says_what_to_do(client):
    page = client.get(reverse("events:event_list")).content.decode()
    assert "No event is open at the moment" in page


PAGES = ["event_list", "event_detail", "register", "participants", "request_new", "requests", "agenda"]


@pytest.mark.parametrize(("code", "lang", "direction"), LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_renders_in_each_language(client, ten_oclock, name, code, lang, direction):
    event, shanghai, _karachi, _meeting_in_slot = ten_oclock
    other = register(event, country="PK")
    services.request_create(actor=other.representatives.get(), requester=other, recipient=shanghai)
    _login(client, shanghai)
    client.cookies["django_language"] = code
    if name == "event_list":
        url = reverse("events:event_list")
    elif name == "request_new":
        url = _url(name, event, other.pk)
    else:
        url = _url(name, event)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert "<bdi>" in html


def test_a_second_representative_joins_the_registration(client, event):
    participant = register(event, country="CN")
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=participant.organisation)
    client.force_login(colleague)
    response = _register_post(client, event, participant.organisation, "Asia/Shanghai", [])
    assert response.status_code == 302
    assert participant.representatives.count() == 2
    assert participant.representatives.filter(pk=colleague.pk).exists()
    assert Participant.objects.filter(event=event).count() == 1
    assert client.get(_url("agenda", event)).status_code == 200
