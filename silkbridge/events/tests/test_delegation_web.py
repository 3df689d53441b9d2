"""Delegation visits on the pages and through the API: staff plan the itinerary (times typed in each
city's local time), refusals name the field and store nothing, members read their agenda (page, PDF,
.ics) in their language, and a relocation request's site visits reach only those who may read it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events import services
from silkbridge.events.models import SiteVisit, VisitLeg, VisitStop
from silkbridge.events.tests.delegation import accepted, at, delegation_event, host, member, plan_itinerary
from silkbridge.zones.models import Zone
from silkbridge.zones.relocation_services import RelocationRequestData, relocation_request_create

pytestmark = pytest.mark.django_db


def _client(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _bearer(user):
    _, secret = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, path, payload, user):
    return client.post(f"/api/v1{path}", json.dumps(payload), content_type="application/json", **_bearer(user))


def _fields(response):
    return {error["field"].replace("body.payload.", "body.") for error in response.json()["errors"]}


def test_staff_add_a_leg_typed_in_beijing_time_and_a_city_typed_wrong_is_refused_beside_its_field():
    event, days = delegation_event()
    staff = event.created_by
    page = _client(staff).get(f"/events/{event.slug}/manage/itinerary/")
    assert page.status_code == 200
    response = _client(staff).post(
        f"/events/{event.slug}/manage/itinerary/legs/",
        {
            "from_city": "Beijing",
            "to_city": "Islamabad",
            "departs_at": f"{days[0]}T02:00",
            "arrives_at": f"{days[0]}T05:30",
        },
    )
    assert response.status_code == 302
    leg = VisitLeg.objects.get(event=event)
    # 02:00 in Beijing is 18:00 UTC the day before; 05:30 in Islamabad is 00:30 UTC
    assert leg.departs_at.astimezone(UTC).hour == 18
    assert (leg.arrives_at.astimezone(UTC).hour, leg.arrives_at.astimezone(UTC).minute) == (0, 30)

    refused = _client(staff).post(
        f"/events/{event.slug}/manage/itinerary/stops/",
        {"city": "Atlantis", "arrives_at": f"{days[0]}T06:00", "leaves_at": f"{days[1]}T08:00"},
    )
    assert refused.status_code == 422
    assert "“Atlantis” is not a city Silkbridge knows for visits." in refused.content.decode()
    assert not VisitStop.objects.filter(event=event).exists()


def test_only_staff_reach_the_itinerary_page():
    event, _days = delegation_event()
    assert _client(UserFactory()).get(f"/events/{event.slug}/manage/itinerary/").status_code == 403
    assert Client().get(f"/events/{event.slug}/manage/itinerary/").status_code == 302


def test_a_member_reads_its_agenda_in_chinese_as_page_pdf_and_ics():
    event, days = delegation_event()
    plan_itinerary(event, days)
    chinese, lahore = member(event), host(event, "Lahore")
    services.meeting_book(meeting_request=accepted(chinese, lahore), slot=event.slots.get(starts_at=at(days[1], 11)))
    client = _client(chinese.representatives.first(), "zh-hans")
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert "北京 → 伊斯兰堡" in page
    assert "北京时间" in page  # the leg out of China in Beijing time
    assert page.count('data-kind="leg"') == 3
    assert page.count('data-kind="meeting"') == 1
    pdf = client.get(f"/events/{event.slug}/agenda.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    ics = client.get(f"/events/{event.slug}/agenda.ics").content.decode()
    assert ics.count("BEGIN:VEVENT") == 4
    assert "北京 → 伊斯兰堡" in ics


def test_the_api_plans_a_visit_and_refuses_a_leg_that_arrives_before_it_leaves(client):
    event, days = delegation_event()
    staff = event.created_by
    created = _post(
        client,
        f"/events/{event.slug}/itinerary/stops",
        {"city": "Lahore", "arrives_at": at(days[1], 10).isoformat(), "leaves_at": at(days[2], 7).isoformat()},
        staff,
    )
    assert created.status_code == 201, created.content
    assert created.json()["city"] == "Lahore"
    backwards = _post(
        client,
        f"/events/{event.slug}/itinerary/legs",
        {
            "from_city": "Islamabad",
            "to_city": "Lahore",
            "departs_at": at(days[1], 10).isoformat(),
            "arrives_at": at(days[1], 8).isoformat(),
        },
        staff,
    )
    assert backwards.status_code == 422
    assert _fields(backwards) == {"body.arrives_at"}
    assert not VisitLeg.objects.exists()
    # a member may not plan; the itinerary is staff's
    chinese = member(event)
    denied = _post(
        client,
        f"/events/{event.slug}/itinerary/stops",
        {"city": "Karachi", "arrives_at": at(days[2], 10).isoformat(), "leaves_at": at(days[2], 12).isoformat()},
        chinese.representatives.first(),
    )
    assert denied.status_code == 403
    listed = client.get(f"/api/v1/events/{event.slug}/itinerary", **_bearer(staff)).json()
    assert [stop["city"] for stop in listed["stops"]] == ["Lahore"]
    agenda = client.get(
        f"/api/v1/events/{event.slug}/itinerary/agenda", **_bearer(chinese.representatives.first())
    ).json()
    assert agenda == []
    # staff asking for a participant of another event: 404
    stranger = member(delegation_event(days_ahead=40)[0])
    assert (
        client.get(
            f"/api/v1/events/{event.slug}/itinerary/agenda?participant={stranger.pk}", **_bearer(staff)
        ).status_code
        == 404
    )


def test_a_request_s_site_visits_reach_its_readers_and_not_a_zone_it_is_not_shared_with(client):
    event, days = delegation_event()
    plan_itinerary(event, days)
    chinese = member(event)
    company_user = chinese.representatives.first()
    lahore = Zone.objects.get(key="lahore-technopolis")
    islamabad = Zone.objects.get(key="islamabad-technopolis")
    for zone in (lahore, islamabad):
        zone.organisation = OrganisationFactory.create(kind="zone_developer", country="PK", city=zone.city)
        zone.save(update_fields=["organisation"])
    lahore_user = MembershipFactory(organisation=lahore.organisation).user
    islamabad_user = MembershipFactory(organisation=islamabad.organisation).user
    request = relocation_request_create(
        actor=company_user,
        organisation=chinese.organisation,
        data=RelocationRequestData(title="Drone plant", shared_with=["lahore-technopolis"]),
    )
    created = _post(
        client,
        f"/events/{event.slug}/itinerary/site-visits",
        {
            "zone": "lahore-technopolis",
            "starts_at": at(days[1], 14).isoformat(),
            "minutes": 90,
            "relocation_request": request.pk,
        },
        lahore_user,
    )
    assert created.status_code == 201, created.content
    assert created.json()["attendees"] == [chinese.pk]
    for reader in (company_user, lahore_user, StaffFactory()):
        rows = client.get(f"/api/v1/relocation-requests/{request.pk}/site-visits", **_bearer(reader)).json()
        assert [row["zone"] for row in rows] == ["lahore-technopolis"]
    assert (
        client.get(f"/api/v1/relocation-requests/{request.pk}/site-visits", **_bearer(islamabad_user)).status_code
        == 404
    )
    # the zone not shared with cannot add one either, and nothing is stored
    refused = _post(
        client,
        f"/events/{event.slug}/itinerary/site-visits",
        {
            "zone": "islamabad-technopolis",
            "starts_at": at(days[0], 14).isoformat(),
            "minutes": 60,
            "relocation_request": request.pk,
        },
        islamabad_user,
    )
    assert refused.status_code == 403
    assert SiteVisit.objects.count() == 1
    # the company's member sees the visit on its agenda
    agenda = client.get(f"/api/v1/events/{event.slug}/itinerary/agenda", **_bearer(company_user)).json()
    visit = next(item for item in agenda if item["kind"] == "site_visit")
    assert visit["time_zone"] == "Asia/Karachi"
    assert datetime.fromisoformat(visit["local_start"]).hour == 14


def test_the_relocation_case_page_lists_the_site_visit_planned_for_it():
    from silkbridge.deals.services.cases import relocation_case_open

    event, days = delegation_event()
    plan_itinerary(event, days)
    chinese = member(event)
    company_user = chinese.representatives.first()
    lahore = Zone.objects.get(key="lahore-technopolis")
    lahore.organisation = OrganisationFactory.create(kind="zone_developer", country="PK", city="Lahore")
    lahore.save(update_fields=["organisation"])
    lahore_user = MembershipFactory(organisation=lahore.organisation).user
    request = relocation_request_create(
        actor=company_user,
        organisation=chinese.organisation,
        data=RelocationRequestData(title="Drone plant", shared_with=["lahore-technopolis"]),
    )
    case = relocation_case_open(actor=lahore_user, relocation_request=request, zone=lahore)
    case_url = f"/deals/{case.reference}/"
    form = {
        "event": event.slug,
        "zone": "lahore-technopolis",
        "relocation_request": request.pk,
        "starts_at": f"{days[1]}T14:00",
        "minutes": 90,
        "next": case_url,
    }
    zone_client = _client(lahore_user)
    assert "Plan the site visit" in zone_client.get(case_url).content.decode()
    assert "Plan the site visit" not in _client(company_user).get(case_url).content.decode()  # the zone plans
    planned = zone_client.post("/events/site-visits/plan/", form, follow=True)
    assert "The site visit was added to the delegation visit." in planned.content.decode()
    # the same member cannot be on two site visits at once; the refusal names the field, nothing is stored
    again = zone_client.post("/events/site-visits/plan/", {**form, "starts_at": f"{days[1]}T15:00"}, follow=True)
    assert "Starts (local time): A member who goes is on another site visit at this time." in again.content.decode()
    assert event.site_visits.count() == 1
    # the company cannot plan one (403)
    assert _client(company_user).post("/events/site-visits/plan/", form).status_code == 403
    for reader in (company_user, lahore_user):
        page = _client(reader).get(f"/deals/{case.reference}/").content.decode()
        assert "Site visits" in page
        assert f"{days[1]} 14:00" in page
        assert event.title in page


def test_out_of_range_input_through_the_api_is_a_422_naming_the_field(client):
    event, days = delegation_event()
    staff = event.created_by
    far = _post(
        client,
        f"/events/{event.slug}/itinerary/site-visits",
        {"zone": "lahore-technopolis", "starts_at": "9999-12-31T23:30:00-05:00", "minutes": 60},
        staff,
    )
    assert far.status_code == 422
    assert _fields(far) == {"body.starts_at"}
    huge = _post(
        client,
        f"/events/{event.slug}/itinerary/site-visits",
        {
            "zone": "lahore-technopolis",
            "starts_at": at(days[1], 14).isoformat(),
            "minutes": 60,
            "relocation_request": 2**70,
        },
        staff,
    )
    assert huge.status_code == 422
    assert client.get(
        "/api/v1/relocation-requests/99999999999999999999999/site-visits", **_bearer(staff)
    ).status_code in (404, 422)
    assert not SiteVisit.objects.exists()
