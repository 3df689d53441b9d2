"""Relocation cases: a zone takes a company's relocation request up, and the case moves through its own
stages (one step at a time) with its history, on a board the zone authority, the company and staff read.
A zone the request is not shared with sees nothing of it: not on the pages, the API or the export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory
from silkbridge.deals.models import Deal, DealEvent
from silkbridge.deals.services import pipeline as pipeline_services
from silkbridge.deals.services.cases import relocation_case_open
from silkbridge.deals.tests.pipeline.factories import manual_deal
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.zones.models import Zone
from silkbridge.zones.relocation_services import RelocationRequestData, relocation_request_create

pytestmark = pytest.mark.django_db

SECRET = "Quasar relocation plan"


def _member(organisation=None):
    membership = MembershipFactory(organisation=organisation or OrganisationFactory(country="CN"))
    return membership.user, membership.organisation


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    """A Chinese company's request shared with Lahore Technopolis (whose developer has a member), not with
    Islamabad Technopolis (whose developer has a member too)."""
    company_user, company = _member()
    lahore = Zone.objects.get(key="lahore-technopolis")
    islamabad = Zone.objects.get(key="islamabad-technopolis")
    lahore_user, lahore.organisation = _member(OrganisationFactory(kind="zone_developer", country="PK"))
    lahore.save(update_fields=["organisation"])
    islamabad_user, islamabad.organisation = _member(OrganisationFactory(kind="zone_developer", country="PK"))
    islamabad.save(update_fields=["organisation"])
    request = relocation_request_create(
        actor=company_user,
        organisation=company,
        data=RelocationRequestData(title=SECRET, power_kw=800, shared_with=["lahore-technopolis"]),
    )
    return {
        "company_user": company_user,
        "company": company,
        "lahore": lahore,
        "lahore_user": lahore_user,
        "islamabad": islamabad,
        "islamabad_user": islamabad_user,
        "request": request,
    }


def test_the_zone_takes_the_request_up_and_the_case_starts_at_inquiry(world):
    case = relocation_case_open(actor=world["lahore_user"], relocation_request=world["request"], zone=world["lahore"])
    assert (case.track, case.stage, case.zone, case.relocation_request) == (
        "relocation",
        "inquiry",
        world["lahore"],
        world["request"],
    )
    assert {(party.organisation, party.role) for party in case.parties.all()} == {
        (world["company"], "initiator"),
        (world["lahore"].organisation, "authority"),
    }
    created = DealEvent.objects.get(deal=case)
    assert (created.kind, created.to_stage, created.actor) == ("created", "inquiry", world["lahore_user"])
    assert created.changes["zone"] == "lahore-technopolis"


def test_refusals_store_nothing(world):
    with pytest.raises(ValidationError) as refused:  # not shared with Islamabad
        relocation_case_open(actor=StaffFactory(), relocation_request=world["request"], zone=world["islamabad"])
    assert "not shared with" in refused.value.message_dict["zone"][0]
    with pytest.raises(PermissionDenied):  # Islamabad's member does not even see the request
        relocation_case_open(
            actor=world["islamabad_user"], relocation_request=world["request"], zone=world["islamabad"]
        )
    with pytest.raises(PermissionDenied):  # the company shares; it does not take its own request up
        relocation_case_open(actor=world["company_user"], relocation_request=world["request"], zone=world["lahore"])
    assert not Deal.objects.exists()
    first = relocation_case_open(actor=world["lahore_user"], relocation_request=world["request"], zone=world["lahore"])
    with pytest.raises(ValidationError) as again:
        relocation_case_open(actor=StaffFactory(), relocation_request=world["request"], zone=world["lahore"])
    assert first.reference in again.value.message_dict["zone"][0]
    assert Deal.objects.count() == 1


def test_a_case_moves_one_stage_at_a_time_with_its_history(world):
    """No skipping: a licence is not granted before it is applied for. One step back corrects a move;
    declined, withdrawn or stalled (with a reason) from anywhere; a stalled case resumes where it was."""
    case = relocation_case_open(actor=world["lahore_user"], relocation_request=world["request"], zone=world["lahore"])
    zone_user = world["lahore_user"]
    with pytest.raises(ValidationError) as skipped:
        pipeline_services.deal_stage_set(actor=zone_user, deal=case, stage="licence_granted")
    assert "one stage at a time" in skipped.value.message_dict["stage"][0]
    with pytest.raises(ValidationError):  # a deal's stage is not a case's
        pipeline_services.deal_stage_set(actor=zone_user, deal=case, stage="mou_drafting")
    with pytest.raises(PermissionDenied):  # the company follows the case; the zone and staff move it
        pipeline_services.deal_stage_set(actor=world["company_user"], deal=case, stage="advisory")
    for stage in ("advisory", "site_visit", "advisory", "site_visit", "licence_application"):
        case = pipeline_services.deal_stage_set(actor=zone_user, deal=case, stage=stage)
    case = pipeline_services.deal_stage_set(actor=zone_user, deal=case, stage="stalled", note="Waiting for the board")
    with pytest.raises(ValidationError):  # resumes only at a stage already reached
        pipeline_services.deal_stage_set(actor=zone_user, deal=case, stage="operating")
    case = pipeline_services.deal_stage_set(actor=zone_user, deal=case, stage="licence_application")
    case = pipeline_services.deal_stage_set(actor=zone_user, deal=case, stage="licence_granted")
    case = pipeline_services.deal_stage_set(actor=StaffFactory(), deal=case, stage="operating")
    moves = list(
        DealEvent.objects.filter(deal=case, kind="stage_changed").order_by("pk").values_list("from_stage", "to_stage")
    )
    assert moves == [
        ("inquiry", "advisory"),
        ("advisory", "site_visit"),
        ("site_visit", "advisory"),
        ("advisory", "site_visit"),
        ("site_visit", "licence_application"),
        ("licence_application", "stalled"),
        ("stalled", "licence_application"),
        ("licence_application", "licence_granted"),
        ("licence_granted", "operating"),
    ]


def test_the_mou_story_does_not_move_a_case(world):
    case = relocation_case_open(actor=world["lahore_user"], relocation_request=world["request"], zone=world["lahore"])
    moved = pipeline_services.deal_stage_follow(
        actor=StaffFactory(), deal=case, stage="mou_drafting", cause={"cause": "mou_drafted", "mou": "MOU-1"}
    )
    assert moved.stage == "inquiry"
    assert not DealEvent.objects.filter(deal=case, kind="stage_changed").exists()


def test_the_next_step_and_its_reminder_work_for_a_case(world):
    import datetime

    from django.utils import timezone

    case = relocation_case_open(actor=world["lahore_user"], relocation_request=world["request"], zone=world["lahore"])
    today = timezone.localdate()
    pipeline_services.deal_next_step_set(
        actor=world["company_user"], deal=case, next_step="Send the site plan", due_on=today
    )
    StaffFactory()
    result = pipeline_services.deals_remind(today=today + datetime.timedelta(days=1))
    assert result["deals"] == [case.reference]


def test_the_board_of_cases_shows_the_zone_its_cases_and_nothing_to_another_zone(world):
    case = relocation_case_open(actor=world["lahore_user"], relocation_request=world["request"], zone=world["lahore"])
    deal = manual_deal(title="Unrelated deal")
    zone_page = _client(world["lahore_user"]).get("/deals/cases/")
    assert zone_page.status_code == 200
    assert SECRET in zone_page.content.decode()
    assert "Unrelated deal" not in zone_page.content.decode()
    for status_column in ("Inquiry", "Advisory", "Site visit", "Licence application", "Licence granted", "Operating"):
        assert status_column in zone_page.content.decode()
    company_page = _client(world["company_user"]).get("/deals/cases/").content.decode()
    assert SECRET in company_page
    other = _client(world["islamabad_user"])
    assert SECRET not in other.get("/deals/cases/").content.decode()
    assert other.get(f"/deals/{case.reference}/").status_code == 404
    assert other.get(f"/deals/cases/take-up/{world['request'].pk}/").status_code == 404
    assert other.get(f"/api/v1/deals/{case.reference}").status_code == 404
    assert SECRET not in other.get("/api/v1/deals").content.decode()
    exported = other.get("/deals/cases/export/?format=csv").content.decode("utf-8-sig")
    assert SECRET not in exported
    zone_export = list(
        csv.reader(
            io.StringIO(
                _client(world["lahore_user"]).get("/deals/cases/export/?format=csv").content.decode("utf-8-sig")
            )
        )
    )
    assert len(zone_export) == 2
    assert zone_export[1][0] == "lahore-technopolis"
    assert zone_export[1][5] == "Inquiry"
    # The staff deals board keeps to deals.
    staff = _client(StaffFactory())
    board = staff.get("/deals/board/").content.decode()
    assert deal.title in board
    assert SECRET not in board


def test_unsharing_the_request_hides_the_case_from_the_zone(world):
    case = relocation_case_open(actor=world["lahore_user"], relocation_request=world["request"], zone=world["lahore"])
    zone = _client(world["lahore_user"])
    assert zone.get(f"/deals/{case.reference}/").status_code == 200
    world["request"].shared_with.clear()
    assert zone.get(f"/deals/{case.reference}/").status_code == 404
    assert SECRET not in zone.get("/deals/cases/").content.decode()
    assert _client(world["company_user"]).get(f"/deals/{case.reference}/").status_code == 200


def test_take_up_from_the_request_page_and_move_on_the_board(world):
    request_page = _client(world["lahore_user"]).get(f"/zones/requests/{world['request'].pk}/").content.decode()
    assert f"/deals/cases/take-up/{world['request'].pk}/" in request_page
    company_view = _client(world["company_user"]).get(f"/zones/requests/{world['request'].pk}/").content.decode()
    assert "/deals/cases/take-up/" not in company_view
    zone = _client(world["lahore_user"])
    opened = zone.post(f"/deals/cases/take-up/{world['request'].pk}/", {"zone": "lahore-technopolis"})
    case = Deal.objects.get()
    assert opened.status_code == 302
    assert opened["Location"] == f"/deals/{case.reference}/"
    again = zone.post(f"/deals/cases/take-up/{world['request'].pk}/", {"zone": "lahore-technopolis"})
    assert again.status_code == 400
    assert case.reference in again.content.decode()
    skipped = zone.post(f"/deals/{case.reference}/stage/", {"stage": "operating", "case_board": ""})
    assert skipped.status_code == 302
    assert skipped["Location"] == "/deals/cases/"
    assert Deal.objects.get().stage == "inquiry"
    zone.post(f"/deals/{case.reference}/stage/", {"stage": "advisory", "case_board": ""})
    assert Deal.objects.get().stage == "advisory"


def test_the_api_takes_a_request_up(world):
    zone = _client(world["lahore_user"])
    url = "/api/v1/deals/cases"
    payload = {"relocation_request": world["request"].pk, "zone": "islamabad-technopolis"}
    assert zone.post(url, payload, content_type="application/json").status_code == 403  # not its zone
    refused = _client(StaffFactory()).post(url, payload, content_type="application/json")
    assert refused.status_code == 422
    assert "not shared with" in refused.content.decode()
    hidden = _client(world["islamabad_user"]).post(
        url,
        {"relocation_request": world["request"].pk, "zone": "islamabad-technopolis"},
        content_type="application/json",
    )
    assert hidden.status_code == 404
    opened = zone.post(
        url, {"relocation_request": world["request"].pk, "zone": "lahore-technopolis"}, content_type="application/json"
    )
    assert opened.status_code == 201
    body = opened.json()
    assert (body["track"], body["stage"], body["zone"]) == ("relocation", "inquiry", "lahore-technopolis")
    moved = zone.post(
        f"/api/v1/deals/{body['reference']}/stage", {"stage": "licence_granted"}, content_type="application/json"
    )
    assert moved.status_code == 422
