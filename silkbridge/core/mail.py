"""E-mails to users, each written in the recipient's own language and sent by a task after the
transaction commits.

A template's first line is the subject; the rest is the body. Nothing is sent for a change that
rolls back. The message is rendered when the change commits and handed to `mail_send`, a task: a
worker sends it, retrying with a growing wait while the mail server refuses, and records a message
it could not send as a failed run (kind "core.mail") that staff see in the admin. A mailbox failure
never turns a committed change into an error page.

A message that carries a secret (a password-reset or address-verification link) is never put in the
task queue, whose rows keep their arguments: `mail_queue_message` queues only a reference (a function
marked `@mail_message` and plain arguments such as a user id), and the worker makes the message, and
the token inside it, when it sends it. The worker looks the reference up in the registry that
`@mail_message` fills (`MAIL_MAKERS`), never imports it: a task row cannot make the worker load a module.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from django_tasks import task

from silkbridge.core.models import Run, RunStatus

logger = logging.getLogger(__name__)
# Seconds to wait before each retry: a refused message is tried 1 + len(...) times in all.
DEFAULT_RETRY_SECONDS = (30, 120, 600)
# The error of the failed run that records a message given up (translated when read, as the runs' own).
MAIL_NOT_SENT = gettext_noop("The e-mail could not be sent: the mail server refused every try.")


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
        # One commit for all the recipients' task rows, not one each.
        with transaction.atomic():
            for user in recipients:
                subject, message = render_for(user=user, template=template, context=context)
                mail_queue(recipient=user.email, subject=subject, body=message)

    transaction.on_commit(queue_all)


def mail_queue(*, recipient: str, subject: str, body: str) -> None:
    """Queue one message for the task that sends it (call after commit)."""
    mail_send.enqueue(recipient=recipient, subject=subject, body=body)


@dataclass(frozen=True)
class Message:
    recipient: str
    subject: str
    body: str


MessageMaker = TypeVar("MessageMaker", bound=Callable[..., Message | None])


# The functions `mail_make_send` may call, by their dotted path: filled by `@mail_message` when the module
# that defines them is imported (each app imports its mail module in `AppConfig.ready`, so a worker has them).
MAIL_MAKERS: dict[str, Callable[..., Message | None]] = {}


def _maker_path(maker: Callable[..., Any]) -> str:
    return f"{maker.__module__}.{maker.__qualname__}"


def mail_message(maker: MessageMaker) -> MessageMaker:
    """Register a function that makes a message from plain arguments (None: nothing to send any more), so
    that `mail_make_send` may call it by its path in a worker; nothing else can be called that way."""
    MAIL_MAKERS[_maker_path(maker)] = maker
    return maker


def mail_queue_message(maker: Callable[..., Message | None], **arguments: Any) -> None:
    """Queue a message that a worker makes with `maker(**arguments)` (plain JSON values, no secret)."""
    path = _maker_path(maker)
    if MAIL_MAKERS.get(path) is not maker:
        raise ValueError(f"{path} is not marked @mail_message")
    mail_make_send.enqueue(maker=path, arguments=arguments)


def _retry_seconds() -> tuple[int, ...]:
    return tuple(getattr(settings, "MAIL_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))


@task()
def mail_send(*, recipient: str, subject: str, body: str, attempt: int = 1) -> dict[str, Any]:
    """Send one message; when the mail server refuses, queue the next try after a growing wait, and
    after the last try record the failure (logged with the address, never shown as an error page)."""
    message = Message(recipient=recipient, subject=subject, body=body)
    return _deliver(
        message,
        attempt=attempt,
        retry=mail_send,
        retry_kwargs={"recipient": recipient, "subject": subject, "body": body},
    )


@task()
def mail_make_send(*, maker: str, arguments: dict[str, Any], attempt: int = 1) -> dict[str, Any]:
    """Make a message from its reference (see `mail_queue_message`) and send it, retried as `mail_send`
    is. Each try makes the message afresh, so a token is made when it is sent and stored nowhere. The
    path is only looked up among the registered makers: nothing named in a task row is imported."""
    make = MAIL_MAKERS.get(maker)
    if make is None:
        raise ValueError(f"{maker} is not marked @mail_message")
    message = make(**arguments)
    if message is None:
        return {"status": "nothing to send"}
    return _deliver(
        message, attempt=attempt, retry=mail_make_send, retry_kwargs={"maker": maker, "arguments": arguments}
    )


def _deliver(message: Message, *, attempt: int, retry: Any, retry_kwargs: dict[str, Any]) -> dict[str, Any]:
    try:
        send_mail(subject=message.subject, message=message.body, from_email=None, recipient_list=[message.recipient])
    except (smtplib.SMTPException, OSError) as error:
        waits = _retry_seconds()
        if attempt <= len(waits):
            _queue_retry(retry, kwargs={**retry_kwargs, "attempt": attempt + 1}, wait=waits[attempt - 1])
            return {"status": "retrying", "attempt": attempt, "error": str(error)}
        logger.error("E-mail to %s not sent after %d attempts: %s", message.recipient, attempt, error)
        run = _failure_record(message, attempts=attempt, error=error)
        return {"status": "failed", "attempts": attempt, "error": str(error), "run": run.pk}
    return {"status": "sent", "attempts": attempt}


def _failure_record(message: Message, *, attempts: int, error: Exception) -> Run:
    """A message given up is a failed background run (kind "core.mail"), which staff find among the runs
    in the admin: who it was for, its subject, how many tries, and the mail server's last answer."""
    now = timezone.now()
    return Run.objects.create(
        kind="core.mail",
        status=RunStatus.FAILED,
        error=MAIL_NOT_SENT,
        result={
            "recipient": message.recipient,
            "subject": message.subject,
            "attempts": attempts,
            "error": str(error)[:500],
        },
        language=settings.LANGUAGE_CODE,
        started_at=now,
        finished_at=now,
        attempts=attempts,
    )


def _queue_retry(retry: Any, *, kwargs: dict[str, Any], wait: int) -> None:
    """The next try: after `wait` seconds on a backend that can defer (the worker's); at once on the
    immediate backend of the embedded mode, which cannot."""
    if retry.get_backend().supports_defer and wait > 0:
        retry = retry.using(run_after=timezone.now() + timedelta(seconds=wait))
    retry.enqueue(**kwargs)
