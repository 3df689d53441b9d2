"""The page and the API are two doors to the same rules: each scenario goes through both and expects the
same outcome (allowed or refused, with the same message) and the same stored state.

Every rule here lives in a service or selector that takes the actor; these tests fail when a page or an
API handler checks something on its own (or forgets to)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory import services as directory_services
from silkbridge.directory.models import Organisation, Sector
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events import services as events_services
from silkbridge.events.models import MeetingRating, Participant, Preference, Slot
from silkbridge.events.tests.factories import EventFactory, in_days, register
from silkbridge.marketplace import services as marketplace_services
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.tests.factories import (
    CROP_OFFER_ZH,
    CROP_REQUEST_UR,
    XRAY_OFFER_ZH,
    XRAY_REQUEST_EN,
    member,
    published,
)
from silkbridge.matching.models import Match

pytestmark = pytest.mark.django_db


def _api(client, method, path, body=None, **params):
    call = getattr(client, method)
    if body is None:
        return call(f"/api/v1{path}", params)
    return call(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _api_messages(response):
    return [error["message"] for error in response.json()["errors"]] or [response.json()["message"]]


# --- 1. a meeting is rated only once it has started -------------------------------------------------


@pytest.fixture
def upcoming_meeting():
    event = EventFactory(slot_days=[in_days(14)])
    first, second = register(event, country="CN"), register(event, country="PK")
    meeting_request = events_services.request_create(
        actor=first.representatives.get(), requester=first, recipient=second
    )
    events_services.request_answer(actor=second.representatives.get(), meeting_request=meeting_request, accept=True)
    meeting_request.refresh_from_db()
    meeting = events_services.meeting_book(meeting_request=meeting_request, slot=event.slots.first())
    return event, first, meeting


def test_a_meeting_that_has_not_started_is_refused_by_page_and_api_alike(client, upcoming_meeting):
    event, first, meeting = upcoming_meeting
    client.force_login(first.representatives.get())
    expected = "You can rate a meeting once it has started."

    page = client.post(
        reverse("events:meeting_rate", args=[event.slug, meeting.pk]), {f"rate-{meeting.pk}-outcome": "informative"}
    )
    api = _api(client, "post", f"/events/{event.slug}/meetings/{meeting.pk}/rating", {"outcome": "informative"})

    assert page.status_code == 302
    assert _messages(page) == [expected]
    assert api.status_code == 422
    assert _api_messages(api) == [expected]
    assert api.json()["errors"][0]["field"].endswith("outcome")
    assert not MeetingRating.objects.exists()
    with pytest.raises(Exception, match="once it has started"):
        events_services.meeting_rate(actor=first.representatives.get(), meeting=meeting, outcome="informative")

    # Once it has started, both doors take the rating (the API's replaces the page's).
    Slot.objects.filter(event=event).update(starts_at=F("starts_at") - timedelta(days=15))
    page = client.post(
        reverse("events:meeting_rate", args=[event.slug, meeting.pk]), {f"rate-{meeting.pk}-outcome": "informative"}
    )
    assert _messages(page)[-1] == "Thank you: your rating is saved."
    assert MeetingRating.objects.get().outcome == "informative"
    api = _api(
        client, "post", f"/events/{event.slug}/meetings/{meeting.pk}/rating", {"outcome": "cooperation_possible"}
    )
    assert api.status_code == 200
    assert list(MeetingRating.objects.values_list("participant", "outcome")) == [(first.pk, "cooperation_possible")]


# --- 2. only approved participants see (and pick from) the participant list ---------------------------


@pytest.fixture
def waiting_participant():
    event = EventFactory(slot_days=[in_days(14)], requires_approval=True)
    approved = register(event, country="CN")
    events_services.participant_set_status(actor=event.created_by, participant=approved, status="approved")
    waiting = register(event, country="PK")
    assert waiting.status == "pending"
    return event, waiting, approved


def test_a_participant_waiting_for_approval_sees_no_one_through_either_door(client, waiting_participant):
    event, waiting, approved = waiting_participant
    client.force_login(waiting.representatives.get())
    expected = "Only approved participants and staff see who takes part."

    assert client.get(reverse("events:participants", args=[event.slug])).status_code == 403
    api = _api(client, "get", f"/events/{event.slug}/participants")
    assert api.status_code == 403
    assert api.json()["message"] == expected

    # Saying whom it wants to meet, or asking for a meeting, needs the same list.
    page = client.post(reverse("events:participants", args=[event.slug]), {"target": approved.pk, "level": "must"})
    api = _api(client, "put", f"/events/{event.slug}/participants/{approved.pk}/preference", {"level": "must"})
    assert (page.status_code, api.status_code) == (403, 403)
    assert api.json()["message"] == expected
    page = client.post(reverse("events:request_new", args=[event.slug, approved.pk]), {"message": "Hello"})
    api = _api(client, "post", f"/events/{event.slug}/requests", {"recipient": approved.pk, "message": "Hello"})
    assert (page.status_code, api.status_code) == (403, 403)
    assert not Preference.objects.exists()
    assert not waiting.requests_sent.exists()
    with pytest.raises(PermissionDenied):
        events_services.preference_set(
            actor=waiting.representatives.get(), participant=waiting, target=approved, level="must"
        )


def test_an_approved_participant_gets_the_same_list_and_the_same_preference_through_both(client, waiting_participant):
    event, waiting, approved = waiting_participant
    events_services.participant_set_status(actor=event.created_by, participant=waiting, status="approved")
    client.force_login(waiting.representatives.get())

    page = client.get(reverse("events:participants", args=[event.slug]))
    api = _api(client, "get", f"/events/{event.slug}/participants")
    assert [row["participant"].pk for row in page.context["rows"]] == [item["id"] for item in api.json()["items"]]
    assert [item["id"] for item in api.json()["items"]] == [approved.pk]

    client.post(reverse("events:participants", args=[event.slug]), {"target": approved.pk, "level": "must"})
    by_page = list(Preference.objects.values_list("participant", "target", "level"))
    Preference.objects.all().delete()
    _api(client, "put", f"/events/{event.slug}/participants/{approved.pk}/preference", {"level": "must"})
    assert list(Preference.objects.values_list("participant", "target", "level")) == by_page
    assert by_page == [(waiting.pk, approved.pk, "must")]


# --- 3. create-and-submit is one service call, one transaction -----------------------------------------


def _profile_form(organisation):
    return {
        "organisation": organisation.pk,
        "kind": XRAY_REQUEST_EN["kind"],
        "title": XRAY_REQUEST_EN["title"],
        "description": XRAY_REQUEST_EN["description"],
        "trl": "7",
        "deal_types": ["licence"],
        "visibility": "public",
        "action": "submit",
    }


def _stored(opportunity):
    history = list(opportunity.events.order_by("pk").values_list("kind", "actor"))
    return (opportunity.status, opportunity.title, opportunity.submitted_at is not None, history)


def test_create_and_submit_store_the_same_through_page_and_api(client):
    user, organisation = member()
    client.force_login(user)
    page = client.post(reverse("marketplace:opportunity_create"), _profile_form(organisation))
    api = _api(client, "post", "/opportunities", {"organisation": organisation.key, **XRAY_REQUEST_EN, "submit": True})
    assert (page.status_code, api.status_code) == (302, 201)
    by_page, by_api = Opportunity.objects.order_by("pk")
    expected = ("under_review", XRAY_REQUEST_EN["title"], True, [("created", user.pk), ("submitted", user.pk)])
    assert _stored(by_page) == _stored(by_api) == expected


def test_a_submission_that_fails_leaves_no_draft_behind_on_either_door(client, monkeypatch):
    """The submission's last step (telling staff) breaks: the whole create-and-submit is undone."""
    user, organisation = member()
    client.force_login(user)
    client.raise_request_exception = False

    def broken(**kwargs):
        raise RuntimeError("the mail queue is down")

    monkeypatch.setattr(marketplace_services, "notify", broken)
    page = client.post(reverse("marketplace:opportunity_create"), _profile_form(organisation))
    api = _api(client, "post", "/opportunities", {"organisation": organisation.key, **XRAY_REQUEST_EN, "submit": True})
    assert (page.status_code, api.status_code) == (500, 500)
    assert not Opportunity.objects.exists()


