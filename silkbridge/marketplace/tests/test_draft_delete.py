"""A draft that was never published can be deleted (issue 13 item 3); a profile that was published keeps
its record, and nobody outside the organisation can delete anything."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, draft, member, published

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_member_deletes_a_draft_on_its_page_and_lands_on_their_profiles():
    user, organisation = member()
    profile = draft(organisation, user, **XRAY_OFFER_ZH)
    client = _client(user)
    page = client.get(reverse("marketplace:opportunity_detail", args=[profile.pk])).content.decode()
    assert "Delete the draft" in page
    response = client.post(reverse("marketplace:opportunity_action", args=[profile.pk, "delete"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:mine")
    assert not Opportunity.objects.filter(pk=profile.pk).exists()


def test_a_published_profile_is_not_deleted_and_says_to_close_it():
    profile = published(refresh=False, **XRAY_OFFER_ZH)
    user = profile.organisation.memberships.get().user
    client = _client(user)
    assert (
        "Delete the draft"
        not in client.get(reverse("marketplace:opportunity_detail", args=[profile.pk])).content.decode()
    )
    response = client.post(reverse("marketplace:opportunity_action", args=[profile.pk, "delete"]), follow=True)
    assert "close a published profile instead" in response.content.decode()
    assert Opportunity.objects.filter(pk=profile.pk).exists()
    answer = _client(user).delete(f"/api/v1/opportunities/{profile.pk}")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.status"  # as the API names a service's fields
    assert Opportunity.objects.filter(pk=profile.pk).exists()


def test_the_api_deletes_a_draft_and_strangers_get_404():
    user, organisation = member()
    profile = draft(organisation, user, **XRAY_OFFER_ZH)
    stranger = UserFactory()
    assert _client(stranger).delete(f"/api/v1/opportunities/{profile.pk}").status_code == 404
    assert (
        _client(stranger).post(reverse("marketplace:opportunity_action", args=[profile.pk, "delete"])).status_code
        == 404
    )
    assert Opportunity.objects.filter(pk=profile.pk).exists()
    assert _client(user).delete(f"/api/v1/opportunities/{profile.pk}").status_code == 204
    assert not Opportunity.objects.filter(pk=profile.pk).exists()
