"""Admin for calls. Nothing the selectors hide (sealed proposals, reviews, unsigned MoUs) may show here:
the call's page has no proposals inline and no count of them, and openings, clarifications and
grievances are records to look up, not to edit (the services write them with their history)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from silkbridge.deals.models import Call, CallEvent, Clarification, Criterion, Grievance, Opening


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "name_en", "name_zh", "name_ur", "weight", "anchors")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CallEventInline(ReadOnlyInline):
    model = CallEvent
    fields = ("created_at", "kind", "actor", "changes")
    readonly_fields = fields


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title_en", "issuer", "status", "visibility", "evaluation", "deadline", "time_zone")
    list_filter = ("status", "visibility", "evaluation")
    search_fields = ("title_en", "title_zh", "title_ur", "slug", "issuer__name_en")
    # Ids, not a list of every organisation: the page must name no organisation beyond the call's own.
    raw_id_fields = ("issuer", "sector", "created_by", "invited")
    readonly_fields = (
        "status",
        "published_at",
        "report",
        "report_published_at",
        "grievances_until",
        "decided_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    # Criteria and the history only: proposals are never shown here (a sealed proposal would leak).
    inlines = (CriterionInline, CallEventInline)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Opening)
class OpeningAdmin(ReadOnlyAdmin):
    """The published opening records, read-only: they are written once, after the deadline, by the service."""

    list_display = ("call", "kind", "opened_at", "opened_by")
    list_filter = ("kind",)


@admin.register(Clarification)
class ClarificationAdmin(ReadOnlyAdmin):
    list_display = ("call", "asked_at", "published_at")
    search_fields = ("question", "answer")


@admin.register(Grievance)
class GrievanceAdmin(ReadOnlyAdmin):
    list_display = ("call", "organisation", "filed_at", "answered_at")