# --- 4. updates take the actor and check it themselves ---------------------------------------------------


def test_only_owners_and_staff_change_an_organisation_whichever_the_door(client):
    organisation = OrganisationFactory(key="pk-owned", name_en="Owned Labs", city="Lahore")
    member_only = MembershipFactory(organisation=organisation, role="member").user
    client.force_login(member_only)
    page = client.post(
        reverse("directory:organisation_edit", args=[organisation.key]),
        {
            "kind": "company",
            "name_en": "Owned Labs",
            "country": "PK",
            "language": "en",
            "city": "Multan",
            "visibility": "public",
        },
    )
    api = _api(client, "patch", f"/organisations/{organisation.key}", {"city": "Multan"})
    assert (page.status_code, api.status_code) == (403, 403)
    assert api.json()["message"] == "Only the organisation's owners and staff can change it."
    with pytest.raises(PermissionDenied):
        directory_services.organisation_update(actor=member_only, organisation=organisation, fields={"city": "Multan"})
    assert Organisation.objects.get(pk=organisation.pk).city == "Lahore"
    assert not organisation.events.exists()


def test_only_its_representatives_change_a_registration_or_its_interests():
    event = EventFactory(slot_days=[in_days(14)])
    mine, other = register(event, country="CN"), register(event, country="PK")
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        events_services.participant_update(
            actor=stranger,
            participant=mine,
            time_zone="UTC",
            interests="Anything",
            interpreter_needed=True,
            max_meetings=1,
            slot_ids=[],
        )
    with pytest.raises(PermissionDenied):
        events_services.preference_set(actor=stranger, participant=mine, target=other, level="must")
    mine.refresh_from_db()
    assert (mine.time_zone, mine.interests, mine.available_slots.count()) == ("Asia/Karachi", "", 16)
    assert not Preference.objects.exists()
    assert not mine.events.exclude(kind="registered").exists()


