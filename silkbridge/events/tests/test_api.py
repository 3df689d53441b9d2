"""The events REST API: the whole flow by API, visibility, permissions and JSON errors with field names."""

import importlib.util
import json
import zoneinfo
from datetime import time, timedelta

import pytest
from django.db.models import F
from django.utils import timezone
from openapi_spec_validator import validate

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.core.tests import run_tasks
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events import services
from silkbridge.events.models import Event, Meeting, MeetingRating, MeetingRequest, Participant, Slot

pytestmark = pytest.mark.django_db
EVENT_DAY = (timezone.now() + timedelta(days=30)).date()
EVENT_ZONE = zoneinfo.ZoneInfo("Asia/Karachi")
HAS_SCHEDULER = importlib.util.find_spec("silkbridge.events.engine.scheduler") is not None


def _bearer(user):
    _, secret = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _error_fields(response):
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    # Schema errors ("body.day_part") and service errors ("body.slot") name a field the same way.
    return {error["field"] for error in body["errors"]}


def _post(client, path, payload, user):
    return client.post(f"/api/v1{path}", json.dumps(payload), content_type="application/json", **_bearer(user))


def _get(client, path, user, **params):
    return client.get(f"/api/v1{path}", params, **_bearer(user))


@pytest.fixture
def staff():
    return StaffFactory()


def _member(country):
    user = UserFactory()
    organisation = OrganisationFactory(country=country)
    MembershipFactory(user=user, organisation=organisation)
    return user, organisation


@pytest.fixture
def event(staff):
    """A virtual Karachi event: slots 11:00, 11:30, 12:30, 13:00 and 13:30 local (lunch 12:00–12:30)."""
    now = timezone.now()
    created = services.event_create(
        actor=staff,
        fields={
            "slug": "expo",
            "title": "Pakistan–China ICT Expo",
            "time_zone": "Asia/Karachi",
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": now + timedelta(days=20),
            "scheduling_mode": "participants",
            "video_room_base_url": "https://meet.example.org/rooms",
        },
    )
    services.slots_generate(
        actor=staff,
        event=created,
        days=[EVENT_DAY],
        day_start=time(11, 0),
        day_end=time(14, 0),
        minutes=30,
        breaks=[(time(12, 0), time(12, 30))],
    )
    return created


def _register(event, user, organisation, zone):
    return services.participant_register(actor=user, event=event, organisation=organisation, time_zone=zone)


@pytest.fixture
def pair(event):
    """Two approved participants, in Pakistan and China, and a pending request from the first to the second."""
    pk_user, pk_organisation = _member("PK")
    cn_user, cn_organisation = _member("CN")
    pk_participant = _register(event, pk_user, pk_organisation, "Asia/Karachi")
    cn_participant = _register(event, cn_user, cn_organisation, "Asia/Shanghai")
    meeting_request = services.request_create(
        actor=pk_user, requester=pk_participant, recipient=cn_participant, day_part="morning"
    )
    return pk_user, cn_user, pk_participant, cn_participant, meeting_request


def _slot_at(event, hour, minute):
    return next(
        slot for slot in event.slots.all() if slot.starts_at.astimezone(EVENT_ZONE).time() == time(hour, minute)
    )


# --- the whole flow, by API -------------------------------------------------------------------------


