"""Notifications about events, each in-app and (where the user's settings allow) by e-mail, written in the
recipient's own language; the e-mail goes after commit, nothing for a rolled-back change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse

from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.services import notify as notify_users

# Which kind of notification each e-mail template is (the user turns e-mails on or off per kind).
TEMPLATE_KINDS = {
    "registration_status": NotificationKind.EVENT,
    "participant_left": NotificationKind.MEETING,
    "request_received": NotificationKind.REQUEST_RECEIVED,
    "request_answered": NotificationKind.ANSWER,
    "reminder_pending": NotificationKind.REMINDER,
    "reminder_no_meeting": NotificationKind.REMINDER,
    "meeting_placed": NotificationKind.MEETING,
    "meetings_scheduled": NotificationKind.MEETING,
    "meeting_cancelled": NotificationKind.MEETING,
    "meeting_host_declined": NotificationKind.MEETING,
    "meeting_reminder": NotificationKind.REMINDER,
}


def notify(*, users: Iterable[Any], template: str, context: dict[str, Any], key: str = "") -> list[Any]:
    """Tell the users in-app and by e-mail; `context["link"]` is where the notification leads. The
    notifications made (none for a user already told under `key`)."""
    return notify_users(
        users=users,
        kind=TEMPLATE_KINDS[template],
        template=f"events/email/{template}.txt",
        context=context,
        url=context.get("link", ""),
        key=key,
    )


def event_link(event: Any, name: str = "events:event_detail") -> str:
    return settings.SITE_URL + reverse(name, kwargs={"slug": event.slug})