# --- 5. a sector includes its sub-fields, by the parent link, everywhere --------------------------------


@pytest.fixture
def unprefixed_subfield():
    """A sub-field staff added under AI whose code does not start with "ai.": only the parent link says so."""
    return Sector.objects.create(code="edge_vision", parent=Sector.objects.get(code="ai"), name_en="Edge vision")


def test_a_focus_field_includes_a_subfield_whatever_its_code_on_every_list(client, unprefixed_subfield):
    user, organisation = member(sectors=["edge_vision"], name_en="Edge Vision Works")
    OrganisationFactory(name_en="Elsewhere Robotics", sectors=["robotics"])
    opportunity = published(organisation, user, **XRAY_REQUEST_EN, sectors=["edge_vision"])

    directory_page = client.get(reverse("directory:organisation_list"), {"sector": "ai"})
    directory_api = _api(client, "get", "/organisations", sector="ai")
    assert _same_items(directory_page, directory_api, key="key")
    found = {o.name_en for o in directory_page.context["page"].paginator.object_list}
    assert "Edge Vision Works" in found
    assert "Elsewhere Robotics" not in found

    marketplace_page = client.get(reverse("marketplace:opportunity_list"), {"sector": "ai"})
    marketplace_api = _api(client, "get", "/opportunities", sector="ai")
    assert [o.pk for o in marketplace_page.context["page"].object_list] == [opportunity.pk]
    assert [item["id"] for item in marketplace_api.json()["items"]] == [opportunity.pk]

    event = EventFactory(slot_days=[in_days(14)])
    viewer = register(event, country="CN")
    tagged = register(event, organisation=organisation, user=user)
    register(event, organisation_fields={"sectors": ["robotics"]})
    client.force_login(viewer.representatives.get())
    participants_page = client.get(reverse("events:participants", args=[event.slug]), {"sector": "ai"})
    participants_api = _api(client, "get", f"/events/{event.slug}/participants", sector="ai")
    assert [row["participant"].pk for row in participants_page.context["rows"]] == [tagged.pk]
    assert [item["id"] for item in participants_api.json()["items"]] == [tagged.pk]
    assert Participant.objects.filter(event=event).count() == 3


