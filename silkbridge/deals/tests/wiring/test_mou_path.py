"""The deal follows the story from an approved unsolicited proposal to a signed MoU, each move done by
the service of the action and recorded with the user who did it (none of them platform staff): approved
→ MoU drafting (drafted) → vetting (sent) → MoU drafting (returned with a note) → vetting (sent again)
→ signed. A signed MoU then refuses a save and a comment, storing nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from silkbridge.deals.choices import DealEventKind, DealStage, Decision, MouStatus
from silkbridge.deals.models import ClauseComment, Deal, DealEvent, MouVersion
from silkbridge.deals.services import mou as mou_services
from silkbridge.deals.services import reviews as review_services
from silkbridge.deals.services import routing as routing_services
from silkbridge.deals.tests.reviews.factories import make_proposal, member_of
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _approved_deal():
    authority = OrganisationFactory(kind="government", name_en="Capital Development Test Authority", country="PK")
    routing_services.routes_seed_for(authority)
    chair = member_of(authority, full_name="Chair Person")
    reviewer = member_of(authority)
    officer = member_of(authority, full_name="Legal Officer")
    company = OrganisationFactory(country="CN", name_en="Huaxia Cloud Test Co.")
    proposal = make_proposal(recipient=authority, organisation=company, title="Tier-IV data center")
    assignment = review_services.reviewer_appoint(actor=chair, proposal=proposal, reviewer=reviewer)
    review_services.conflict_declare(actor=reviewer, assignment=assignment, has_conflict=False)
    review_services.review_save(actor=reviewer, assignment=assignment, scores={}, comment="Feasible.")
    review_services.review_submit(actor=reviewer, assignment=assignment)
    review_services.decision_record(actor=chair, proposal=proposal, decision=Decision.APPROVE, reasons="Go ahead.")
    return Deal.objects.get(proposal=proposal), chair, officer


def _moves(deal):
    return list(
        DealEvent.objects.filter(deal=deal, kind=DealEventKind.STAGE_CHANGED)
        .order_by("pk")
        .values_list("actor__full_name", "from_stage", "to_stage", "changes__cause")
    )


def test_the_deal_follows_its_mou_from_drafting_to_signature():
    deal, chair, officer = _approved_deal()
    assert deal.stage == DealStage.APPROVED

    mou = mou_services.mou_draft(
        actor=officer, deal=deal, second_language="zh", counterpart="foreign_private", title="MoU on a data center"
    )
    routing_services.mou_send(actor=officer, mou=mou)
    routing_services.route_step_approve(actor=officer, mou=mou)
    routing_services.route_step_return(actor=officer, mou=mou, note="Clarify the financing clause.")
    routing_services.mou_send(actor=officer, mou=mou)
    while mou.route_steps.filter(status="current").exists():
        routing_services.route_step_approve(actor=officer, mou=mou)
    for name, organisation in (("Muhammad Ali", "CDA"), ("Wang Fang", "Huaxia Cloud")):
        routing_services.signatory_add(
            actor=chair,
            mou=mou,
            name=name,
            title="Chair",
            organisation_name=organisation,
            signed_on=date(2025, 3, 14),
            place="Islamabad",
        )
    signed = routing_services.mou_sign(actor=chair, mou=mou)
    assert signed.status == MouStatus.SIGNED

    deal.refresh_from_db()
    assert deal.stage == DealStage.SIGNED
    assert _moves(deal) == [
        ("Legal Officer", "approved", "mou_drafting", "mou_drafted"),
        ("Legal Officer", "mou_drafting", "vetting", "mou_sent"),
        ("Legal Officer", "vetting", "mou_drafting", "mou_returned"),
        ("Legal Officer", "mou_drafting", "vetting", "mou_sent"),
        ("Chair Person", "vetting", "signed", "mou_signed"),
    ]
    assert set(
        DealEvent.objects.filter(deal=deal, kind=DealEventKind.STAGE_CHANGED).values_list("changes__mou", flat=True)
    ) == {mou.reference}

    # Signed and sealed: no save, no comment, nothing stored.
    versions = MouVersion.objects.filter(mou=mou).count()
    current = MouVersion.objects.get(mou=mou, number=signed.version).clauses
    changed = [dict(clause) for clause in current]
    changed[0]["text_en"] += " Amended after signature."
    with pytest.raises(ValidationError) as refused:
        mou_services.mou_save(actor=chair, mou=signed, clauses=changed)
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError):
        mou_services.clause_comment(actor=chair, mou=signed, clause_key=current[0]["key"], text="Too late?")
    assert MouVersion.objects.filter(mou=mou).count() == versions
    assert not ClauseComment.objects.filter(mou=mou).exists()
    signed.refresh_from_db()
    assert (signed.status, signed.version) == (MouStatus.SIGNED, versions)
    assert signed.clauses.get(key=current[0]["key"]).text_en == current[0]["text_en"]
