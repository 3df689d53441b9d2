import re

import pytest
from django.core import mail
from django.urls import reverse

from silkbridge.accounts.models import ApiToken, LoginThrottle, User
from silkbridge.accounts.services import api_token_authenticate, api_token_create
from silkbridge.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks):
    """Post the sign-up form; the e-mail goes out after the commit, which tests must run themselves."""

    def post(email="amina@example.org", language="ur"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("accounts:signup"),
                {
                    "full_name": "Amina Khan",
                    "email": email,
                    "password": PASSWORD,
                    "password_again": PASSWORD,
                    "language": language,
                    "time_zone": "Asia/Karachi",
                },
            )

    return post


def _link_in_last_mail() -> str:
    match = re.search(r"http://\S+/accounts/verify/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0).replace("http://127.0.0.1:8000", "")


def test_signup_sends_a_verification_link_in_the_users_language_and_login_waits_for_it(client, signup):
    response = signup()
    assert response.status_code == 200
    user = User.objects.get(email="amina@example.org")
    assert user.email_verified_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "Silkbridge" in mail.outbox[0].subject
    assert not mail.outbox[0].subject.startswith("Confirm your e-mail")  # written in Urdu, not English

    refused = client.post(reverse("accounts:login"), {"email": "amina@example.org", "password": PASSWORD})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session

    verified = client.get(_link_in_last_mail())
    assert verified.status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is not None

    response = client.post(reverse("accounts:login"), {"email": "AMINA@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_tampered_verification_link_verifies_nothing(client, signup):
    signup()
    link = _link_in_last_mail()
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert User.objects.get(email="amina@example.org").email_verified_at is None


def test_signup_names_the_field_of_each_error_and_creates_nothing(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "X",
            "email": "taken@example.org",
            "password": "short",
            "password_again": "other",
            "language": "en",
            "time_zone": "Asia/Karachi",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "password_again" in form.errors
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert mail.outbox == []


def test_duplicate_email_in_other_case_creates_no_second_account(client, signup):
    UserFactory(email="taken@example.org")
    response = signup(email="TAKEN@example.org")
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_login_is_throttled_after_repeated_failures_even_with_the_right_password(client, settings):
    settings.LOGIN_FREE_FAILURES = 3
    settings.LOGIN_DELAY_BASE_SECONDS = 60
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("accounts:login"), {"email": user.email, "password": "wrong-password"})
    assert LoginThrottle.objects.get(key=f"account:{user.email}").failures == 3
    response = client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_a_successful_login_clears_earlier_failures(client):
    user = UserFactory()
    client.post(reverse("accounts:login"), {"email": user.email, "password": "wrong-password"})
    client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert not LoginThrottle.objects.filter(email=user.email, failures__gt=0).exists()


def test_login_does_not_redirect_to_another_site(client):
    user = UserFactory()
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/", {"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:my_silkbridge")


def test_password_reset_by_email_link(client):
    user = UserFactory()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]  # the site's own address (SITE_URL), not the request's Host
    form_page = client.get(path, follow=True)
    new_password = "a-brand-new-passphrase-7"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert response.status_code == 200
    assert mail.outbox == []


def test_language_choice_is_remembered_on_the_account(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post(reverse("core:language_switch"), {"language": "zh-hans", "next": "/directory/"})
    user.refresh_from_db()
    assert user.language == "zh-hans"
    # A new browser without the cookie still gets Chinese once signed in.
    other_browser = type(client)()
    other_browser.force_login(user)
    response = other_browser.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="zh-Hans"' in response.content.decode()


def test_preferences_page_saves_language_and_time_zone(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:preferences"), {"full_name": "Li Wei", "language": "zh-hans", "time_zone": "Asia/Shanghai"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.language, user.time_zone) == ("Li Wei", "zh-hans", "Asia/Shanghai")


def test_api_tokens_are_stored_hashed_and_shown_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": "CRM sync"})
    secret = response.context["new_secret"]
    assert secret.startswith("sb_")
    token = ApiToken.objects.get(user=user)
    assert secret not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()
    assert api_token_authenticate(secret=secret) == user


def test_revoked_and_expired_tokens_authenticate_nobody(client):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="script")
    client.force_login(user)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api_token_authenticate(secret=secret) is None
    assert api_token_authenticate(secret="sb_" + "x" * 43) is None
    assert api_token_authenticate(secret="not-a-token") is None


def test_another_users_token_cannot_be_revoked(client):
    owner = UserFactory()
    token, secret = api_token_create(user=owner, name="script")
    client.force_login(UserFactory())
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api_token_authenticate(secret=secret) == owner
