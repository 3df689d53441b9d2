"""A call's decision taking effect carries the chair's decisions to the proposals: each submitter is
told after the commit, and an approved proposal's deal reaches the stage "approved" (started from the
proposal when there is none), recorded with the member of the calling body who decided the call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.deals.choices import DealEventKind, DealPartyRole, DealStage, Decision, ProposalStatus
from silkbridge.deals.models import Call, Deal, DealEvent
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


def test_a_deal_already_started_from_the_proposal_moves_to_approved(reported, django_capture_on_commit_callbacks):
    w = reported
    staff = StaffFactory()
    deal = pipeline_services.deal_start(
        actor=staff,
        title="CDA data center",
        subject="data_center",
        organisations=[],
        origin="proposal",
        proposal=w.proposal,
    )
    with django_capture_on_commit_callbacks(execute=True):
        calls_services.call_decide(actor=w.chair, call=w.call)
    deal.refresh_from_db()
    assert deal.stage == DealStage.APPROVED
    assert Deal.objects.count() == 1
    moved = DealEvent.objects.get(deal=deal, kind=DealEventKind.STAGE_CHANGED)
    assert (moved.actor, moved.from_stage, moved.to_stage) == (w.chair, DealStage.LEAD, DealStage.APPROVED)
    assert moved.changes == {
        "stage": ["lead", "approved"],
        "cause": "proposal_approved",
        "proposal": w.proposal.reference,
    }


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
