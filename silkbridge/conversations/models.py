"""Conversations: one thread of messages for each accepted expression of interest and each meeting,
between the two organisations concerned (their members read and write; staff read).

A thread belongs to exactly one subject (an interest or a meeting) and is made on its first message;
the one-to-one fields make a second thread for the same subject impossible, even when two first
messages arrive at once. Who may read or write is decided in `selectors`, nowhere else.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.directory.choices import ContentLanguage

MESSAGE_MAX_LENGTH = 5000


class Thread(models.Model):
    """The conversation about one accepted expression of interest or one meeting."""

    interest = models.OneToOneField(
        "marketplace.ExpressionOfInterest",
        verbose_name=_("expression of interest"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thread",
    )
    meeting = models.OneToOneField(
        "events.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thread",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(interest__isnull=False) & Q(meeting__isnull=True))
                | (Q(interest__isnull=True) & Q(meeting__isnull=False)),
                name="conversations_thread_one_subject",
                violation_error_message=_("A conversation is about one expression of interest or one meeting."),
            ),
        ]

    def __str__(self) -> str:
        return f"interest {self.interest_id}" if self.interest_id else f"meeting {self.meeting_id}"


class Message(models.Model):
    """One message of a thread, written by a member of one of its two organisations."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(
        _("message"), max_length=MESSAGE_MAX_LENGTH, validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)]
    )
    language = models.CharField(_("language of the text"), max_length=8, choices=ContentLanguage)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("created_at", "pk")
        indexes: ClassVar = [models.Index(fields=["thread", "created_at"], name="conversations_message_order")]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.pk}"


class Attachment(models.Model):
    """A file sent with a message: served only through the thread's download view, never a public URL."""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="conversations/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("message", "pk")

    def __str__(self) -> str:
        return self.name
