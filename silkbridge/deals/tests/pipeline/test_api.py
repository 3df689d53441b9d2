"""The deals API (pipeline): start, read, move, next step, history, filters; the same rules as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from silkbridge.deals.models import Deal, DealEvent
from silkbridge.directory.tests.factories import OrganisationFactory

from .factories import accepted_interest, age, manual_deal

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_side_starts_a_deal_from_an_accepted_interest_and_a_second_start_names_the_first(client):
    interest, sender, owner = accepted_interest()
    client.login(email=sender.email, password=PASSWORD)
    body = {"title": "X-ray AI licence", "subject": "licence", "origin": "interest", "interest": interest.pk}
    created = _post(client, "/api/v1/deals", body)
    assert created.status_code == 201, created.content
    deal = created.json()
    assert deal["stage"] == "lead"
    assert deal["stage_label"] == "Lead"
    assert sorted(party["role"] for party in deal["parties"]) == ["initiator", "partner"]

    client.login(email=owner.email, password=PASSWORD)
    again = _post(client, "/api/v1/deals", {**body, "title": "Again"})
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {
            "field": "body.interest",
            "message": f"A deal already started from this lead: “X-ray AI licence” ({deal['reference']}).",
        }
    ]
    assert Deal.objects.count() == 1


def test_an_interest_of_other_organisations_is_not_found_for_the_starter(client):
    interest, _sender, _owner = accepted_interest()
    stranger = UserFactory()
    client.login(email=stranger.email, password=PASSWORD)
    response = _post(
        client, "/api/v1/deals", {"title": "Mine", "subject": "licence", "origin": "interest", "interest": interest.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.interest"
    assert not Deal.objects.exists()


def test_staff_move_a_deal_and_the_reason_is_required_for_declined(client):
    deal = manual_deal()
    client.login(email=deal.owner.email, password=PASSWORD)
    url = f"/api/v1/deals/{deal.reference}/stage"
    refused = _post(client, url, {"stage": "declined"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "body.note", "message": "Say why the deal is declined, withdrawn or stalled."}
    ]
    moved = _post(client, url, {"stage": "declined", "note": "The authority chose another bidder"})
    assert moved.status_code == 200
    assert (moved.json()["stage"], moved.json()["stage_reason"]) == ("declined", "The authority chose another bidder")
    history = client.get(f"/api/v1/deals/{deal.reference}/history").json()["items"]
    assert [entry["kind"] for entry in history] == ["stage_changed", "created"]
    assert history[0]["changes"] == {"stage": ["lead", "declined"], "note": "The authority chose another bidder"}
    assert history[0]["by"] == "you"


def test_a_party_member_sets_the_next_step_but_may_not_move_the_stage(client):
    interest, sender, _owner = accepted_interest()
    client.login(email=sender.email, password=PASSWORD)
    reference = _post(
        client,
        "/api/v1/deals",
        {"title": "Licence", "subject": "licence", "origin": "interest", "interest": interest.pk},
    ).json()["reference"]
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    step = _post(client, f"/api/v1/deals/{reference}/next-step", {"next_step": "Call the CTO", "due_on": due})
    assert step.status_code == 200
    assert (step.json()["next_step"], step.json()["next_step_on"], step.json()["next_step_overdue"]) == (
        "Call the CTO",
        due,
        False,
    )
    moved = _post(client, f"/api/v1/deals/{reference}/stage", {"stage": "approved"})
    assert moved.status_code == 403
    assert Deal.objects.get().stage == "lead"


def test_list_filters_and_a_bad_parameter_is_named(client):
    staff = StaffFactory()
    cloud = manual_deal(
        OrganisationFactory(country="CN"), OrganisationFactory(country="PK"), title="Cloud", staff=staff
    )
    from silkbridge.deals.services import pipeline as services
    from silkbridge.directory.models import Sector

    services.deal_update(actor=staff, deal=cloud, fields={"sector": Sector.objects.get(code="cloud.datacenter")})
    old = age(
        manual_deal(OrganisationFactory(country="AE"), OrganisationFactory(country="PK"), title="Old"), days_old=90
    )
    client.login(email=staff.email, password=PASSWORD)

    def titles(query):
        response = client.get(f"/api/v1/deals?{query}")
        assert response.status_code == 200, response.content
        return sorted(item["title"] for item in response.json()["items"])

    assert titles("sector=cloud") == ["Cloud"]  # a focus field includes its sub-fields
    assert titles("country=ae") == ["Old"]
    assert titles("country=PK") == ["Cloud", "Old"]
    assert titles("older_than=30") == ["Old"]
    assert titles(f"owner={staff.pk}") == ["Cloud"]
    assert old.owner_id != staff.pk
    bad = client.get("/api/v1/deals?sector=no-such-sector")
    assert bad.status_code == 422
    assert [error["field"] for error in bad.json()["errors"]] == ["query.sector"]
    negative = client.get("/api/v1/deals?older_than=-1")
    assert negative.status_code == 422
    assert "older_than" in negative.json()["errors"][0]["field"]


def test_staff_edit_and_change_parties_through_the_api(client):
    first, second, third = OrganisationFactory(), OrganisationFactory(), OrganisationFactory(key="third-party")
    deal = manual_deal(first, second)
    client.login(email=deal.owner.email, password=PASSWORD)
    edited = client.patch(
        f"/api/v1/deals/{deal.reference}",
        {"amount": "2500000.00", "currency": "usd"},
        content_type="application/json",
    )
    assert edited.status_code == 200, edited.content
    assert (edited.json()["amount"], edited.json()["currency"]) == ("2500000.00", "USD")
    added = _post(
        client, f"/api/v1/deals/{deal.reference}/parties", {"organisation": "third-party", "role": "investor"}
    )
    assert added.status_code == 200
    assert "third-party" in [party["organisation"] for party in added.json()["parties"]]
    removed = client.delete(f"/api/v1/deals/{deal.reference}/parties/{first.key}")
    assert removed.status_code == 204
    assert sorted(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True)) == [
        "created",
        "edited",
        "party_added",
        "party_removed",
    ]
    assert third.pk in set(Deal.objects.get().parties.values_list("organisation_id", flat=True))
