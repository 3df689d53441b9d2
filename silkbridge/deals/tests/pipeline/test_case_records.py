"""A relocation case's records: its documents (the proposals' upload checks), its next step's reminder to
the zone's members, the deals API's `track` filter, and deleting or withdrawing the request behind it.
A zone the request is not shared with sees none of it: not the pages, the API or the downloads."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory
from silkbridge.deals.models import Deal, DealDocument, DealEvent
from silkbridge.deals.selectors import pipeline as pipeline_selectors
from silkbridge.deals.services import pipeline as pipeline_services
from silkbridge.deals.services.cases import relocation_case_open
from silkbridge.deals.tests.pipeline.factories import manual_deal
from silkbridge.deals.tests.proposals.factories import PDF_BYTES, docx_bytes, upload, xlsx_bomb
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.zones.models import RelocationRequest, Zone
from silkbridge.zones.relocation_services import RelocationRequestData, relocation_request_create

pytestmark = pytest.mark.django_db

SECRET = "Nebula data hall plan"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _member(organisation=None):
    membership = MembershipFactory(organisation=organisation or OrganisationFactory(country="CN"))
    return membership.user, membership.organisation


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    """A Chinese company's request shared with Lahore Technopolis and taken up there (a case); Islamabad
    Technopolis has a member too, but the request is not shared with it."""
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
    case = relocation_case_open(actor=lahore_user, relocation_request=request, zone=lahore)
    return {
        "company_user": company_user,
        "lahore": lahore,
        "lahore_user": lahore_user,
        "islamabad_user": islamabad_user,
        "request": request,
        "case": case,
    }


# --- documents -----------------------------------------------------------------------------------------


def test_the_zone_adds_a_document_that_the_company_reads_and_another_zone_cannot(world):
    case = world["case"]
    zone = _client(world["lahore_user"])
    added = zone.post(f"/deals/{case.reference}/documents/", {"file": upload("site-visit.pdf", PDF_BYTES)})
    assert added.status_code == 302
    document = DealDocument.objects.get(deal=case)
    assert (document.name, document.content_type) == ("site-visit.pdf", "application/pdf")
    assert document.size == len(PDF_BYTES)
    event = DealEvent.objects.get(deal=case, kind="document_added")
    assert (event.actor, event.changes["name"]) == (world["lahore_user"], "site-visit.pdf")

    company = _client(world["company_user"])
    page = company.get(f"/deals/{case.reference}/").content.decode()
    assert "site-visit.pdf" in page
    assert f"/deals/{case.reference}/documents/{document.pk}/" in page
    download = company.get(f"/deals/{case.reference}/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment")
    listed = company.get(f"/api/v1/deals/{case.reference}/documents").json()
    assert [item["name"] for item in listed] == ["site-visit.pdf"]
    assert company.get(listed[0]["download_url"]).status_code == 200

    other = _client(world["islamabad_user"])
    for url in (
        f"/deals/{case.reference}/",
        f"/deals/{case.reference}/documents/{document.pk}/",
        f"/api/v1/deals/{case.reference}/documents",
        f"/api/v1/deals/{case.reference}/documents/{document.pk}",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/deals/{case.reference}/documents/", {"file": upload("x.pdf", PDF_BYTES)}).status_code == 404
    assert SECRET not in other.get("/api/v1/deals?track=all").content.decode()

    # Unshared, the zone loses the case and its documents at once; the company keeps them.
    world["request"].shared_with.clear()
    assert zone.get(f"/deals/{case.reference}/documents/{document.pk}/").status_code == 404
    assert zone.get(f"/api/v1/deals/{case.reference}/documents/{document.pk}").status_code == 404
    assert company.get(f"/deals/{case.reference}/documents/{document.pk}/").status_code == 200


def test_a_document_is_checked_as_a_proposals_and_a_refusal_stores_nothing(world, settings, media):
    case = world["case"]
    api = _client(world["company_user"])
    url = f"/api/v1/deals/{case.reference}/documents"
    renamed = api.post(url, {"file": upload("plan.docx", PDF_BYTES)})
    assert renamed.status_code == 422
    assert "a PDF file, but its name ends in .docx" in renamed.content.decode()
    program = api.post(url, {"file": upload("plan.pdf", b"MZ\x90\x00 not a pdf")})
    assert program.status_code == 422
    settings.PROPOSAL_DOCUMENT_MAX_BYTES = 1024 * 1024  # a package may expand to 10 MB
    bomb = api.post(url, {"file": upload("sheet.xlsx", xlsx_bomb(11 * 1024 * 1024))})
    assert bomb.status_code == 422
    assert "10 MB" in bomb.content.decode()
    too_large = api.post(url, {"file": upload("big.pdf", PDF_BYTES + b"0" * (1024 * 1024))})
    assert too_large.status_code == 422
    assert not DealDocument.objects.exists()
    assert not (media.exists() and [path for path in media.rglob("*") if path.is_file()])
    assert not DealEvent.objects.filter(kind="document_added").exists()
    accepted = api.post(url, {"file": upload("plan.docx", docx_bytes())})
    assert accepted.status_code == 201
    assert accepted.json()["content_type"].endswith("wordprocessingml.document")


def test_only_staff_the_owner_or_the_uploader_removes_a_document(world):
    case = world["case"]
    _client(world["company_user"]).post(f"/deals/{case.reference}/documents/", {"file": upload("a.pdf", PDF_BYTES)})
    document = DealDocument.objects.get()
    zone = _client(world["lahore_user"])
    assert zone.delete(f"/api/v1/deals/{case.reference}/documents/{document.pk}").status_code == 403
    assert DealDocument.objects.exists()
    removed = _client(world["company_user"]).post(f"/deals/{case.reference}/documents/{document.pk}/remove/")
    assert removed.status_code == 302
    assert not DealDocument.objects.exists()
    assert DealEvent.objects.filter(deal=case, kind="document_removed").get().changes["name"] == "a.pdf"


@pytest.mark.parametrize("channel", ["page", "api"])
def test_a_document_removed_twice_at_once_is_a_404_not_a_server_error(world, monkeypatch, channel):
    """Two removals of one document at once (a double click, two tabs): both find it, the first removes it
    while the second waits for the deal's lock; the second then answers 404 and writes nothing."""
    case = world["case"]
    company = _client(world["company_user"])
    company.post(f"/deals/{case.reference}/documents/", {"file": upload("twice.pdf", PDF_BYTES)})
    document = DealDocument.objects.get()
    found = pipeline_selectors.deal_document_get

    def removed_beside(**kwargs):  # the other removal commits between this one's read and its lock
        document = found(**kwargs)
        DealDocument.objects.filter(pk=document.pk).delete()
        return document

    monkeypatch.setattr(pipeline_selectors, "deal_document_get", removed_beside)
    if channel == "page":
        response = company.post(f"/deals/{case.reference}/documents/{document.pk}/remove/")
    else:
        response = company.delete(f"/api/v1/deals/{case.reference}/documents/{document.pk}")
    assert response.status_code == 404
    assert not DealEvent.objects.filter(deal=case, kind="document_removed").exists()


