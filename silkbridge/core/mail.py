"""E-mails to users, each written in the recipient's own language and sent by a task after the
transaction commits.

A template's first line is the subject; the rest is the body. Nothing is sent for a change that
rolls back. The message is rendered when the change commits and handed to `mail_send`, a task: a
worker sends it, retrying with a growing wait while the mail server refuses, and records a message
it could not send. A mailbox failure never turns a committed change into an error page.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)
# Seconds to wait before each retry: a refused message is tried 1 + len(...) times in all.
DEFAULT_RETRY_SECONDS = (30, 120, 600)


def render_for(*, user: Any, template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject and body of `template` for one recipient, in the recipient's language."""
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        text = render_to_string(template, {**context, "user": user})
    subject, _, message = text.partition("\n")
    return subject.strip(), message.strip() + "\n"


def send_now(*, users: Iterable[Any], template: str, context: dict[str, Any]) -> int:
    """Render `template` per recipient and send it in this process (commands that are workers
    themselves, like the weekly digest); the number sent. A refusal raises."""
    sent = 0
    for user in users:
        if not getattr(user, "email", ""):
            continue
        subject, message = render_for(user=user, template=template, context=context)
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[user.email])
        sent += 1
    return sent


def send_after_commit(*, users: Iterable[Any], template: str, context: dict[str, Any]) -> None:
    """Once the transaction commits, render `template` for each recipient and queue it for sending."""
    recipients = [user for user in users if getattr(user, "email", "")]

    def queue_all() -> None:
        for user in recipients:
            subject, message = render_for(user=user, template=template, context=context)
            mail_queue(recipient=user.email, subject=subject, body=message)

    transaction.on_commit(queue_all)


def mail_queue(*, recipient: str, subject: str, body: str) -> None:
    """Queue one message for the task that sends it (call after commit)."""
    mail_send.enqueue(recipient=recipient, subject=subject, body=body)


def _retry_seconds() -> tuple[int, ...]:
    return tuple(getattr(settings, "MAIL_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))


@task()
def mail_send(*, recipient: str, subject: str, body: str, attempt: int = 1) -> dict[str, Any]:
    """Send one message; when the mail server refuses, queue the next try after a growing wait, and
    after the last try record the failure (logged with the address, never shown as an error page)."""
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient])
    except (smtplib.SMTPException, OSError) as error:
        waits = _retry_seconds()
        if attempt <= len(waits):
            _queue_retry(recipient=recipient, subject=subject, body=body, attempt=attempt, wait=waits[attempt - 1])
            return {"status": "retrying", "attempt": attempt, "error": str(error)}
        logger.error("E-mail to %s not sent after %d attempts: %s", recipient, attempt, error)
        return {"status": "failed", "attempts": attempt, "error": str(error)}
    return {"status": "sent", "attempts": attempt}


def _queue_retry(*, recipient: str, subject: str, body: str, attempt: int, wait: int) -> None:
    """The next try: after `wait` seconds on a backend that can defer (the worker's); at once on the
    immediate backend of the embedded mode, which cannot."""
    retry = mail_send
    if mail_send.get_backend().supports_defer and wait > 0:
        retry = mail_send.using(run_after=timezone.now() + timedelta(seconds=wait))
    retry.enqueue(recipient=recipient, subject=subject, body=body, attempt=attempt + 1)
