"""Who sees a call and its record, through every channel: the page, the API (session and token) and the
admin. An invitation-only call does not exist for anyone not invited; before the deadline nothing about
the proposals shows to anyone, the calling body and platform staff included."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.deals.services import calls as services
from silkbridge.directory.selectors import user_organisations

from .factories import calling_body, draft_call, member_of_new_company, pass_deadline, published_call, submit

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Zephyrine invitation-only call"


def _token_client(user) -> Client:
    _token, secret = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _session_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def invitation_call():
    actor, issuer = calling_body()
    invited_user, invited = member_of_new_company()
    call = published_call(actor, issuer, visibility="invitation", invited=[invited], title_en=SECRET_TITLE)
    return actor, call, invited_user


def test_an_invitation_only_call_is_invisible_to_those_not_invited(invitation_call):
    _actor, call, _invited_user = invitation_call
    outsider, _company = member_of_new_company()
    for client in (Client(), _session_client(outsider)):
        assert client.get(f"/deals/calls/{call.slug}/").status_code == 404
        listing = client.get("/deals/calls/")
        assert listing.status_code == 200
        assert SECRET_TITLE not in listing.content.decode()
        assert client.get(f"/api/v1/deals/calls/{call.slug}").status_code == 404
        assert client.get(f"/api/v1/deals/calls/{call.slug}/clarifications").status_code == 404
        assert SECRET_TITLE not in client.get("/api/v1/deals/calls").content.decode()
    token = _token_client(outsider)
    assert token.get(f"/api/v1/deals/calls/{call.slug}").status_code == 404
    assert SECRET_TITLE not in token.get("/api/v1/deals/calls").content.decode()
    # The admin is for platform staff: anyone else is sent to sign in, and sees nothing of the call.
    admin = _session_client(outsider).get(f"/admin/deals/call/{call.pk}/change/")
    assert admin.status_code == 302
    assert "/admin/login/" in admin["Location"]
    listing = _session_client(outsider).get("/admin/deals/call/")
    assert listing.status_code == 302


def test_an_invitation_only_call_is_seen_by_the_invited_and_the_calling_body(invitation_call):
    actor, call, invited_user = invitation_call
    for user in (invited_user, actor, StaffFactory()):
        client = _session_client(user)
        assert SECRET_TITLE in client.get(f"/deals/calls/{call.slug}/").content.decode()
        assert client.get(f"/api/v1/deals/calls/{call.slug}").json()["title_en"] == SECRET_TITLE
        assert SECRET_TITLE in _token_client(user).get("/api/v1/deals/calls").content.decode()


def test_a_draft_is_seen_only_by_the_calling_body():
    actor, issuer = calling_body()
    call = draft_call(actor, issuer, title_en="Zephyrine draft call")
    outsider, _company = member_of_new_company()
    assert _session_client(outsider).get(f"/deals/calls/{call.slug}/").status_code == 404
    assert Client().get(f"/api/v1/deals/calls/{call.slug}").status_code == 404
    assert _session_client(actor).get(f"/deals/calls/{call.slug}/").status_code == 200


def test_nothing_about_sealed_proposals_shows_before_the_deadline_to_anyone():
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    submitter, company = member_of_new_company(name_en="Zephyrine Sealed Bidder")
    proposal = submit(call, company, price="123456.00", currency="USD")
    Proposal = type(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(title="Zephyrine sealed proposal")
    platform_staff = StaffFactory()
    for user in (actor, platform_staff, submitter):
        client = _session_client(user)
        page = client.get(f"/deals/calls/{call.slug}/").content.decode()
        secrets = ["Zephyrine sealed proposal", "123456", "Proposals received", "Opening records"]
        if user != submitter:  # the submitter's own organisation is in its forms, of course
            secrets.append("Zephyrine Sealed Bidder")
        for secret in secrets:
            assert secret not in page, (user, secret)
        detail = client.get(f"/api/v1/deals/calls/{call.slug}").json()
        assert detail["submissions"] is None
        assert client.get(f"/api/v1/deals/calls/{call.slug}/openings").json() == []
        assert _token_client(user).get(f"/api/v1/deals/calls/{call.slug}").json()["submissions"] is None
    staff_client = _session_client(platform_staff)
    admin_page = staff_client.get(f"/admin/deals/call/{call.pk}/change/")
    assert admin_page.status_code == 200
    assert "Zephyrine" not in admin_page.content.decode()
    assert "123456" not in admin_page.content.decode()
    assert "Zephyrine" not in staff_client.get("/admin/deals/opening/").content.decode()
    # The opening is refused through the page and the API alike, and nothing is stored.
    refused = _session_client(actor).post(
        f"/deals/calls/{call.slug}/open/", {"attendees": "A. Khan", "kind": "technical"}
    )
    assert refused.status_code == 302
    api = _session_client(actor).post(
        f"/api/v1/deals/calls/{call.slug}/opening",
        json.dumps({"attendees": ["A. Khan"]}),
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "body.deadline"
    assert api.json()["errors"][0]["message"].startswith("No one can open the proposals before the deadline, ")
    followed = _session_client(actor).post(
        f"/deals/calls/{call.slug}/open/", {"attendees": "A. Khan", "kind": "technical"}, follow=True
    )
    assert "No one can open the proposals before the deadline, " in followed.content.decode()
    assert not call.openings.exists()

    # After the deadline and the opening, the record lists every submission, for submitters and staff.
    pass_deadline(call)
    services.call_open(actor=actor, call=call, attendees=["A. Khan, CDA"])
    for user in (actor, submitter):
        page = _session_client(user).get(f"/deals/calls/{call.slug}/").content.decode()
        assert "Zephyrine Sealed Bidder" in page
        assert "123456.00 USD" in page
        openings = _session_client(user).get(f"/api/v1/deals/calls/{call.slug}/openings").json()
        assert openings[0]["record"][0]["organisation"] == "Zephyrine Sealed Bidder"
        assert _session_client(user).get(f"/api/v1/deals/calls/{call.slug}").json()["submissions"] == 1
    # Someone who did not submit sees the call but not its record.
    bystander = UserFactory()
    page = _session_client(bystander).get(f"/deals/calls/{call.slug}/").content.decode()
    assert "Zephyrine Sealed Bidder" not in page
    assert _session_client(bystander).get(f"/api/v1/deals/calls/{call.slug}/openings").json() == []
    # The admin shows the opening read-only.
    opening = call.openings.get()
    assert staff_client.get(f"/admin/deals/opening/{opening.pk}/change/").status_code == 200
    assert staff_client.get("/admin/deals/opening/add/").status_code == 403


def test_clarifications_are_shown_to_those_who_may_submit_without_naming_the_asker(invitation_call):
    actor, call, invited_user = invitation_call
    organisation = user_organisations(user=invited_user).get()
    question = services.clarification_ask(
        actor=invited_user, call=call, organisation=organisation, question="Zephyrine question on cooling?"
    )
    services.clarification_answer(actor=actor, clarification=question, answer="Free cooling is allowed.")
    other_user, other = member_of_new_company()
    call.invited.add(other)
    page = _session_client(other_user).get(f"/deals/calls/{call.slug}/").content.decode()
    assert "Zephyrine question on cooling?" in page
    assert "Free cooling is allowed." in page
    assert organisation.display_name not in page
    assert invited_user.email not in page
    assert [
        item["answer"]
        for item in _session_client(other_user).get(f"/api/v1/deals/calls/{call.slug}/clarifications").json()
    ] == ["Free cooling is allowed."]
