"""The relocation demo that `silkbridge load_demo` files: three fictional companies' requests shared with
real zones, one case at the site visit with its document and next step, seen by its people; a second run
changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from silkbridge.deals.demo_relocation import demo_relocation_ensure
from silkbridge.deals.models import Deal, DealDocument, DealEvent
from silkbridge.zones.models import RelocationRequest

pytestmark = pytest.mark.django_db
PASSWORD = "demo-test-Password-1"


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(email: str) -> Client:
    client = Client()
    assert client.login(username=email, password=PASSWORD)
    return client


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.managed}


def test_the_relocation_demo_files_three_requests_and_a_case_at_the_site_visit_once():
    demo = demo_relocation_ensure(password=PASSWORD)
    assert demo["created"]
    assert not demo["skipped"]

    requests = {request.organisation.key: request for request in RelocationRequest.objects.all()}
    assert set(requests) == {"cn-jinque-pay", "cn-qinchuan-uav", "cn-qianyun-infra"}
    assert all(request.organisation.is_demo for request in requests.values())
    assert {key: request.language for key, request in requests.items()} == {
        "cn-jinque-pay": "zh",
        "cn-qinchuan-uav": "en",
        "cn-qianyun-infra": "zh",
    }
    assert all("演示" in request.title or "demo" in request.title for request in requests.values())
    shared = {key: sorted(zone.key for zone in request.shared_with.all()) for key, request in requests.items()}
    assert shared["cn-jinque-pay"] == ["islamabad-technopolis", "nust-stz"]
    assert shared["cn-qinchuan-uav"] == ["code-stp-the-mark", "lahore-technopolis"]
    assert sorted(requests["cn-qinchuan-uav"].preferred_cities) == ["Faisalabad", "Lahore"]
    assert requests["cn-qianyun-infra"].space_kind == "rack"

    case = Deal.objects.get(reference=demo["case"])
    assert (case.track, case.stage, case.zone.key, case.relocation_request) == (
        "relocation",
        "site_visit",
        "islamabad-technopolis",
        requests["cn-jinque-pay"],
    )
    assert case.zone.organisation.key == "ref-stza"
    assert [
        event.to_stage
        for event in DealEvent.objects.filter(deal=case, kind__in=["created", "stage_changed"]).order_by(
            "created_at", "pk"
        )
    ] == [
        "inquiry",
        "advisory",
        "site_visit",
    ]
    document = DealDocument.objects.get(deal=case)
    assert document.file.read().startswith(b"%PDF-")
    assert case.next_step.startswith("Site visit")
    assert case.next_step_on is not None

    # The company's member reads the case in Chinese and downloads the document; the officer works it.
    company = _client("zhou.min@jinque-demo.example")
    page = company.get(f"/deals/{case.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "site-visit-plan.pdf" in page
    assert company.get(f"/deals/{case.reference}/documents/{document.pk}/").status_code == 200
    officer_board = _client("officer.stza@silkbridge.example").get("/deals/cases/").content.decode()
    assert requests["cn-jinque-pay"].title in officer_board
    # The drone maker's member sees its own request, not the fintech's case.
    drones = _client("han.jie@qinchuan-demo.example")
    assert drones.get(f"/deals/{case.reference}/").status_code == 404

    before = _counts()
    again = demo_relocation_ensure(password=PASSWORD)
    assert (again["case"], again["created"]) == (case.reference, False)
    assert _counts() == before


def test_the_demo_cases_site_visit_takes_place_inside_the_demo_delegation_visit_once():
    from datetime import timedelta

    from django.test import TestCase

    from silkbridge.accounts.tests.factories import StaffFactory
    from silkbridge.directory.loaders import DATA_DIR, organisations_load
    from silkbridge.events.demo import demo_case_site_visit_ensure, demo_delegation_ensure

    organisations_load(DATA_DIR / "demo_organisations.yaml", is_demo=True)
    staff = StaffFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        event, _ = demo_delegation_ensure(staff=staff)
    case = Deal.objects.get(reference=demo_relocation_ensure(password=PASSWORD)["case"])

    assert demo_case_site_visit_ensure(
        staff=staff, relocation_request_id=case.relocation_request_id, zone_key="islamabad-technopolis"
    )
    visit = event.site_visits.get(relocation_request_id=case.relocation_request_id)
    assert visit.zone.key == "islamabad-technopolis"
    assert [attendee.organisation.key for attendee in visit.attendees.all()] == ["cn-jinque-pay"]
    stop = event.stops.get(city="Islamabad")
    assert stop.arrives_at <= visit.starts_at
    assert visit.starts_at + timedelta(minutes=visit.minutes) <= stop.leaves_at
    # The company's member finds the visit on the case's page; a second run adds nothing.
    page = _client("zhou.min@jinque-demo.example").get(f"/deals/{case.reference}/").content.decode()
    assert 'id="site-visits-title"' in page
    assert not demo_case_site_visit_ensure(
        staff=staff, relocation_request_id=case.relocation_request_id, zone_key="islamabad-technopolis"
    )
    assert event.site_visits.filter(relocation_request_id=case.relocation_request_id).count() == 1
