"""Admin for routing: the approval routes each authority's MoUs follow, edited by staff as data.

MoUs themselves, their route steps and signatories are not here: an unsigned MoU is visible only to
its parties (selectors), and its route changes only through the services that write its history.
"""

from __future__ import annotations

from django.contrib import admin

from silkbridge.deals.models import ApprovalRoute, ApprovalRouteStep


class ApprovalRouteStepInline(admin.TabularInline):
    model = ApprovalRouteStep
    extra = 1
    fields = ("position", "name_en", "name_zh", "name_ur")
    ordering = ("position",)


@admin.register(ApprovalRoute)
class ApprovalRouteAdmin(admin.ModelAdmin):
    list_display = ("name_en", "authority", "counterpart", "is_active")
    list_filter = ("counterpart", "is_active")
    search_fields = ("name_en", "name_zh", "name_ur", "authority__name_en")
    autocomplete_fields = ("authority",)
    inlines = (ApprovalRouteStepInline,)
