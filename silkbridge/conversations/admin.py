"""Conversations in the admin, read-only: messages are written by the two organisations through the
thread page or the API (which tell the other side); staff look things up here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from silkbridge.conversations.models import Attachment, Message, Thread


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ("pk", "interest", "meeting", "created_at")
    raw_id_fields = ("interest", "meeting")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("pk", "thread", "organisation", "author", "language", "created_at")
    list_filter = ("language",)
    search_fields = ("organisation__name_en", "author__email")
    raw_id_fields = ("thread", "author", "organisation")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "message", "content_type", "size")
    raw_id_fields = ("message",)
