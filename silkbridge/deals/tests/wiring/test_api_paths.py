"""The parts' API routers are joined so that the pipeline's "/deals/{reference}" does not swallow the
other parts' one-segment addresses (it answered GET /deals/calls with "no such deal", and POST
/deals/verify with 405)."""

from __future__ import annotations

import pytest
from django.urls import resolve

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["calls", "clauses", "mous", "proposals", "reviews", "verify"])
def test_each_parts_list_address_reaches_its_own_endpoint(name):
    assert resolve(f"/api/v1/deals/{name}").route == f"api/v1/deals/{name}"


def test_the_public_call_list_answers_and_a_deal_reference_still_reaches_the_deal(client):
    assert client.get("/api/v1/deals/calls").status_code == 200
    assert resolve("/api/v1/deals/DL-2030-0001").route == "api/v1/deals/<reference>"
    assert client.post("/api/v1/deals/verify", {}).status_code != 405
