from django.contrib import admin

from silkbridge.zones.models import Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("name_en", "kind", "city", "status", "area_acres", "developer")
    list_filter = ("kind", "status", "province")
    search_fields = ("name_en", "name_ur", "name_zh", "city", "developer")
    autocomplete_fields = ("sectors",)
