"""E-mail goes out through a task: queued after the commit, retried while the mail server refuses, and
a refusal never turns the user's committed change into an error page."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from silkbridge.accounts.models import User
from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from silkbridge.core.mail import MAIL_NOT_SENT, mail_send, send_after_commit
from silkbridge.core.models import Run

pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    """Django's in-memory outbox behind a mail server that refuses the first `refusals` messages."""

    refusals = 0
    tries = 0

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        type(self).tries += 1
        if type(self).refusals > 0:
            type(self).refusals -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.tries = 0

    def refuse(times: int) -> type[RefusingBackend]:
        RefusingBackend.refusals = times
        return RefusingBackend

    return refuse


def _send_to(user, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_after_commit(users=[user], template="accounts/email/verify_email.txt", context={"link": "https://x"})


def test_a_message_refused_twice_is_sent_on_the_third_try(refusing, django_capture_on_commit_callbacks):
    refusing(2)
    user = UserFactory(email="amina@example.org")
    _send_to(user, django_capture_on_commit_callbacks)
    assert RefusingBackend.tries == 3
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]


def test_a_message_refused_every_time_is_given_up_after_four_tries_and_recorded(refusing, caplog):
    refusing(10)
    result = mail_send.enqueue(recipient="amina@example.org", subject="Hello", body="Text\n")
    assert RefusingBackend.tries == 4
    assert mail.outbox == []
    assert result.return_value == {"status": "retrying", "attempt": 1, "error": "Connection unexpectedly closed"}
    assert "E-mail to amina@example.org not sent after 4 attempts" in caplog.text


def test_a_message_given_up_is_a_failed_run_that_staff_see_in_the_admin(refusing, client):
    refusing(10)
    mail_send.enqueue(recipient="amina@example.org", subject="Your meeting was accepted", body="Text\n")
    [run] = Run.objects.filter(kind="core.mail")
    assert (run.status, run.error, run.attempts, run.created_by) == ("failed", MAIL_NOT_SENT, 4, None)
    assert run.result == {
        "recipient": "amina@example.org",
        "subject": "Your meeting was accepted",
        "attempts": 4,
        "error": "Connection unexpectedly closed",
    }
    assert run.finished_at is not None
    client.force_login(StaffFactory())
    listing = client.get("/admin/core/run/?kind=core.mail&status=failed")
    assert listing.status_code == 200
    assert MAIL_NOT_SENT in listing.content.decode()
    page = client.get(f"/admin/core/run/{run.pk}/change/")
    assert page.status_code == 200
    assert "amina@example.org" in page.content.decode()
    assert "Your meeting was accepted" in page.content.decode()


def test_a_message_sent_after_a_refusal_leaves_no_failed_run(refusing):
    refusing(1)
    assert mail_send.enqueue(recipient="amina@example.org", subject="Hello", body="Text\n").return_value == {
        "status": "retrying",
        "attempt": 1,
        "error": "Connection unexpectedly closed",
    }
    assert len(mail.outbox) == 1
    assert not Run.objects.filter(kind="core.mail").exists()


def test_a_worker_backend_gets_the_message_after_the_commit_and_retries_later(
    settings, refusing, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    user = UserFactory(email="amina@example.org")
    with transaction.atomic():
        with django_capture_on_commit_callbacks() as callbacks:
            send_after_commit(users=[user], template="accounts/email/verify_email.txt", context={"link": "https://x"})
        assert default_task_backend.results == []  # nothing queued before the commit
    for callback in callbacks:
        callback()
    [queued] = default_task_backend.results
    assert queued.task.name == "mail_send"
    assert queued.kwargs["recipient"] == "amina@example.org"
    assert mail.outbox == []  # the request sent nothing itself

    refusing(1)
    queued.task.call(**queued.kwargs)  # the worker's first try is refused
    retry = default_task_backend.results[-1]
    assert retry.kwargs["attempt"] == 2
    assert timedelta(seconds=25) < retry.task.run_after - timezone.now() <= timedelta(seconds=30)
    assert retry.task.call(**retry.kwargs) == {"status": "sent", "attempts": 2}
    assert len(mail.outbox) == 1


def test_a_refusing_mail_server_never_turns_a_sign_up_into_an_error_page(
    client, refusing, django_capture_on_commit_callbacks
):
    refusing(10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {
                "full_name": "Amina Khan",
                "email": "amina@example.org",
                "password": PASSWORD,
                "password_again": PASSWORD,
                "language": "en",
                "time_zone": "Asia/Karachi",
            },
        )
    assert response.status_code == 200
    assert User.objects.filter(email="amina@example.org").exists()
    assert RefusingBackend.tries == 4
    assert mail.outbox == []
