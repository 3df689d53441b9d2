"""A data-center call's proposal carries a design: checked by the datacenters app when it is saved, and
assessed on submission by a background run whose end links the assessment (Tier, availability, PUE)
to the proposal, with a warning when the Tier claimed, or the call's minimum, is not met."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, TestCase

from silkbridge.core.models import Run
from silkbridge.deals.services import proposals as services
from silkbridge.deals.tests.proposals.factories import (
    DESIGNS,
    EXAMPLES,
    PDF_BYTES,
    draft,
    member,
    past_deadline,
    published_call,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _submit_with_design(call, design_file):
    user, organisation = member()
    design = design_file.read_text(encoding="utf-8")
    proposal = draft(call, user=user, organisation=organisation, design_text=design, design_name=design_file.name)
    services.proposal_document_add(actor=user, proposal=proposal, upload=upload("offer.pdf", PDF_BYTES))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.proposal_submit(actor=user, proposal=proposal)
    proposal.refresh_from_db()
    return user, proposal


def test_the_assessment_run_links_tier_and_pue_and_warns_when_the_claimed_tier_is_not_met():
    call = published_call(minimum_tier=4)
    user, proposal = _submit_with_design(call, DESIGNS / "tier4_shared_switchboard.yaml")
    run = Run.objects.get(created_by=user)
    assert (run.kind, run.status) == ("datacenters.assessment", "succeeded")
    assessment = proposal.assessment
    assert assessment is not None
    assert (assessment.tier, assessment.claimed_tier, proposal.claimed_tier) == (2, 4, 4)
    assert assessment.pue is not None
    event = proposal.events.get(kind="design_assessed")
    assert event.changes == {"assessment": assessment.reference, "tier": 2, "claimed_tier": 4}

    client = Client()
    client.force_login(user)
    page = client.get(f"/deals/proposals/{proposal.reference}/").content.decode()
    assert "The design claims Tier 4 but meets Tier 2." in page
    assert "The call asks for Tier 4 or higher; the design meets Tier 2." in page
    assert f"{assessment.pue:.2f}" in page

    # The calling body's reviewers' view (after the deadline) shows the same figures and warnings.
    issuer_member = call.issuer.memberships.get().user
    past_deadline(call)
    client.force_login(issuer_member)
    body = client.get(f"/api/v1/deals/proposals/{proposal.reference}").json()
    assert body["design"]["tier"] == 2
    assert body["design"]["warnings"] == [
        "The design claims Tier 4 but meets Tier 2.",
        "The call asks for Tier 4 or higher; the design meets Tier 2.",
    ]


def test_a_design_that_meets_its_claim_has_no_warning():
    call = published_call(minimum_tier=4)
    _user, proposal = _submit_with_design(call, EXAMPLES / "tier4.yaml")
    assert proposal.assessment.tier == 4
    from silkbridge.deals.selectors.proposals import design_warnings

    assert design_warnings(proposal=proposal) == []


def test_an_invalid_design_is_refused_with_the_field_named_and_nothing_stored():
    user, organisation = member()
    with pytest.raises(ValidationError) as refused:
        draft(published_call(minimum_tier=3), user=user, organisation=organisation, design_text="name: [unclosed")
    assert list(refused.value.message_dict) == ["design_text"]
    assert refused.value.message_dict["design_text"][0].startswith("The design is not valid.")
