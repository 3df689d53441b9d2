"""Nobody is left out of the loop: an interest sent to an organisation without members is not swallowed
(the sender is told, staff get it in a queue), and a listed organisation can be claimed, at once with an
e-mail address at its domain or through staff, after which the waiting requests reach the new member."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory import services
from silkbridge.directory.models import HeldRequest, Membership, OrganisationClaim
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.marketplace import services as marketplace
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, member, published
from silkbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db
NO_MEMBERS = "This organisation has no members on Silkbridge yet"


def _bearer(user):
    _, secret = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def orphan():
    """A published profile whose organisation (website tianshu-imaging.cn) has no member left."""
    owner, organisation = member(country="CN", website="https://www.tianshu-imaging.cn/")
    offer = published(organisation, owner, **{**XRAY_OFFER_ZH, "title": "Portable X-ray imaging"})
    Membership.objects.filter(organisation=organisation).delete()
    sender, sender_organisation = member()
    return {"organisation": organisation, "offer": offer, "sender": sender, "sender_organisation": sender_organisation}


def _send(orphan, client=None):
    return marketplace.interest_express(
        actor=orphan["sender"],
        organisation=orphan["sender_organisation"],
        opportunity=orphan["offer"],
        message="We want to distribute this in Punjab.",
    )


def test_sender_is_told_and_staff_get_the_request_in_their_queue(orphan, client):
    staff = StaffFactory()
    client.force_login(orphan["sender"])
    page = client.get(reverse("marketplace:opportunity_detail", args=[orphan["offer"].pk]))
    assert NO_MEMBERS in page.content.decode()  # told before sending
    response = client.post(
        reverse("marketplace:interest_create", args=[orphan["offer"].pk]),
        {"organisation": orphan["sender_organisation"].pk, "message": "We want to distribute this in Punjab."},
        follow=True,
    )
    text = response.content.decode()
    assert NO_MEMBERS in text
    assert "The owner is told" not in text
    (held,) = HeldRequest.objects.all()
    assert held.organisation == orphan["organisation"]
    assert held.delivered_at is None
    assert Notification.objects.filter(recipient=staff, kind="request_received").count() == 1
    client.force_login(staff)
    queue = client.get(reverse("directory:held_requests")).content.decode()
    assert "Portable X-ray imaging" in queue
    assert orphan["organisation"].display_name in queue
    # The API says the same to the sender.
    interest = orphan["offer"].interests.get()
    body = client.get(f"/api/v1/interests/{interest.pk}", **_bearer(orphan["sender"])).json()
    assert body["owner_has_members"] is False
    assert body["delivery_note"].startswith(NO_MEMBERS)
    # Not for other users.
    client.force_login(orphan["sender"])
    assert client.get(reverse("directory:held_requests")).status_code == 403
    assert client.get("/api/v1/held-requests", **_bearer(orphan["sender"])).status_code == 403


def test_an_organisation_with_members_holds_nothing(orphan):
    MembershipFactory(organisation=orphan["organisation"])
    _send(orphan)
    assert not HeldRequest.objects.exists()


def test_claim_with_an_address_at_the_domain_makes_an_owner_at_once_and_delivers(orphan, client):
    _send(orphan)
    user = UserFactory(email="li.wei@TIANSHU-imaging.cn")
    client.force_login(user)
    response = client.post(reverse("directory:organisation_claim", args=[orphan["organisation"].key]), {"message": ""})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user, organisation=orphan["organisation"])
    assert membership.role == "owner"
    assert OrganisationClaim.objects.get(user=user).proof == "email_domain"
    (delivered,) = Notification.objects.filter(recipient=user, kind="request_received")
    assert "Portable X-ray imaging" in delivered.title
    assert HeldRequest.objects.get().delivered_at is not None
    # The new owner can answer the interest that waited.
    interest = orphan["offer"].interests.get()
    marketplace.interest_answer(actor=user, interest=interest, accept=True)


@pytest.mark.parametrize(
    "email", ["li@evil-tianshu-imaging.cn", "li@tianshu-imaging.cn.evil.net", "li@gmail.com", "li@qq.com"]
)
def test_look_alike_and_public_mail_domains_wait_for_staff(orphan, email):
    staff = StaffFactory()
    user = UserFactory(email=email)
    claim = services.organisation_claim(actor=user, organisation=orphan["organisation"])
    assert claim.status == "pending"
    assert not Membership.objects.filter(user=user).exists()
    assert Notification.objects.filter(recipient=staff, kind="request_received").exists()


def test_an_unconfirmed_address_proves_nothing(orphan):
    user = UserFactory(email="li@tianshu-imaging.cn", email_verified_at=None)
    assert services.organisation_claim(actor=user, organisation=orphan["organisation"]).status == "pending"


def test_staff_approve_makes_a_member_who_gets_the_waiting_requests(orphan, client):
    _send(orphan)
    staff = StaffFactory()
    user = UserFactory(email="li@gmail.com")
    claim = services.organisation_claim(actor=user, organisation=orphan["organisation"], message="I run sales.")
    client.force_login(staff)
    assert "I run sales." in client.get(reverse("directory:claim_detail", args=[claim.pk])).content.decode()
    response = client.post(reverse("directory:claim_detail", args=[claim.pk]), {"action": "approve", "reason": ""})
    assert response.status_code == 302
    assert Membership.objects.get(user=user, organisation=orphan["organisation"]).role == "owner"
    titles = [n.title for n in Notification.objects.filter(recipient=user).order_by("pk")]
    assert any("Portable X-ray imaging" in title for title in titles)  # the waiting interest
    assert any(orphan["organisation"].display_name in title for title in titles)  # the decision
    assert not HeldRequest.objects.filter(delivered_at__isnull=True).exists()
    client.force_login(staff)
    assert "Portable X-ray imaging" not in client.get(reverse("directory:held_requests")).content.decode()


def test_reject_needs_a_reason_and_tells_the_user(orphan):
    staff = StaffFactory()
    user = UserFactory(email="li@gmail.com")
    claim = services.organisation_claim(actor=user, organisation=orphan["organisation"])
    with pytest.raises(ValidationError) as error:
        services.organisation_claim_decide(actor=staff, claim=claim, approve=False, reason=" ")
    assert "reason" in error.value.message_dict
    assert OrganisationClaim.objects.get(pk=claim.pk).status == "pending"  # nothing half-written
    services.organisation_claim_decide(actor=staff, claim=claim, approve=False, reason="Nobody there knows you.")
    assert not Membership.objects.filter(user=user).exists()
    (told,) = Notification.objects.filter(recipient=user, kind="answer")
    assert "rejected" in told.title
    assert "Nobody there knows you." in told.body


def test_duplicates_and_members_are_refused(orphan, client):
    user = UserFactory(email="li@gmail.com")
    services.organisation_claim(actor=user, organisation=orphan["organisation"])
    with pytest.raises(ValidationError) as error:
        services.organisation_claim(actor=user, organisation=orphan["organisation"])
    assert "organisation" in error.value.message_dict
    response = client.post(
        f"/api/v1/organisations/{orphan['organisation'].key}/claims",
        data={"message": "again"},
        content_type="application/json",
        **_bearer(user),
    )
    assert response.status_code == 422
    assert "already asked" in response.json()["message"] + str(response.json()["errors"])
    assert OrganisationClaim.objects.filter(user=user).count() == 1
    owner = Membership.objects.create(user=UserFactory(), organisation=OrganisationFactory(), role="owner")
    with pytest.raises(ValidationError):
        services.organisation_claim(actor=owner.user, organisation=owner.organisation)


def test_strangers_cannot_see_or_decide_others_claims(orphan, client):
    user = UserFactory(email="li@gmail.com")
    claim = services.organisation_claim(actor=user, organisation=orphan["organisation"])
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("directory:claim_detail", args=[claim.pk])).status_code == 404
    assert client.post(reverse("directory:claim_detail", args=[claim.pk]), {"action": "approve"}).status_code == 404
    assert client.get(f"/api/v1/claims/{claim.pk}", **_bearer(stranger)).status_code == 404
    response = client.post(
        f"/api/v1/claims/{claim.pk}/decision",
        data={"approve": True},
        content_type="application/json",
        **_bearer(stranger),
    )
    assert response.status_code == 404
    assert OrganisationClaim.objects.get(pk=claim.pk).status == "pending"
    assert client.get("/api/v1/claims/to-decide", **_bearer(stranger)).json()["items"] == []
    # The author sees their own.
    assert client.get(f"/api/v1/claims/{claim.pk}", **_bearer(user)).json()["status"] == "pending"


def test_owners_decide_claims_to_an_organisation_with_members(client):
    owner = MembershipFactory(organisation=OrganisationFactory(website="https://potohar.com.pk"))
    staff = StaffFactory()
    user = UserFactory(email="amina@gmail.com")
    response = client.post(
        f"/api/v1/organisations/{owner.organisation.key}/claims",
        data={"message": "Sales, Lahore"},
        content_type="application/json",
        **_bearer(user),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    claim_id = response.json()["id"]
    assert Notification.objects.filter(recipient=owner.user, kind="request_received").exists()
    assert not Notification.objects.filter(recipient=staff).exists()
    response = client.post(
        f"/api/v1/claims/{claim_id}/decision",
        data={"approve": True},
        content_type="application/json",
        **_bearer(owner.user),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert Membership.objects.get(user=user, organisation=owner.organisation).role == "member"


def test_claim_page_and_button(orphan, client):
    user = UserFactory(email="li@gmail.com")
    client.force_login(user)
    detail = client.get(reverse("directory:organisation_detail", args=[orphan["organisation"].key])).content.decode()
    assert reverse("directory:organisation_claim", args=[orphan["organisation"].key]) in detail
    response = client.post(
        reverse("directory:organisation_claim", args=[orphan["organisation"].key]), {"message": "x" * 2001}
    )
    assert response.status_code == 400
    assert not OrganisationClaim.objects.exists()