# --- 6. listing filters: the page and the API return the same items ------------------------------------


def _same_items(page, api, *, key="pk"):
    """The page's first page and the API's (asked for the same page size) hold the same items in the
    same order, out of the same total."""
    page_items = [getattr(item, key) for item in page.context["page"].object_list]
    api_items = [item["id" if key == "pk" else key] for item in api.json()["items"]]
    return (page.context["page"].paginator.count, page_items) == (api.json()["count"], api_items)


@pytest.mark.parametrize(
    "params",
    [
        {"country": "CN"},
        {"kind": "technology_request"},
        {"sector": "ai"},
        {"q": "tuberculosis"},
        {"country": "PK", "kind": "technology_request"},
    ],
)
def test_the_marketplace_list_filters_the_same_through_page_and_api(client, params):
    published(country="CN", **XRAY_REQUEST_EN)
    published(country="PK", **XRAY_REQUEST_EN)
    published(country="PK", kind="business_offer", title="Cold-chain logistics", description="Refrigerated trucks.")
    page = client.get(reverse("marketplace:opportunity_list"), params)
    api = _api(client, "get", "/opportunities", **params, page_size=25)
    assert (page.status_code, api.status_code) == (200, 200)
    assert _same_items(page, api)
    assert page.context["page"].object_list  # each filter here finds something: an empty answer cannot pass


@pytest.mark.parametrize(
    "params",
    [{"country": "CN"}, {"kind": "research"}, {"sector": "ai"}, {"q": "Karachi"}, {"verified": "yes"}],
)
def test_the_directory_filters_the_same_through_page_and_api(client, params):
    OrganisationFactory(name_en="Karachi AI Institute", kind="research", country="PK", sectors=["ai.nlp"])
    OrganisationFactory(name_en="Shenzhen Vision", country="CN", sectors=["ai.cv"], is_verified=True)
    OrganisationFactory(name_en="Lahore Textiles", country="PK")
    page = client.get(reverse("directory:organisation_list"), params)
    api_params = {**params, "verified": "true"} if "verified" in params else params
    api = _api(client, "get", "/organisations", **api_params, page_size=20)
    assert (page.status_code, api.status_code) == (200, 200)
    assert _same_items(page, api, key="key")
    assert page.context["page"].object_list


# --- 7. every list's FilterSet: the same rows through both doors, a bad value refused by name ----------

NOT_APPLIED = "Some filters could not be applied; the list is shown without them:"


def _refused(api, parameter):
    """The API's 422 names the query parameter it refused."""
    return api.status_code == 422 and [error["field"] for error in api.json()["errors"]] == [f"query.{parameter}"]


def _page_refuses(page, label):
    """The page still answers (never a 500), and says which filter it could not apply."""
    body = page.content.decode()
    return page.status_code == 200 and NOT_APPLIED in body and f"<strong>{label}</strong>" in body


def test_the_event_list_filters_the_same_through_page_and_api(client):
    EventFactory(title="Lahore AI week", kind="physical")
    EventFactory(title="Online fintech days", kind="virtual")
    for params, expected in (({"q": "ai week"}, ["Lahore AI week"]), ({"kind": "virtual"}, ["Online fintech days"])):
        page = client.get(reverse("events:event_list"), params)
        api = _api(client, "get", "/events", **params)
        assert [event.title for event in page.context["page"].object_list] == expected
        assert [item["title"] for item in api.json()["items"]] == expected

    assert _refused(_api(client, "get", "/events", kind="spaceship"), "kind")
    page = client.get(reverse("events:event_list"), {"kind": "spaceship"})
    assert _page_refuses(page, "Kind")
    assert page.context["page"].paginator.count == 2  # shown without the refused filter


