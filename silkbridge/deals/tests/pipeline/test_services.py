"""The pipeline's services: who may start a deal from which lead, moving it, editing it, its parties and
its next step; each refusal names the field (or is a PermissionDenied) and stores nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.deals.models import Deal, DealEvent, DealParty, Proposal
from silkbridge.deals.services import pipeline as services
from silkbridge.directory.models import Sector
from silkbridge.directory.tests.factories import OrganisationFactory

from .factories import accepted_interest, manual_deal, member, rated_meeting

pytestmark = pytest.mark.django_db


def _nothing_stored() -> None:
    assert not Deal.objects.exists()
    assert not DealParty.objects.exists()
    assert not DealEvent.objects.exists()


def _start_from_interest(actor, interest, **fields):
    values = {"title": "X-ray AI licence", "subject": "licence", **fields}
    return services.deal_start(actor=actor, organisations=[], origin="interest", interest=interest, **values)


def test_a_side_of_an_accepted_interest_starts_a_deal_with_both_organisations():
    interest, sender, _owner = accepted_interest()
    deal = _start_from_interest(sender, interest)
    parties = {party.organisation_id: party.role for party in deal.parties.all()}
    assert parties == {interest.organisation_id: "initiator", interest.opportunity.organisation_id: "partner"}
    assert (deal.stage, deal.origin, deal.owner, deal.created_by) == ("lead", "interest", None, sender)
    (event,) = DealEvent.objects.filter(deal=deal)
    assert (event.kind, event.actor, event.from_stage, event.to_stage) == ("created", sender, "", "lead")


def test_a_pending_interest_cannot_start_a_deal():
    interest, sender, _owner = accepted_interest(status="pending")
    with pytest.raises(ValidationError) as error:
        _start_from_interest(sender, interest)
    assert error.value.message_dict == {"interest": ["Only an accepted expression of interest can start a deal."]}
    _nothing_stored()


def test_a_second_start_from_the_same_lead_names_the_existing_deal():
    interest, sender, owner = accepted_interest()
    first = _start_from_interest(sender, interest, title="First")
    with pytest.raises(ValidationError) as error:
        _start_from_interest(owner, interest, title="Second")
    assert error.value.message_dict == {
        "interest": [f"A deal already started from this lead: “First” ({first.reference})."]
    }
    assert list(Deal.objects.values_list("title", flat=True)) == ["First"]
    assert DealEvent.objects.count() == 1


def test_a_side_removed_from_the_deal_is_not_told_its_title():
    interest, sender, _owner = accepted_interest()
    staff = StaffFactory()
    deal = _start_from_interest(staff, interest, title="Confidential licence")
    services.deal_party_add(actor=staff, deal=deal, organisation=cast(Any, OrganisationFactory()))
    services.deal_party_remove(actor=staff, deal=deal, organisation=interest.organisation)
    with pytest.raises(ValidationError) as error:
        _start_from_interest(sender, interest)
    assert error.value.message_dict == {"interest": ["A deal has already started from this lead."]}
    assert Deal.objects.count() == 1


def test_an_outsider_cannot_start_a_deal_from_someone_elses_interest():
    interest, _sender, _owner = accepted_interest()
    outsider, _organisation = member()
    with pytest.raises(PermissionDenied):
        _start_from_interest(outsider, interest)
    _nothing_stored()


def test_a_member_starting_from_a_lead_cannot_bring_in_a_third_organisation():
    interest, sender, _owner = accepted_interest()
    third: Any = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        services.deal_start(
            actor=sender,
            title="With a friend",
            subject="licence",
            organisations=[third],
            origin="interest",
            interest=interest,
        )
    assert list(error.value.message_dict) == ["organisations"]
    _nothing_stored()


def test_staff_may_add_an_organisation_to_a_leads_two_and_become_owner():
    interest, _sender, _owner = accepted_interest()
    staff, investor = StaffFactory(), cast(Any, OrganisationFactory(country="AE"))
    deal = services.deal_start(
        actor=staff,
        title="With an investor",
        subject="investment",
        organisations=[investor],
        origin="interest",
        interest=interest,
    )
    assert deal.parties.count() == 3
    assert deal.owner == staff


def test_a_meeting_rated_cooperation_possible_starts_a_deal_between_its_two_sides():
    meeting, _requester, recipient = rated_meeting()
    deal = services.deal_start(
        actor=recipient,
        title="Joint venture",
        subject="joint_venture",
        organisations=[],
        origin="meeting",
        meeting=meeting,
    )
    assert set(deal.parties.values_list("organisation_id", "role")) == {
        (meeting.request.requester.organisation_id, "initiator"),
        (meeting.request.recipient.organisation_id, "partner"),
    }


def test_a_meeting_rated_informative_starts_nothing():
    meeting, requester, _recipient = rated_meeting(outcome="informative")
    with pytest.raises(ValidationError) as error:
        services.deal_start(
            actor=requester, title="No", subject="other", organisations=[], origin="meeting", meeting=meeting
        )
    assert list(error.value.message_dict) == ["meeting"]
    _nothing_stored()


def test_only_staff_enter_a_deal_by_hand_and_it_joins_two_organisations():
    user, organisation = member()
    with pytest.raises(PermissionDenied):
        manual_deal(organisation, OrganisationFactory(), staff=user)
    with pytest.raises(ValidationError) as error:
        manual_deal(organisation)
    assert error.value.message_dict == {"organisations": ["A deal joins at least two organisations."]}
    _nothing_stored()


def test_a_deal_starts_from_an_approved_proposal_only_by_staff():
    cda, company = OrganisationFactory(kind="government"), OrganisationFactory(country="CN")
    draft = Proposal.objects.create(organisation=company, recipient=cda, title="Big data platform", summary="…")
    member_of_company, _organisation = member(organisation=company)
    values = {"title": "Big data platform", "subject": "data_center", "organisations": [], "origin": "proposal"}
    with pytest.raises(ValidationError):
        services.deal_start(actor=StaffFactory(), proposal=draft, **values)
    Proposal.objects.filter(pk=draft.pk).update(status="approved", submitted_at=timezone.now())
    draft.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.deal_start(actor=member_of_company, proposal=draft, **values)
    _nothing_stored()
    deal = services.deal_start(actor=StaffFactory(), proposal=draft, **values)
    assert set(deal.parties.values_list("organisation_id", "role")) == {
        (company.pk, "initiator"),
        (cda.pk, "authority"),
    }


def test_an_amount_needs_a_known_currency():
    with pytest.raises(ValidationError) as error:
        manual_deal(amount="1000000")
    assert error.value.message_dict == {"currency": ["Say which currency the amount is in."]}
    with pytest.raises(ValidationError) as error:
        manual_deal(amount="1000000", currency="XXX")
    assert list(error.value.message_dict) == ["currency"]
    _nothing_stored()


def test_moving_the_stage_records_from_to_and_note_and_restarts_the_clock():
    deal = manual_deal()
    Deal.objects.filter(pk=deal.pk).update(stage_changed_at=timezone.now() - timedelta(days=9))
    deal = services.deal_stage_set(actor=deal.owner, deal=deal, stage="proposal", note="Proposal expected in May")
    deal.refresh_from_db()
    assert deal.stage == "proposal"
    assert timezone.now() - deal.stage_changed_at < timedelta(minutes=1)
    event = DealEvent.objects.filter(deal=deal, kind="stage_changed").get()
    assert (event.from_stage, event.to_stage, event.note, event.actor) == (
        "lead",
        "proposal",
        "Proposal expected in May",
        deal.owner,
    )
    assert event.changes == {"stage": ["lead", "proposal"]}


@pytest.mark.parametrize("stage", ["declined", "withdrawn", "stalled"])
def test_ending_or_pausing_a_deal_needs_the_reason(stage):
    deal = manual_deal()
    with pytest.raises(ValidationError) as error:
        services.deal_stage_set(actor=deal.owner, deal=deal, stage=stage, note="  ")
    assert error.value.message_dict == {"note": ["Say why the deal is declined, withdrawn or stalled."]}
    deal.refresh_from_db()
    assert deal.stage == "lead"
    assert DealEvent.objects.filter(deal=deal).count() == 1  # only "created"
    deal = services.deal_stage_set(actor=deal.owner, deal=deal, stage=stage, note="Budget frozen")
    assert deal.stage_reason == "Budget frozen"
    deal = services.deal_stage_set(actor=deal.owner, deal=deal, stage="lead", note="")
    assert deal.stage_reason == ""


def test_parties_members_and_other_staff_owners_rules_for_the_stage():
    interest, sender, _owner = accepted_interest()
    deal = _start_from_interest(sender, interest)
    with pytest.raises(PermissionDenied):
        services.deal_stage_set(actor=sender, deal=deal, stage="proposal")
    with pytest.raises(ValidationError) as error:
        services.deal_stage_set(actor=StaffFactory(), deal=deal, stage="lead")
    assert list(error.value.message_dict) == ["stage"]
    assert DealEvent.objects.filter(deal=deal).count() == 1
    deal.refresh_from_db()
    assert deal.stage == "lead"


def test_editing_records_each_changed_field_and_the_owner_must_be_staff():
    deal = manual_deal()
    new_owner = StaffFactory()
    services.deal_update(
        actor=deal.owner,
        deal=deal,
        fields={
            "title": "Tier-IV data center, phase 1",
            "sector": Sector.objects.get(code="cloud"),
            "owner": new_owner,
        },
    )
    deal.refresh_from_db()
    assert (deal.title, deal.sector.code, deal.owner) == ("Tier-IV data center, phase 1", "cloud", new_owner)
    event = DealEvent.objects.get(deal=deal, kind="edited")
    assert event.changes["title"] == ["Tier-IV data center for Islamabad", "Tier-IV data center, phase 1"]
    assert event.changes["sector"] == ["", "cloud"]
    with pytest.raises(ValidationError) as error:
        services.deal_update(actor=new_owner, deal=deal, fields={"owner": UserFactory()})
    assert list(error.value.message_dict) == ["owner"]
    with pytest.raises(PermissionDenied):  # the former owner is staff, and staff may change any deal
        services.deal_update(actor=UserFactory(), deal=deal, fields={"title": "Mine now"})
    assert DealEvent.objects.filter(deal=deal, kind="edited").count() == 1


def test_a_deal_keeps_at_least_two_parties():
    first, second, third = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    deal = manual_deal(first, second)
    services.deal_party_add(actor=deal.owner, deal=deal, organisation=third, role="investor")
    with pytest.raises(ValidationError):
        services.deal_party_add(actor=deal.owner, deal=deal, organisation=third)
    services.deal_party_remove(actor=deal.owner, deal=deal, organisation=first)
    with pytest.raises(ValidationError) as error:
        services.deal_party_remove(actor=deal.owner, deal=deal, organisation=second)
    assert error.value.message_dict == {"organisation": ["A deal joins at least two organisations."]}
    assert set(deal.parties.values_list("organisation_id", flat=True)) == {second.pk, third.pk}
    assert list(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True).order_by("pk")) == [
        "created",
        "party_added",
        "party_removed",
    ]


def test_a_partys_member_sets_the_next_step_and_an_outsider_cannot():
    interest, sender, _owner = accepted_interest()
    deal = _start_from_interest(sender, interest)
    due = timezone.localdate() + timedelta(days=7)
    services.deal_next_step_set(actor=sender, deal=deal, next_step="Send the licence term sheet", due_on=due)
    deal.refresh_from_db()
    assert (deal.next_step, deal.next_step_on) == ("Send the licence term sheet", due)
    event = DealEvent.objects.get(deal=deal, kind="next_step_set")
    assert event.changes == {"next_step": ["", "Send the licence term sheet"], "next_step_on": ["", due.isoformat()]}
    outsider, _organisation = member()
    with pytest.raises(PermissionDenied):
        services.deal_next_step_set(actor=outsider, deal=deal, next_step="Mine", due_on=due)
    with pytest.raises(ValidationError) as error:
        services.deal_next_step_set(
            actor=sender, deal=deal, next_step="Back in time", due_on=timezone.localdate() - timedelta(days=1)
        )
    assert list(error.value.message_dict) == ["due_on"]
    with pytest.raises(ValidationError) as error:
        services.deal_next_step_set(actor=sender, deal=deal, next_step="Some day", due_on=None)
    assert list(error.value.message_dict) == ["due_on"]
    deal.refresh_from_db()
    assert deal.next_step == "Send the licence term sheet"
    assert DealEvent.objects.filter(deal=deal, kind="next_step_set").count() == 1
