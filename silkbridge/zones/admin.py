from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from silkbridge.zones.facts_models import ZoneFactChange, ZoneFactField
from silkbridge.zones.incentives_services import incentive_rate_delete, incentive_rate_save
from silkbridge.zones.models import IncentiveRate, IncentiveRateChange, RelocationRequest, Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("name_en", "kind", "city", "status", "area_acres", "developer")
    list_filter = ("kind", "status", "province")
    search_fields = ("name_en", "name_ur", "name_zh", "city", "developer")
    autocomplete_fields = ("sectors", "organisation", "licensed_organisations")
    # The facts a developer keeps are changed through proposals that staff approve (the zone's facts page),
    # so that each change keeps its source, its date and its history: read only here.
    readonly_fields = tuple(ZoneFactField.values)


class IncentiveRateChangeInline(admin.TabularInline):
    """The rate's history, read only: every create, change and delete goes through the services."""

    model = IncentiveRateChange
    fields = ("changed_at", "action", "actor", "changes")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IncentiveRate)
class IncentiveRateAdmin(admin.ModelAdmin):
    """Staff edit the calculator's dated rates; each save or delete writes a history row (services)."""

    list_display = ("kind", "value", "valid_from", "basis", "legal_source")
    list_filter = ("kind", "basis")
    inlines = (IncentiveRateChangeInline,)

    def save_model(self, request: HttpRequest, obj: IncentiveRate, form: Any, change: bool) -> None:
        incentive_rate_save(actor=request.user, rate=obj)

    def delete_model(self, request: HttpRequest, obj: IncentiveRate) -> None:
        incentive_rate_delete(actor=request.user, rate=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for rate in queryset:
            incentive_rate_delete(actor=request.user, rate=rate)


@admin.register(IncentiveRateChange)
class IncentiveRateChangeAdmin(admin.ModelAdmin):
    list_display = ("changed_at", "kind", "valid_from", "action", "actor")
    list_filter = ("kind", "action")
    readonly_fields = ("rate", "kind", "valid_from", "action", "changes", "actor", "changed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RelocationRequest)
class RelocationRequestAdmin(admin.ModelAdmin):
    """Read only: requests are filed and changed by their company through the services (which check who
    may), and shared only by it."""

    list_display = ("title", "organisation", "created_at")
    search_fields = ("title", "organisation__name_en")
    readonly_fields = ("created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen in the admin, changed only through the services and their pages (which check the actor and keep
    the history): nothing is added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ZoneFactChange)
class ZoneFactChangeAdmin(ReadOnlyAdmin):
    """Proposals are decided on the staff queue (/zones/facts/review/), which writes the zone and its history."""

    list_display = ("zone", "field", "status", "proposed_by", "proposed_at", "decided_by", "decided_at")
    list_filter = ("status", "field")
    search_fields = ("zone__name_en", "source")
