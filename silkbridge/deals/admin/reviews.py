"""Admin for reviews. Nothing the selectors hide (sealed proposals, reviews, unsigned MoUs) may show here.

Appointments are listed read-only for looking things up (who is appointed where, declarations, when a
review was submitted): every change goes through the review pages and services, which keep the history
and the blind review. No scores are shown here — a draft's scores are the reviewer's alone, and the
submitted ones are read on the chair's page, through the selectors."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from silkbridge.deals.models import ReviewAssignment


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ("proposal", "reviewer", "conflict", "appointed_at", "declared_at", "submitted_at")
    list_filter = ("conflict",)
    search_fields = ("proposal__reference", "reviewer__email")
    fields = (
        "proposal",
        "reviewer",
        "appointed_by",
        "appointed_at",
        "conflict",
        "conflict_note",
        "declared_at",
        "submitted_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
