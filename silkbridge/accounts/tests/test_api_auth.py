"""Item 13 of issue 9: an anonymous API write is a 401 in the API's error format, not a CSRF 403;
a write riding on a browser session still needs the CSRF token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from silkbridge.accounts.models import User
from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.directory.models import Organisation

pytestmark = pytest.mark.django_db

NEW_ORGANISATION = {"name_en": "Forged Robotics", "kind": "company", "country": "PK"}


def _post(client: Client, path: str, payload: dict, **headers: str):
    return client.post(path, data=json.dumps(payload), content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "/api/v1/organisations", NEW_ORGANISATION),
        ("patch", "/api/v1/me", {"full_name": "Nobody"}),
        ("post", "/api/v1/datacenters/validate", {"design": "name: d\n", "file_name": "d.yaml"}),
    ],
)
def test_anonymous_writes_are_401_in_the_api_error_format(method, path, payload):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path, data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Sign in, or send a valid API token as “Authorization: Bearer …”.",
        "errors": [],
    }
    assert not Organisation.objects.filter(name_en="Forged Robotics").exists()


def test_a_session_write_without_the_csrf_token_is_refused_and_stores_nothing():
    user = UserFactory(full_name="Amina Khan")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch("/api/v1/me", data=json.dumps({"full_name": "Forged"}), content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "CSRF" in body["message"]
    assert User.objects.get(pk=user.pk).full_name == "Amina Khan"


def test_a_session_write_with_the_csrf_token_goes_through():
    user = UserFactory(full_name="Amina Khan")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/preferences/")  # the page sets the csrftoken cookie, as a browser would get it
    token = client.cookies["csrftoken"].value
    response = client.patch(
        "/api/v1/me",
        data=json.dumps({"full_name": "Amina K."}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).full_name == "Amina K."
