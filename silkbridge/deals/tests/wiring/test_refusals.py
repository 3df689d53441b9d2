"""The refusals of issue 11, through the page AND the API: a proposal submitted after the deadline, a
document whose content is not what its name says, an oversized upload, a score outside 0–5, and a
reviewer with a declared conflict trying to score. Each is refused with a message that names the field
(or, for the conflicted reviewer, the appointment is simply not there any more: 404), and nothing
changes: every deals table keeps its row count and the file storage holds the same files.

(The services' refusals, message by message, are in proposals/test_services.py, reviews/test_scores.py
and reviews/test_conflict.py.)"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from silkbridge.deals.services import proposals as proposal_services
from silkbridge.deals.services import reviews as review_services
from silkbridge.deals.tests.proposals.factories import (
    EXE_BYTES,
    PDF_BYTES,
    draft,
    member,
    past_deadline,
    published_call,
)
from silkbridge.deals.tests.proposals.factories import upload as make_upload
from silkbridge.deals.tests.reviews.factories import world as review_world

pytestmark = pytest.mark.django_db

LATE = "The deadline of this call has passed; nothing more is accepted."
NOT_A_PDF = "The file's content is not a PDF, DOCX, XLSX, PNG or JPEG file, whatever its name says."


def _state() -> dict[str, Any]:
    """Row counts of every deals table, and the files in the media storage."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_app_config("deals").get_models()}
    media = Path(settings.MEDIA_ROOT)
    files = (
        sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()) if media.exists() else []
    )
    return {"rows": counts, "files": files}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def late_draft():
    user, organisation = member()
    call = published_call()
    proposal = draft(call, user=user, organisation=organisation)
    proposal_services.proposal_document_add(actor=user, proposal=proposal, upload=make_upload("offer.pdf", PDF_BYTES))
    past_deadline(call)
    return user, proposal


def test_a_proposal_submitted_after_the_deadline_is_refused_on_the_page_and_the_api(late_draft):
    user, proposal = late_draft
    client = _client(user)
    before = _state()
    page = client.post(f"/deals/proposals/{proposal.reference}/submit/", follow=True)
    assert LATE in _page(page)
    api = client.post(f"/api/v1/deals/proposals/{proposal.reference}/submit")
    assert api.status_code == 422
    assert [(error["field"], error["message"]) for error in api.json()["errors"]] == [("body.call", LATE)]
    assert _state() == before
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version, proposal.submitted_at) == ("draft", 0, None)


@pytest.fixture
def open_draft():
    user, organisation = member()
    return user, draft(published_call(), user=user, organisation=organisation)


@pytest.mark.parametrize(
    ("file", "message", "limit"),
    [
        (("offer.pdf", EXE_BYTES), NOT_A_PDF, None),
        (("offer.pdf", PDF_BYTES + b"0" * (1024 * 1024)), "The file is larger than 1 MB.", 1024 * 1024),
    ],
    ids=["content-not-its-name", "oversized"],
)
def test_a_refused_upload_names_the_field_on_the_page_and_the_api_and_stores_nothing(
    open_draft, settings, file, message, limit
):
    if limit is not None:
        settings.PROPOSAL_DOCUMENT_MAX_BYTES = limit
    user, proposal = open_draft
    client = _client(user)
    name, content = file
    before = _state()
    page = client.post(
        f"/deals/proposals/{proposal.reference}/documents/",
        {"file": SimpleUploadedFile(name, content, "application/pdf"), "envelope": "technical"},
        follow=True,
    )
    assert f"Document: {message}" in _page(page)
    api = client.post(
        f"/api/v1/deals/proposals/{proposal.reference}/documents",
        {"file": SimpleUploadedFile(name, content, "application/pdf"), "envelope": "technical"},
    )
    assert api.status_code == 422
    (error,) = api.json()["errors"]
    assert (error["field"], error["message"]) == ("body.file", message)
    assert _state() == before


@pytest.fixture
def cleared():
    w = review_world()
    w.assignment = review_services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=w.alice)
    review_services.conflict_declare(actor=w.alice, assignment=w.assignment, has_conflict=False)
    return w


@pytest.mark.parametrize("bad", [6, -1])
def test_a_score_outside_0_to_5_is_refused_on_the_page_and_the_api_naming_the_criterion(cleared, bad):
    w = cleared
    criterion = w.criteria[0]
    message = f"“{criterion.name_en}”: a score is a whole number from 0 to 5."
    client = _client(w.alice)
    before = _state()
    page = client.post(f"/deals/reviews/{w.assignment.pk}/scores/", {f"score_{criterion.pk}": str(bad)})
    assert page.status_code == 400
    assert message in _page(page)
    api = client.put(
        f"/api/v1/deals/reviews/{w.assignment.pk}/scores",
        json.dumps({"scores": [{"criterion": criterion.pk, "score": bad, "comment": ""}]}),
        content_type="application/json",
    )
    assert api.status_code == 422
    assert [(error["field"], error["message"]) for error in api.json()["errors"]] == [
        (f"body.score_{criterion.pk}", message)
    ]
    assert _state() == before


def test_a_reviewer_with_a_declared_conflict_cannot_score_on_the_page_or_the_api(cleared):
    w = cleared
    bob = review_services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=w.bob)
    review_services.conflict_declare(actor=w.bob, assignment=bob, has_conflict=True, note="I advised the bidder.")
    criterion = w.criteria[0]
    client = _client(w.bob)
    before = _state()
    assert client.post(f"/deals/reviews/{bob.pk}/scores/", {f"score_{criterion.pk}": "4"}).status_code == 404
    api = client.put(
        f"/api/v1/deals/reviews/{bob.pk}/scores",
        json.dumps({"scores": [{"criterion": criterion.pk, "score": 4, "comment": ""}]}),
        content_type="application/json",
    )
    assert api.status_code == 404
    assert client.post(f"/api/v1/deals/reviews/{bob.pk}/submit").status_code == 404
    assert _state() == before
    # The service itself says why, should anything reach it.
    with pytest.raises(review_services.PermissionDenied) as refused:
        review_services.review_save(actor=w.bob, assignment=bob, scores={criterion.pk: (4, "")})
    assert str(refused.value) == "Declare that you have no conflict of interest before scoring."
    assert _state() == before
