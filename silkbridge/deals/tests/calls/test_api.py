"""The calls API: the same operations and refusals as the pages, through the services."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from silkbridge.deals.models import Call, CallEvent
from silkbridge.deals.services import calls as services

from .factories import (
    RUBRIC,
    calling_body,
    decide,
    member_of_new_company,
    pass_deadline,
    published_call,
    review,
    submit,
)

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict | None = None):
    return client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_call_is_created_and_published_through_the_api():
    actor, issuer = calling_body()
    client = _client(actor)
    body = {
        "issuer": issuer.key,
        "title_en": "Cloud region for the capital",
        "scope_en": "A sovereign cloud region.",
        "deadline": "2031-03-01T17:00:00",
        "time_zone": "Asia/Karachi",
        "contact_name": "Cell",
        "contact_email": "cell@cda.example",
        "evaluation": "quality_and_cost",
        "technical_weight": 70,
        "currency": "PKR",
        "criteria": RUBRIC,
    }
    created = _post(client, "/deals/calls", body)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["deadline"] == "2031-03-01T12:00:00Z"
    assert data["status"] == "draft"
    assert [criterion["weight"] for criterion in data["criteria"]] == [60, 40]
    assert data["submissions"] is None
    published = _post(client, f"/deals/calls/{data['slug']}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    listed = Client().get("/api/v1/deals/calls?state=open").json()
    assert [item["slug"] for item in listed["items"]] == [data["slug"]]


def test_publishing_without_a_rubric_is_refused_with_the_field_named_and_nothing_stored():
    actor, issuer = calling_body()
    call = services.call_create(
        actor=actor,
        issuer=issuer,
        fields={
            "title_en": "No rubric",
            "scope_en": "x",
            "deadline": "2031-03-01T17:00",
            "contact_name": "Cell",
            "contact_email": "cell@cda.example",
        },
    )
    response = _post(_client(actor), f"/deals/calls/{call.slug}/publish")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.criteria", "message": "A call needs a rubric (at least one criterion) before it is published."}
    ]
    assert Call.objects.get(pk=call.pk).status == "draft"
    assert not CallEvent.objects.filter(call=call, kind="published").exists()


def test_a_member_of_another_organisation_cannot_publish_or_open():
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    outsider, _company = member_of_new_company()
    client = _client(outsider)
    assert _post(client, f"/deals/calls/{call.slug}/cancel", {"reason": "x"}).status_code == 403
    pass_deadline(call)
    assert _post(client, f"/deals/calls/{call.slug}/opening", {"attendees": ["x"]}).status_code == 403
    assert not call.openings.exists()
    assert Call.objects.get(pk=call.pk).status == "published"


def test_the_report_and_grievances_reach_submitters_only():
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    submitter, company = member_of_new_company(name_en="Alpha Cloud")
    proposal = submit(call, company)
    pass_deadline(call)
    services.call_open(actor=actor, call=call, attendees=["A. Khan"])
    review(proposal, [5, 5])
    decide(proposal)
    report = _post(_client(actor), f"/deals/calls/{call.slug}/report", {"grievance_days": 7})
    assert report.status_code == 201
    assert report.json()["ranking"][0] == {
        "rank": 1,
        "organisation": "Alpha Cloud",
        "technical": "100.00",
        "passed": True,
        "price": None,
        "financial": None,
        "combined": None,
        "decision": "approve",
    }
    assert _client(submitter).get(f"/api/v1/deals/calls/{call.slug}/report").status_code == 200
    bystander, _other = member_of_new_company()
    assert _client(bystander).get(f"/api/v1/deals/calls/{call.slug}/report").status_code == 404
    filed = _post(
        _client(submitter), f"/deals/calls/{call.slug}/grievances", {"organisation": company.key, "text": "Why?"}
    )
    assert filed.status_code == 201
    assert _client(bystander).get(f"/api/v1/deals/calls/{call.slug}/grievances").json() == []
    assert [item["text"] for item in _client(actor).get(f"/api/v1/deals/calls/{call.slug}/grievances").json()] == [
        "Why?"
    ]
    decision = _post(_client(actor), f"/deals/calls/{call.slug}/decision")
    assert decision.status_code == 422
    assert Call.objects.get(pk=call.pk).decided_at is None
