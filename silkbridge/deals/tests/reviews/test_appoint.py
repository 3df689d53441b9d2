"""Appointing reviewers: by the calling body's staff, after the call's deadline, never a member of the
submitting organisation (a conflict by construction) — a member of two organisations included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from silkbridge.accounts.tests.factories import MembershipFactory, UserFactory
from silkbridge.deals.choices import ProposalEventKind
from silkbridge.deals.models import ProposalEvent, ReviewAssignment
from silkbridge.deals.services import reviews as services
from silkbridge.deals.tests.reviews.factories import make_proposal, member_of, review, world
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_staff_of_the_calling_body_appoint_and_the_reviewer_is_told(django_capture_on_commit_callbacks):
    w = world()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=w.alice)
    event = ProposalEvent.objects.get(proposal=w.proposal, kind=ProposalEventKind.REVIEWER_APPOINTED)
    assert (event.actor, event.changes) == (w.chair, {"reviewer": w.alice.pk})
    assert [message.to for message in mail.outbox] == [[w.alice.email]]
    assert f"/deals/reviews/{assignment.pk}/" in mail.outbox[0].body
    assert "A secret summary" not in mail.outbox[0].body


def test_a_member_of_two_organisations_cannot_review_a_proposal_of_one_of_them(client):
    w = world()
    both = member_of(w.call.issuer, full_name="Two Hats", email="two.hats@example.org")
    MembershipFactory(user=both, organisation=w.submitter_organisation, role="member")
    with pytest.raises(services.ValidationError) as refused:
        services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=both)
    assert refused.value.message_dict == {
        "reviewer": ["A member of the submitting organisation cannot review its proposal."]
    }
    client.force_login(w.chair)
    response = client.post(
        f"/api/v1/deals/reviews/proposals/{w.proposal.reference}/reviewers",
        {"reviewer": "two.hats@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 422
    page = client.get(f"/deals/reviews/proposals/{w.proposal.reference}/").content.decode()
    assert "two.hats@example.org" not in page  # not offered either
    assert ReviewAssignment.objects.count() == 0
    assert not ProposalEvent.objects.filter(kind=ProposalEventKind.REVIEWER_APPOINTED).exists()


def test_a_member_of_both_cannot_chair_their_own_organisations_proposal(client):
    w = world()
    review(w.chair, w.proposal, w.alice, dict.fromkeys(w.criteria, 3), comment="Committee-only remark")
    both = member_of(w.call.issuer)
    MembershipFactory(user=both, organisation=w.submitter_organisation, role="member")
    with pytest.raises(services.PermissionDenied):
        services.reviewer_appoint(actor=both, proposal=w.proposal, reviewer=w.bob)
    with pytest.raises(services.PermissionDenied):
        services.decision_record(actor=both, proposal=w.proposal, decision="approve", reasons="Mine.")
    assert ReviewAssignment.objects.count() == 1
    w.proposal.refresh_from_db()
    assert w.proposal.decision == ""
    # Nor does the issuer's side show them the committee's reviews of their own organisation's proposal.
    client.force_login(both)
    for url in (
        f"/deals/reviews/proposals/{w.proposal.reference}/",
        f"/deals/reviews/calls/{w.call.slug}/",
        f"/api/v1/deals/reviews/proposals/{w.proposal.reference}/scores",
        f"/api/v1/deals/reviews/calls/{w.call.slug}/ranking",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Committee-only remark" not in response.content.decode()


def test_no_appointment_before_the_deadline_even_for_platform_staff():
    w = world(deadline_in=timedelta(minutes=5))
    staff = UserFactory(role="staff")
    for actor in (w.chair, staff):
        with pytest.raises(services.ValidationError) as refused:
            services.reviewer_appoint(actor=actor, proposal=w.proposal, reviewer=w.alice)
        assert refused.value.message_dict == {
            "proposal": ["Reviewers can be appointed only after the call's deadline."]
        }
    assert ReviewAssignment.objects.count() == 0


def test_outsiders_and_the_submitter_cannot_appoint(client):
    w = world()
    for actor in (UserFactory(), w.submitter, member_of(OrganisationFactory())):
        with pytest.raises(services.PermissionDenied):
            services.reviewer_appoint(actor=actor, proposal=w.proposal, reviewer=w.alice)
        client.force_login(actor)
        response = client.post(
            f"/api/v1/deals/reviews/proposals/{w.proposal.reference}/reviewers",
            {"reviewer": w.alice.email},
            content_type="application/json",
        )
        assert response.status_code == 404
    assert ReviewAssignment.objects.count() == 0


def test_an_unknown_address_is_refused_like_one_outside_the_pool(client):
    w = world()
    outsider = UserFactory(email="someone.else@example.org")
    client.force_login(w.chair)
    answers = [
        client.post(
            f"/api/v1/deals/reviews/proposals/{w.proposal.reference}/reviewers",
            {"reviewer": address},
            content_type="application/json",
        ).json()
        for address in ("nobody.here@example.org", outsider.email)
    ]
    assert answers[0] == answers[1]
    assert answers[0]["errors"] == [
        {"field": "body.reviewer", "message": "Choose a member of the calling body or a platform reviewer."}
    ]


def test_unsolicited_proposals_are_reviewed_by_the_recipient(client):
    recipient = OrganisationFactory(kind="government")
    chair = member_of(recipient)
    reviewer = member_of(recipient)
    proposal = make_proposal(recipient=recipient)
    assignment = services.reviewer_appoint(actor=chair, proposal=proposal, reviewer=reviewer)
    assert assignment.reviewer == reviewer
    services.reviewer_remove(actor=chair, assignment=assignment)
    assert ReviewAssignment.objects.count() == 0
    assert ProposalEvent.objects.filter(proposal=proposal, kind=ProposalEventKind.REVIEWER_REMOVED).count() == 1
