"""The proposal pages (form with line-numbered timeline errors, detail in Urdu, right to left) and the
API (create, update, documents as multipart, submit, versions, diff, withdraw)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, UserFactory
from silkbridge.deals.forms.proposals import timeline_parse
from silkbridge.deals.models import Proposal, ProposalDocument
from silkbridge.deals.services import proposals as services
from silkbridge.deals.tests.proposals.factories import (
    EXE_BYTES,
    PDF_BYTES,
    draft,
    member,
    past_deadline,
    published_call,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_timeline_lines_are_refused_with_their_line_numbers():
    assert timeline_parse("2027-01-15 — Hall 1\n\n2027-06-30 - Hall 2") == [
        {"due_on": "2027-01-15", "milestone": "Hall 1"},
        {"due_on": "2027-06-30", "milestone": "Hall 2"},
    ]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        timeline_parse("2027-01-15 — Hall 1\nsoon — Hall 2\n2027-13-01 — Hall 3\n2027-02-01")
    assert refused.value.messages == [
        "Line 2: start with the date as YYYY-MM-DD.",
        "Line 3: start with the date as YYYY-MM-DD.",
        "Line 4: name the milestone after the date.",
    ]


def test_the_form_creates_a_draft_and_shows_line_numbered_errors():
    user, organisation = member()
    call = published_call()
    client = _client(user)
    url = f"/deals/proposals/new/?call={call.slug}"
    assert client.get(url).status_code == 200
    fields = {
        "organisation": organisation.pk,
        "title": "Campus",
        "summary": "A summary.",
        "language": "en",
        "timeline": "2027-01-15 — Hall 1\nnext year — Hall 2",
        "team": "Li Wei — Chief engineer",
    }
    refused = client.post(url, fields)
    assert refused.status_code == 200
    assert "Line 2: start with the date as YYYY-MM-DD." in refused.content.decode()
    assert Proposal.objects.count() == 0
    fields["timeline"] = "2027-01-15 — Hall 1"
    response = client.post(url, fields)
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/deals/proposals/{proposal.reference}/"
    assert (proposal.timeline, proposal.team) == (
        [{"due_on": "2027-01-15", "milestone": "Hall 1"}],
        [{"name": "Li Wei", "role": "Chief engineer"}],
    )


def test_a_refused_upload_on_the_page_names_the_field_and_stores_nothing():
    user, organisation = member()
    proposal = draft(published_call(), user=user, organisation=organisation)
    client = _client(user)
    response = client.post(
        f"/deals/proposals/{proposal.reference}/documents/",
        {"file": SimpleUploadedFile("offer.pdf", EXE_BYTES, "application/pdf"), "envelope": "technical"},
        follow=True,
    )
    assert (
        "Document: The file’s content is not a PDF" in response.content.decode()
        or "Document: The file&#x27;s content is not a PDF" in response.content.decode()
    )
    assert ProposalDocument.objects.count() == 0


def test_the_submitters_see_who_added_each_document_and_the_calling_body_does_not():
    author, organisation = member()
    author.full_name = "Ayesha Khan"
    author.save(update_fields=["full_name"])
    colleague = MembershipFactory(user=UserFactory(), organisation=organisation).user
    call = published_call()
    proposal = draft(call, user=author, organisation=organisation)
    services.proposal_document_add(actor=author, proposal=proposal, upload=upload("offer.pdf", PDF_BYTES))

    body = _client(colleague).get(f"/deals/proposals/{proposal.reference}/").content.decode()
    assert "Added by <bdi>Ayesha Khan</bdi>" in body

    services.proposal_submit(actor=author, proposal=proposal)
    past_deadline(call)
    issuer_staff = MembershipFactory(user=UserFactory(), organisation=call.issuer).user
    response = _client(issuer_staff).get(f"/deals/proposals/{proposal.reference}/")
    assert response.status_code == 200
    assert "offer.pdf" in response.content.decode()
    assert "Ayesha Khan" not in response.content.decode()


def test_the_proposal_page_reads_right_to_left_in_urdu():
    user, organisation = member()
    proposal = draft(
        published_call(), user=user, organisation=organisation, title="اسلام آباد ڈیٹا سینٹر", language="ur"
    )
    user.language = "ur"
    user.save(update_fields=["language"])
    client = _client(user)
    with translation.override("ur"):
        response = client.get(f"/deals/proposals/{proposal.reference}/", HTTP_ACCEPT_LANGUAGE="ur")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in body
    assert 'lang="ur" dir="auto">اسلام آباد ڈیٹا سینٹر</h1>' in body


def test_the_api_walks_a_proposal_from_draft_to_version_2_with_its_diff():
    user, organisation = member()
    call = published_call()
    _token, secret = api_token_create(user=user, name="tests")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    created = api.post(
        "/api/v1/deals/proposals",
        {
            "organisation": organisation.key,
            "call": call.slug,
            "title": "Campus",
            "summary": "Two halls.",
            "budget_amount": "500000",
            "budget_currency": "CNY",
            "timeline": [{"due_on": "2027-01-15", "milestone": "Hall 1"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    assert created.json()["budget"]["target"] == "PKR"
    refused = api.post(
        f"/api/v1/deals/proposals/{reference}/documents", {"file": SimpleUploadedFile("offer.docx", PDF_BYTES)}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "body.file", "message": "The file's content is a PDF file, but its name ends in .docx."}
    ]
    added = api.post(
        f"/api/v1/deals/proposals/{reference}/documents", {"file": SimpleUploadedFile("offer.pdf", PDF_BYTES)}
    )
    assert added.status_code == 201, added.content
    assert added.json()["content_type"] == "application/pdf"
    submitted = api.post(f"/api/v1/deals/proposals/{reference}/submit")
    assert (submitted.status_code, submitted.json()["status"], submitted.json()["version"]) == (200, "submitted", 1)
    assert api.get(f"/api/v1/deals/proposals/{reference}/diff").status_code == 404
    withdrawn = api.post(f"/api/v1/deals/proposals/{reference}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    patched = api.patch(
        f"/api/v1/deals/proposals/{reference}",
        {"summary": "Two halls and a control room."},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    api.post(f"/api/v1/deals/proposals/{reference}/submit")
    versions = api.get(f"/api/v1/deals/proposals/{reference}/versions").json()
    assert [version["number"] for version in versions] == [1, 2]
    diff = api.get(f"/api/v1/deals/proposals/{reference}/diff").json()
    assert (diff["number"], diff["previous"]) == (2, 1)
    assert [(f["name"], f["words_added"], f["words_removed"]) for f in diff["fields"]] == [("summary", 4, 0)]
    assert diff["documents_added"] == diff["documents_removed"] == []
