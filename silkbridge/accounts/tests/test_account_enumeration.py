"""Item 13 of issue 9: sign-up and adding a member must not reveal which e-mail addresses have accounts.

Sign-up with a taken address answers exactly as with a new one and e-mails the owner instead;
adding a member sends an invitation, with the same answer and the same e-mail either way."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from silkbridge.accounts.models import User
from silkbridge.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from silkbridge.directory.models import Membership, MembershipInvitation
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

INVITATION_LINK = re.compile(r"http://\S+/directory/invitations/(\S+)/accept/")
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _shown(response, *addresses: str) -> str:
    """The page as a person sees it, with the address typed in and the per-request CSRF token blanked."""
    page = CSRF_TOKEN.sub("", response.content.decode())
    for address in addresses:
        page = page.replace(address, "ADDRESS")
    return page


@pytest.fixture
def signup(django_capture_on_commit_callbacks):
    def post(email: str, password: str = "another-long-passphrase-3"):
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                reverse("accounts:signup"),
                {
                    "full_name": "Someone Else",
                    "email": email,
                    "password": password,
                    "password_again": password,
                    "language": "en",
                    "time_zone": "Asia/Karachi",
                },
            )

    return post


def test_signup_with_a_taken_address_answers_as_a_new_one_and_tells_the_owner(signup):
    owner = UserFactory(email="taken@example.org", full_name="Li Wei", language="zh-hans")
    new = signup("fresh@example.org")
    taken = signup("Taken@example.org")
    assert (taken.status_code, new.status_code) == (200, 200)
    assert [template.name for template in taken.templates] == [template.name for template in new.templates]
    assert _shown(taken, "Taken@example.org") == _shown(new, "fresh@example.org")
    # Nothing changed in the owner's account, and no second account was made.
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert owner.full_name == "Li Wei"
    # The owner is told, in their own language, with the ways in; the newcomer gets the usual link.
    assert [message.to for message in mail.outbox] == [["fresh@example.org"], ["taken@example.org"]]
    notice = mail.outbox[1]
    assert notice.subject == "有人尝试用您的地址注册 Silkbridge"
    assert "/accounts/login/" in notice.body
    assert "/accounts/password/reset/" in notice.body
    assert "/accounts/verify/" not in notice.body


def test_signup_still_names_the_errors_of_the_other_fields_for_a_taken_address(signup):
    UserFactory(email="taken@example.org")
    response = signup("taken@example.org", password="short")
    assert "password" in response.context["form"].errors
    assert "email" not in response.context["form"].errors
    assert mail.outbox == []


def _invite(client: Client, organisation, email: str, capture):
    with capture(execute=True):
        return client.post(
            reverse("directory:organisation_members", args=[organisation.key]),
            {"email": email, "role": "member"},
            follow=True,
        )


def test_inviting_an_address_answers_the_same_whether_or_not_it_has_an_account(
    client, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(key="pk-invites")
    owner = MembershipFactory(organisation=organisation, role="owner").user
    registered = UserFactory(email="registered@example.org", language="en")
    client.force_login(owner)
    with_account = _invite(client, organisation, "registered@example.org", django_capture_on_commit_callbacks)
    without_account = _invite(client, organisation, "nobody@example.org", django_capture_on_commit_callbacks)

    assert with_account.status_code == without_account.status_code == 200
    messages = [str(message) for message in with_account.context["messages"]]
    assert messages == [
        "An invitation is on its way to registered@example.org. It is accepted by signing in with that address."
    ]
    # The page lists both as invitations; nothing tells one kind of address from the other.
    assert "registered@example.org" in without_account.content.decode()
    assert "nobody@example.org" in without_account.content.decode()
    assert not Membership.objects.filter(organisation=organisation, user=registered).exists()
    first, second = mail.outbox
    assert first.to == ["registered@example.org"]
    assert second.to == ["nobody@example.org"]
    assert first.subject == second.subject
    assert INVITATION_LINK.sub("LINK", first.body) == INVITATION_LINK.sub("LINK", second.body)


def test_an_invitation_is_accepted_only_by_the_invited_address(client, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(key="pk-accept")
    client.force_login(MembershipFactory(organisation=organisation, role="owner").user)
    invited = UserFactory(email="invited@example.org")
    _invite(client, organisation, "invited@example.org", django_capture_on_commit_callbacks)
    path = INVITATION_LINK.search(mail.outbox[-1].body).group(0).replace("http://127.0.0.1:8000", "")

    stranger = Client()
    stranger.force_login(UserFactory(email="stranger@example.org"))
    refused = stranger.post(path, follow=True)
    assert "sign in with that address to accept it" in refused.content.decode()
    assert Membership.objects.filter(organisation=organisation).count() == 1  # the owner alone

    invitee = Client()
    invitee.force_login(invited)
    assert invitee.get(path).status_code == 200
    assert Membership.objects.filter(organisation=organisation, user=invited).count() == 0  # a GET changes nothing
    accepted = invitee.post(path)
    assert accepted.status_code == 302
    assert Membership.objects.get(organisation=organisation, user=invited).role == "member"
    # The link works once.
    assert invitee.post(path).status_code == 404
    assert Membership.objects.filter(organisation=organisation, user=invited).count() == 1


def test_someone_without_an_account_signs_up_then_accepts(client, signup, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(key="pk-newcomer")
    client.force_login(MembershipFactory(organisation=organisation, role="owner").user)
    _invite(client, organisation, "newcomer@example.org", django_capture_on_commit_callbacks)
    path = INVITATION_LINK.search(mail.outbox[-1].body).group(0).replace("http://127.0.0.1:8000", "")
    signup("newcomer@example.org")
    newcomer = User.objects.get(email="newcomer@example.org")
    newcomer_client = Client()
    newcomer_client.force_login(newcomer)
    # Not before the address is confirmed: the invitation is for the address's owner.
    newcomer_client.post(path)
    assert not Membership.objects.filter(organisation=organisation, user=newcomer).exists()
    verify = re.search(r"http://\S+/accounts/verify/\S+/", mail.outbox[-1].body).group(0)
    newcomer_client.get(verify.replace("http://127.0.0.1:8000", ""))
    assert newcomer_client.post(path).status_code == 302
    assert Membership.objects.filter(organisation=organisation, user=newcomer).exists()


def test_inviting_again_replaces_the_earlier_link(client, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(key="pk-again")
    client.force_login(MembershipFactory(organisation=organisation, role="owner").user)
    invited = UserFactory(email="again@example.org")
    _invite(client, organisation, "again@example.org", django_capture_on_commit_callbacks)
    old = INVITATION_LINK.search(mail.outbox[-1].body).group(0).replace("http://127.0.0.1:8000", "")
    _invite(client, organisation, "AGAIN@example.org", django_capture_on_commit_callbacks)
    new = INVITATION_LINK.search(mail.outbox[-1].body).group(0).replace("http://127.0.0.1:8000", "")
    assert MembershipInvitation.objects.filter(organisation=organisation, accepted_at__isnull=True).count() == 1
    invitee = Client()
    invitee.force_login(invited)
    assert invitee.post(old).status_code == 404
    assert invitee.post(new).status_code == 302