def test_the_participant_list_filters_the_same_through_page_and_api(client):
    event = EventFactory(slot_days=[in_days(14)])
    viewer = register(event, country="CN")
    karachi = register(
        event, country="PK", interests="Crop disease detection", organisation_fields={"name_en": "Indus Agri"}
    )
    lahore = register(event, country="PK", organisation_fields={"name_en": "Ravi Robotics", "sectors": ["robotics"]})
    beijing = register(
        event, country="CN", organisation_fields={"name_en": "Beijing Robotics", "sectors": ["robotics"]}
    )
    client.force_login(viewer.representatives.get())
    for params, expected in (
        ({"country": "PK"}, {karachi.pk, lahore.pk}),
        ({"q": "crop disease"}, {karachi.pk}),
        ({"sector": "robotics", "country": "CN"}, {beijing.pk}),
    ):
        page = client.get(reverse("events:participants", args=[event.slug]), params)
        api = _api(client, "get", f"/events/{event.slug}/participants", **params)
        assert [row["participant"].pk for row in page.context["rows"]] == [item["id"] for item in api.json()["items"]]
        assert {item["id"] for item in api.json()["items"]} == expected

    assert _refused(_api(client, "get", f"/events/{event.slug}/participants", sector="no-such-sector"), "sector")
    page = client.get(reverse("events:participants", args=[event.slug]), {"sector": "no-such-sector"})
    assert _page_refuses(page, "Sector")
    assert len(page.context["rows"]) == 3


def test_the_meeting_requests_filter_the_same_through_page_and_api(client, upcoming_meeting):
    event, first, meeting = upcoming_meeting
    third, fourth = register(event, country="PK"), register(event, country="PK")
    pending = events_services.request_create(actor=first.representatives.get(), requester=first, recipient=third)
    received = events_services.request_create(actor=fourth.representatives.get(), requester=fourth, recipient=first)
    client.force_login(first.representatives.get())
    url = reverse("events:requests", args=[event.slug])
    for params, sent, got in (
        ({}, [pending.pk, meeting.request_id], [received.pk]),
        ({"status": "accepted"}, [meeting.request_id], []),
        ({"status": "pending"}, [pending.pk], [received.pk]),
    ):
        page = client.get(url, params)
        api_sent = _api(client, "get", f"/events/{event.slug}/requests", box="sent", **params)
        api_received = _api(client, "get", f"/events/{event.slug}/requests", **params)  # received by default
        assert [item.pk for item in page.context["sent"]] == [item["id"] for item in api_sent.json()["items"]] == sent
        assert [row["request"].pk for row in page.context["received"]] == got
        assert [item["id"] for item in api_received.json()["items"]] == got

    assert _refused(_api(client, "get", f"/events/{event.slug}/requests", status="lost"), "status")
    page = client.get(url, {"status": "lost"})
    assert _page_refuses(page, "Status")
    assert len(page.context["sent"]) == 2


def test_the_meeting_list_filters_the_same_through_page_and_api(client, upcoming_meeting):
    event, _, meeting = upcoming_meeting
    client.force_login(event.created_by)
    url = reverse("events:meetings", args=[event.slug])
    other_slot = event.slots.order_by("starts_at").last()
    for params, expected in (
        ({"slot": meeting.slot_id}, [meeting.pk]),
        ({"slot": other_slot.pk}, []),
        ({"status": "scheduled"}, [meeting.pk]),
        ({"status": "no_show"}, []),
    ):
        page = client.get(url, params)
        api = _api(client, "get", f"/events/{event.slug}/meetings", **params)
        assert [item.pk for item in page.context["page"].object_list] == expected
        assert [item["id"] for item in api.json()["items"]] == expected

    # A slot of another event is no slot of this one: refused by name, not an empty list.
    elsewhere = EventFactory(slot_days=[in_days(20)]).slots.first()
    assert _refused(_api(client, "get", f"/events/{event.slug}/meetings", slot=elsewhere.pk), "slot")
    page = client.get(url, {"slot": elsewhere.pk})
    assert _page_refuses(page, "Slot")
    assert [item.pk for item in page.context["page"].object_list] == [meeting.pk]


@pytest.fixture
def stored_matches():
    published(**XRAY_REQUEST_EN)
    published(country="CN", **XRAY_OFFER_ZH)
    published(**CROP_REQUEST_UR)
    published(country="CN", **CROP_OFFER_ZH)
    assert Match.objects.count() >= 4


