from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from silkbridge.conversations.models import MESSAGE_MAX_LENGTH
from silkbridge.directory.choices import ContentLanguage
from silkbridge.marketplace.schemas import TranslatedTextOut


class MessageIn(Schema):
    body: str = Field(min_length=1, max_length=MESSAGE_MAX_LENGTH, description="The message, in any language.")


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int = Field(description="Bytes.")
    url: str = Field(description="Download it here (the caller must be able to read the thread).")

    @staticmethod
    def resolve_url(attachment: Any) -> str:
        return reverse("api:conversation_attachment", kwargs={"attachment_id": attachment.pk})


class MessageTranslationOut(TranslatedTextOut):
    """The message in the reader's language: the author's own translation or a machine's, made from the
    message as it is (never an earlier text)."""

    language: ContentLanguage


class MessageOut(Schema):
    id: int
    author: str = Field(description="The author's name (empty once the account is deleted).")
    organisation_key: str
    organisation_name: str = Field(description="In the caller's language where the organisation has such a name.")
    body: str = Field(description="As written.")
    language: str = Field(description="The text's language, detected from its script: en, zh or ur.")
    created_at: datetime
    attachments: list[AttachmentOut]
    translation: MessageTranslationOut | None = Field(
        None,
        description="In the reader's language (?lang, else Accept-Language or the user's language) where a "
        "translation exists; null when there is none or the message is written in that language.",
    )

    @staticmethod
    def resolve_author(message: Any) -> str:
        return message.author.get_full_name() if message.author else ""

    @staticmethod
    def resolve_organisation_key(message: Any) -> str:
        return str(message.organisation.key)

    @staticmethod
    def resolve_organisation_name(message: Any) -> str:
        return str(message.organisation.display_name)

    @staticmethod
    def resolve_attachments(message: Any) -> list[Any]:
        return list(message.attachments.all())

    @staticmethod
    def resolve_translation(message: Any) -> dict[str, str] | None:
        return getattr(message, "translation", None)


class MessagePageOut(Schema):
    """A page of a thread's messages, oldest first (as every paginated list: count, page, page_size, pages)."""

    count: int
    page: int
    page_size: int
    pages: int
    items: list[MessageOut]
