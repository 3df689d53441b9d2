"""Zone facts kept by the zone's developer: its members propose a value with a source and a date, staff
approve or reject it, the public page shows only approved values with their source and date, and every
approved change is in the zone's history (who, when, source, old → new). Pages and API alike."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.zones.facts_models import ZoneFactChange
from silkbridge.zones.models import Zone

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/lahore-technopolis-brochure-2026.pdf"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world():
    zone = Zone.objects.get(key="lahore-technopolis")
    developer = MembershipFactory(organisation=OrganisationFactory(kind="zone_developer", country="PK"))
    zone.organisation = developer.organisation  # type: ignore[assignment]
    zone.save(update_fields=["organisation"])
    staff = StaffFactory(full_name="Sana Staff")
    developer.user.full_name = "Dawood Developer"
    developer.user.save(update_fields=["full_name"])
    return {"zone": zone, "developer": developer.user, "staff": staff, "stranger": MembershipFactory().user}


def _propose(client: Client, **fields) -> object:
    data = {"field": "power_available_kw", "value": "4500", "source": SOURCE, "source_date": "2026-11-30"}
    data.update(fields)
    return client.post("/zones/lahore-technopolis/facts/", data)


def test_a_proposal_is_not_public_until_staff_approve_it_then_it_shows_with_source_date_and_history(world):
    response = _propose(_client(world["developer"]))
    assert response.status_code == 302
    change = ZoneFactChange.objects.get()
    assert (change.status, change.value, change.proposed_by) == ("proposed", 4500, world["developer"])
    world["zone"].refresh_from_db()
    assert world["zone"].power_available_kw is None
    public = _client().get("/zones/lahore-technopolis/").content.decode()
    assert "4500" not in public
    assert SOURCE not in public
    assert "No change approved yet" in public

    # the developer sees it waiting; staff approve it from their queue
    assert "4500" in _client(world["developer"]).get("/zones/lahore-technopolis/facts/").content.decode()
    queue = _client(world["staff"]).get("/zones/facts/review/").content.decode()
    assert "4500" in queue
    assert "Lahore Technopolis" in queue
    response = _client(world["staff"]).post(f"/zones/facts/{change.pk}/approve/", {"next": "queue"})
    assert response.status_code == 302
    assert response["Location"] == "/zones/facts/review/"

    world["zone"].refresh_from_db()
    assert world["zone"].power_available_kw == 4500
    change.refresh_from_db()
    assert (change.status, change.old_value, change.decided_by) == ("approved", None, world["staff"])
    public = _client().get("/zones/lahore-technopolis/").content.decode()
    assert '<dt>Power available (kW)</dt><dd dir="auto">4500<span class="fact-source">' in public
    assert f'Source: <bdi><a href="{SOURCE}"' in public
    assert "2026-11-30" in public
    # history: when, fact, before → after, source, who proposed, who approved (names, never e-mail)
    history = public.split("History of the facts")[1]
    assert '<td>Power available (kW)</td><td dir="auto">Not known</td><td dir="auto">4500</td>' in history
    assert "Dawood Developer" in history
    assert "Sana Staff" in history
    assert world["developer"].email not in public

    # a second approved change keeps the first as its "before"
    _propose(_client(world["developer"]), value="6000", source="Zone authority letter of 2026-12-01")
    second = ZoneFactChange.objects.get(status="proposed")
    _client(world["staff"]).post(f"/zones/facts/{second.pk}/approve/")
    second.refresh_from_db()
    assert second.old_value == 4500
    history = _client().get("/zones/lahore-technopolis/").content.decode().split("History of the facts")[1]
    assert '<td dir="auto">4500</td><td dir="auto">6000</td>' in history
    assert history.count("<tr>") == 3  # header row and two changes


def test_a_rejection_needs_a_reason_keeps_the_zone_and_the_developer_reads_it(world):
    _propose(_client(world["developer"]), field="data_center_tier", value="3")
    change = ZoneFactChange.objects.get()
    _client(world["staff"]).post(f"/zones/facts/{change.pk}/reject/", {"reason": ""})
    change.refresh_from_db()
    assert change.status == "proposed"
    _client(world["staff"]).post(f"/zones/facts/{change.pk}/reject/", {"reason": "The brochure says Tier 2."})
    change.refresh_from_db()
    world["zone"].refresh_from_db()
    assert (change.status, world["zone"].data_center_tier) == ("rejected", None)
    assert (
        "The brochure says Tier 2."
        in _client(world["developer"]).get("/zones/lahore-technopolis/facts/").content.decode()
    )
    # decided once: approving it afterwards changes nothing
    _client(world["staff"]).post(f"/zones/facts/{change.pk}/approve/")
    world["zone"].refresh_from_db()
    assert world["zone"].data_center_tier is None


def test_strangers_and_developers_of_other_zones_are_refused_and_only_staff_decide(world):
    assert _client().get("/zones/lahore-technopolis/facts/").status_code == 302  # sign in first
    assert _client(world["stranger"]).get("/zones/lahore-technopolis/facts/").status_code == 403
    assert _propose(_client(world["stranger"])).status_code == 403
    other = Zone.objects.get(key="islamabad-technopolis")
    assert _client(world["developer"]).get(f"/zones/{other.key}/facts/").status_code == 403
    assert not ZoneFactChange.objects.exists()
    _propose(_client(world["developer"]))
    change = ZoneFactChange.objects.get()
    for user in (world["developer"], world["stranger"]):
        assert _client(user).post(f"/zones/facts/{change.pk}/approve/").status_code == 403
        assert _client(user).get("/zones/facts/review/").status_code == 403
    change.refresh_from_db()
    assert change.status == "proposed"
    # the public zone page offers the facts page only to those who may use it
    assert (
        "Propose changes to these facts"
        in _client(world["developer"]).get("/zones/lahore-technopolis/").content.decode()
    )
    assert (
        "Propose changes to these facts"
        not in _client(world["stranger"]).get("/zones/lahore-technopolis/").content.decode()
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value": "-5"}, "value", "This figure cannot be negative."),
        ({"field": "data_center_tier", "value": "5"}, "value", "A data center Tier is 1 to 4 (0 for none on site)."),
        ({"field": "has_fibre", "value": "perhaps"}, "value", "This fact is yes or no."),
        ({"field": "airport_km", "value": "-1"}, "value", "A distance cannot be negative."),
        ({"source": "  "}, "source", "This field is required."),
        ({"source_date": (date.today() + timedelta(days=3)).isoformat()}, "source_date", "cannot be in the future"),
        ({"field": "runway_length"}, "field", "Select a valid choice."),
    ],
)
def test_bad_input_on_the_page_names_the_field_and_changes_nothing(world, fields, field, message):
    response = _propose(_client(world["developer"]), **fields)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not ZoneFactChange.objects.exists()


def _api(user, method: str, path: str, body: dict | None = None):
    client = _client(user)
    call = getattr(client, method)
    if body is None:
        return call(f"/api/v1{path}")
    return call(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_the_api_proposes_approves_and_shows_the_history_with_the_same_rules(world):
    body = {"field": "office_space_m2", "value": 12000, "source": SOURCE, "source_date": "2026-11-30"}
    assert _api(world["stranger"], "post", "/zones/lahore-technopolis/fact-changes", body).status_code == 403
    assert _api(world["stranger"], "get", "/zones/lahore-technopolis/fact-changes").status_code == 403
    response = _api(world["developer"], "post", "/zones/lahore-technopolis/fact-changes", body)
    assert response.status_code == 201
    created = response.json()
    assert (created["status"], created["value"], created["zone"]) == ("proposed", 12000, "lahore-technopolis")
    assert _api(None, "get", "/zones/lahore-technopolis/fact-history").json() == []
    assert _api(None, "get", "/zones/lahore-technopolis").json()["office_space_m2"] is None
    assert _api(world["developer"], "post", f"/zone-fact-changes/{created['id']}/approve").status_code == 403
    assert [item["id"] for item in _api(world["staff"], "get", "/zone-fact-changes").json()] == [created["id"]]
    approved = _api(world["staff"], "post", f"/zone-fact-changes/{created['id']}/approve")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert _api(None, "get", "/zones/lahore-technopolis").json()["office_space_m2"] == 12000
    [row] = _api(None, "get", "/zones/lahore-technopolis/fact-history").json()
    assert row == {
        "field": "office_space_m2",
        "value": 12000,
        "old_value": None,
        "source": SOURCE,
        "source_date": "2026-11-30",
        "approved_at": row["approved_at"],
        "proposed_by": "Dawood Developer",
        "approved_by": "Sana Staff",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": -10}, "value"),
        ({"field": "data_center_tier", "value": 7}, "value"),
        ({"field": "moat_depth"}, "field"),
        ({"source": ""}, "source"),
        ({"source_date": None}, "source_date"),
    ],
)
def test_bad_input_over_the_api_is_a_422_naming_the_field(world, change, field):
    body = {"field": "power_available_kw", "value": 100, "source": SOURCE, "source_date": "2026-11-30", **change}
    response = _api(world["developer"], "post", "/zones/lahore-technopolis/fact-changes", body)
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not ZoneFactChange.objects.exists()


def test_a_rejection_over_the_api_needs_a_reason(world):
    body = {"field": "has_housing", "value": True, "source": SOURCE, "source_date": "2026-11-30"}
    pk = _api(world["developer"], "post", "/zones/lahore-technopolis/fact-changes", body).json()["id"]
    assert _api(world["staff"], "post", f"/zone-fact-changes/{pk}/reject", {"reason": ""}).status_code == 422
    response = _api(world["staff"], "post", f"/zone-fact-changes/{pk}/reject", {"reason": "No source for housing."})
    assert response.status_code == 200
    assert response.json()["reason"] == "No source for housing."
    assert Zone.objects.get(key="lahore-technopolis").has_housing is None


def test_licensed_companies_and_the_incentive_calculator_on_the_zone_page(world):
    zone = world["zone"]
    public = OrganisationFactory(name_en="Openly Licensed Co", country="PK")
    hidden = OrganisationFactory(name_en="Quietly Licensed Co", country="PK", visibility="private")
    zone.licensed_organisations.set([public, hidden])
    html = _client(UserFactory()).get("/zones/lahore-technopolis/").content.decode()
    assert "Openly Licensed Co" in html
    assert "Quietly Licensed Co" not in html
    assert 'href="/zones/incentives/"' in html
    assert "STZA Act 2021" in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"note": "x" * 100_000}, "note", "At most 2000 characters"),
        ({"field": "airport_km", "value": "NaN"}, "value", "Enter a distance in kilometres."),
        ({"field": "seaport_km", "value": "Infinity"}, "value", "Enter a distance in kilometres."),
        ({"value": "1e308"}, "value", "Enter a whole number."),
        ({"value": 1e308}, "value", "Enter a whole number."),
    ],
)
def test_absurd_input_over_the_api_is_a_422_saying_what_is_wrong_and_stores_nothing(world, change, field, message):
    body = {"field": "power_available_kw", "value": 100, "source": SOURCE, "source_date": "2026-11-30", **change}
    response = _api(world["developer"], "post", "/zones/lahore-technopolis/fact-changes", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(field in error["field"] and message in error["message"] for error in errors), errors
    assert not ZoneFactChange.objects.exists()


def test_a_rejection_reason_over_the_api_is_bounded_like_the_page_s(world):
    body = {"field": "has_housing", "value": True, "source": SOURCE, "source_date": "2026-11-30"}
    pk = _api(world["developer"], "post", "/zones/lahore-technopolis/fact-changes", body).json()["id"]
    response = _api(world["staff"], "post", f"/zone-fact-changes/{pk}/reject", {"reason": "r" * 100_000})
    assert response.status_code == 422
    assert "reason" in json.dumps(response.json())
    assert ZoneFactChange.objects.get(pk=pk).status == "proposed"
