"""What the submitter learns: the decision, its reasons and the consolidated comments, in its language,
without any reviewer's name, e-mail or score — only once the decision has taken effect (an unsolicited
proposal at once, by e-mail too; a call's when the call is decided, through decision_notify)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.deals.choices import Decision, ProposalEventKind, ProposalStatus
from silkbridge.deals.models import Call, Proposal, ProposalEvent
from silkbridge.deals.selectors import reviews as selectors
from silkbridge.deals.services import reviews as services
from silkbridge.deals.tests.reviews.factories import make_proposal, member_of, review, world
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

REVIEWER_TRACES = ("Alice Reviewer", "Bob Reviewer", "alice.reviewer@cda.example", "bob.reviewer@cda.example")


@pytest.fixture
def decided():
    w = world()
    approach, team, timeline = w.criteria
    review(w.chair, w.proposal, w.alice, {approach: 4, team: 3, timeline: 5}, comment="Alice says")
    review(w.chair, w.proposal, w.bob, {approach: 2, team: 3, timeline: 4}, comment="Bob says")
    services.decision_record(
        actor=w.chair, proposal=w.proposal, decision=Decision.REVISE, reasons="Strengthen the cooling design."
    )
    w.proposal.refresh_from_db()
    return w


def test_the_decision_is_recorded_with_its_event(decided):
    """A call proposal keeps its status "submitted" until the call's decision takes effect."""
    proposal = decided.proposal
    assert (proposal.status, proposal.decision, proposal.decided_by) == (
        ProposalStatus.SUBMITTED,
        Decision.REVISE,
        decided.chair,
    )
    assert proposal.decision_reasons == "Strengthen the cooling design."
    event = ProposalEvent.objects.get(proposal=proposal, kind=ProposalEventKind.DECIDED)
    assert event.changes == {"decision": "revise"}


def test_a_call_proposals_feedback_waits_for_the_calls_decision(decided, client):
    client.force_login(decided.submitter)
    url = f"/api/v1/deals/reviews/proposals/{decided.proposal.reference}/feedback"
    assert client.get(url).status_code == 404
    assert selectors.proposal_feedback(viewer=decided.submitter, proposal=decided.proposal) is None
    with pytest.raises(services.ValidationError):
        services.decision_notify(proposal=decided.proposal)
    assert mail.outbox == []

    Call.objects.filter(pk=decided.call.pk).update(decided_at=timezone.now())
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["decision"] == "revise"
    assert data["reasons"] == "Strengthen the cooling design."
    assert data["criteria"][0] == {
        "criterion": "Technical approach",
        "comments": ["Alice says on Technical approach", "Bob says on Technical approach"],
    }
    for trace in REVIEWER_TRACES:
        assert trace not in response.content.decode()
    assert '"score"' not in response.content.decode()
    assert "weighted" not in response.content.decode()


def test_the_feedback_snippet_has_no_reviewer_name_or_email(decided):
    Call.objects.filter(pk=decided.call.pk).update(decided_at=timezone.now())
    proposal = Proposal.objects.select_related("call").get(pk=decided.proposal.pk)
    feedback = selectors.proposal_feedback(viewer=decided.submitter, proposal=proposal)
    html = render_to_string("deals/reviews/_feedback.html", {"feedback": feedback})
    assert "Strengthen the cooling design." in html
    assert "Bob says on Timeline" in html
    for trace in REVIEWER_TRACES:
        assert trace not in html
    # Outsiders get nothing, not even once it is in effect.
    assert selectors.proposal_feedback(viewer=member_of(OrganisationFactory()), proposal=proposal) is None


def test_decision_notify_sends_the_calls_feedback_once_decided(decided, django_capture_on_commit_callbacks):
    Call.objects.filter(pk=decided.call.pk).update(decided_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_notify(proposal=decided.proposal)
    assert [message.to for message in mail.outbox] == [[decided.submitter.email]]
    body = mail.outbox[0].body
    assert "Strengthen the cooling design." in body
    assert "Alice says on Technical approach" in body
    for trace in REVIEWER_TRACES:
        assert trace not in body


def test_an_unsolicited_decision_goes_out_at_once_in_chinese(django_capture_on_commit_callbacks):
    recipient = OrganisationFactory(kind="government", name_en="Zone Authority (test)")
    chair = member_of(recipient)
    reviewer = member_of(recipient, full_name="Reviewer Qureshi", email="qureshi@zone.example")
    company = OrganisationFactory(country="CN")
    submitter = member_of(company, language="zh-hans")
    proposal = make_proposal(recipient=recipient, organisation=company, title="数据中心合作建议")
    assignment = services.reviewer_appoint(actor=chair, proposal=proposal, reviewer=reviewer)
    services.conflict_declare(actor=reviewer, assignment=assignment, has_conflict=False)
    with pytest.raises(services.ValidationError):  # no rubric: the overall comment is the review
        services.review_submit(actor=reviewer, assignment=assignment)
    services.review_save(actor=reviewer, assignment=assignment, scores={}, comment="冷却方案需要更多细节。")
    services.review_submit(actor=reviewer, assignment=assignment)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(actor=chair, proposal=proposal, decision=Decision.APPROVE, reasons="方案可行。")
    assert [message.to for message in mail.outbox] == [[submitter.email]]
    message = mail.outbox[0]
    assert message.subject == "关于您的提案的决定：数据中心合作建议"
    assert "评审决定: 批准" in message.body
    assert "方案可行。" in message.body
    assert "冷却方案需要更多细节。" in message.body
    assert "评审人姓名不予披露。" in message.body
    assert "Qureshi" not in message.body
    assert "qureshi@zone.example" not in message.body


def test_a_decision_needs_a_submitted_review_and_reasons_and_stores_nothing_when_refused():
    w = world()
    with pytest.raises(services.ValidationError) as refused:
        services.decision_record(actor=w.chair, proposal=w.proposal, decision=Decision.APPROVE, reasons="Good.")
    assert refused.value.message_dict == {"decision": ["At least one review must be submitted before a decision."]}
    approach, team, timeline = w.criteria
    review(w.chair, w.proposal, w.alice, {approach: 4, team: 3, timeline: 5})
    with pytest.raises(services.ValidationError) as refused:
        services.decision_record(actor=w.chair, proposal=w.proposal, decision=Decision.APPROVE, reasons="  ")
    assert refused.value.message_dict == {"reasons": ["Give the reasons for the decision."]}
    with pytest.raises(services.PermissionDenied):
        services.decision_record(actor=UserFactory(), proposal=w.proposal, decision=Decision.APPROVE, reasons="Good.")
    w.proposal.refresh_from_db()
    assert (w.proposal.status, w.proposal.decision, w.proposal.decided_at) == (ProposalStatus.SUBMITTED, "", None)
    assert not ProposalEvent.objects.filter(kind=ProposalEventKind.DECIDED).exists()


def test_the_chair_decides_on_the_call_page(client):
    w = world()
    approach, team, timeline = w.criteria
    review(w.chair, w.proposal, w.alice, {approach: 4, team: 3, timeline: 5})
    client.force_login(w.chair)
    response = client.post(
        f"/deals/reviews/proposals/{w.proposal.reference}/decide/",
        {"decision": "approve", "reasons": "Meets Tier IV.", "next": "call"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/deals/reviews/calls/{w.call.slug}/"
    w.proposal.refresh_from_db()
    assert (w.proposal.status, w.proposal.decision) == (ProposalStatus.SUBMITTED, Decision.APPROVE)
