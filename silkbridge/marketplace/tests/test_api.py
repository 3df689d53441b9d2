"""The marketplace API: create, validate, edit, submit and review; the same rules as the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, XRAY_REQUEST_EN, member, published

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_create_submit_review_and_match_through_the_api(client):
    published(country="CN", **XRAY_OFFER_ZH)
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    created = _post(
        client, "/api/v1/opportunities", {"organisation": organisation.key, **XRAY_REQUEST_EN, "submit": True}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "under_review"
    assert body["language"] == "en"
    assert "ai.medical" in body["sectors"]

    client.login(email=StaffFactory().email, password=PASSWORD)
    review = _post(client, f"/api/v1/opportunities/{body['id']}/review", {"decision": "approve"})
    assert review.status_code == 201
    from silkbridge.marketplace.tests.factories import matches_refresh

    matches_refresh(body["id"])
    client.login(email=user.email, password=PASSWORD)
    matches = client.get(f"/api/v1/opportunities/{body['id']}/matches").json()
    assert matches[0]["other"]["title"] == XRAY_OFFER_ZH["title"]
    assert 0 <= matches[0]["score"] <= 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trl": 0}, "body.trl"),
        ({"deal_types": ["franchise"]}, "body.deal_types.0"),
        ({"currency": "XYZ", "amount_min": 5}, "body.currency"),
        ({"amount_min": 9, "amount_max": 1, "currency": "USD"}, "body.amount_max"),
        ({"organisation": "not-mine"}, "body.organisation"),
        ({"concepts": ["not a known technology"]}, "body.concepts"),
    ],
)
def test_bad_payloads_name_the_field_and_write_nothing(client, change, field):
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    response = _post(client, "/api/v1/opportunities", {"organisation": organisation.key, **XRAY_REQUEST_EN, **change})
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Opportunity.objects.exists()


def test_patch_is_for_the_owner_and_staff_only(client):
    user, organisation = member()
    opportunity = published(organisation, user, **XRAY_REQUEST_EN)
    outsider, _ = member()
    client.login(email=outsider.email, password=PASSWORD)
    patch = client.patch(
        f"/api/v1/opportunities/{opportunity.pk}", {"title": "Mine now"}, content_type="application/json"
    )
    assert patch.status_code == 404
    client.login(email=user.email, password=PASSWORD)
    patch = client.patch(f"/api/v1/opportunities/{opportunity.pk}", {"trl": 8}, content_type="application/json")
    assert patch.status_code == 200
    assert patch.json()["status"] == "under_review"
    assert (
        client.post(
            f"/api/v1/opportunities/{opportunity.pk}/review", {"decision": "approve"}, content_type="application/json"
        ).status_code
        == 403
    )


@pytest.mark.parametrize("length", [20_001, 5 * 1024 * 1024])
def test_a_description_over_the_limit_is_refused_by_name_and_stores_nothing(client, length):
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    body = {"organisation": organisation.key, **XRAY_REQUEST_EN, "description": "x" * length}
    response = _post(client, "/api/v1/opportunities", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == ["body.description"]
    assert "20000" in errors[0]["message"]
    assert not Opportunity.objects.exists()


def test_the_model_holds_the_description_limit_for_every_writer():
    user, organisation = member()
    opportunity = published(organisation, user, **XRAY_REQUEST_EN)
    opportunity.description = "x" * 20_001
    with pytest.raises(ValidationError) as refused:
        opportunity.full_clean()
    assert list(refused.value.message_dict) == ["description"]