def test_full_flow_from_event_creation_to_agenda_in_each_zone(client, staff):
    now = timezone.now()
    response = _post(
        client,
        "/events",
        {
            "slug": "ict-week",
            "title": "ICT Week",
            "time_zone": "Asia/Karachi",
            "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=10)).isoformat(),
            "scheduling_mode": "participants",
            "video_room_base_url": "https://meet.example.org/rooms",
            "slots": {
                "days": [EVENT_DAY.isoformat()],
                "day_start": "10:00",
                "day_end": "12:00",
                "minutes": 30,
            },
        },
        staff,
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "ict-week"
    assert Slot.objects.filter(event__slug="ict-week").count() == 4

    pk_user, pk_organisation = _member("PK")
    cn_user, cn_organisation = _member("CN")
    response = _post(
        client,
        "/events/ict-week/registrations",
        {"organisation": pk_organisation.key, "time_zone": "Asia/Karachi"},
        pk_user,
    )
    assert response.status_code == 201, response.content
    pk_registration = response.json()
    assert pk_registration["status"] == "approved"
    assert len(pk_registration["slots"]) == 4  # 10:00–12:00 Karachi is inside working hours
    response = _post(
        client,
        "/events/ict-week/registrations",
        {"organisation": cn_organisation.key, "time_zone": "Asia/Shanghai", "interpreter_needed": True},
        cn_user,
    )
    assert response.status_code == 201, response.content
    cn_registration = response.json()
    assert "feed_token" not in cn_registration

    slots = _get(client, "/events/ict-week/slots", cn_user).json()
    assert slots["count"] == 4
    first = slots["items"][0]
    assert first["time_zone"] == "Asia/Shanghai"
    assert first["starts_at"] == f"{EVENT_DAY.isoformat()}T05:00:00Z"
    assert first["local_starts_at"] == f"{EVENT_DAY.isoformat()}T13:00:00+08:00"
    assert _get(client, "/events/ict-week/slots", cn_user, tz="Europe/London").json()["items"][0]["time_zone"] == (
        "Europe/London"
    )

    others = _get(client, "/events/ict-week/participants", pk_user).json()
    assert [item["id"] for item in others["items"]] == [cn_registration["id"]]
    assert set(others["items"][0]) == {"id", "organisation", "interests", "interpreter_needed", "my_preference"}

    response = _post(
        client, "/events/ict-week/requests", {"recipient": cn_registration["id"], "message": "Cloud?"}, pk_user
    )
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    assert response.json()["status"] == "pending"

    received = _get(client, "/events/ict-week/requests", cn_user, box="received").json()
    assert [item["id"] for item in received["items"]] == [request_id]
    assert _get(client, "/events/ict-week/requests", cn_user, box="sent").json()["count"] == 0

    free = _get(client, f"/events/ict-week/requests/{request_id}/free-slots", cn_user).json()
    assert free["count"] == 4
    chosen = free["items"][1]  # 10:30 Karachi, 13:30 Shanghai
    response = _post(
        client, f"/events/ict-week/requests/{request_id}/answer", {"accept": True, "slot": chosen["id"]}, cn_user
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["meeting"]["slot"] == chosen["id"]

    pk_agenda = _get(client, "/events/ict-week/agenda", pk_user).json()["items"]
    cn_agenda = _get(client, "/events/ict-week/agenda", cn_user).json()["items"]
    assert len(pk_agenda) == len(cn_agenda) == 1
    assert pk_agenda[0]["starts_at"] == cn_agenda[0]["starts_at"] == f"{EVENT_DAY.isoformat()}T05:30:00Z"
    assert pk_agenda[0]["local_starts_at"] == f"{EVENT_DAY.isoformat()}T10:30:00+05:00"
    assert pk_agenda[0]["time_zone"] == "Asia/Karachi"
    assert cn_agenda[0]["local_starts_at"] == f"{EVENT_DAY.isoformat()}T13:30:00+08:00"
    assert cn_agenda[0]["local_ends_at"] == f"{EVENT_DAY.isoformat()}T14:00:00+08:00"
    assert pk_agenda[0]["counterpart"]["organisation"] == cn_organisation.key
    assert cn_agenda[0]["counterpart"]["organisation"] == pk_organisation.key
    assert pk_agenda[0]["interpreter_needed"] is True
    assert pk_agenda[0]["video_url"].startswith("https://meet.example.org/rooms/")
    assert pk_agenda[0]["my_rating"] is None

    meeting_id = pk_agenda[0]["id"]
    rating_path = f"/events/ict-week/meetings/{meeting_id}/rating"
    response = _post(client, rating_path, {"outcome": "cooperation_possible"}, pk_user)
    assert response.status_code == 422  # the meeting has not started yet: the same rule as the page
    assert _error_fields(response) == {"body.outcome"}
    assert not MeetingRating.objects.exists()
    # The event's days pass: every slot moves a month back, in the same order.
    month = timedelta(days=31)
    Slot.objects.filter(event__slug="ict-week").update(starts_at=F("starts_at") - month)
    response = _post(client, rating_path, {"outcome": "cooperation_possible"}, pk_user)
    assert response.status_code == 200, response.content
    assert _get(client, "/events/ict-week/agenda", pk_user).json()["items"][0]["my_rating"]["outcome"] == (
        "cooperation_possible"
    )

    figures = _get(client, "/events/ict-week/dashboard", staff).json()
    assert figures["registrations"] == 2
    assert figures["meetings"] == 1
    assert figures["leads"] == 1
    assert figures["acceptance_rate"] == 1.0
    assert figures["interpreter_meetings"] == 1
    assert figures["countries"]["PK"] == {"participants": 1, "requests": 1, "meetings": 1}
    assert [row["meetings"] for row in figures["slots"]] == [0, 1, 0, 0]
    assert figures["last_run"] is None


@pytest.mark.skipif(not HAS_SCHEDULER, reason="the scheduler engine is not written yet")
def test_staff_runs_the_scheduler_and_sees_the_meetings(client, staff, event, pair, django_capture_on_commit_callbacks):
    _, cn_user, _, _, meeting_request = pair
    assert (
        _post(client, f"/events/expo/requests/{meeting_request.pk}/answer", {"accept": True}, cn_user).status_code
        == 200
    )
    assert not Meeting.objects.exists()

    with run_tasks.tasks_recorded() as tasks:
        with django_capture_on_commit_callbacks() as after_commit:
            response = _post(client, "/events/expo/schedule", {"time_limit": 5, "seed": 1}, staff)
        # The request answers at once: the run is queued, nothing was scheduled in it.
        assert response.status_code == 202, response.content
        run = response.json()
        assert (run["kind"], run["status"], run["progress"], run["result"]) == ("events.schedule", "queued", 0.0, None)
        assert run["page_url"] == f"/runs/{run['id']}/"
        assert not Meeting.objects.exists()
        assert tasks == {"enqueued": [], "finished": []}
        for callback in after_commit:  # the transaction commits: the task is queued, and the worker runs it
            callback()
    assert tasks == {"enqueued": ["schedule_run_task"], "finished": ["schedule_run_task:SUCCESSFUL"]}
    run = _get(client, f"/runs/{run['id']}", staff).json()
    assert (run["status"], run["progress"], run["error"]) == ("succeeded", 1.0, "")
    assert {key: run["result"][key] for key in ("placed", "unscheduled", "objective", "upper_bound")} == {
        "placed": 1,
        "unscheduled": 0,
        "objective": 1.0,
        "upper_bound": 1.0,
    }
    assert run["result"]["url"] == "/events/expo/manage/#scheduler"
    last_run = _get(client, "/events/expo/dashboard", staff).json()["last_run"]
    assert (last_run["status"], last_run["placed"], last_run["gap"], last_run["run"]) == ("finished", 1, 0.0, run["id"])
    assert last_run["unscheduled"] == []

    meetings = _get(client, "/events/expo/meetings", staff).json()
    assert meetings["count"] == 1
    meeting = meetings["items"][0]
    assert meeting["request"] == meeting_request.pk
    # A morning request lands before noon, Karachi time.
    assert meeting["slot"] in {_slot_at(event, 11, 0).pk, _slot_at(event, 11, 30).pk}
    assert _get(client, "/events/expo/meetings", staff, status="no_show").json()["count"] == 0

    response = _post(client, f"/events/expo/meetings/{meeting['id']}/mark", {"status": "checked_in"}, staff)
    assert response.status_code == 200
    assert response.json()["status"] == "checked_in"
    assert _get(client, "/events/expo/dashboard", staff).json()["last_run"]["placed"] == 1


# --- reading ----------------------------------------------------------------------------------------


def test_event_list_is_public_and_hides_unpublished_events_from_non_staff(client, staff, event):
    services.event_create(
        actor=staff,
        fields={
            "slug": "draft",
            "title": "Draft",
            "registration_opens_at": timezone.now(),
            "registration_closes_at": timezone.now() + timedelta(days=1),
            "is_published": False,
        },
    )
    body = client.get("/api/v1/events").json()
    assert [item["slug"] for item in body["items"]] == ["expo"]
    assert {item["slug"] for item in _get(client, "/events", staff).json()["items"]} == {"expo", "draft"}
    assert client.get("/api/v1/events/draft").status_code == 404
    assert _get(client, "/events/draft", staff).status_code == 200
    assert client.get("/api/v1/events", {"q": "ICT"}).json()["count"] == 1
    assert client.get("/api/v1/events", {"kind": "physical"}).json()["count"] == 0


def test_slots_are_public_and_shown_in_the_event_zone_to_anonymous_visitors(client, event):
    body = client.get("/api/v1/events/expo/slots").json()
    assert body["count"] == 5
    assert body["items"][0]["local_starts_at"] == f"{EVENT_DAY.isoformat()}T11:00:00+05:00"


def test_participant_list_filters_and_never_shows_private_data(client, event, pair):
    pk_user = pair[0]
    _, other_organisation = _member("CN")
    other_user = UserFactory()
    MembershipFactory(user=other_user, organisation=other_organisation)
    _register(event, other_user, other_organisation, "Asia/Shanghai")
    body = _get(client, "/events/expo/participants", pk_user, country="CN").json()
    assert body["count"] == 2
    item = body["items"][0]
    assert "feed_token" not in item
    assert "slots" not in item
    assert "time_zone" not in item
    assert _get(client, "/events/expo/participants", pk_user, country="PK").json()["count"] == 0
    assert _get(client, "/events/expo/participants", pk_user, q=other_organisation.name_en).json()["count"] == 1


def test_preference_is_set_shown_and_removed(client, event, pair):
    pk_user, _, _, cn_participant, _ = pair
    path = f"/events/expo/participants/{cn_participant.pk}/preference"
    response = client.put(
        f"/api/v1{path}", json.dumps({"level": "must"}), content_type="application/json", **_bearer(pk_user)
    )
    assert response.status_code == 200
    assert response.json() == {"target": cn_participant.pk, "level": "must"}
    assert _get(client, "/events/expo/participants", pk_user).json()["items"][0]["my_preference"] == "must"
    client.put(f"/api/v1{path}", json.dumps({"level": None}), content_type="application/json", **_bearer(pk_user))
    assert _get(client, "/events/expo/participants", pk_user).json()["items"][0]["my_preference"] is None


def test_registration_mine_and_patch(client, event, pair):
    pk_user, _, pk_participant, _, _ = pair
    assert _get(client, "/events/expo/registrations/mine", pk_user).json()["id"] == pk_participant.pk
    morning = [_slot_at(event, 11, 0).pk]
    response = client.patch(
        "/api/v1/events/expo/registrations/mine",
        json.dumps({"slots": morning, "max_meetings": 3}),
        content_type="application/json",
        **_bearer(pk_user),
    )
    assert response.status_code == 200, response.content
    assert response.json()["slots"] == morning
    assert response.json()["max_meetings"] == 3
    assert response.json()["time_zone"] == "Asia/Karachi"
    assert _get(client, "/events/expo/registrations/mine", UserFactory()).status_code == 404


def test_decline_with_a_reason_and_cancel(client, event, pair):
    pk_user, cn_user, _, _, meeting_request = pair
    response = _post(
        client,
        f"/events/expo/requests/{meeting_request.pk}/answer",
        {"accept": False, "reason": "no_time", "note": "Full week"},
        cn_user,
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decline_reason"]) == ("declined", "no_time")
    assert _post(client, f"/events/expo/requests/{meeting_request.pk}/cancel", {}, cn_user).status_code == 403
    # A declined request is over: cancelling it is refused and changes nothing.
    response = _post(client, f"/events/expo/requests/{meeting_request.pk}/cancel", {}, pk_user)
    assert response.status_code == 422
    meeting_request.refresh_from_db()
    assert meeting_request.status == "declined"


def test_the_requester_cancels_a_waiting_request(client, event, pair):
    pk_user, _, _, _, meeting_request = pair
    response = _post(client, f"/events/expo/requests/{meeting_request.pk}/cancel", {}, pk_user)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


# --- errors -----------------------------------------------------------------------------------------


def test_unknown_slot_in_registration_is_422_and_registers_nothing(client, event):
    user, organisation = _member("PK")
    response = _post(
        client,
        "/events/expo/registrations",
        {"organisation": organisation.key, "time_zone": "Asia/Karachi", "slots": [987654]},
        user,
    )
    assert response.status_code == 422
    assert _error_fields(response) == {"body.slots"}
    assert not Participant.objects.filter(organisation=organisation).exists()


def test_accepting_with_an_unknown_slot_is_422_and_leaves_the_request_pending(client, event, pair):
    _, cn_user, _, _, meeting_request = pair
    response = _post(
        client, f"/events/expo/requests/{meeting_request.pk}/answer", {"accept": True, "slot": 987654}, cn_user
    )
    assert response.status_code == 422
    assert _error_fields(response) == {"body.slot"}
    meeting_request.refresh_from_db()
    assert meeting_request.status == "pending"


def test_slot_outside_the_agreed_day_part_is_422_and_books_nothing(client, event, pair):
    _, cn_user, _, _, meeting_request = pair
    afternoon = _slot_at(event, 13, 0)
    response = _post(
        client, f"/events/expo/requests/{meeting_request.pk}/answer", {"accept": True, "slot": afternoon.pk}, cn_user
    )
    assert response.status_code == 422
    assert _error_fields(response) == {"body.slot"}
    meeting_request.refresh_from_db()
    assert meeting_request.status == "pending"
    assert not Meeting.objects.exists()


def test_unknown_day_part_is_422(client, event, pair):
    pk_participant = pair[2]
    other_user, other_organisation = _member("PK")
    _register(event, other_user, other_organisation, "Asia/Karachi")
    response = _post(client, "/events/expo/requests", {"recipient": pk_participant.pk, "day_part": "night"}, other_user)
    assert response.status_code == 422
    assert _error_fields(response) == {"body.day_part"}
    assert MeetingRequest.objects.count() == 1


def test_decline_without_a_reason_is_422(client, event, pair):
    _, cn_user, _, _, meeting_request = pair
    response = _post(client, f"/events/expo/requests/{meeting_request.pk}/answer", {"accept": False}, cn_user)
    assert response.status_code == 422
    assert _error_fields(response) == {"body.reason"}
    meeting_request.refresh_from_db()
    assert meeting_request.status == "pending"


@pytest.mark.parametrize("time_limit", [0, 121, "soon"])
def test_time_limit_out_of_range_is_422(client, staff, event, time_limit):
    response = _post(client, "/events/expo/schedule", {"time_limit": time_limit}, staff)
    assert response.status_code == 422
    assert _error_fields(response) == {"body.time_limit"}


def test_bad_time_zone_and_grid_errors_name_the_field(client, staff, event):
    user, organisation = _member("PK")
    response = _post(
        client, "/events/expo/registrations", {"organisation": organisation.key, "time_zone": "Mars/Base"}, user
    )
    assert response.status_code == 422
    assert _error_fields(response) == {"body.time_zone"}
    assert client.get("/api/v1/events/expo/slots", {"tz": "Mars/Base"}).status_code == 422
    now = timezone.now()
    payload = {
        "slug": "broken",
        "title": "Broken",
        "registration_opens_at": now.isoformat(),
        "registration_closes_at": (now + timedelta(days=1)).isoformat(),
        "slots": {"days": [EVENT_DAY.isoformat()], "day_start": "12:00", "day_end": "09:00", "minutes": 30},
    }
    response = _post(client, "/events", payload, staff)
    assert response.status_code == 422
    assert _error_fields(response) == {"body.slots.day_end"}
    assert not Event.objects.filter(slug="broken").exists()  # the event is not left without its grid


def test_naive_times_are_refused(client, staff):
    payload = {
        "slug": "naive",
        "title": "Naive",
        "registration_opens_at": "2030-01-01T09:00:00",
        "registration_closes_at": "2030-01-02T09:00:00+05:00",
    }
    response = _post(client, "/events", payload, staff)
    assert response.status_code == 422
    assert _error_fields(response) == {"body.registration_opens_at"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/events"),
        ("get", "/events/expo/participants"),
        ("post", "/events/expo/requests"),
        ("get", "/events/expo/agenda"),
        ("get", "/events/expo/dashboard"),
        ("post", "/events/expo/schedule"),
    ],
)
def test_no_authentication_is_401(client, event, method, path):
    response = getattr(client, method)(f"/api/v1{path}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        (
            "post",
            "/events/expo/slots/generate",
            {"days": ["2030-01-01"], "day_start": "09:00", "day_end": "10:00", "minutes": 30},
        ),
        ("post", "/events/expo/schedule", {"time_limit": 5}),
        ("get", "/events/expo/meetings", None),
        ("post", "/events/expo/meetings/1/mark", {"status": "checked_in"}),
        ("get", "/events/expo/dashboard", None),
        ("post", "/events/expo/participants/1/status", {"status": "approved"}),
    ],
)
def test_staff_endpoints_are_403_for_participants(client, event, pair, method, path, payload):
    pk_user = pair[0]
    response = _post(client, path, payload, pk_user) if method == "post" else _get(client, path, pk_user)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_creating_an_event_is_403_for_non_staff_and_creates_nothing(client):
    now = timezone.now()
    payload = {
        "slug": "mine",
        "title": "Mine",
        "registration_opens_at": now.isoformat(),
        "registration_closes_at": (now + timedelta(days=1)).isoformat(),
    }
    response = _post(client, "/events", payload, UserFactory())
    assert response.status_code == 403
    assert not Event.objects.filter(slug="mine").exists()


