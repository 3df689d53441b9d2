from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from silkbridge.conversations.models import MESSAGE_MAX_LENGTH


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


class MessageOut(Schema):
    id: int
    author: str = Field(description="The author's name (empty once the account is deleted).")
    organisation_key: str
    organisation_name: str = Field(description="In the caller's language where the organisation has such a name.")
    body: str = Field(description="As written.")
    language: str = Field(description="The text's language, detected from its script: en, zh or ur.")
    created_at: datetime
    attachments: list[AttachmentOut]

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
