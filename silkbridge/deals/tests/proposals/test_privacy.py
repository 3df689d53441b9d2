"""Who reads a proposal, through every channel: a sealed proposal cannot be opened before its call's
deadline by anyone but the submitter's members (page, API, admin, document download, search); after the
deadline the calling body's staff and cleared reviewers can; a reviewer who declared a conflict cannot;
a member of two organisations sees the drafts of those two only; the financial envelope stays sealed
until its own opening."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.deals.choices import EvaluationMethod
from silkbridge.deals.models import Opening, ReviewAssignment
from silkbridge.deals.selectors import proposals as selectors
from silkbridge.deals.services import proposals as services
from silkbridge.deals.tests.proposals.factories import (
    PDF_BYTES,
    draft,
    member,
    past_deadline,
    published_call,
    submitted,
    upload,
)

pytestmark = pytest.mark.django_db
SECRET = "Quillwort"  # in the sealed proposal's title and summary only


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sealed():
    """A proposal submitted to a call whose deadline has not passed, with its people around it."""
    submitter, organisation = member()
    issuer_member, issuer = member(kind="government")
    call = published_call(issuer)
    proposal = submitted(
        call, user=submitter, organisation=organisation, title=f"{SECRET} campus", summary=f"{SECRET} cooling plan"
    )
    return {
        "proposal": proposal,
        "call": call,
        "submitter": submitter,
        "issuer_member": issuer_member,
        "staff": StaffFactory(),
        "superuser": UserFactory(is_superuser=True, role="staff"),
        "document": proposal.documents.get(),
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(user) -> dict[str, str]:
    _token, secret = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _channels(world, user) -> dict[str, int]:
    """The status each channel answers this user for the proposal (and its document)."""
    proposal, document = world["proposal"], world["document"]
    page = _client(user)
    headers = _bearer(user)
    api = Client()
    return {
        "page": page.get(f"/deals/proposals/{proposal.reference}/").status_code,
        "document": page.get(f"/deals/proposals/{proposal.reference}/documents/{document.pk}/").status_code,
        "api": api.get(f"/api/v1/deals/proposals/{proposal.reference}", **headers).status_code,
        "api_document": api.get(
            f"/api/v1/deals/proposals/{proposal.reference}/documents/{document.pk}", **headers
        ).status_code,
        "api_versions": api.get(f"/api/v1/deals/proposals/{proposal.reference}/versions", **headers).status_code,
        "api_list": int(
            proposal.reference
            in {item["reference"] for item in api.get("/api/v1/deals/proposals", **headers).json()["items"]}
        ),
    }


SEALED = {"page": 404, "document": 404, "api": 404, "api_document": 404, "api_versions": 404, "api_list": 0}
OPEN = {"page": 200, "document": 200, "api": 200, "api_document": 200, "api_versions": 200, "api_list": 1}


@pytest.mark.parametrize("who", ["issuer_member", "staff", "superuser"])
def test_a_sealed_proposal_cannot_be_opened_before_the_deadline_through_any_channel(sealed, who):
    assert _channels(sealed, sealed[who]) == SEALED


def test_the_submitters_members_read_their_sealed_proposal(sealed):
    assert _channels(sealed, sealed["submitter"]) == OPEN


def test_the_admin_does_not_list_or_open_a_sealed_proposal_even_for_a_superuser(sealed):
    client = _client(sealed["superuser"])
    listing = client.get("/admin/deals/proposal/")
    assert listing.status_code == 200
    assert SECRET not in listing.content.decode()
    change = client.get(f"/admin/deals/proposal/{sealed['proposal'].pk}/change/")
    assert change.status_code == 302  # "does not exist": back to the admin's index
    past_deadline(sealed["call"])
    listing = client.get("/admin/deals/proposal/")
    assert f"{SECRET} campus" in listing.content.decode()
    assert "/media/" not in client.get(f"/admin/deals/proposal/{sealed['proposal'].pk}/change/").content.decode()


def test_a_sealed_proposal_is_in_no_search(sealed):
    client = _client(sealed["issuer_member"])
    for url in (
        f"/api/v1/organisations?q={SECRET}",
        f"/api/v1/marketplace/opportunities?q={SECRET}",
        f"/organisations/?q={SECRET}",
        f"/marketplace/?q={SECRET}",
    ):
        response = client.get(url)
        body = response.content.decode()
        assert SECRET + " campus" not in body, url
        assert "cooling plan" not in body, url


def test_after_the_deadline_the_calling_bodys_staff_read_it_and_outsiders_still_do_not(sealed):
    past_deadline(sealed["call"])
    assert _channels(sealed, sealed["issuer_member"]) == OPEN
    assert _channels(sealed, sealed["staff"]) == OPEN
    outsider, _organisation = member()
    assert _channels(sealed, outsider) == SEALED


def test_a_reviewer_reads_it_after_a_clear_declaration_and_loses_it_with_a_declared_conflict(sealed):
    past_deadline(sealed["call"])
    reviewer = UserFactory(role="reviewer")
    assignment = ReviewAssignment.objects.create(proposal=sealed["proposal"], reviewer=reviewer)
    assert _channels(sealed, reviewer) == SEALED  # not declared yet
    ReviewAssignment.objects.filter(pk=assignment.pk).update(conflict="none", declared_at=timezone.now())
    assert _channels(sealed, reviewer) == OPEN
    ReviewAssignment.objects.filter(pk=assignment.pk).update(conflict="declared", conflict_note="Former employer")
    assert _channels(sealed, reviewer) == SEALED


def test_a_member_of_two_organisations_sees_the_drafts_of_those_two_only():
    user = UserFactory()
    _owner_a, alpha = member()
    _owner_b, beta = member()
    MembershipFactory(user=user, organisation=alpha, role="member")
    MembershipFactory(user=user, organisation=beta, role="member")
    call = published_call()
    mine_a = draft(call, user=user, organisation=alpha, title="Alpha draft")
    mine_b = draft(call, user=user, organisation=beta, title="Beta draft")
    other_user, other = member()
    theirs = draft(call, user=other_user, organisation=other, title="Gamma draft")
    assert set(selectors.proposals_visible(viewer=user)) == {mine_a, mine_b}
    assert set(selectors.proposals_visible(viewer=other_user)) == {theirs}
    assert _client(user).get(f"/deals/proposals/{theirs.reference}/").status_code == 404
    page = _client(user).get("/deals/proposals/").content.decode()
    assert "Alpha draft" in page
    assert "Beta draft" in page
    assert "Gamma draft" not in page


def test_the_financial_envelope_stays_sealed_until_the_financial_opening():
    submitter, organisation = member()
    issuer_member, issuer = member(kind="government")
    call = published_call(issuer, evaluation=EvaluationMethod.QUALITY_AND_COST)
    proposal = draft(call, user=submitter, organisation=organisation, declared_price="990000", price_currency="PKR")
    services.proposal_document_add(actor=submitter, proposal=proposal, upload=upload("technical.pdf", PDF_BYTES))
    services.proposal_document_add(
        actor=submitter, proposal=proposal, upload=upload("prices.pdf", PDF_BYTES + b"%f"), envelope="financial"
    )
    services.proposal_submit(actor=submitter, proposal=proposal)
    past_deadline(call)
    headers = _bearer(issuer_member)
    body = Client().get(f"/api/v1/deals/proposals/{proposal.reference}", **headers).json()
    assert (body["declared_price"], body["price_currency"]) == (None, None)
    assert [document["name"] for document in body["documents"]] == ["technical.pdf"]
    versions = Client().get(f"/api/v1/deals/proposals/{proposal.reference}/versions", **headers).json()
    assert "declared_price" not in versions[0]["content"]
    assert [entry["name"] for entry in versions[0]["content"]["documents"]] == ["technical.pdf"]
    financial = proposal.documents.get(envelope="financial")
    download = _client(issuer_member).get(f"/deals/proposals/{proposal.reference}/documents/{financial.pk}/")
    assert download.status_code == 404

    Opening.objects.create(call=call, kind="financial", opened_at=timezone.now())
    body = Client().get(f"/api/v1/deals/proposals/{proposal.reference}", **headers).json()
    assert (body["declared_price"], body["price_currency"]) == ("990000.00", "PKR")
    assert sorted(document["name"] for document in body["documents"]) == ["prices.pdf", "technical.pdf"]


def test_a_download_is_an_attachment_that_browsers_do_not_sniff(sealed):
    response = _client(sealed["submitter"]).get(
        f"/deals/proposals/{sealed['proposal'].reference}/documents/{sealed['document'].pk}/"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_unsolicited_proposal_is_read_by_the_recipient_once_submitted():
    submitter, organisation = member()
    recipient_member, recipient = member()
    proposal = draft(None, user=submitter, organisation=organisation, recipient=recipient)
    assert not selectors.proposals_visible(viewer=recipient_member).filter(pk=proposal.pk).exists()
    services.proposal_document_add(actor=submitter, proposal=proposal, upload=upload("offer.pdf", PDF_BYTES))
    services.proposal_submit(actor=submitter, proposal=proposal)
    assert selectors.proposals_visible(viewer=recipient_member).filter(pk=proposal.pk).exists()
    assert not selectors.proposals_visible(viewer=StaffFactory()).filter(pk=proposal.pk).exists()
