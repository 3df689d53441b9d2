"""Proposal services: drafts, documents whose type is read from their content, submission against the
deadline, withdrawal, and resubmission as a new version with its difference from the last."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silkbridge.deals.choices import CallVisibility, ProposalStatus
from silkbridge.deals.models import Proposal, ProposalDocument, ProposalEvent, ProposalVersion
from silkbridge.deals.selectors import proposals as selectors
from silkbridge.deals.services import proposals as services
from silkbridge.deals.tests.proposals.factories import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    draft,
    member,
    past_deadline,
    published_call,
    submitted,
    upload,
    xlsx_bomb,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_member_starts_a_draft_to_an_open_call_and_its_history_says_so():
    user, organisation = member()
    call = published_call()
    proposal = draft(
        call,
        user=user,
        organisation=organisation,
        budget_amount="1250000.50",
        budget_currency="cny",
        timeline=[{"due_on": "2027-06-30", "milestone": "Hall 2"}, {"due_on": "2027-01-15", "milestone": "Hall 1"}],
        team=[{"name": "Li Wei", "role": "Chief engineer"}],
    )
    assert (proposal.status, proposal.version, proposal.budget_currency) == ("draft", 0, "CNY")
    assert proposal.timeline == [
        {"due_on": "2027-01-15", "milestone": "Hall 1"},
        {"due_on": "2027-06-30", "milestone": "Hall 2"},
    ]
    assert list(proposal.events.values_list("kind", "actor")) == [("created", user.pk)]


def test_an_outsider_cannot_start_a_draft_for_an_organisation_and_nothing_is_stored():
    _user, organisation = member()
    outsider, _other = member()
    with pytest.raises(PermissionDenied):
        draft(published_call(), user=outsider, organisation=organisation)
    assert Proposal.objects.count() == 0


def test_an_invitation_only_call_refuses_an_organisation_not_invited():
    user, organisation = member()
    call = published_call(visibility=CallVisibility.INVITATION)
    with pytest.raises(ValidationError) as refused:
        draft(call, user=user, organisation=organisation)
    assert refused.value.message_dict == {
        "organisation": ["This call is by invitation only, and your organisation is not invited."]
    }
    call.invited.add(organisation)
    assert draft(call, user=user, organisation=organisation).status == "draft"


def test_submission_after_the_deadline_is_refused_and_nothing_changes():
    user, organisation = member()
    call = published_call()
    proposal = draft(call, user=user, organisation=organisation)
    services.proposal_document_add(actor=user, proposal=proposal, upload=upload("offer.pdf", PDF_BYTES))
    past_deadline(call)
    events_before = ProposalEvent.objects.filter(proposal=proposal).count()
    with pytest.raises(ValidationError) as refused:
        services.proposal_submit(actor=user, proposal=proposal)
    assert refused.value.message_dict == {"call": ["The deadline of this call has passed; nothing more is accepted."]}
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version, proposal.submitted_at) == ("draft", 0, None)
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 0
    assert ProposalEvent.objects.filter(proposal=proposal).count() == events_before


def test_a_draft_without_a_document_or_a_design_for_a_data_center_call_is_not_submitted():
    user, organisation = member()
    proposal = draft(published_call(minimum_tier=3), user=user, organisation=organisation)
    with pytest.raises(ValidationError) as refused:
        services.proposal_submit(actor=user, proposal=proposal)
    assert refused.value.message_dict == {
        "documents": ["Add at least one document before submitting."],
        "design_text": ["This call asks for a data-center design; add the design file before submitting."],
    }
    assert Proposal.objects.get(pk=proposal.pk).status == "draft"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("offer.docx", PDF_BYTES, "The file's content is a PDF file, but its name ends in .docx."),
        (
            "offer.pdf",
            EXE_BYTES,
            "The file's content is not a PDF, DOCX, XLSX, PNG or JPEG file, whatever its name says.",
        ),
        ("setup.exe", EXE_BYTES, "Files ending in .exe are not accepted; send a PDF, DOCX, XLSX, PNG or JPEG file."),
        ("photo.png", PDF_BYTES, "The file's content is a PDF file, but its name ends in .png."),
        (
            "notes.docx",
            docx_bytes(main="application/xml", part="content.xml"),
            "The file is a zip archive, but not a Word (DOCX) or Excel (XLSX) document.",
        ),
    ],
)
def test_a_document_whose_content_is_not_what_its_name_says_is_refused_and_nothing_is_stored(
    media, name, content, message
):
    user, organisation = member()
    proposal = draft(published_call(), user=user, organisation=organisation)
    with pytest.raises(ValidationError) as refused:
        services.proposal_document_add(actor=user, proposal=proposal, upload=upload(name, content, "application/pdf"))
    assert refused.value.message_dict == {"file": [message]}
    assert ProposalDocument.objects.count() == 0
    assert _stored_files(media) == []
    assert not proposal.events.filter(kind="document_added").exists()


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_expanded(settings, media):
    settings.PROPOSAL_DOCUMENT_MAX_BYTES = 1024 * 1024  # a package may expand to 10 MB
    bomb = xlsx_bomb(12 * 1024 * 1024)
    assert len(bomb) < 100_000
    user, organisation = member()
    proposal = draft(published_call(), user=user, organisation=organisation)
    with pytest.raises(ValidationError) as refused:
        services.proposal_document_add(actor=user, proposal=proposal, upload=upload("prices.xlsx", bomb))
    assert refused.value.message_dict == {"file": ["The document would expand to more than 10 MB; it is refused."]}
    assert ProposalDocument.objects.count() == 0
    assert _stored_files(media) == []


def test_an_oversized_file_is_refused_with_the_limit_and_nothing_is_stored(settings, media):
    settings.PROPOSAL_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    user, organisation = member()
    proposal = draft(published_call(), user=user, organisation=organisation)
    big = PDF_BYTES + b"0" * (2 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        services.proposal_document_add(actor=user, proposal=proposal, upload=upload("offer.pdf", big))
    assert refused.value.message_dict == {"file": ["The file is larger than 2 MB."]}
    assert ProposalDocument.objects.count() == 0
    assert _stored_files(media) == []


def test_accepted_documents_are_stored_with_their_type_from_the_content_size_and_sha256(media):
    user, organisation = member()
    proposal = draft(published_call(), user=user, organisation=organisation)
    word = docx_bytes()
    document = services.proposal_document_add(
        actor=user, proposal=proposal, upload=upload("Plan.DOCX", word, "text/plain")
    )
    image = services.proposal_document_add(actor=user, proposal=proposal, upload=upload("site.png", PNG_BYTES))
    assert (document.content_type, document.size) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        len(word),
    )
    assert image.content_type == "image/png"
    import hashlib

    assert document.sha256 == hashlib.sha256(word).hexdigest()
    assert len(_stored_files(media)) == 2
    assert document.file.name.startswith("deals/proposals/")


def test_a_removed_draft_document_is_deleted_with_its_file(media, django_capture_on_commit_callbacks):
    user, organisation = member()
    proposal = draft(published_call(), user=user, organisation=organisation)
    document = services.proposal_document_add(actor=user, proposal=proposal, upload=upload("a.pdf", PDF_BYTES))
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_document_remove(actor=user, proposal=proposal, document=document)
    assert ProposalDocument.objects.count() == 0
    assert _stored_files(media) == []


def test_submission_freezes_a_version_with_every_field_and_the_documents():
    user, organisation = member()
    call = published_call()
    proposal = submitted(call, user=user, organisation=organisation, budget_amount="100", budget_currency="USD")
    version = proposal.versions.get()
    assert (proposal.status, proposal.version, version.number, version.submitted_by) == ("submitted", 1, 1, user)
    assert version.content["title"] == "Islamabad Tier-IV campus"
    assert version.content["budget_amount"] == "100.00"
    assert [(d["name"], d["content_type"], d["size"]) for d in version.content["documents"]] == [
        ("offer.pdf", "application/pdf", len(PDF_BYTES))
    ]
    assert proposal.documents.get().first_version == 1
    assert list(proposal.events.order_by("pk").values_list("kind", flat=True)) == [
        "created",
        "document_added",
        "submitted",
    ]


def test_a_submitted_proposal_cannot_be_changed_and_can_be_withdrawn_before_the_deadline_only():
    user, organisation = member()
    call = published_call()
    proposal = submitted(call, user=user, organisation=organisation)
    with pytest.raises(ValidationError):
        services.proposal_update(actor=user, proposal=proposal, fields={"title": "Changed"})
    assert services.proposal_withdraw(actor=user, proposal=proposal).status == "withdrawn"
    services.proposal_submit(actor=user, proposal=proposal)
    past_deadline(call)
    with pytest.raises(ValidationError) as refused:
        services.proposal_withdraw(actor=user, proposal=proposal)
    assert refused.value.message_dict == {"call": ["The deadline has passed; the proposal can no longer be withdrawn."]}
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


def test_resubmission_after_revise_is_version_2_with_the_difference_from_version_1():
    user, organisation = member()
    call = published_call()
    proposal = submitted(call, user=user, organisation=organisation, budget_amount="100", budget_currency="USD")
    past_deadline(call)
    Proposal.objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.REVISE,
        decision="revise",
        decision_reasons="Say more about cooling.",
        decided_at=timezone.now() - timedelta(hours=1),
    )
    proposal.refresh_from_db()
    services.proposal_update(
        actor=user,
        proposal=proposal,
        fields={"summary": "We build a Tier IV data center in Islamabad with free cooling.", "budget_amount": "120"},
    )
    first = proposal.documents.get()
    services.proposal_document_remove(actor=user, proposal=proposal, document=first)
    services.proposal_document_add(actor=user, proposal=proposal, upload=upload("cooling.pdf", PDF_BYTES + b"%v2"))
    services.proposal_submit(actor=user, proposal=proposal)  # after the deadline: a revision asked for

    proposal.refresh_from_db()
    assert (proposal.status, proposal.version, proposal.decision) == ("submitted", 2, "")
    diff = selectors.proposal_diff(viewer=user, proposal=proposal)
    assert diff is not None
    assert (diff.number, diff.previous) == (2, 1)
    changed = {change.name: change for change in diff.fields}
    assert sorted(changed) == ["budget_amount", "summary"]
    assert (changed["summary"].words_added, changed["summary"].words_removed) == (3, 0)
    assert (changed["budget_amount"].before, changed["budget_amount"].after) == ("100.00", "120.00")
    assert [entry["name"] for entry in diff.documents_added] == ["cooling.pdf"]
    assert [entry["name"] for entry in diff.documents_removed] == ["offer.pdf"]
    # The first version still lists the document taken out of the draft, and it is kept for it.
    assert ProposalDocument.objects.get(pk=first.pk).is_current is False


def test_budget_is_converted_into_the_calls_currency_with_the_rate_date():
    user, organisation = member()
    proposal = draft(
        published_call(currency="PKR"),
        user=user,
        organisation=organisation,
        budget_amount="1000",
        budget_currency="USD",
    )
    view = selectors.proposal_view(viewer=user, proposal=proposal)
    budget = selectors.budget_converted(fields=view.fields, proposal=proposal)
    from silkbridge.money.selectors import current_rates

    rates = current_rates()
    assert budget is not None
    assert (budget.target, budget.rates_date) == ("PKR", rates.as_of)
    assert float(budget.converted) == pytest.approx(round(1000 * rates.per_usd["PKR"], 2))
