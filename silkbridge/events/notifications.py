"""E-mails about events, each written in the recipient's own language and sent after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _send(*, users: Iterable[Any], template: str, context: dict[str, Any]) -> None:
    for user in users:
        with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
            body = render_to_string(f"events/email/{template}.txt", {**context, "user": user})
            subject, _, message = body.partition("\n")
            send_mail(
                subject=subject.strip(), message=message.strip() + "\n", from_email=None, recipient_list=[user.email]
            )


def notify(*, users: Iterable[Any], template: str, context: dict[str, Any]) -> None:
    """Queue an e-mail for after the transaction commits (nothing is sent for a rolled-back change)."""
    recipients = [user for user in users if getattr(user, "email", "")]
    transaction.on_commit(lambda: _send(users=recipients, template=template, context=context))


def event_link(event: Any, name: str = "events:event_detail") -> str:
    return settings.SITE_URL + reverse(name, kwargs={"slug": event.slug})
