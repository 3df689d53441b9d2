"""Issue 13, item 3: a proposal draft that was never submitted can be deleted, with its documents and
their files; a proposal submitted once keeps its record, and nobody outside its organisation deletes."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from silkbridge.deals.models import Proposal, ProposalDocument
from silkbridge.deals.services import proposals as services
from silkbridge.deals.tests.proposals.factories import PDF_BYTES, draft, member, published_call, submitted, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_member_deletes_a_draft_on_its_page_with_its_files(media, django_capture_on_commit_callbacks):
    user, organisation = member()
    proposal = draft(published_call(), user=user, organisation=organisation)
    services.proposal_document_add(actor=user, proposal=proposal, upload=upload("offer.pdf", PDF_BYTES))
    client = _client(user)
    page = client.get(reverse("deals:proposal_detail", args=[proposal.reference])).content.decode()
    assert "Delete the draft" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deals:proposal_action", args=[proposal.reference, "delete"]))
    assert (response.status_code, response["Location"]) == (302, reverse("deals:proposal_list"))
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
    assert ProposalDocument.objects.count() == 0
    assert _stored_files(media) == []


def test_a_proposal_submitted_once_is_not_deleted_even_when_withdrawn():
    user, organisation = member()
    proposal = submitted(published_call(), user=user, organisation=organisation)
    services.proposal_withdraw(actor=user, proposal=proposal)
    client = _client(user)
    assert (
        "Delete the draft"
        not in client.get(reverse("deals:proposal_detail", args=[proposal.reference])).content.decode()
    )
    response = client.post(reverse("deals:proposal_action", args=[proposal.reference, "delete"]), follow=True)
    assert "Only a draft that was never submitted can be deleted" in response.content.decode()
    assert Proposal.objects.filter(pk=proposal.pk).exists()


def test_someone_outside_the_organisation_cannot_delete_a_draft():
    user, organisation = member()
    proposal = draft(published_call(), user=user, organisation=organisation)
    outsider, _other = member()
    with pytest.raises((PermissionDenied, ValidationError)):
        services.proposal_draft_delete(actor=outsider, proposal=proposal)
    assert (
        _client(outsider).post(reverse("deals:proposal_action", args=[proposal.reference, "delete"])).status_code == 404
    )
    assert Proposal.objects.filter(pk=proposal.pk).exists()
