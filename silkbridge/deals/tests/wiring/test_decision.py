"""A call's decision taking effect carries the chair's decisions to the proposals: each submitter is
told after the commit, and an approved proposal's deal reaches the stage "approved" (started from the
proposal when there is none), recorded with the member of the calling body who decided the call."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.deals.choices import (
    DealEventKind,
    DealPartyRole,
    DealStage,
    Decision,
    ProposalEventKind,
    ProposalStatus,
)
from silkbridge.deals.models import Call, Deal, DealEvent, ProposalEvent
from silkbridge.deals.services import calls as calls_services
from silkbridge.deals.services import pipeline as pipeline_services
from silkbridge.deals.services import reviews as services
from silkbridge.deals.tests.reviews.factories import make_proposal, member_of, review, world
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    """A call with two proposals, reviewed and decided by the chair (one approved, one declined), opened
    and its report published; its grievance window has just closed."""
    w = world()
    approach, team, timeline = w.criteria
    w.loser_organisation = OrganisationFactory(country="CN", name_en="Second Cloud Test Ltd")
    w.loser = member_of(w.loser_organisation, full_name="Wang Second")
    w.other = make_proposal(call=w.call, organisation=w.loser_organisation)
    for proposal in (w.proposal, w.other):
        review(w.chair, proposal, w.alice, {approach: 4, team: 3, timeline: 5}, comment="Alice says")
    services.decision_record(actor=w.chair, proposal=w.proposal, decision=Decision.APPROVE, reasons="Sound design.")
    services.decision_record(actor=w.chair, proposal=w.other, decision=Decision.DECLINE, reasons="Too costly.")
    calls_services.call_open(actor=w.chair, call=w.call, attendees=["A. Khan, CDA"])
    calls_services.report_publish(actor=w.chair, call=w.call, grievance_days=1)
    Call.objects.filter(pk=w.call.pk).update(grievances_until=timezone.now() - timedelta(seconds=1))
    w.call.refresh_from_db()
    w.proposal.refresh_from_db()
    mail.outbox.clear()
    return w


def test_the_calls_decision_tells_each_submitter_and_starts_the_approved_proposals_deal(
    reported, django_capture_on_commit_callbacks
):
    w = reported
    assert not w.chair.is_staff  # a member of the calling body, not platform staff
    assert not Deal.objects.exists()  # recorded decisions wait for the call's decision
    with django_capture_on_commit_callbacks(execute=True):
        calls_services.call_decide(actor=w.chair, call=w.call)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([w.submitter.email, w.loser.email])
    approved_mail = next(message for message in mail.outbox if message.to == [w.submitter.email])
    assert "Sound design." in approved_mail.body
    assert "Too costly." not in approved_mail.body

    deal = Deal.objects.get()
    assert (deal.proposal, deal.origin, deal.stage, deal.title) == (
        w.proposal,
        "proposal",
        "approved",
        w.proposal.title,
    )
    assert (deal.created_by, deal.owner) == (w.chair, None)
    assert sorted(deal.parties.values_list("organisation_id", "role")) == sorted(
        [(w.submitter_organisation.pk, DealPartyRole.INITIATOR), (w.call.issuer_id, DealPartyRole.AUTHORITY)]
    )
    event = DealEvent.objects.get(deal=deal)
    assert (event.kind, event.actor, event.to_stage) == (DealEventKind.CREATED, w.chair, DealStage.APPROVED)
    w.other.refresh_from_db()
    assert w.other.status == ProposalStatus.DECLINED


def test_a_call_proposals_status_tells_nothing_until_the_calls_decision_takes_effect(reported, client):
    """The chair recorded "approve" and "decline" and the report is published, but the call's decision has
    not taken effect: the proposal's status is still "submitted" in the lists, pages and API, for the
    submitter and the calling body alike; the API gives the submitter no decision or reasons."""
    w = reported
    for proposal in (w.proposal, w.other):
        proposal.refresh_from_db()
        assert (proposal.status, bool(proposal.decision)) == (ProposalStatus.SUBMITTED, True)
    client.force_login(w.submitter)
    page = client.get("/deals/proposals/").content.decode()
    assert "Submitted" in page
    assert "Approved" not in page
    assert [item["status"] for item in client.get("/api/v1/deals/proposals").json()["items"]] == ["submitted"]
    detail = client.get(f"/api/v1/deals/proposals/{w.proposal.reference}").json()
    assert (detail["status"], detail["decision"], detail["decision_reasons"]) == ("submitted", "", "")
    detail_page = client.get(f"/deals/proposals/{w.proposal.reference}/").content.decode()
    assert "Sound design." not in detail_page
    assert "Approved" not in detail_page
    client.force_login(w.chair)  # the calling body reads the recorded decision on its own pages
    statuses = {item["reference"]: item["status"] for item in client.get("/api/v1/deals/proposals").json()["items"]}
    assert statuses == {w.proposal.reference: "submitted", w.other.reference: "submitted"}
    assert client.get(f"/api/v1/deals/proposals/{w.proposal.reference}").json()["decision"] == "approve"


def test_staff_cannot_start_a_deal_from_a_call_proposal_before_its_approval_takes_effect(
    reported, client, django_capture_on_commit_callbacks
):
    w = reported
    staff = StaffFactory()
    message = (
        "This proposal's approval takes effect with its call's decision, once the evaluation report's grievance "
        "window has closed and every grievance is answered; a deal can start from it then."
    )
    with pytest.raises(calls_services.ValidationError) as refused:
        pipeline_services.deal_start(
            actor=staff,
            title="CDA data center",
            subject="data_center",
            organisations=[],
            origin="proposal",
            proposal=w.proposal,
        )
    assert refused.value.message_dict == {"proposal": [message]}
    client.force_login(staff)
    api = client.post(
        "/api/v1/deals",
        {"title": "CDA data center", "subject": "data_center", "origin": "proposal", "proposal": w.proposal.reference},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "body.proposal"
    assert api.json()["errors"][0]["message"] == message
    page = client.get("/deals/start/", {"proposal": w.proposal.reference})
    assert (page.status_code, html.escape(message) in page.content.decode()) == (400, True)
    assert (Deal.objects.count(), DealEvent.objects.count()) == (0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        calls_services.call_decide(actor=w.chair, call=w.call)
    w.proposal.refresh_from_db()
    assert w.proposal.status == ProposalStatus.APPROVED
    effect = ProposalEvent.objects.get(proposal=w.proposal, kind=ProposalEventKind.DECISION_IN_EFFECT)
    assert (effect.actor, effect.changes) == (w.chair, {"status": ["submitted", "approved"], "decision": "approve"})
    deal = Deal.objects.get()  # started by the decision itself; a second start names it
    with pytest.raises(calls_services.ValidationError) as second:
        pipeline_services.deal_start(
            actor=staff,
            title="Again",
            subject="data_center",
            organisations=[],
            origin="proposal",
            proposal=w.proposal,
        )
    assert deal.reference in str(second.value)
    assert Deal.objects.count() == 1


def test_a_refused_call_decision_starts_no_deal_and_sends_nothing(reported, django_capture_on_commit_callbacks):
    w = reported
    Call.objects.filter(pk=w.call.pk).update(grievances_until=timezone.now() + timedelta(days=1))
    w.call.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(calls_services.ValidationError):
        calls_services.call_decide(actor=w.chair, call=w.call)
    assert not Deal.objects.exists()
    assert mail.outbox == []


def test_an_unsolicited_approval_starts_its_deal_at_once(django_capture_on_commit_callbacks):
    recipient = OrganisationFactory(kind="government", name_en="Zone Authority (test)")
    chair = member_of(recipient)
    reviewer = member_of(recipient)
    company = OrganisationFactory(country="CN")
    submitter = member_of(company)
    proposal = make_proposal(recipient=recipient, organisation=company, title="Cooling partnership")
    assignment = services.reviewer_appoint(actor=chair, proposal=proposal, reviewer=reviewer)
    services.conflict_declare(actor=reviewer, assignment=assignment, has_conflict=False)
    services.review_save(actor=reviewer, assignment=assignment, scores={}, comment="Feasible.")
    services.review_submit(actor=reviewer, assignment=assignment)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(actor=chair, proposal=proposal, decision=Decision.APPROVE, reasons="Go ahead.")
    assert [message.to for message in mail.outbox] == [[submitter.email]]
    deal = Deal.objects.get(proposal=proposal)
    assert (deal.stage, deal.created_by) == (DealStage.APPROVED, chair)
    assert sorted(deal.parties.values_list("organisation_id", "role")) == sorted(
        [(company.pk, DealPartyRole.INITIATOR), (recipient.pk, DealPartyRole.AUTHORITY)]
    )


def test_a_recorded_decision_closes_the_committee_though_the_status_still_reads_submitted(reported, client):
    w = reported
    newcomer = member_of(w.call.issuer, full_name="Late Reviewer")
    with pytest.raises(calls_services.ValidationError) as refused:
        services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=newcomer)
    assert refused.value.message_dict == {
        "proposal": ["Reviewers are appointed to submitted proposals awaiting a decision."]
    }
    assert not w.proposal.assignments.filter(reviewer=newcomer).exists()
    client.force_login(w.chair)
    page = client.get(f"/deals/reviews/proposals/{w.proposal.reference}/").content.decode()
    assert f"/deals/reviews/proposals/{w.proposal.reference}/appoint/" not in page
    assert f"/deals/reviews/proposals/{w.proposal.reference}/decide/" not in page
    ranking = client.get(f"/deals/reviews/calls/{w.call.slug}/").content.decode()
    assert "/decide/" not in ranking
