"""Admin for proposals. Nothing the selectors hide (sealed proposals, reviews, unsigned MoUs) may show here.

The admin is a look-up, read-only: proposals change through their services. It lists only proposals that
have been submitted and, for a call, whose call's deadline has passed; a sealed proposal is not there
even for a superuser, and neither are drafts. The financial envelope, the design text and the documents
are not shown at all (the proposal's page serves the documents, through the selector).
"""

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from silkbridge.deals.choices import ProposalStatus
from silkbridge.deals.models import Proposal


def admin_visible_proposals(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Submitted (at least once) and past its call's deadline, or unsolicited."""
    opened = Q(call__isnull=True) | Q(call__deadline__lte=timezone.now())
    return queryset.filter(opened, version__gte=1).exclude(status=ProposalStatus.WITHDRAWN)


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "organisation", "call", "recipient", "status", "version", "submitted_at")
    list_filter = ("status",)
    search_fields = ("reference", "title", "organisation__name_en")
    fields = (
        "reference",
        "title",
        "organisation",
        "call",
        "recipient",
        "language",
        "status",
        "version",
        "submitted_at",
        "decision",
        "decided_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Proposal]:
        return admin_visible_proposals(super().get_queryset(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
