"""Administration of events for staff: every model, with search and filters that stay fast at thousands of rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from silkbridge.events import services
from silkbridge.events.choices import ParticipantStatus
from silkbridge.events.models import (
    Booking,
    Event,
    Meeting,
    MeetingRating,
    MeetingRequest,
    Participant,
    Preference,
    ScheduleRun,
    Slot,
)


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    fields = ("starts_at", "minutes", "tables", "location")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "kind",
        "time_zone",
        "registration_opens_at",
        "registration_closes_at",
        "is_published",
    )
    list_filter = ("kind", "is_published", "requires_approval", "scheduling_mode")
    search_fields = ("title", "slug", "venue")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("created_by", "created_at")
    date_hierarchy = "registration_opens_at"
    inlines = (SlotInline,)

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("event", "starts_at", "minutes", "tables", "location")
    list_filter = ("event",)
    search_fields = ("event__title", "location")
    list_select_related = ("event",)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("organisation", "event", "status", "interpreter_needed", "max_meetings", "registered_at")
    list_filter = ("status", "interpreter_needed", "event", "organisation__country")
    search_fields = ("organisation__name_en", "organisation__name_local", "event__title", "representatives__email")
    list_select_related = ("organisation", "event")
    autocomplete_fields = ("organisation", "representatives")
    raw_id_fields = ("event", "available_slots")
    readonly_fields = ("feed_token", "registered_at")
    actions = ("approve", "reject")

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Participant], status: str) -> None:
        # Through the service, so representatives are told by e-mail, as from the dashboard.
        for participant in queryset:
            services.participant_set_status(actor=request.user, participant=participant, status=status)
        messages.success(
            request,
            ngettext("%(count)d registration updated.", "%(count)d registrations updated.", count := queryset.count())
            % {"count": count},
        )

    @admin.action(description=_("Approve the selected registrations"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Participant]) -> None:
        self._set_status(request, queryset, ParticipantStatus.APPROVED)

    @admin.action(description=_("Reject the selected registrations"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Participant]) -> None:
        self._set_status(request, queryset, ParticipantStatus.REJECTED)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("participant", "target", "level")
    list_filter = ("level", "participant__event")
    search_fields = ("participant__organisation__name_en", "target__organisation__name_en")
    raw_id_fields = ("participant", "target")
    list_select_related = ("participant__organisation", "participant__event", "target__organisation", "target__event")


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ("requester", "recipient", "event", "status", "day_part", "created_at", "answered_at")
    list_filter = ("status", "decline_reason", "day_part", "event")
    search_fields = ("requester__organisation__name_en", "recipient__organisation__name_en", "message")
    raw_id_fields = ("event", "requester", "recipient", "created_by")
    readonly_fields = ("created_at",)
    list_select_related = (
        "event",
        "requester__organisation",
        "requester__event",
        "recipient__organisation",
        "recipient__event",
    )
    date_hierarchy = "created_at"


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    raw_id_fields = ("participant", "slot")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("request", "event", "slot", "table", "status", "checked_in_at")
    list_filter = ("status", "is_fixed", "event")
    search_fields = ("request__requester__organisation__name_en", "request__recipient__organisation__name_en")
    raw_id_fields = ("event", "request", "slot")
    readonly_fields = ("created_at", "checked_in_at")
    list_select_related = (
        "event",
        "slot",
        "request__requester__organisation",
        "request__requester__event",
        "request__recipient__organisation",
        "request__recipient__event",
    )
    inlines = (BookingInline,)


@admin.register(MeetingRating)
class MeetingRatingAdmin(admin.ModelAdmin):
    list_display = ("meeting", "participant", "outcome", "created_at")
    list_filter = ("outcome", "meeting__event")
    search_fields = ("participant__organisation__name_en", "comment")
    raw_id_fields = ("meeting", "participant")
    readonly_fields = ("created_at",)


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    """Read-only: runs are records of what the scheduler did."""

    list_display = ("event", "started_at", "status", "placed", "objective", "upper_bound", "idle_gaps", "seconds")
    list_filter = ("run__status", "event")
    search_fields = ("event__title", "event__slug")
    list_select_related = ("event", "run")
    readonly_fields = [field.name for field in ScheduleRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
