"""The verified badge belongs to the identity staff checked (issue 9, finding 9).

An owner's change to a name, the country or the website clears verification and puts the
organisation back in staff's queue; every verification and identity change is kept in the
organisation's history, which staff read on its page and in the admin.
"""

import json

import pytest
from django.urls import reverse

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory
from silkbridge.directory import selectors, services
from silkbridge.directory.models import Organisation, OrganisationEvent
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _patch(client, key, payload, user):
    _, secret = api_token_create(user=user, name="tests")
    return client.patch(
        f"/api/v1/organisations/{key}",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


@pytest.fixture
def verified():
    organisation = OrganisationFactory(key="pk-verified", name_en="Potohar Agritech", country="PK", city="Rawalpindi")
    owner = MembershipFactory(organisation=organisation, role="owner").user
    staff = StaffFactory()
    services.organisation_verify(actor=staff, organisation=organisation)
    organisation.refresh_from_db()
    return organisation, owner, staff


@pytest.mark.parametrize(
    ("change", "before"),
    [
        ({"name_en": "Potohar Holdings"}, "Potohar Agritech"),
        ({"country": "CN"}, "PK"),
        ({"website": "https://potohar-holdings.example"}, ""),
    ],
)
def test_an_owner_changing_an_identity_field_clears_verification_and_requeues(client, verified, change, before):
    organisation, owner, _ = verified
    assert organisation.is_verified
    assert organisation not in selectors.verification_queue()

    response = _patch(client, organisation.key, change, owner)

    assert response.status_code == 200
    assert response.json()["is_verified"] is False
    organisation.refresh_from_db()
    assert (organisation.is_verified, organisation.verified_at, organisation.verified_by) == (False, None, None)
    assert list(selectors.verification_queue()) == [organisation]
    entry = OrganisationEvent.objects.filter(organisation=organisation).first()
    (field,) = change
    assert (entry.kind, entry.actor, entry.changes) == ("verification_cleared", owner, {field: [before, change[field]]})


def test_describing_fields_keep_the_badge(client, verified):
    organisation, owner, _ = verified
    response = _patch(client, organisation.key, {"city": "Multan", "description": "Drip irrigation."}, owner)
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.is_verified
    history = OrganisationEvent.objects.filter(organisation=organisation)
    assert list(history.values_list("kind", "actor", "changes")) == [
        ("updated", owner.pk, {"fields": ["city", "description"]}),
        ("verified", history.last().actor_id, {}),
    ]


def test_a_staff_edit_is_recorded_but_keeps_the_badge(client, verified):
    organisation, _, staff = verified
    assert _patch(client, organisation.key, {"name_local": "پوٹھوہار ایگریٹیک"}, staff).status_code == 200
    organisation.refresh_from_db()
    assert organisation.is_verified
    entry = OrganisationEvent.objects.filter(organisation=organisation).first()
    assert (entry.kind, entry.actor, entry.changes) == (
        "identity_changed",
        staff,
        {"name_local": ["", "پوٹھوہار ایگریٹیک"]},
    )


def test_the_edit_page_says_the_badge_went_and_staff_see_the_history(client, verified):
    organisation, owner, staff = verified
    client.force_login(owner)
    form = {
        "kind": organisation.kind,
        "name_en": "Potohar Holdings",
        "name_local": "",
        "language": "en",
        "country": "PK",
        "city": "Rawalpindi",
        "website": "",
        "size_band": "",
        "founded_year": "",
        "sectors": [],
        "technologies": "",
        "description": "",
        "visibility": "public",
    }
    response = client.post(reverse("directory:organisation_edit", args=[organisation.key]), form, follow=True)
    page = response.content.decode()
    assert "no longer marked as verified" in page
    assert 'id="history"' in page  # owners see their organisation's history, as staff do
    assert "Name, country or website changed; verification cleared" in page
    other_member = MembershipFactory(organisation=organisation, role="member").user
    client.force_login(other_member)
    page = client.get(reverse("directory:organisation_detail", args=[organisation.key])).content.decode()
    assert 'id="history"' not in page  # a member who is not an owner does not

    client.force_login(staff)
    page = client.get(reverse("directory:organisation_detail", args=[organisation.key])).content.decode()
    assert 'id="history"' in page
    assert "Name, country or website changed; verification cleared" in page
    assert "Potohar Agritech</bdi> → <bdi>Potohar Holdings" in page
    assert owner.email in page
    assert "Verified by staff" in page

    client.post(reverse("directory:organisation_verify", args=[organisation.key]), {"verified": "yes"})
    organisation.refresh_from_db()
    assert organisation.is_verified
    assert organisation.verification_requested_at is None
    assert list(selectors.verification_queue()) == []
    kinds = list(OrganisationEvent.objects.filter(organisation=organisation).values_list("kind", flat=True))
    assert kinds == ["verified", "verification_cleared", "verified"]


def test_a_refused_edit_writes_no_history_and_keeps_the_badge(client, verified):
    organisation, owner, _ = verified
    response = _patch(client, organisation.key, {"name_en": "Potohar Holdings", "country": "XX"}, owner)
    assert response.status_code == 422
    organisation.refresh_from_db()
    assert (organisation.is_verified, organisation.name_en) == (True, "Potohar Agritech")
    assert OrganisationEvent.objects.filter(organisation=organisation).count() == 1


def test_staff_see_the_queue_in_the_admin(client, verified):
    organisation, owner, staff = verified
    _patch(client, organisation.key, {"name_en": "Potohar Holdings"}, owner)
    client.force_login(staff)
    response = client.get(reverse("admin:directory_organisation_changelist"), {"queue": "waiting"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [Organisation.objects.get(pk=organisation.pk)]
    change = client.get(reverse("admin:directory_organisation_change", args=[organisation.pk])).content.decode()
    assert "Name, country or website changed; verification cleared" in change
    entry = OrganisationEvent.objects.filter(organisation=organisation).first()
    assert client.get(reverse("admin:directory_organisationevent_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:directory_organisationevent_add")).status_code == 403
