"""In-app notifications and each user's notification settings.

A notification's title and body are rendered when it is made, once in each of the site's languages
(`texts`), and shown in the reader's language when read: the user may switch language later, and the
objects the text names (a meeting, a profile) may have changed or gone by then, so rendering at read time
would need them all again. Three short renders per recipient cost little next to the e-mail beside them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silkbridge.notifications.choices import NotificationKind


class Notification(models.Model):
    """One thing a user should know about, with where to go to act on it; read once opened or marked."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind)
    texts = models.JSONField(_("texts"), default=dict, help_text=_("Title and body in each language."))
    url = models.CharField(_("address"), max_length=500, blank=True)
    # Set for a notification that must go once only (a meeting's reminder at a given start time).
    key = models.CharField(_("key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-pk")
        indexes: ClassVar = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
                violation_error_message=_("This notification has already been sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    def _text(self, part: str) -> str:
        texts: dict[str, Any] = self.texts or {}
        for language in (get_language(), settings.LANGUAGE_CODE, *texts):
            if language in texts:
                return str(texts[language].get(part, ""))
        return ""

    @property
    def title(self) -> str:
        """The title in the reader's language (the site's default where it was not rendered)."""
        return self._text("title")

    @property
    def body(self) -> str:
        return self._text("body")


class NotificationSettings(models.Model):
    """Which notifications a user also gets by e-mail, and whether they want the weekly digest of matches
    (an opt-in: off until the user ticks it). A user without a row gets every e-mail and no digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email_off = models.JSONField(_("no e-mail for"), default=list, blank=True)
    weekly_digest = models.BooleanField(_("weekly e-mail of new matches"), default=False)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)

    def wants_email(self, kind: str) -> bool:
        return kind not in (self.email_off or [])
