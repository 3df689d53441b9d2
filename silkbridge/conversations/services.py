"""Writes for conversations: posting a message (with its attachments) to a thread, which is made on its
first message. The rules of who may write are the selectors'; a refused message writes nothing."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silkbridge.common import file_kinds
from silkbridge.common.languages import detect_language
from silkbridge.conversations.models import MESSAGE_MAX_LENGTH, Attachment, Message, Thread
from silkbridge.conversations.selectors import Conversation, members_to_tell
from silkbridge.core.inputs import safe_file_name
from silkbridge.core.uploads import file_refusal_message
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.services import notify
from silkbridge.translations.services import machine_translations_queue

MAX_ATTACHMENTS = 3
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str


def _checked_files(uploads: Sequence[Any]) -> list[CheckedFile]:
    """Each upload's name, bytes and type (read from its content), or a ValidationError on
    `attachments` naming the file: the declared size is checked before anything is read, and at most
    one byte past the limit is read."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": ngettext(
                    "Attach at most %(count)d file to a message.",
                    "Attach at most %(count)d files to a message.",
                    MAX_ATTACHMENTS,
                )
                % {"count": MAX_ATTACHMENTS}
            }
        )
    checked = []
    for upload in uploads:
        name = safe_file_name(str(getattr(upload, "name", "") or ""), default="attachment", max_length=200)
        too_large = _("%(name)s is larger than %(size)s MB.") % {
            "name": name,
            "size": f"{ATTACHMENT_MAX_BYTES / (1024 * 1024):g}",
        }
        size = getattr(upload, "size", None)
        if size is not None and size > ATTACHMENT_MAX_BYTES:
            raise ValidationError({"attachments": too_large})
        content = upload.read(ATTACHMENT_MAX_BYTES + 1)
        if len(content) > ATTACHMENT_MAX_BYTES:
            raise ValidationError({"attachments": too_large})
        try:
            kind = file_kinds.document_check(name=name, content=content, max_expanded=10 * ATTACHMENT_MAX_BYTES)
        except file_kinds.UploadRefused as refusal:
            reason = file_refusal_message(refusal)
            raise ValidationError(
                {"attachments": _("%(name)s: %(reason)s") % {"name": name, "reason": reason}}
            ) from refusal
        checked.append(CheckedFile(name=name, content=content, content_type=kind.content_type))
    return checked


def _checked_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Write a message.")})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A message has at most %(limit)d characters; this one has %(count)d.")
                % {"limit": MESSAGE_MAX_LENGTH, "count": len(text)}
            }
        )
    return text


def thread_url(conversation: Conversation) -> str:
    """The thread's page (a path; the e-mail puts the site's address before it)."""
    if conversation.interest is not None:
        return reverse("conversations:interest_thread", kwargs={"interest_id": conversation.interest.pk})
    assert conversation.meeting is not None
    return reverse("conversations:meeting_thread", kwargs={"meeting_id": conversation.meeting.pk})


def _store(message: Message, files: list[CheckedFile], stored: list[str]) -> None:
    for checked in files:
        attachment = Attachment(
            message=message,
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=hashlib.sha256(checked.content).hexdigest(),
        )
        # A random stored name: the user's name is kept in `name` and given back only on download.
        extension = checked.name[checked.name.rfind(".") :].lower() if "." in checked.name else ""
        attachment.file.save(f"{secrets.token_urlsafe(16)}{extension}", ContentFile(checked.content), save=False)
        stored.append(attachment.file.name)
        attachment.full_clean(exclude=["message"])
        attachment.save()


def message_post(*, actor: Any, conversation: Conversation, body: str, uploads: Sequence[Any] = ()) -> Message:
    """Post a message for the actor's side, with up to three attachments (PDF, DOCX, XLSX, PNG or JPEG,
    each at most 10 MB, its type read from its content); the thread is made on its first message. The
    other side's members are told in-app and by e-mail; the text is queued for machine translation.
    PermissionDenied for a reader who writes for neither side (staff); a refused message or file
    writes nothing."""
    if conversation.own_side is None:
        raise PermissionDenied(_("Only the members of the two organisations write in this conversation."))
    text = _checked_body(body)
    files = _checked_files(uploads)
    stored: list[str] = []
    try:
        with transaction.atomic():
            subject = (
                {"interest": conversation.interest} if conversation.interest else {"meeting": conversation.meeting}
            )
            # get_or_create retries the read when a first message beside this one made the thread.
            thread, _created = Thread.objects.get_or_create(**subject)
            message = Message(
                thread=thread,
                author=actor,
                organisation=conversation.own_side,
                body=text,
                language=detect_language(text),
            )
            message.full_clean(exclude=["thread", "author", "organisation"])
            message.save()
            _store(message, files, stored)
            machine_translations_queue(obj=message)
            _notify_other_side(actor=actor, conversation=conversation, message=message)
    except Exception:
        for name in stored:  # a message not stored must leave no file behind
            Attachment._meta.get_field("file").storage.delete(name)
        raise
    return message


def _notify_other_side(*, actor: Any, conversation: Conversation, message: Message) -> None:
    assert conversation.own_side is not None
    other = conversation.other_side(conversation.own_side)
    link = settings.SITE_URL + thread_url(conversation)
    notify(
        users=members_to_tell(conversation=conversation, organisation=other, except_user=actor),
        kind=NotificationKind.MESSAGE,
        template="conversations/email/message_received.txt",
        context={
            "sender": conversation.own_side,
            "message": message,
            "attachments": message.attachments.count(),
            "link": link,
        },
        url=link,
    )


def attachments_forget_with_meetings(meeting_ids: list[int]) -> None:
    """Meetings are being deleted, and the cascade takes their threads' attachment rows: delete the files
    too, once the deletion is committed (a rolled-back cancellation keeps them)."""
    if not meeting_ids:
        return
    storage = Attachment._meta.get_field("file").storage
    names = list(Attachment.objects.filter(message__thread__meeting_id__in=meeting_ids).values_list("file", flat=True))

    def forget() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(forget)
