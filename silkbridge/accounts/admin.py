from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from silkbridge.accounts.forms import ThrottledAdminAuthenticationForm
from silkbridge.accounts.models import ApiToken, LoginThrottle, User

# The admin signs in through the same throttle as the site (the backend); this form shows the wait.
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "full_name", "role", "language", "time_zone", "is_active", "email_verified_at")
    list_filter = ("role", "is_active", "language")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("password", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        (_("Platform"), {"fields": ("role", "is_active", "is_superuser", "email_verified_at")}),
        (_("Preferences"), {"fields": ("language", "time_zone", "currency")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    search_fields = ("name", "user__email", "prefix")
    readonly_fields = ("user", "prefix", "token_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        # Tokens are created by their owner, who is the only one to see the secret once.
        return False


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Staff may look at the counts, and delete a row to lift a delay by hand."""

    list_display = ("key", "failures", "last_failure_at")
    search_fields = ("key", "email")
    readonly_fields = ("key", "email", "failures", "last_failure_at")

    def has_add_permission(self, request):
        return False