@pytest.mark.usefixtures("stored_matches")
def test_the_match_lists_filter_the_same_through_page_and_api(client):
    client.force_login(StaffFactory())
    checked = 0
    for params in (
        {"kind": "technology_request"},
        {"sector": "ai.agri"},
        {"country": "CN"},
        {"min_score": "0.3"},
        {"q": "X-ray"},
    ):
        page = client.get(reverse("matching:staff_matches"), params)
        api = _api(client, "get", "/matches", **params, page_size=25)
        assert _same_items(page, api)
        checked += bool(page.context["page"].object_list)
    assert checked == 5  # each filter found something: an empty answer cannot pass
    kinds = {
        row["match"].opportunity.kind
        for row in client.get(reverse("matching:staff_matches"), {"kind": "technology_request"}).context["rows"]
    }
    assert kinds == {"technology_request"}

    assert _refused(_api(client, "get", "/matches", sector="no-such-sector"), "sector")
    page = client.get(reverse("matching:staff_matches"), {"sector": "no-such-sector"})
    assert _page_refuses(page, "Sector")
    assert page.context["page"].paginator.count == Match.objects.count()


def test_a_members_matches_filter_the_same_on_the_dashboard_and_the_api(client):
    user, organisation = member()
    published(organisation, user, **XRAY_REQUEST_EN)
    published(organisation, user, **CROP_REQUEST_UR)
    published(country="CN", **XRAY_OFFER_ZH)
    published(country="CN", **CROP_OFFER_ZH)
    client.force_login(user)
    everything = _api(client, "get", "/matches", page_size=25).json()["count"]
    page = client.get(reverse("matching:dashboard"), {"sector": "ai.agri"})
    api = _api(client, "get", "/matches", sector="ai.agri", page_size=25)
    assert _same_items(page, api)
    assert 0 < api.json()["count"] < everything  # the member's filter narrows the member's own matches
    assert _refused(_api(client, "get", "/matches", country="XX"), "country")
    assert _page_refuses(client.get(reverse("matching:dashboard"), {"country": "XX"}), "Country (either side)")


def test_expressions_of_interest_filter_the_same_through_page_and_api(client):
    user, organisation = member(name_en="Indus Health")
    wanted = published(organisation, user, **XRAY_REQUEST_EN)
    other_user, other_organisation = member(country="CN", name_en="Shenzhen Imaging")
    offer = published(other_organisation, other_user, **XRAY_OFFER_ZH)
    received = marketplace_services.interest_express(
        actor=other_user, organisation=other_organisation, opportunity=wanted, message="We make these scanners."
    )
    sent = marketplace_services.interest_express(
        actor=user, organisation=organisation, opportunity=offer, message="We would license it."
    )
    marketplace_services.interest_withdraw(actor=user, interest=sent)
    client.force_login(user)
    for params, expected_received, expected_sent in (
        ({}, [received.pk], [sent.pk]),
        ({"status": "withdrawn"}, [], [sent.pk]),
        ({"status": "pending"}, [received.pk], []),
    ):
        page = client.get(reverse("marketplace:mine"), params)
        api_received = _api(client, "get", "/interests", **params)  # received by default
        api_sent = _api(client, "get", "/interests", direction="sent", **params)
        assert [item.pk for item in page.context["received"]] == [i["id"] for i in api_received.json()["items"]]
        assert [item.pk for item in page.context["sent"]] == [i["id"] for i in api_sent.json()["items"]]
        assert [item.pk for item in page.context["received"]] == expected_received
        assert [item.pk for item in page.context["sent"]] == expected_sent

    assert _refused(_api(client, "get", "/interests", status="maybe"), "status")
    page = client.get(reverse("marketplace:mine"), {"status": "maybe"})
    assert _page_refuses(page, "Status")
    assert [item.pk for item in page.context["received"]] == [received.pk]


# --- 8. staff-only and owner-only rules are the selector's: both doors refuse alike, nothing stored -------


