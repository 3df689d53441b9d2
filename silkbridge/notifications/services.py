"""Notifying users: `notify` records the in-app notification and sends the e-mail where the user's
settings allow it. Every user notification of the platform goes through it; `core.mail.send_after_commit`
stays for mails that are not notifications (invitations, staff queues, account mails)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from silkbridge.core.mail import send_after_commit
from silkbridge.notifications import selectors
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.models import Notification, NotificationSettings


def _texts(*, user: Any, template: str, context: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The template's first line (the subject) as the title and the rest as the body, in each language."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            text = render_to_string(template, {**context, "user": user})
        title, _newline, body = text.partition("\n")
        texts[language] = {"title": title.strip()[:300], "body": body.strip()}
    return texts


def notify(
    *, users: Iterable[Any], kind: str, template: str, context: dict[str, Any], url: str = "", key: str = ""
) -> list[Notification]:
    """Tell each user in-app and, where their settings allow, by e-mail (sent after commit, in their language).

    `template` is an e-mail template (first line the subject). With a `key`, each user is told at most once
    for it: a second call with the same key makes nothing and sends nothing (the database holds it, so two
    runs at once cannot both send). Returns the notifications made."""
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    made: list[Notification] = []
    for user in {user.pk: user for user in users if getattr(user, "is_active", True)}.values():
        notification = Notification(
            recipient=user, kind=kind, texts=_texts(user=user, template=template, context=context), url=url, key=key
        )
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            continue  # told already for this key
        made.append(notification)
    mailed = [
        notification.recipient
        for notification in made
        if selectors.email_wanted(user=notification.recipient, kind=kind)
    ]
    if mailed:
        send_after_commit(users=mailed, template=template, context=context)
    return made


def notification_mark_read(*, actor: Any, pk: int) -> Notification:
    notification = selectors.notification_get(viewer=actor, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; how many were unread."""
    return selectors.notifications_of(viewer=actor, unread_only=True).update(read_at=timezone.now())


@transaction.atomic
def notification_settings_update(*, user: Any, email_kinds: Iterable[str], weekly_digest: bool) -> NotificationSettings:
    """Save which kinds the user gets by e-mail (the rest in-app only) and the weekly digest opt-in."""
    wanted = set(email_kinds)
    unknown = wanted - set(NotificationKind.values)
    if unknown:
        raise ValidationError({"email_kinds": _("Choose among the kinds of notification listed.")})
    found, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    found.email_off = sorted(set(NotificationKind.values) - wanted)
    found.weekly_digest = bool(weekly_digest)
    found.save(update_fields=["email_off", "weekly_digest"])
    return found


def weekly_digest_set(*, user: Any, weekly: bool) -> NotificationSettings:
    """Turn the weekly digest on or off, leaving the e-mail settings as they are (the digest's one-click
    opt-out and the matches page use it)."""
    found, _created = NotificationSettings.objects.get_or_create(user=user)
    found.weekly_digest = bool(weekly)
    found.save(update_fields=["weekly_digest"])
    return found
