from django.contrib import admin

from silkbridge.datacenters.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("name", "reference", "tier", "claimed_tier", "availability", "pue", "created_by", "created_at")
    list_filter = ("tier", "claimed_tier")
    search_fields = ("name", "reference", "file_name", "created_by__email")
    readonly_fields = ("reference", "created_at", "result")
    raw_id_fields = ("created_by",)