def test_registering_someone_elses_organisation_is_403(client, event):
    _, organisation = _member("PK")
    response = _post(
        client,
        "/events/expo/registrations",
        {"organisation": organisation.key, "time_zone": "Asia/Karachi"},
        UserFactory(),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Participant.objects.filter(organisation=organisation).exists()


def test_another_participants_request_and_agenda_are_404(client, event, pair):
    _, _, pk_participant, _, meeting_request = pair
    outsider, outsider_organisation = _member("CN")
    _register(event, outsider, outsider_organisation, "Asia/Shanghai")
    for path in (f"/events/expo/requests/{meeting_request.pk}/free-slots",):
        assert _get(client, path, outsider).status_code == 404
    response = _post(client, f"/events/expo/requests/{meeting_request.pk}/answer", {"accept": True}, outsider)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert _post(client, f"/events/expo/requests/{meeting_request.pk}/cancel", {}, outsider).status_code == 404
    assert _get(client, "/events/expo/requests", outsider, participant=pk_participant.pk).status_code == 404
    assert _get(client, "/events/expo/agenda", outsider, participant=pk_participant.pk).status_code == 404
    assert _get(client, "/events/expo/requests", outsider, box="received").json()["count"] == 0
    meeting_request.refresh_from_db()
    assert meeting_request.status == "pending"


def test_staff_may_read_any_participants_requests_and_agenda(client, staff, event, pair):
    _, _, pk_participant, _, meeting_request = pair
    body = _get(client, "/events/expo/requests", staff, participant=pk_participant.pk, box="sent").json()
    assert [item["id"] for item in body["items"]] == [meeting_request.pk]
    assert _get(client, "/events/expo/agenda", staff, participant=pk_participant.pk).json()["count"] == 0


def test_participant_list_is_403_for_users_not_taking_part(client, event, pair):
    response = _get(client, "/events/expo/participants", UserFactory())
    assert response.status_code == 403


def test_staff_approves_a_pending_registration(client, staff, event):
    event.requires_approval = True
    event.save(update_fields=["requires_approval"])
    user, organisation = _member("PK")
    participant = _register(event, user, organisation, "Asia/Karachi")
    assert participant.status == "pending"
    response = _post(client, f"/events/expo/participants/{participant.pk}/status", {"status": "approved"}, staff)
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert _post(client, "/events/expo/participants/987654/status", {"status": "approved"}, staff).status_code == 404


HUGE = 10**30


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/events", "not json"),
        ("/events", "[1, 2]"),
        ("/events", '{"slug": null, "title": 5}'),
        ("/events", '{"slug": "x", "title": "x", "registration_opens_at": "yesterday", "slots": {"days": "monday"}}'),
        ("/events/expo/registrations", '{"organisation": ["a"], "time_zone": 7, "slots": "all"}'),
        ("/events/expo/registrations", '{"organisation": "nobody-has-this-key", "time_zone": "UTC"}'),
        ("/events/expo/registrations", f'{{"organisation": "x", "time_zone": "UTC", "slots": [{HUGE}]}}'),
        ("/events/expo/requests", f'{{"recipient": {HUGE}}}'),
        ("/events/expo/requests", '{"recipient": "abc", "message": {"a": 1}}'),
        ("/events/expo/requests/1/answer", '{"accept": "perhaps"}'),
        (f"/events/expo/requests/{HUGE}/answer", '{"accept": true}'),
        ("/events/expo/requests/1/answer", f'{{"accept": true, "slot": {HUGE}}}'),
        ("/events/expo/schedule", '{"time_limit": 1e400}'),
        ("/events/expo/schedule", f'{{"seed": {HUGE}}}'),
        (f"/events/expo/meetings/{HUGE}/rating", '{"outcome": "great"}'),
        (f"/events/expo/participants/{HUGE}/status", '{"status": "approved"}'),
        ("/events/expo/slots/generate", '{"days": [], "day_start": "25:00", "minutes": -5}'),
    ],
)
def test_malformed_input_never_gives_500(client, staff, event, pair, path, body):
    pk_user = pair[0]
    for user in (staff, pk_user):
        response = client.post(f"/api/v1{path}", body, content_type="application/json", **_bearer(user))
        assert response.status_code in {400, 403, 404, 422}, (user, response.content)
        assert set(response.json()) == {"code", "message", "errors"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/events/expo/requests", {"box": "trash"}),
        ("/events/expo/requests", {"participant": str(HUGE)}),
        ("/events/expo/meetings", {"slot": str(HUGE), "status": "late"}),
        ("/events/expo/slots", {"tz": "../../etc/passwd"}),
        ("/events/expo/participants", {"country": "Pakistan", "q": "x" * 500}),
        ("/events/expo/agenda", {"participant": "me"}),
    ],
)
def test_malformed_query_never_gives_500(client, staff, event, pair, path, params):
    for user in (staff, pair[0]):
        response = _get(client, path, user, **params)
        assert response.status_code in {200, 403, 404, 422}, (user, response.content)


