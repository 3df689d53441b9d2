"""Findings 4 and 5 of issue 9: one atomic login throttle on every password check, with progressive
delays per account, per account and client, and per client (the client taken from a trusted proxy
header only when one is configured), lifted by a completed password reset."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.db.models import F
from django.test import Client
from django.urls import reverse

from silkbridge.accounts.models import LoginThrottle
from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"
PROXY = "10.0.0.2"
THROTTLED = "Too many failed sign-in attempts"
WRONG = "The e-mail address or the password is wrong."


@pytest.fixture(autouse=True)
def _long_delays(settings):
    # A minute for the first delay: no test depends on how fast the machine checks passwords.
    settings.LOGIN_DELAY_BASE_SECONDS = 60


def _site_login(client, email, password, address=ATTACKER, **headers):
    return client.post(
        reverse("accounts:login"), {"email": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def _admin_login(client, email, password, address=ATTACKER):
    return client.post(
        reverse("admin:login"), {"username": email, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def test_admin_login_refuses_the_right_password_after_twenty_wrong_ones(client):
    staff = StaffFactory()
    for _ in range(20):
        assert _admin_login(client, staff.email, "wrong-password").status_code == 200
    response = _admin_login(client, staff.email, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert THROTTLED in page
    assert "You may try again in 1 minute" in page
    # The admin and the site share one throttle: the site refuses the right password too.
    response = _site_login(client, staff.email, PASSWORD)
    assert THROTTLED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_only_the_free_failures_are_checked_and_refused_attempts_earn_no_longer_delay(client):
    user = UserFactory()
    answers = [_site_login(client, user.email, "wrong-password").content.decode() for _ in range(8)]
    assert [WRONG in answer for answer in answers] == [True] * 5 + [False] * 3
    assert all(THROTTLED in answer for answer in answers[5:])
    pair = LoginThrottle.objects.get(key=f"account-client:{user.email}|{ATTACKER}")
    assert pair.failures == 5  # the three refused attempts were never checked, so never counted


def test_the_delay_is_a_wait_not_a_lock_and_doubles_with_each_further_failure(client):
    user = UserFactory()
    for _ in range(5):
        _site_login(client, user.email, "wrong-password")
    key = f"account-client:{user.email}|{ATTACKER}"
    # The first delay (60 s) has passed: one more password is checked, and the next wait is 2 minutes.
    LoginThrottle.objects.filter(key=key).update(last_failure_at=F("last_failure_at") - timedelta(seconds=61))
    assert WRONG in _site_login(client, user.email, "wrong-password").content.decode()
    assert "You may try again in 2 minutes" in _site_login(client, user.email, PASSWORD).content.decode()
    LoginThrottle.objects.filter(key=key).update(last_failure_at=F("last_failure_at") - timedelta(seconds=121))
    response = _site_login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    # Signing in clears what this account earned, so its next typo is checked at once.
    assert not LoginThrottle.objects.filter(key=key, failures__gt=0).exists()


def test_a_trickle_of_failures_from_one_client_does_not_keep_the_owner_out(client):
    user = UserFactory()
    for _ in range(12):
        _site_login(client, user.email, "wrong-password", address=ATTACKER)
    assert THROTTLED in _site_login(client, user.email, PASSWORD, address=ATTACKER).content.decode()
    owner = Client()
    response = _site_login(owner, user.email, PASSWORD, address=OWNER)
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(user.pk)


def test_on_a_dual_stack_server_ipv4_clients_are_counted_one_by_one(client):
    # Behind gunicorn bound to [::], IPv4 clients arrive as ::ffff:a.b.c.d; one /64 would hold them all.
    bystander = UserFactory()
    for number in range(40):  # one failure on each of 40 accounts: the attacker's client is delayed
        _site_login(client, f"guess{number}@example.org", "wrong-password", address=f"::ffff:{ATTACKER}")
    assert THROTTLED in _site_login(client, bystander.email, PASSWORD, address=f"::ffff:{ATTACKER}").content.decode()
    response = _site_login(Client(), bystander.email, PASSWORD, address=f"::ffff:{OWNER}")
    assert response.status_code == 302


def test_failures_from_many_clients_delay_the_account_for_everyone_but_only_briefly(client, settings):
    user = UserFactory()
    for number in range(20):
        _site_login(Client(), user.email, "wrong-password", address=f"192.0.2.{number + 1}")
    response = _site_login(Client(), user.email, PASSWORD, address=OWNER)
    assert THROTTLED in response.content.decode()
    row = LoginThrottle.objects.get(key=f"account:{user.email}")
    assert row.failures == 20
    # However many failures pile up, the account-wide wait is capped (60 s by default).
    LoginThrottle.objects.filter(pk=row.pk).update(failures=500)
    assert (
        "You may try again in 1 minute" in _site_login(Client(), user.email, PASSWORD, address=OWNER).content.decode()
    )


def test_a_completed_password_reset_lifts_the_delay(client):
    user = UserFactory()
    for _ in range(25):
        _site_login(client, user.email, "wrong-password")
    assert THROTTLED in _site_login(client, user.email, PASSWORD).content.decode()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"http://\S+/accounts/password/reset/\S+/\S+/", mail.outbox[-1].body).group(0)
    form_page = client.get(link.split("127.0.0.1:8000", 1)[-1].split("testserver", 1)[-1], follow=True)
    new_password = "a-brand-new-passphrase-7"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    response = _site_login(client, user.email, new_password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_without_a_configured_proxy_header_forwarded_addresses_are_ignored(client, settings):
    settings.LOGIN_FREE_FAILURES_PER_CLIENT = 6
    users = UserFactory.create_batch(7)
    for number, user in enumerate(users[:6]):
        _site_login(client, user.email, "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{number + 1}")
    # Six failures from one address on six accounts: a forged header changes nothing, the next try waits.
    response = _site_login(client, users[6].email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert THROTTLED in response.content.decode()


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(client, settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_FREE_FAILURES_PER_CLIENT = 6
    users = UserFactory.create_batch(7)
    for user in users[:6]:
        # What the attacker puts in the header itself is not trusted: only the address the proxy appended.
        _site_login(client, user.email, "wrong-password", address=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}")
    spray = _site_login(client, users[6].email, PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert THROTTLED in spray.content.decode()
    assert LoginThrottle.objects.get(key=f"client:{ATTACKER}").failures == 6
    someone_else = Client()
    response = _site_login(someone_else, users[6].email, PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=OWNER)
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(key=f"client:{PROXY}").exists()


def test_the_wait_is_said_in_the_users_language(client):
    user = UserFactory()
    for _ in range(6):
        response = _site_login(client, user.email, "wrong-password", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.real_password_hasher  # the hasher's slowness is what the race exploited
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_are_checked_no_more_often_than_allowed():
    """100 concurrent wrong passwords on one account were all checked; now exactly the free five are."""
    from silkbridge.conftest import reference_data_load

    user = UserFactory()
    answers: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(20)

    def attempt() -> None:
        try:
            start.wait(timeout=30)
            answer = _site_login(Client(), user.email, "wrong-password").content.decode()
        finally:
            connections.close_all()
        with lock:
            answers.append("checked" if WRONG in answer else "refused" if THROTTLED in answer else answer)

    try:
        if connection.vendor == "postgresql":
            threads = [threading.Thread(target=attempt) for _ in range(20)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        else:  # SQLite serialises writers; the same count holds one after another
            start = threading.Barrier(1)
            for _ in range(20):
                attempt()
        assert sorted(answers) == ["checked"] * 5 + ["refused"] * 15
        assert LoginThrottle.objects.get(key=f"account-client:{user.email}|{ATTACKER}").failures == 5
        assert LoginThrottle.objects.get(key=f"account:{user.email}").failures == 5
    finally:
        reference_data_load()  # a transactional test empties every table; put back what others read
