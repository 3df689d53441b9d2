"""Admin for MoU drafting. Staff edit the clause library here (new drafts copy it; MoUs already drafted
keep their own text). MoUs are listed through the MoU selector and are read-only here: their text
changes only through the editor, which versions every save and writes the history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from silkbridge.deals.models import ClauseComment, ClauseTemplate, Mou, MouVersion
from silkbridge.deals.selectors.mou import mous_visible


@admin.register(ClauseTemplate)
class ClauseTemplateAdmin(admin.ModelAdmin):
    list_display = ("position", "key", "title_en", "title_zh", "title_ur", "is_active")
    list_display_links = ("key",)
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("key", "title_en", "title_zh", "title_ur", "text_en")
    fieldsets = (
        (None, {"fields": ("key", "position", "is_active")}),
        ("English", {"fields": ("title_en", "text_en")}),
        ("简体中文", {"fields": ("title_zh", "text_zh")}),
        ("اردو", {"fields": ("title_ur", "text_ur")}),
    )


class MouVersionInline(admin.TabularInline):
    model = MouVersion
    extra = 0
    fields = ("number", "saved_by", "saved_at", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClauseCommentInline(admin.TabularInline):
    model = ClauseComment
    extra = 0
    fields = ("clause_key", "version", "author", "text", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Mou)
class MouAdmin(admin.ModelAdmin):
    list_display = ("title", "reference", "deal", "second_language", "status", "version", "updated_at")
    list_filter = ("status", "second_language", "counterpart")
    search_fields = ("title", "reference", "deal__title")
    readonly_fields = (
        "reference",
        "deal",
        "title",
        "second_language",
        "counterpart",
        "status",
        "version",
        "route",
        "sealed_pdf",
        "sealed_sha256",
        "sealed_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = (MouVersionInline, ClauseCommentInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mou]:
        return mous_visible(viewer=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
