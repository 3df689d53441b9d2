"""Creating, editing and verifying organisations, and managing members, from the pages."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory.models import Membership, Organisation
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "company",
    "name_en": "Margalla Robotics",
    "name_local": "",
    "language": "en",
    "country": "PK",
    "city": "Islamabad",
    "website": "",
    "size_band": "11-50",
    "founded_year": "2020",
    "sectors": ["robotics.service"],
    "technologies": "",
    "description": "Service robots for hospitals.",
    "visibility": "public",
}


def test_a_member_creates_an_organisation_and_becomes_its_owner(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("directory:organisation_create"), FORM)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name_en="Margalla Robotics")
    assert organisation.is_verified is False
    assert Membership.objects.get(organisation=organisation).role == "owner"
    assert list(organisation.sectors.values_list("code", flat=True)) == ["robotics.service"]


def test_a_technology_the_glossary_does_not_know_is_kept_as_a_keyword_shown_searched_and_given_back(client):
    """Issue 13: an unknown word is kept as a free keyword, never refused; a known one stays a concept."""
    client.force_login(UserFactory())
    response = client.post(
        reverse("directory:organisation_create"),
        {**FORM, "technologies": "machine vision inspection, 卫星遥感反演, warp drive"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name_en="Margalla Robotics")
    assert organisation.keywords == ["卫星遥感反演", "warp drive"]
    assert list(organisation.concepts.values_list("code", flat=True)) == ["machine_vision_inspection"]
    page = client.get(reverse("directory:organisation_detail", args=[organisation.key])).content.decode()
    assert "<bdi>warp drive</bdi>" in page
    assert " warp " in organisation.search_document
    edit = client.get(reverse("directory:organisation_edit", args=[organisation.key]))
    assert "warp drive" in edit.context["form"].initial["technologies"]
    assert "卫星遥感反演" in edit.context["form"].initial["technologies"]


def test_more_keywords_than_allowed_are_refused_beside_the_field_and_nothing_is_saved(client):
    client.force_login(UserFactory())
    words = ", ".join(f"unheard-of method {number}" for number in range(21))
    response = client.post(reverse("directory:organisation_create"), {**FORM, "technologies": words})
    assert response.status_code == 200
    assert "At most 20 keywords." in response.context["form"].errors["technologies"]
    assert not Organisation.objects.filter(name_en="Margalla Robotics").exists()


def test_owner_edits_and_the_search_text_follows(client):
    organisation = OrganisationFactory(key="pk-edit-me", description="Old text")
    owner = MembershipFactory(organisation=organisation).user
    client.force_login(owner)
    data = {**FORM, "name_en": organisation.name_en, "description": "Hydroponic greenhouse sensors"}
    response = client.post(reverse("directory:organisation_edit", args=["pk-edit-me"]), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert " hydroponic " in organisation.search_document
    assert " old " not in organisation.search_document


def test_staff_verify_and_withdraw(client):
    OrganisationFactory(key="pk-verify-page")
    staff = StaffFactory()
    client.force_login(staff)
    client.post(reverse("directory:organisation_verify", args=["pk-verify-page"]), {"verified": "yes"})
    organisation = Organisation.objects.get(key="pk-verify-page")
    assert organisation.is_verified
    assert organisation.verified_by == staff
    client.post(reverse("directory:organisation_verify", args=["pk-verify-page"]), {"verified": "no"})
    organisation.refresh_from_db()
    assert not organisation.is_verified
    assert organisation.verified_by is None


def test_members_cannot_verify(client):
    OrganisationFactory(key="pk-no-verify")
    client.force_login(UserFactory())
    client.post(reverse("directory:organisation_verify", args=["pk-no-verify"]), {"verified": "yes"})
    assert not Organisation.objects.get(key="pk-no-verify").is_verified


def test_owner_adds_and_removes_members_but_not_the_last_owner(client, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(key="pk-team")
    owner_membership = MembershipFactory(organisation=organisation, role="owner")
    colleague = UserFactory(email="colleague@example.org")
    client.force_login(owner_membership.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:organisation_members", args=["pk-team"]),
            {"email": "Colleague@example.org", "role": "member"},
        )
    # Members join by accepting the invitation that was e-mailed to them.
    link = re.search(r"http://\S+/directory/invitations/\S+/accept/", mail.outbox[-1].body).group(0)
    colleague_client = Client()
    colleague_client.force_login(colleague)
    colleague_client.post(link.replace("http://127.0.0.1:8000", ""))
    membership = Membership.objects.get(organisation=organisation, user=colleague)
    client.post(reverse("directory:membership_remove", args=["pk-team", membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    client.post(reverse("directory:membership_remove", args=["pk-team", owner_membership.pk]))
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


def test_directory_list_paginates_and_keeps_the_filters(client):
    response = client.get(reverse("directory:organisation_list"), {"country": "CN"})
    page = response.context["page"]
    assert all(organisation.country == "CN" for organisation in page.object_list)
    if page.has_next():
        assert "country=CN" in response.content.decode()


def test_directory_list_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(reverse("directory:organisation_list"), {"q": "AI"})
