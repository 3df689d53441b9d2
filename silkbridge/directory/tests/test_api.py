"""The REST API: pagination, filters, token auth, permissions and JSON errors with field names."""

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from silkbridge.accounts.services import api_token_create, api_token_revoke
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory.models import Membership, Organisation
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def _bearer(user):
    _, secret = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _error_fields(response):
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    return {error["field"] for error in body["errors"]}


def test_list_is_paginated_with_counts(client):
    body = client.get("/api/v1/organisations", {"page_size": 5, "page": 2}).json()
    assert body["page"] == 2
    assert body["page_size"] == 5
    assert len(body["items"]) == 5
    assert body["pages"] == -(-body["count"] // 5)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "query.page"),
        ({"page_size": 1000}, "query.page_size"),
        ({"kind": "spaceship"}, "query.kind"),
        ({"country": "Pakistan"}, "query.country"),
        ({"verified": "maybe"}, "query.verified"),
        ({"page": "two"}, "query.page"),
    ],
)
def test_invalid_parameters_get_422_naming_the_field(client, params, field):
    response = client.get("/api/v1/organisations", params)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert field in _error_fields(response)


def test_unknown_organisation_is_a_json_404(client):
    response = client.get("/api/v1/organisations/does-not-exist")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_me_needs_authentication_and_a_wrong_token_is_401(client):
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer sb_wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    # A wrong token is refused even on public endpoints rather than treated as anonymous.
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer sb_wrong").status_code == 401


def test_me_with_a_token_and_a_revoked_token(client):
    user = UserFactory(email="li@example.org")
    token, secret = api_token_create(user=user, name="t")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["email"] == "li@example.org"
    api_token_revoke(user=user, token_id=token.pk)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_me_update_validates_the_time_zone(client):
    user = UserFactory()
    response = client.patch(
        "/api/v1/me", data=json.dumps({"time_zone": "Mars/Olympus"}), content_type="application/json", **_bearer(user)
    )
    assert response.status_code == 422
    assert "body.time_zone" in _error_fields(response)
    user.refresh_from_db()
    assert user.time_zone == "Asia/Karachi"
    ok = client.patch(
        "/api/v1/me",
        data=json.dumps({"language": "ur", "time_zone": "Asia/Shanghai"}),
        content_type="application/json",
        **_bearer(user),
    )
    assert ok.status_code == 200
    assert ok.json()["language"] == "ur"


