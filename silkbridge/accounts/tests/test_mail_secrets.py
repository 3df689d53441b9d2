"""No secret sits in the task queue: a password-reset or verification message is queued as the user's
id, and the worker makes the token and the link when it sends it. Finished task rows are pruned, and
the admin shows the task table without the tasks' arguments."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from silkbridge.accounts.services import verification_email_send
from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from silkbridge.core.management.commands.db_worker import task_results_prune

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LINK = re.compile(r"http://127\.0\.0\.1:8000(/accounts/[^\s]+/)")


def _task_rows_text() -> str:
    return json.dumps(list(DBTaskResult.objects.values("args_kwargs", "return_value", "traceback")))


def _worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker command closes its connection when it is done
def test_after_a_reset_request_no_task_row_holds_the_token_or_the_link(client, settings):
    settings.TASKS = DATABASE_TASKS
    user = UserFactory(email="amina@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "amina@example.org"})
    assert response.status_code == 302
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["kwargs"] == {
        "maker": "silkbridge.accounts.emails.password_reset_message",
        "arguments": {"user_id": user.pk, "language": "en"},
    }
    assert mail.outbox == []  # the request sent nothing

    _worker()
    [message] = mail.outbox
    link_path = LINK.search(message.body).group(1)
    token = link_path.rstrip("/").rsplit("/", 1)[1]
    assert message.to == ["amina@example.org"]
    assert message.subject == "Reset your Silkbridge password"
    rows = _task_rows_text()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert token not in rows
    assert "/password/reset/" not in rows
    assert str(message.body) not in rows

    # The link the worker made works: the new password is set.
    form_page = client.get(link_path, follow=True)
    new_password = "a-brand-new-passphrase-7"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    user.refresh_from_db()
    assert user.check_password(new_password)


@pytest.mark.django_db(transaction=True)
def test_after_a_sign_up_no_task_row_holds_the_verification_link(client, settings):
    settings.TASKS = DATABASE_TASKS
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Li Wei",
            "email": "li.wei@example.cn",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "language": "zh-hans",
            "time_zone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 200
    _worker()
    [message] = mail.outbox
    link_path = LINK.search(message.body).group(1)
    assert (message.to, message.subject) == (
        ["li.wei@example.cn"],
        "确认您的 Silkbridge 电子邮箱",
    )  # worker: her language
    assert link_path.startswith("/accounts/verify/")
    assert link_path not in _task_rows_text()
    assert link_path.rstrip("/").rsplit("/", 1)[1] not in _task_rows_text()


@pytest.mark.django_db
def test_the_admin_shows_task_rows_without_their_arguments(client, settings):
    settings.TASKS = DATABASE_TASKS
    UserFactory(email="amina@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "amina@example.org"})
    row = DBTaskResult.objects.get()
    client.force_login(StaffFactory())
    page = client.get(f"/admin/django_tasks_database/dbtaskresult/{row.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200, html[-3000:]
    assert "mail_make_send" in html  # the task's name is shown
    assert "password_reset_message" not in html  # its arguments are not
    assert "user_id" not in html


@pytest.mark.django_db
def test_finished_task_rows_older_than_a_day_are_pruned_and_others_kept(settings):
    settings.TASKS = DATABASE_TASKS
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        verification_email_send(user=UserFactory(email=email, email_verified_at=None))
    old, recent, waiting = DBTaskResult.objects.order_by("enqueued_at", "pk")
    old.set_successful({"status": "sent", "attempts": 1})
    recent.set_successful({"status": "sent", "attempts": 1})
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=1, minutes=1))
    assert task_results_prune() == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
