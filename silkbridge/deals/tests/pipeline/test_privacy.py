"""Who sees which deal, through every channel: the pages, the API, the board and its export, the command
line. A member of two organisations sees both organisations' deals and nothing of a third's; an
outsider gets 404 (not 403) for a deal's reference, as if it did not exist."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from silkbridge.accounts.tests.factories import PASSWORD, MembershipFactory, StaffFactory, UserFactory
from silkbridge.deals.selectors import pipeline as selectors
from silkbridge.directory.tests.factories import OrganisationFactory

from .factories import manual_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Three deals: A's (with a Chinese partner), B's, and C's; a user who belongs to A and B."""
    a, b, c, partner = (OrganisationFactory(country=country) for country in ("PK", "PK", "PK", "CN"))
    user = UserFactory()
    MembershipFactory(user=user, organisation=a)
    MembershipFactory(user=user, organisation=b)
    deals = {
        "a": manual_deal(a, partner, title="Deal of A"),
        "b": manual_deal(b, partner, title="Deal of B"),
        "c": manual_deal(c, partner, title="Deal of C"),
    }
    return user, deals


def test_the_selector_gives_a_member_of_two_organisations_both_and_not_the_third(world):
    user, _deals = world
    visible = {deal.title for deal in selectors.deals_visible(viewer=user)}
    assert visible == {"Deal of A", "Deal of B"}
    assert {deal.title for deal in selectors.deals_visible(viewer=StaffFactory())} == {
        "Deal of A",
        "Deal of B",
        "Deal of C",
    }
    assert not selectors.deals_visible(viewer=UserFactory()).exists()


def test_pages_list_and_open_only_the_members_deals(client, world):
    user, deals = world
    client.login(email=user.email, password=PASSWORD)
    page = client.get("/deals/").content.decode()
    assert "Deal of A" in page
    assert "Deal of B" in page
    assert "Deal of C" not in page
    assert client.get(f"/deals/{deals['a'].reference}/").status_code == 200
    hidden = client.get(f"/deals/{deals['c'].reference}/")
    assert hidden.status_code == 404
    assert "Deal of C" not in hidden.content.decode()
    # Writes to a deal one cannot see answer 404 too, and change nothing.
    response = client.post(f"/deals/{deals['c'].reference}/next-step/", {"next_step": "Mine", "due_on": "2099-01-01"})
    assert response.status_code == 404
    deals["c"].refresh_from_db()
    assert deals["c"].next_step == ""


def test_the_api_lists_and_opens_only_the_members_deals(client, world):
    user, deals = world
    client.login(email=user.email, password=PASSWORD)
    listed = client.get("/api/v1/deals").json()
    assert sorted(item["title"] for item in listed["items"]) == ["Deal of A", "Deal of B"]
    assert listed["count"] == 2
    for path in ("", "/history"):
        response = client.get(f"/api/v1/deals/{deals['c'].reference}{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    stage = client.post(
        f"/api/v1/deals/{deals['c'].reference}/stage", {"stage": "proposal"}, content_type="application/json"
    )
    assert stage.status_code == 404
    deals["c"].refresh_from_db()
    assert deals["c"].stage == "lead"


def test_the_board_and_its_export_are_for_staff_only(client, world):
    user, _deals = world
    client.login(email=user.email, password=PASSWORD)
    assert client.get("/deals/board/").status_code == 403
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/deals/board/export/?format={fmt}")
        assert response.status_code == 403
        assert b"Deal of" not in response.content
    client.login(email=StaffFactory().email, password=PASSWORD)
    export = client.get("/deals/board/export/?format=csv").content.decode("utf-8-sig")
    assert all(title in export for title in ("Deal of A", "Deal of B", "Deal of C"))


def test_an_anonymous_visitor_is_sent_to_sign_in_and_the_api_says_401(client, world):
    _user, deals = world
    response = client.get(f"/deals/{deals['a'].reference}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/deals").status_code == 401


def test_the_command_line_export_is_staffs_view_of_every_deal(world):
    out = StringIO()
    call_command("deals", "export", "--format", "json", stdout=out)
    titles = sorted(record["title"] for record in json.loads(out.getvalue())["deals"])
    assert titles == ["Deal of A", "Deal of B", "Deal of C"]
