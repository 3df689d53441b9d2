"""Profiles through their life: draft, review, publication, edits, renewal, expiry, closing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.marketplace import services
from silkbridge.marketplace.models import Opportunity, ReviewComment
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, XRAY_REQUEST_EN, draft, member, published

pytestmark = pytest.mark.django_db


def test_a_new_profile_is_a_draft_with_its_language_detected_and_its_terms_suggested():
    user, organisation = member(country="CN", language="zh")
    opportunity = draft(organisation, user, **XRAY_OFFER_ZH)
    assert opportunity.status == "draft"
    assert opportunity.language == "zh"
    sectors = {sector.code for sector in opportunity.sectors.all()}
    assert "ai.medical" in sectors
    assert opportunity.concepts.exists()


def test_urdu_text_is_detected_as_urdu():
    user, organisation = member()
    opportunity = draft(
        organisation,
        user,
        kind="technology_request",
        title="زرعی ڈرون",
        description="ہمیں فصلوں پر اسپرے کرنے والے ڈرون درکار ہیں۔",
    )
    assert opportunity.language == "ur"


def test_stated_sectors_and_technologies_are_kept_not_replaced_by_suggestions():
    user, organisation = member()
    opportunity = draft(organisation, user, **XRAY_REQUEST_EN, sectors=["fintech"], concepts=["supply_chain_finance"])
    assert [sector.code for sector in opportunity.sectors.all()] == ["fintech"]
    assert [concept.code for concept in opportunity.concepts.all()] == ["supply_chain_finance"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"currency": "XYZ", "amount_min": 10}, "currency"),
        ({"amount_min": 10}, "currency"),
        ({"amount_min": 10, "amount_max": 5, "currency": "USD"}, "amount_max"),
        ({"amount_min": -1, "currency": "USD"}, "amount_min"),
        ({"trl": 12}, "trl"),
        ({"deal_types": ["franchise"]}, "deal_types"),
        ({"target_countries": ["XX"]}, "target_countries"),
        ({"kind": "partnership"}, "kind"),
        ({"title": ""}, "title"),
        ({"owner": "someone"}, "owner"),
        ({"expires_on": "2000-01-01"}, "expires_on"),
        ({"expires_on": "9999-12-31"}, "expires_on"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(fields, field):
    user, organisation = member()
    before = Opportunity.objects.count()
    with pytest.raises(ValidationError) as error:
        draft(organisation, user, **{**XRAY_REQUEST_EN, **fields})
    assert field in error.value.message_dict
    assert Opportunity.objects.count() == before


def test_only_members_create_profiles_for_their_organisation():
    _, organisation = member()
    with pytest.raises(PermissionDenied):
        draft(organisation, UserFactory(), **XRAY_REQUEST_EN)


def test_review_publishes_for_a_year_and_tells_the_owner_in_their_language():
    user, organisation = member(language="zh-hans")
    opportunity = draft(organisation, user, **XRAY_OFFER_ZH)
    services.opportunity_submit(actor=user, opportunity=opportunity)
    with pytest.raises(PermissionDenied):
        services.opportunity_review(actor=user, opportunity=opportunity, decision="approve")
    staff = StaffFactory()
    with pytest.raises(ValidationError) as error:
        services.opportunity_review(actor=staff, opportunity=opportunity, decision="request_changes", comment="")
    assert "comment" in error.value.message_dict
    services.opportunity_review(actor=staff, opportunity=opportunity, decision="approve")
    opportunity.refresh_from_db()
    assert opportunity.status == "published"
    assert opportunity.expires_on == timezone.localdate() + timedelta(days=365)
    assert ReviewComment.objects.filter(opportunity=opportunity, decision="approve").exists()


def test_changes_requested_go_back_to_draft_with_the_comment(django_capture_on_commit_callbacks):
    user, organisation = member()
    opportunity = draft(organisation, user, **XRAY_REQUEST_EN)
    services.opportunity_submit(actor=user, opportunity=opportunity)
    with django_capture_on_commit_callbacks(execute=True):
        services.opportunity_review(
            actor=StaffFactory(), opportunity=opportunity, decision="request_changes", comment="Say which hospitals."
        )
    opportunity.refresh_from_db()
    assert opportunity.status == "draft"
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "Say which hospitals." in mail.outbox[0].body


def test_an_owner_edit_of_a_published_profile_goes_back_to_review_and_out_of_the_matches():
    offer = published(country="CN", **XRAY_OFFER_ZH)
    user, organisation = member()
    request = published(organisation, user, **XRAY_REQUEST_EN)
    assert request.matches.filter(other=offer).exists()
    services.opportunity_update(actor=user, opportunity=request, fields={"title": "AI triage of chest X-rays"})
    request.refresh_from_db()
    assert request.status == "under_review"
    from silkbridge.marketplace.tests.factories import matches_refresh

    matches_refresh(request.pk)
    assert not request.matches.exists()
    assert not offer.matches.filter(other=request).exists()


def test_renew_extends_by_a_year_and_republishes_an_expired_profile():
    user, organisation = member()
    opportunity = published(organisation, user, **XRAY_REQUEST_EN)
    Opportunity.objects.filter(pk=opportunity.pk).update(expires_on=timezone.localdate() - timedelta(days=3))
    assert services.opportunities_expire() == 1
    opportunity.refresh_from_db()
    assert opportunity.status == "expired"
    services.opportunity_renew(actor=user, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == "published"
    assert opportunity.expires_on == timezone.localdate() + timedelta(days=365)


def test_the_expire_command_reports_how_many_expired(capsys):
    opportunity = published(**XRAY_REQUEST_EN)
    Opportunity.objects.filter(pk=opportunity.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    call_command("opportunities", "expire")
    assert '"expired": 1' in capsys.readouterr().out


def test_a_closed_profile_cannot_be_edited():
    user, organisation = member()
    opportunity = published(organisation, user, **XRAY_REQUEST_EN)
    services.opportunity_close(actor=user, opportunity=opportunity)
    with pytest.raises(ValidationError):
        services.opportunity_update(actor=user, opportunity=opportunity, fields={"title": "Other"})


def test_amounts_are_stored_exactly():
    user, organisation = member()
    opportunity = draft(
        organisation,
        user,
        kind="investment_request",
        title="Seed round",
        description="Equity for a payments start-up.",
        amount_min="1200000.50",
        amount_max="1200000.50",
        currency="pkr",
    )
    assert opportunity.amount_min == Decimal("1200000.50")
    assert opportunity.currency == "PKR"


def test_renewal_never_runs_past_two_years_and_an_edited_expired_profile_is_reviewed_again():
    user, organisation = member()
    far = timezone.localdate() + timedelta(days=700)
    opportunity = published(organisation, user, **XRAY_REQUEST_EN, expires_on=far)
    services.opportunity_renew(actor=user, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.expires_on == timezone.localdate() + services.MAX_LIFETIME
    Opportunity.objects.filter(pk=opportunity.pk).update(status="expired")
    services.opportunity_update(actor=user, opportunity=opportunity, fields={"title": "Rewritten while expired"})
    opportunity.refresh_from_db()
    assert opportunity.status == "under_review"
    with pytest.raises(ValidationError):
        services.opportunity_renew(actor=user, opportunity=opportunity)
