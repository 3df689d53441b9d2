"""Conflict of interest: the declaration comes before anything of the proposal is shown; a declared
conflict ends the reviewer's access on every channel (page and API answer 404) and is recorded, its note
read only by the calling body's staff."""

from __future__ import annotations

import pytest

from silkbridge.deals.choices import ConflictStatus, ProposalEventKind
from silkbridge.deals.models import ProposalEvent, ReviewAssignment, ReviewScore
from silkbridge.deals.selectors import reviews as selectors
from silkbridge.deals.services import reviews as services
from silkbridge.deals.tests.reviews.factories import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointed():
    w = world()
    w.assignment = services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=w.alice)
    return w


def test_before_the_declaration_the_page_shows_only_title_and_submitter(appointed, client):
    client.force_login(appointed.alice)
    page = client.get(f"/deals/reviews/{appointed.assignment.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert appointed.proposal.title in html
    assert "Dragon Cloud Test Ltd" in html
    assert "A secret summary of the proposal." not in html
    assert "Technical approach" not in html  # not even the rubric
    api = client.get(f"/api/v1/deals/reviews/{appointed.assignment.pk}").json()
    assert api["content"] is None
    assert api["criteria"] == []


def test_a_declared_conflict_is_recorded_and_ends_access_on_page_and_api(appointed, client):
    client.force_login(appointed.alice)
    response = client.post(
        f"/deals/reviews/{appointed.assignment.pk}/declare/",
        {"has_conflict": "yes", "note": "My brother works for the submitter."},
    )
    assert response.status_code == 302
    assignment = ReviewAssignment.objects.get(pk=appointed.assignment.pk)
    assert assignment.conflict == ConflictStatus.DECLARED
    assert assignment.conflict_note == "My brother works for the submitter."
    event = ProposalEvent.objects.get(proposal=appointed.proposal, kind=ProposalEventKind.CONFLICT_DECLARED)
    assert (event.actor, event.note) == (appointed.alice, "My brother works for the submitter.")

    pk = appointed.assignment.pk
    criterion = appointed.criteria[0]
    assert client.get(f"/deals/reviews/{pk}/").status_code == 404
    assert client.post(f"/deals/reviews/{pk}/scores/", {f"score_{criterion.pk}": "4"}).status_code == 404
    assert client.post(f"/deals/reviews/{pk}/declare/", {"has_conflict": "no"}).status_code == 404
    assert client.get(f"/api/v1/deals/reviews/{pk}").status_code == 404
    put = client.put(
        f"/api/v1/deals/reviews/{pk}/scores",
        {"scores": [{"criterion": criterion.pk, "score": 4}]},
        content_type="application/json",
    )
    assert put.status_code == 404
    assert client.post(f"/api/v1/deals/reviews/{pk}/submit").status_code == 404
    assert ReviewScore.objects.count() == 0
    assert ReviewAssignment.objects.get(pk=pk).conflict == ConflictStatus.DECLARED  # not re-declarable
    # The queue still lists it, without a link into the proposal.
    queue = client.get("/deals/reviews/").content.decode()
    assert "Conflict of interest declared: no access" in queue
    assert f"/deals/reviews/{pk}/" not in queue


def test_the_service_refuses_a_conflicted_reviewer_and_stores_nothing(appointed):
    assignment = services.conflict_declare(
        actor=appointed.alice, assignment=appointed.assignment, has_conflict=True, note="Former employer."
    )
    with pytest.raises(services.PermissionDenied):
        services.review_save(actor=appointed.alice, assignment=assignment, scores={appointed.criteria[0].pk: (3, "")})
    assert ReviewScore.objects.count() == 0


def test_a_conflict_needs_its_note_and_a_declaration_is_made_once(appointed):
    with pytest.raises(services.ValidationError) as refused:
        services.conflict_declare(actor=appointed.alice, assignment=appointed.assignment, has_conflict=True, note=" ")
    assert "note" in refused.value.message_dict
    assert ReviewAssignment.objects.get(pk=appointed.assignment.pk).conflict == ConflictStatus.PENDING
    services.conflict_declare(actor=appointed.alice, assignment=appointed.assignment, has_conflict=False)
    with pytest.raises(services.ValidationError):
        services.conflict_declare(actor=appointed.alice, assignment=appointed.assignment, has_conflict=True, note="x")
    assert ReviewAssignment.objects.get(pk=appointed.assignment.pk).conflict == ConflictStatus.NONE


def test_only_the_reviewer_declares(appointed, client):
    with pytest.raises(services.PermissionDenied):
        services.conflict_declare(actor=appointed.bob, assignment=appointed.assignment, has_conflict=False)
    client.force_login(appointed.bob)
    assert client.get(f"/deals/reviews/{appointed.assignment.pk}/").status_code == 404
    assert client.post(f"/deals/reviews/{appointed.assignment.pk}/declare/", {"has_conflict": "no"}).status_code == 404
    assert ReviewAssignment.objects.get(pk=appointed.assignment.pk).conflict == ConflictStatus.PENDING


def test_the_conflict_note_is_for_the_calling_body_staff_only(appointed, client):
    services.conflict_declare(
        actor=appointed.alice, assignment=appointed.assignment, has_conflict=True, note="Shares in Dragon Cloud."
    )
    client.force_login(appointed.chair)
    chair_page = client.get(f"/deals/reviews/proposals/{appointed.proposal.reference}/").content.decode()
    assert "Shares in Dragon Cloud." in chair_page
    staff_api = client.get(f"/api/v1/deals/reviews/proposals/{appointed.proposal.reference}/scores").json()
    assert staff_api["appointments"][0]["conflict_note"] == "Shares in Dragon Cloud."
    assert selectors.review_events(viewer=appointed.submitter, proposal=appointed.proposal) == []
    client.force_login(appointed.submitter)
    assert client.get(f"/deals/reviews/proposals/{appointed.proposal.reference}/").status_code == 404
    assert client.get(f"/api/v1/deals/reviews/proposals/{appointed.proposal.reference}/scores").status_code == 404


def test_after_a_declared_conflict_the_queue_says_only_that_an_appointment_was_closed(appointed, client):
    """Page and API of the reviewer's queue, and the API's answer to the declaration itself: no title,
    summary or organisation of the proposal once the reviewer declared a conflict of interest."""
    client.force_login(appointed.alice)
    pk = appointed.assignment.pk
    declared = client.post(
        f"/api/v1/deals/reviews/{pk}/declaration",
        {"has_conflict": True, "note": "My brother works for the submitter."},
        content_type="application/json",
    )
    assert declared.status_code == 200
    assert declared.json() == {
        "id": pk,
        "conflict": "declared",
        "proposal": None,
        "content": None,
        "criteria": [],
        "review": None,
        "others": [],
    }
    queue = client.get("/api/v1/deals/reviews")
    assert queue.status_code == 200
    (entry,) = queue.json()
    assert (entry["id"], entry["conflict"], entry["proposal"]) == (pk, "declared", None)
    page = client.get("/deals/reviews/").content.decode()
    assert "An appointment closed by your declaration of a conflict of interest" in page
    for response in (declared.content.decode(), queue.content.decode(), page):
        assert appointed.proposal.title not in response
        assert "Dragon Cloud Test Ltd" not in response
        assert "A secret summary of the proposal." not in response
        assert appointed.proposal.reference not in response
