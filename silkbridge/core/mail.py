"""E-mails to users, each written in the recipient's own language and sent after the transaction commits.

A template's first line is the subject; the rest is the body. Nothing is sent for a change that
rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_now(*, users: Iterable[Any], template: str, context: dict[str, Any]) -> int:
    """Render `template` per recipient in the recipient's language and send it; the number sent."""
    sent = 0
    for user in users:
        if not getattr(user, "email", ""):
            continue
        with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
            body = render_to_string(template, {**context, "user": user})
        subject, _, message = body.partition("\n")
        send_mail(subject=subject.strip(), message=message.strip() + "\n", from_email=None, recipient_list=[user.email])
        sent += 1
    return sent


def send_after_commit(*, users: Iterable[Any], template: str, context: dict[str, Any]) -> None:
    recipients = [user for user in users if getattr(user, "email", "")]
    transaction.on_commit(lambda: send_now(users=recipients, template=template, context=context))