def _queries(read) -> int:  # type: ignore[no-untyped-def]
    count = 0

    def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        read()
    return count


def test_listing_a_cases_documents_reads_a_fixed_number_of_queries(world):
    """The API's list reads the deal of each document for its download address: once, not once a document."""
    case = world["case"]
    company = _client(world["company_user"])
    url = f"/api/v1/deals/{case.reference}/documents"
    company.post(url, {"file": upload("one.pdf", PDF_BYTES)})
    one = _queries(lambda: company.get(url).json())
    for name in ("two.pdf", "three.pdf", "four.pdf"):
        company.post(url, {"file": upload(name, PDF_BYTES)})
    assert len(company.get(url).json()) == 4
    assert _queries(lambda: company.get(url).json()) == one


def test_an_ordinary_deal_has_documents_too():
    staff = StaffFactory()
    deal = manual_deal(staff=staff, title="Fibre backbone")
    client = _client(staff)
    added = client.post(f"/deals/{deal.reference}/documents/", {"file": upload("terms.pdf", PDF_BYTES)})
    assert added.status_code == 302
    assert "terms.pdf" in client.get(f"/deals/{deal.reference}/").content.decode()


# --- the next step's reminder reaches the zone --------------------------------------------------------------


def test_the_reminder_of_a_case_reaches_the_zones_members_while_it_is_shared(world, django_capture_on_commit_callbacks):
    case = world["case"]
    staff = StaffFactory()
    today = timezone.localdate()
    pipeline_services.deal_next_step_set(
        actor=world["company_user"], deal=case, next_step="Site visit on Tuesday", due_on=today
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = pipeline_services.deals_remind(today=today)
    assert result["deals"] == [case.reference]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([staff.email, world["lahore_user"].email])
    assert world["islamabad_user"].email not in recipients
    assert DealEvent.objects.get(deal=case, kind="reminded").changes == {"sent_to": "staff+zone"}

    # Unshared, the zone is no longer reminded of a case it cannot see.
    world["request"].shared_with.clear()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pipeline_services.deals_remind(today=today + datetime.timedelta(days=1))
    assert [address for message in mail.outbox for address in message.to] == [staff.email]


# --- the deals API's track filter ------------------------------------------------------------------------


def test_the_deals_list_keeps_to_deals_unless_the_track_asks_for_cases(world):
    staff = _client(StaffFactory())
    deal = manual_deal(title="Solar inverter supply")
    references = lambda query: [item["reference"] for item in staff.get(f"/api/v1/deals{query}").json()["items"]]  # noqa: E731
    assert references("") == [deal.reference]
    assert references("?track=deal") == [deal.reference]
    assert references("?track=relocation") == [world["case"].reference]
    assert sorted(references("?track=all")) == sorted([deal.reference, world["case"].reference])
    assert references("?track=relocation&stage=inquiry") == [world["case"].reference]
    assert references("?track=relocation&stage=site_visit") == []
    assert staff.get("/api/v1/deals?track=zones").status_code == 422
    page = staff.get("/deals/").content.decode()
    assert deal.title in page
    assert SECRET not in page
    assert SECRET in staff.get("/deals/?track=relocation").content.decode()
    # The company's member reads its case through the track, and its request only as a number.
    case = _client(world["company_user"]).get("/api/v1/deals?track=relocation").json()["items"]
    assert [(item["zone"], item["relocation_request"]) for item in case] == [
        ("lahore-technopolis", world["request"].pk)
    ]


# --- deleting or withdrawing the request ---------------------------------------------------------------


def _request_without_case(company_user):
    organisation = company_user.memberships.get().organisation
    return relocation_request_create(
        actor=company_user,
        organisation=organisation,
        data=RelocationRequestData(title="Draft request", shared_with=["lahore-technopolis"]),
    )


def test_a_request_without_a_case_is_deleted_by_its_company_only(world):
    draft = _request_without_case(world["company_user"])
    url = f"/deals/cases/requests/{draft.pk}/remove/"
    stranger, _organisation = _member()
    assert _client(stranger).get(url).status_code == 404
    assert _client(stranger).post(url).status_code == 404
    assert _client(world["islamabad_user"]).post(url).status_code == 404
    assert _client(world["lahore_user"]).get(url).status_code == 403  # shared with it: reads, may not delete
    assert _client(world["lahore_user"]).post(url).status_code == 403
    api = f"/api/v1/deals/cases/requests/{draft.pk}/remove"
    assert _client(world["lahore_user"]).post(api, {}, content_type="application/json").status_code == 403
    assert _client(stranger).post(api, {}, content_type="application/json").status_code == 404
    assert RelocationRequest.objects.filter(pk=draft.pk).exists()

    company = _client(world["company_user"])
    page = company.get(f"/zones/requests/{draft.pk}/").content.decode()
    assert url in page
    assert "Delete the request" in company.get(url).content.decode()
    deleted = company.post(url)
    assert deleted.status_code == 302
    assert deleted["Location"] == "/zones/requests/"
    assert not RelocationRequest.objects.filter(pk=draft.pk).exists()


def test_a_request_with_a_case_is_withdrawn_and_its_record_kept(world):
    request, case = world["request"], world["case"]
    url = f"/deals/cases/requests/{request.pk}/remove/"
    company = _client(world["company_user"])
    assert "Withdraw the request" in company.get(url).content.decode()
    no_reason = company.post(url, {"reason": "  "})
    assert no_reason.status_code == 400
    assert "say why" in no_reason.content.decode()
    case.refresh_from_db()
    assert case.stage == "inquiry"
    withdrawn = company.post(url, {"reason": "We chose a zone in Karachi."})
    assert withdrawn.status_code == 302
    assert RelocationRequest.objects.filter(pk=request.pk).exists()
    case.refresh_from_db()
    assert (case.stage, case.stage_reason) == ("withdrawn", "We chose a zone in Karachi.")
    event = DealEvent.objects.get(deal=case, kind="stage_changed")
    assert (event.actor, event.changes["cause"]) == (world["company_user"], "request_withdrawn")
    # The zone keeps the record, and reads why.
    zone_page = _client(world["lahore_user"]).get(f"/deals/{case.reference}/").content.decode()
    assert "We chose a zone in Karachi." in zone_page
    assert "Withdrawn with its relocation request" in zone_page
    again = _client(StaffFactory()).post(
        f"/api/v1/deals/cases/requests/{request.pk}/remove", {"reason": "again"}, content_type="application/json"
    )
    assert again.status_code == 422
    assert Deal.objects.filter(pk=case.pk).exists()


def test_a_withdrawn_request_is_not_taken_up_again_nor_its_case_reopened_by_a_zone(world):
    """Withdrawn, the request is closed: a second zone it is still shared with cannot open a fresh case on
    it, and the zone cannot move its withdrawn case back to work; staff still may (the company asked them)."""
    request, case = world["request"], world["case"]
    request.shared_with.add(Zone.objects.get(key="islamabad-technopolis"))
    _client(world["company_user"]).post(
        f"/deals/cases/requests/{request.pk}/remove/", {"reason": "We chose a zone in Karachi."}
    )
    islamabad = _client(world["islamabad_user"])
    taken = islamabad.post(
        "/api/v1/deals/cases",
        {"relocation_request": request.pk, "zone": "islamabad-technopolis"},
        content_type="application/json",
    )
    assert taken.status_code == 422
    assert "withdrawn" in taken.content.decode()
    page = islamabad.post(f"/deals/cases/take-up/{request.pk}/", {"zone": "islamabad-technopolis"})
    assert page.status_code == 400
    assert list(Deal.objects.filter(relocation_request=request)) == [case]

    zone = _client(world["lahore_user"])
    assert "/stage/" not in zone.get(f"/deals/{case.reference}/").content.decode()
    reopened = zone.post(f"/api/v1/deals/{case.reference}/stage", {"stage": "inquiry"}, content_type="application/json")
    assert reopened.status_code == 403
    assert "withdrew" in reopened.content.decode()
    case.refresh_from_db()
    assert case.stage == "withdrawn"
    staff = _client(StaffFactory())
    assert (
        staff.post(
            f"/api/v1/deals/{case.reference}/stage", {"stage": "inquiry"}, content_type="application/json"
        ).status_code
        == 200
    )


def test_staff_withdraw_a_request_through_the_api(world):
    staff = _client(StaffFactory())
    response = staff.post(
        f"/api/v1/deals/cases/requests/{world['request'].pk}/remove",
        {"reason": "The company asked us by phone."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"outcome": "withdrawn", "cases": [world["case"].reference]}
    draft = _request_without_case(world["company_user"])
    deleted = staff.post(f"/api/v1/deals/cases/requests/{draft.pk}/remove", {}, content_type="application/json")
    assert deleted.json() == {"outcome": "deleted", "cases": []}
    assert not RelocationRequest.objects.filter(pk=draft.pk).exists()


def test_the_zones_figure_counts_a_withdrawn_case_under_withdrawn_and_a_deleted_request_not_at_all(world):
    from silkbridge.analytics.selectors import FigureFilter, relocation_cases_by_stage_and_zone

    staff = StaffFactory()
    today = timezone.localdate()
    filters = FigureFilter(start=today - datetime.timedelta(days=6), end=today)
    stages = ["inquiry", "advisory", "site_visit", "licence_application", "licence_granted", "operating"]
    columns = [*stages, "declined", "withdrawn", "stalled"]

    def counts() -> dict[str, int]:
        (row,) = relocation_cases_by_stage_and_zone(viewer=staff, filters=filters).rows
        return {stage: value for stage, value in zip(columns, row[1:10], strict=True) if value}

    assert counts() == {"inquiry": 1}
    draft = _request_without_case(world["company_user"])
    _client(world["company_user"]).post(f"/deals/cases/requests/{draft.pk}/remove/")
    assert counts() == {"inquiry": 1}
    _client(world["company_user"]).post(
        f"/deals/cases/requests/{world['request'].pk}/remove/", {"reason": "Plans changed."}
    )
    assert counts() == {"withdrawn": 1}