def test_a_member_may_not_review_a_profile_through_either_door(client):
    user, organisation = member()
    opportunity = marketplace_services.opportunity_create(
        actor=user, organisation=organisation, fields=XRAY_REQUEST_EN, submit=True
    )
    client.force_login(user)
    page = client.post(
        reverse("marketplace:opportunity_review", args=[opportunity.pk]), {"decision": "approve", "comment": ""}
    )
    api = _api(client, "post", f"/opportunities/{opportunity.pk}/review", {"decision": "approve", "comment": ""})
    queue = client.get(reverse("marketplace:review_queue"))
    assert (page.status_code, api.status_code, queue.status_code) == (403, 403, 403)
    assert api.json()["message"] == "Only staff may do this."
    opportunity.refresh_from_db()
    assert opportunity.status == "under_review"
    assert not opportunity.review_comments.exists()
    assert list(opportunity.events.values_list("kind", flat=True).order_by("pk")) == ["created", "submitted"]
    with pytest.raises(PermissionDenied, match="Only staff may do this"):
        marketplace_services.opportunity_review(actor=user, opportunity=opportunity, decision="approve")


def test_an_owner_may_not_verify_its_own_organisation_through_either_door(client):
    organisation = OrganisationFactory(key="pk-self-verify", name_en="Self Verify Labs")
    owner = MembershipFactory(organisation=organisation, role="owner").user
    client.force_login(owner)
    page = client.post(reverse("directory:organisation_verify", args=[organisation.key]), {"verified": "yes"})
    api = _api(client, "post", f"/organisations/{organisation.key}/verification", {"verified": True})
    # The page used to send a signed-in non-staff user to the sign-in page; both now answer 403.
    assert (page.status_code, api.status_code) == (403, 403)
    assert api.json()["message"] == "Only staff can verify organisations."
    organisation.refresh_from_db()
    assert (organisation.is_verified, organisation.verified_by) == (False, None)
    assert not organisation.events.filter(kind="verified").exists()


def test_a_participant_may_not_manage_its_event_through_either_door(client, upcoming_meeting):
    event, first, meeting = upcoming_meeting
    client.force_login(first.representatives.get())
    expected = "Only staff may manage events."
    slots_before = event.slots.count()

    pages = [
        client.get(reverse("events:manage", args=[event.slug])),
        client.post(reverse("events:meeting_mark", args=[event.slug, meeting.pk]), {"status": "no_show"}),
        client.post(reverse("events:slots_add", args=[event.slug]), {}),
        client.post(reverse("events:reminders", args=[event.slug]), {}),
    ]
    apis = [
        _api(client, "get", f"/events/{event.slug}/dashboard"),
        _api(client, "post", f"/events/{event.slug}/meetings/{meeting.pk}/mark", {"status": "no_show"}),
        _api(
            client,
            "post",
            "/events",
            {
                "slug": "mine",
                "title": "Mine",
                "registration_opens_at": "2030-01-01T00:00:00Z",
                "registration_closes_at": "2030-01-02T00:00:00Z",
            },
        ),
    ]
    assert [response.status_code for response in pages] == [403, 403, 403, 403]
    assert [response.status_code for response in apis] == [403, 403, 403]
    assert {response.json()["message"] for response in apis} == {expected}
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
    assert event.slots.count() == slots_before
    assert not type(event).objects.filter(slug="mine").exists()
    with pytest.raises(PermissionDenied, match=expected):
        events_services.meeting_mark(actor=first.representatives.get(), meeting=meeting, status="no_show")


def test_a_member_may_not_set_a_currency_rate_through_either_door(client):
    from silkbridge.money.models import CurrencyRate

    user, _organisation = member()
    client.force_login(user)
    rate = {"currency": "PKR", "units_per_usd": "280", "valid_from": "2030-01-01"}
    page = client.post(reverse("matching:rates"), rate)
    api = _api(client, "post", "/currency-rates", rate)
    staff_list = client.get(reverse("matching:staff_matches"))
    assert (page.status_code, api.status_code, staff_list.status_code) == (403, 403, 403)
    assert api.json()["message"] == "Only staff may do this."
    assert not CurrencyRate.objects.exists()
