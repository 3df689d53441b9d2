"""Expressions of interest: sending, answering with a reason, contacts revealed only on acceptance,
both sides told, and the same through the pages and the API."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory
from silkbridge.directory.models import Contact
from silkbridge.marketplace import services
from silkbridge.marketplace.models import ExpressionOfInterest
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, member, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    owner, owner_organisation = member(country="CN", language="zh-hans")
    Contact.objects.create(
        organisation=owner_organisation, name="王丽", email="wang.li@tianshu.example", is_public=False
    )
    offer = published(owner_organisation, owner, **XRAY_OFFER_ZH)
    sender, sender_organisation = member()
    Contact.objects.create(organisation=sender_organisation, name="Amina Khan", email="amina@potohar.example")
    return {"owner": owner, "offer": offer, "sender": sender, "sender_organisation": sender_organisation}


def test_express_and_accept_reveals_contacts_and_tells_both_sides(pair, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_express(
            actor=pair["sender"],
            organisation=pair["sender_organisation"],
            opportunity=pair["offer"],
            message="We run 40 imaging centres and want to license this.",
        )
    (to_owner,) = mail.outbox
    assert to_owner.to == [pair["owner"].email]
    assert "感兴趣" in to_owner.subject  # the owner reads Chinese
    from silkbridge.marketplace.selectors import interest_contacts, interest_get

    assert interest_contacts(interest=interest_get(viewer=pair["sender"], pk=interest.pk)) is None
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_answer(actor=pair["owner"], interest=interest, accept=True)
    assert mail.outbox[-1].to == [pair["sender"].email]
    contacts = interest_contacts(interest=interest_get(viewer=pair["sender"], pk=interest.pk))
    assert contacts is not None
    assert "wang.li@tianshu.example" in {person["email"] for person in contacts["owner"]}
    assert "amina@potohar.example" in {person["email"] for person in contacts["interested"]}


def test_decline_needs_a_reason_from_the_list(pair):
    interest = services.interest_express(
        actor=pair["sender"], organisation=pair["sender_organisation"], opportunity=pair["offer"], message="Hello"
    )
    with pytest.raises(ValidationError) as error:
        services.interest_answer(actor=pair["owner"], interest=interest, accept=False, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.interest_answer(actor=pair["owner"], interest=interest, accept=False, reason="other")
    assert "note" in error.value.message_dict
    services.interest_answer(actor=pair["owner"], interest=interest, accept=False, reason="too_early")
    interest.refresh_from_db()
    assert (interest.status, interest.decline_reason) == ("declined", "too_early")
    with pytest.raises(ValidationError):
        services.interest_answer(actor=pair["owner"], interest=interest, accept=True)


def test_one_interest_per_organisation_and_never_in_ones_own_profile(pair):
    services.interest_express(
        actor=pair["sender"], organisation=pair["sender_organisation"], opportunity=pair["offer"], message="Hello"
    )
    with pytest.raises(ValidationError) as error:
        services.interest_express(
            actor=pair["sender"], organisation=pair["sender_organisation"], opportunity=pair["offer"], message="Again"
        )
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.interest_express(
            actor=pair["owner"], organisation=pair["offer"].organisation, opportunity=pair["offer"], message="Me"
        )
    assert ExpressionOfInterest.objects.count() == 1


def test_the_pages_from_interest_to_contacts(pair, client):
    client.login(email=pair["sender"].email, password=PASSWORD)
    response = client.post(
        f"/marketplace/{pair['offer'].pk}/interest/",
        {"organisation": pair["sender_organisation"].pk, "message": "We want to license it."},
    )
    interest = ExpressionOfInterest.objects.get()
    assert response.status_code == 302
    assert "amina@potohar.example" not in client.get(f"/marketplace/interests/{interest.pk}/").content.decode()

    client.login(email=pair["owner"].email, password=PASSWORD)
    missing_reason = client.post(f"/marketplace/interests/{interest.pk}/answer/", {"action": "decline", "reason": ""})
    assert missing_reason.status_code == 400
    client.post(f"/marketplace/interests/{interest.pk}/answer/", {"action": "accept"})
    page = client.get(f"/marketplace/interests/{interest.pk}/").content.decode()
    assert "amina@potohar.example" in page

    client.login(email=pair["sender"].email, password=PASSWORD)
    assert "wang.li@tianshu.example" in client.get(f"/marketplace/interests/{interest.pk}/").content.decode()


def test_outsiders_cannot_read_an_interest(pair, client):
    interest = services.interest_express(
        actor=pair["sender"], organisation=pair["sender_organisation"], opportunity=pair["offer"], message="Hello"
    )
    outsider, _ = member()
    client.login(email=outsider.email, password=PASSWORD)
    assert client.get(f"/marketplace/interests/{interest.pk}/").status_code == 404
    assert client.get(f"/api/v1/interests/{interest.pk}").status_code == 404


def test_the_api_from_interest_to_contacts(pair, client):
    client.login(email=pair["sender"].email, password=PASSWORD)
    created = client.post(
        f"/api/v1/opportunities/{pair['offer'].pk}/interests",
        {"organisation": pair["sender_organisation"].key, "message": "Interested."},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["contacts"] is None
    interest_id = created.json()["id"]
    client.login(email=pair["owner"].email, password=PASSWORD)
    bad = client.post(f"/api/v1/interests/{interest_id}/answer", {"accept": False}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.reason"
    answered = client.post(f"/api/v1/interests/{interest_id}/answer", {"accept": True}, content_type="application/json")
    assert answered.status_code == 200
    emails = {person["email"] for person in answered.json()["contacts"]["interested"]}
    assert "amina@potohar.example" in emails
    received = client.get("/api/v1/interests").json()
    assert [item["id"] for item in received["items"]] == [interest_id]


# --- a profile that turned private after the interest (issue 9, finding 1) ---------------------------

SECRET_TITLE = "Secret retitled X-ray offer 7f3c"


@pytest.fixture
def hidden_after_interest(pair, django_capture_on_commit_callbacks):
    """B expressed interest in A's public profile; A then made it private and retitled it."""
    interest = services.interest_express(
        actor=pair["sender"], organisation=pair["sender_organisation"], opportunity=pair["offer"], message="Hello"
    )
    services.opportunity_update(
        actor=StaffFactory(), opportunity=pair["offer"], fields={"visibility": "private", "title": SECRET_TITLE}
    )
    pair["offer"].refresh_from_db()
    offer = pair["offer"]
    assert (offer.status, offer.visibility, offer.title) == ("published", "private", SECRET_TITLE)
    return {**pair, "interest": interest}