def test_openapi_document_with_the_events_endpoints_is_valid(client):
    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    operations = {
        (method, path): operation
        for path, methods in document["paths"].items()
        if path.startswith("/api/v1/events")
        for method, operation in methods.items()
    }
    # with GET /events/{slug}/history, the five delegation itinerary routes and the host's confirm and decline
    assert len(operations) == 30
    for operation in operations.values():
        assert operation["summary"]
        assert operation["tags"] == ["events"]


def test_huge_ids_in_a_real_flow_are_422_or_404(client, event, pair):
    pk_user, cn_user, _, _, meeting_request = pair
    user, organisation = _member("PK")
    body = {"organisation": organisation.key, "time_zone": "UTC", "slots": [HUGE]}
    assert _post(client, "/events/expo/registrations", body, user).status_code == 422
    response = client.patch(
        "/api/v1/events/expo/registrations/mine",
        json.dumps({"slots": [HUGE]}),
        content_type="application/json",
        **_bearer(pk_user),
    )
    assert response.status_code == 422
    answer = {"accept": True, "slot": HUGE}
    assert _post(client, f"/events/expo/requests/{meeting_request.pk}/answer", answer, cn_user).status_code == 422
    preference = client.put(
        f"/api/v1/events/expo/participants/{HUGE}/preference",
        json.dumps({"level": "must"}),
        content_type="application/json",
        **_bearer(pk_user),
    )
    assert preference.status_code == 404


