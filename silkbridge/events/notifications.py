"""E-mails about events, each written in the recipient's own language and sent after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse

from silkbridge.core.mail import send_after_commit


def notify(*, users: Iterable[Any], template: str, context: dict[str, Any]) -> None:
    """Queue an e-mail for after the transaction commits (nothing is sent for a rolled-back change)."""
    send_after_commit(users=users, template=f"events/email/{template}.txt", context=context)


def event_link(event: Any, name: str = "events:event_detail") -> str:
    return settings.SITE_URL + reverse(name, kwargs={"slug": event.slug})