def test_create_makes_the_caller_owner_and_indexes_the_organisation(client):
    user = UserFactory()
    payload = {
        "kind": "company",
        "name_en": "Indus Vision Labs",
        "name_local": "انڈس ویژن لیبز",
        "language": "ur",
        "country": "PK",
        "city": "Karachi",
        "sectors": ["ai.cv"],
        "technologies": [],
        "description": "کمپیوٹر وژن کے حل",
    }
    response = client.post(
        "/api/v1/organisations", data=json.dumps(payload), content_type="application/json", **_bearer(user)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sectors"] == ["ai.cv"]
    assert body["is_verified"] is False
    organisation = Organisation.objects.get(key=body["key"])
    assert Membership.objects.get(organisation=organisation).user == user
    found = client.get("/api/v1/organisations", {"q": "کمپیوٹر وژن"}).json()
    assert body["key"] in {item["key"] for item in found["items"]}


def test_create_with_bad_values_names_each_field_and_writes_nothing(client):
    user = UserFactory()
    before = Organisation.objects.count()
    payload = {
        "kind": "company",
        "name_en": "X",
        "country": "ZQ",
        "sectors": ["no.such.sector"],
        "website": "not a url",
    }
    response = client.post(
        "/api/v1/organisations", data=json.dumps(payload), content_type="application/json", **_bearer(user)
    )
    assert response.status_code == 422
    assert {"body.country", "body.website"} <= _error_fields(response)
    assert Organisation.objects.count() == before
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize("body", ["{not json", "[]", '{"kind": 5}', ""])
def test_malformed_bodies_get_422_not_500(client, body):
    response = client.post(
        "/api/v1/organisations", data=body, content_type="application/json", **_bearer(UserFactory())
    )
    assert response.status_code in {400, 422}
    assert response.json()["code"] in {"validation_error", "bad_request"}


def test_only_owners_and_staff_may_change_an_organisation(client):
    organisation = OrganisationFactory(key="pk-owned", city="Lahore")
    owner = MembershipFactory(organisation=organisation, role="owner").user
    patch = json.dumps({"city": "Multan"})
    stranger = client.patch(
        "/api/v1/organisations/pk-owned", data=patch, content_type="application/json", **_bearer(UserFactory())
    )
    assert stranger.status_code == 403
    organisation.refresh_from_db()
    assert organisation.city == "Lahore"
    allowed = client.patch(
        "/api/v1/organisations/pk-owned", data=patch, content_type="application/json", **_bearer(owner)
    )
    assert allowed.status_code == 200
    assert allowed.json()["city"] == "Multan"


def test_only_staff_may_verify(client):
    OrganisationFactory(key="pk-to-verify")
    payload = json.dumps({"verified": True})
    member = client.post(
        "/api/v1/organisations/pk-to-verify/verification",
        data=payload,
        content_type="application/json",
        **_bearer(UserFactory()),
    )
    assert member.status_code == 403
    staff = client.post(
        "/api/v1/organisations/pk-to-verify/verification",
        data=payload,
        content_type="application/json",
        **_bearer(StaffFactory()),
    )
    assert staff.status_code == 200
    assert staff.json()["is_verified"] is True


def test_session_writes_need_the_csrf_token(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory())
    response = csrf_client.post(
        "/api/v1/organisations", data=json.dumps({"kind": "company"}), content_type="application/json"
    )
    assert response.status_code in {401, 403}


def test_sectors_and_concepts(client):
    sectors = client.get("/api/v1/sectors").json()
    assert len(sectors) == 8
    assert all(len(field["subsectors"]) >= 6 for field in sectors)
    concepts = client.get("/api/v1/concepts", {"page_size": 100}).json()
    assert concepts["count"] >= 300
    one = concepts["items"][0]
    assert one["label_zh"]
    assert one["label_ur"]
    assert one["label_en"]
    detail = client.get(f"/api/v1/concepts/{one['code']}").json()
    assert detail == one
    assert client.get("/api/v1/concepts/no_such_concept").status_code == 404


def test_concept_search_in_chinese(client):
    concept = client.get("/api/v1/concepts", {"page_size": 1}).json()["items"][0]
    found = client.get("/api/v1/concepts", {"q": concept["label_zh"], "page_size": 100}).json()
    assert concept["code"] in {item["code"] for item in found["items"]}


def test_zones_endpoint_lists_zones_with_sources(client):
    zones = client.get("/api/v1/zones").json()
    assert len(zones) >= 10
    assert all(zone["sources"] for zone in zones if zone["kind"] == "stz")


def test_openapi_document_is_valid_and_matches_the_committed_snapshot(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)
    assert SNAPSHOT.is_file(), "docs/openapi.json is missing: run `make openapi`"
    assert document == json.loads(SNAPSHOT.read_text()), "The API changed: run `make openapi` and review the diff"


def test_docs_page_renders(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()


def test_free_keywords_are_set_and_changed_through_the_api_and_an_unknown_technology_is_still_refused(client):
    """The API keeps `technologies` strict (a client learns of a typo) and takes free words as `keywords`."""
    user = UserFactory()
    payload = {"kind": "company", "name_en": "Thar Kiln Sensing", "country": "PK", "keywords": ["brick kiln flue"]}
    response = client.post(
        "/api/v1/organisations", data=json.dumps(payload), content_type="application/json", **_bearer(user)
    )
    assert response.status_code == 201
    body = response.json()
    assert body["keywords"] == ["brick kiln flue"]
    organisation = Organisation.objects.get(key=body["key"])
    assert " kiln " in organisation.search_document
    response = client.patch(
        f"/api/v1/organisations/{body['key']}",
        data=json.dumps({"keywords": ["zigzag firing"]}),
        content_type="application/json",
        **_bearer(user),
    )
    assert response.status_code == 200
    assert response.json()["keywords"] == ["zigzag firing"]
    response = client.patch(
        f"/api/v1/organisations/{body['key']}",
        data=json.dumps({"technologies": ["warp drive"], "keywords": [f"word {n}" for n in range(21)]}),
        content_type="application/json",
        **_bearer(user),
    )
    assert response.status_code == 422
    organisation.refresh_from_db()
    assert organisation.keywords == ["zigzag firing"]