def _grow(event, count):
    """`count` more approved participants in China, each with a request to the first Pakistani one."""
    pakistani = Participant.objects.filter(event=event, organisation__country="PK").first()
    for _ in range(count):
        user, organisation = _member("CN")
        participant = _register(event, user, organisation, "Asia/Shanghai")
        meeting_request = services.request_create(actor=user, requester=participant, recipient=pakistani)
        meeting_request = services.request_answer(
            actor=pakistani.representatives.first(), meeting_request=meeting_request, accept=True
        )
        slot = services.selectors.free_slots(meeting_request=meeting_request)[0]
        services.meeting_book(meeting_request=meeting_request, slot=slot)


@pytest.mark.parametrize("path", ["/events/expo/participants", "/events/expo/requests", "/events/expo/agenda"])
def test_lists_use_a_fixed_number_of_queries(client, event, pair, path, django_assert_max_num_queries):
    pk_user = pair[0]
    headers = _bearer(pk_user)
    _grow(event, 1)
    with django_assert_max_num_queries(100) as few:
        client.get(f"/api/v1{path}", {"box": "received"}, **headers)
    _grow(event, 3)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(f"/api/v1{path}", {"box": "received"}, **headers)
    # Four times the rows, no more queries (the second call may save one: the token's last use is fresh).
    assert response.json()["count"] >= 4
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_a_break_with_a_utc_offset_is_a_422_naming_the_field_and_creates_no_slot(client, event, staff):
    before = Slot.objects.filter(event=event).count()
    payload = {
        "days": ["2030-01-01"],
        "day_start": "09:00",
        "day_end": "12:00",
        "minutes": 30,
        "breaks": [{"starts": "10:00+05:00", "ends": "10:30+05:00"}],
    }
    response = _post(client, "/events/expo/slots/generate", payload, staff)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body.breaks",
            "message": "Give a time of day in the event's time zone, without a UTC offset (12:30, not 12:30+05:00).",
        }
    ]
    assert Slot.objects.filter(event=event).count() == before
