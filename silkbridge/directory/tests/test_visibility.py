"""A private organisation appears in no page, API answer or search result for outsiders."""

import pytest
from django.urls import reverse

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory.models import Contact
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_organisation():
    organisation = OrganisationFactory(
        key="pk-secret-lab",
        name_en="Secret Quantum Lab",
        visibility="private",
        description="Confidential quantum sensing work.",
    )
    Contact.objects.create(organisation=organisation, name="Hidden Person", email="hidden@example.org", is_public=True)
    return organisation


@pytest.fixture
def members_organisation():
    return OrganisationFactory(key="pk-members-only", name_en="Members Only Robotics", visibility="members")


def _api_keys(client, **headers):
    response = client.get("/api/v1/organisations", {"q": "", "page_size": 100}, **headers)
    assert response.status_code == 200
    keys = {item["key"] for item in response.json()["items"]}
    pages = response.json()["pages"]
    for number in range(2, pages + 1):
        more = client.get("/api/v1/organisations", {"page_size": 100, "page": number}, **headers).json()
        keys |= {item["key"] for item in more["items"]}
    return keys


def test_anonymous_visitors_see_only_public_organisations(client, private_organisation, members_organisation):
    listing = client.get(reverse("directory:organisation_list"), {"q": "Secret Quantum"})
    assert "Secret Quantum Lab" not in listing.content.decode()
    assert client.get(reverse("directory:organisation_detail", args=["pk-secret-lab"])).status_code == 404
    assert client.get(reverse("directory:organisation_detail", args=["pk-members-only"])).status_code == 404
    keys = _api_keys(client)
    assert "pk-secret-lab" not in keys
    assert "pk-members-only" not in keys
    assert client.get("/api/v1/organisations/pk-secret-lab").status_code == 404
    searched = client.get("/api/v1/organisations", {"q": "quantum sensing"}).json()
    assert all(item["key"] != "pk-secret-lab" for item in searched["items"])


def test_signed_in_outsiders_see_members_only_but_not_private(client, private_organisation, members_organisation):
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(reverse("directory:organisation_detail", args=["pk-members-only"])).status_code == 200
    assert client.get(reverse("directory:organisation_detail", args=["pk-secret-lab"])).status_code == 404
    listing = client.get(reverse("directory:organisation_list"), {"q": "quantum"})
    assert "Secret Quantum Lab" not in listing.content.decode()
    _, secret = api_token_create(user=outsider, name="t")
    keys = _api_keys(client, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert "pk-members-only" in keys
    assert "pk-secret-lab" not in keys


def test_members_and_staff_see_the_private_organisation(client, private_organisation):
    member = MembershipFactory(organisation=private_organisation, role="member").user
    client.force_login(member)
    page = client.get(reverse("directory:organisation_detail", args=["pk-secret-lab"]))
    assert page.status_code == 200
    assert "Hidden Person" in page.content.decode()
    client.force_login(StaffFactory())
    assert client.get("/api/v1/organisations/pk-secret-lab").status_code == 200
    assert "pk-secret-lab" in {
        item["key"] for item in client.get("/api/v1/organisations", {"q": "quantum"}).json()["items"]
    }


def test_contacts_need_sign_in_and_non_public_ones_stay_inside(client):
    organisation = OrganisationFactory(key="pk-contacts")
    Contact.objects.create(organisation=organisation, name="Public Person", is_public=True)
    Contact.objects.create(organisation=organisation, name="Internal Person", is_public=False)
    anonymous = client.get(reverse("directory:organisation_detail", args=["pk-contacts"])).content.decode()
    assert "Public Person" not in anonymous
    client.force_login(UserFactory())
    signed_in = client.get(reverse("directory:organisation_detail", args=["pk-contacts"])).content.decode()
    assert "Public Person" in signed_in
    assert "Internal Person" not in signed_in
    api = client.get("/api/v1/organisations/pk-contacts").json()
    assert [contact["name"] for contact in api["contacts"]] == ["Public Person"]