def test_the_api_shows_the_sender_neither_title_nor_owner_of_a_profile_gone_private(hidden_after_interest, client):
    case = hidden_after_interest
    owner_name = case["offer"].organisation.display_name
    client.login(email=case["sender"].email, password=PASSWORD)
    assert client.get(f"/api/v1/opportunities/{case['offer'].pk}").status_code == 404
    detail = client.get(f"/api/v1/interests/{case['interest'].pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert (body["opportunity_available"], body["opportunity_title"], body["owner"]) == (False, None, None)
    assert body["organisation"]["key"] == case["sender_organisation"].key
    sent = client.get("/api/v1/interests?direction=sent")
    assert [item["opportunity_title"] for item in sent.json()["items"]] == [None]
    for response in (detail, sent):
        assert SECRET_TITLE not in response.content.decode()
        assert owner_name not in response.content.decode()


def test_the_pages_show_the_sender_a_neutral_line_for_a_profile_gone_private(hidden_after_interest, client):
    case = hidden_after_interest
    owner_name = case["offer"].organisation.display_name
    client.login(email=case["sender"].email, password=PASSWORD)
    assert client.get(f"/marketplace/{case['offer'].pk}/").status_code == 404
    for url in (f"/marketplace/interests/{case['interest'].pk}/", "/marketplace/mine/"):
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert SECRET_TITLE not in text
        assert owner_name not in text
        assert f"/marketplace/{case['offer'].pk}/" not in text
    detail = client.get(f"/marketplace/interests/{case['interest'].pk}/").content.decode()
    assert "Profile no longer available" in detail


def test_the_owner_still_sees_its_own_title_on_the_interest(hidden_after_interest, client):
    case = hidden_after_interest
    client.login(email=case["owner"].email, password=PASSWORD)
    body = client.get(f"/api/v1/interests/{case['interest'].pk}").json()
    assert (body["opportunity_available"], body["opportunity_title"]) == (True, SECRET_TITLE)
    assert SECRET_TITLE in client.get(f"/marketplace/interests/{case['interest'].pk}/").content.decode()
    assert SECRET_TITLE in client.get("/marketplace/mine/").content.decode()


def test_the_answer_e_mail_does_not_carry_the_title_of_a_profile_gone_private(
    hidden_after_interest, django_capture_on_commit_callbacks
):
    case = hidden_after_interest
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_answer(actor=case["owner"], interest=case["interest"], accept=False, reason="too_early")
    (to_sender,) = mail.outbox
    assert to_sender.to == [case["sender"].email]
    text = f"{to_sender.subject}\n{to_sender.body}"
    assert SECRET_TITLE not in text
    assert case["offer"].organisation.display_name not in text
    assert str(to_sender.subject) == "Your interest was declined: Profile no longer available"


def test_an_accepted_interest_keeps_the_senders_contacts_but_not_the_hidden_owners(hidden_after_interest, client):
    case = hidden_after_interest
    services.interest_answer(actor=case["owner"], interest=case["interest"], accept=True)
    client.login(email=case["sender"].email, password=PASSWORD)
    body = client.get(f"/api/v1/interests/{case['interest'].pk}").json()
    assert body["contacts"]["owner"] == []
    assert "amina@potohar.example" in {person["email"] for person in body["contacts"]["interested"]}
    page = client.get(f"/marketplace/interests/{case['interest'].pk}/").content.decode()
    assert "wang.li@tianshu.example" not in page
