from django.contrib import admin

from silkbridge.money.models import CurrencyRate


@admin.register(CurrencyRate)
class CurrencyRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "units_per_usd", "valid_from", "source", "set_by")
    list_filter = ("currency",)
