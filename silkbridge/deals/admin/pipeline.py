"""Admin for pipeline. Nothing the selectors hide (sealed proposals, reviews, unsigned MoUs) may show here.

Deals are for looking up only: every change goes through the deal's page or the API, whose services
write the history row that the admin would skip. Only staff reach the admin, and staff see every deal
(`selectors.pipeline.deals_visible`); the lead links show ids, never a proposal's content.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from silkbridge.deals.models import Deal, DealEvent, DealParty


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DealPartyInline(ReadOnlyInline):
    model = DealParty
    fields = ("organisation", "role", "added_at")
    readonly_fields = fields


class DealEventInline(ReadOnlyInline):
    model = DealEvent
    fields = ("created_at", "kind", "actor", "from_stage", "to_stage", "note", "changes")
    readonly_fields = fields


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ("title", "reference", "stage", "subject", "owner", "stage_changed_at", "next_step_on")
    list_filter = ("stage", "subject", "origin")
    search_fields = ("title", "reference", "parties__organisation__name_en", "parties__organisation__key")
    list_select_related = ("owner",)
    inlines = (DealPartyInline, DealEventInline)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Deal._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
