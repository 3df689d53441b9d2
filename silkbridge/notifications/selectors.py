"""Every read of notifications: a user only ever sees their own (pages, API and the header badge all
read through here)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from silkbridge.notifications.models import Notification, NotificationSettings


def notifications_of(*, viewer: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications, newest first (none for a visitor who is not signed in)."""
    if not getattr(viewer, "is_authenticated", False):
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=viewer)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-pk")


def unread_count(*, viewer: Any) -> int:
    return notifications_of(viewer=viewer, unread_only=True).count()


def notification_get(*, viewer: Any, pk: int) -> Notification:
    """One of the viewer's notifications; someone else's is "not found", never "forbidden"."""
    notification = notifications_of(viewer=viewer).filter(pk=pk).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


def settings_of(*, user: Any) -> NotificationSettings:
    """The user's settings, unsaved defaults where they never changed them (every e-mail, no digest)."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found if found is not None else NotificationSettings(user=user)


def email_wanted(*, user: Any, kind: str) -> bool:
    return settings_of(user=user).wants_email(kind)


def weekly_digest_wanted(*, user: Any) -> bool:
    return settings_of(user=user).weekly_digest
