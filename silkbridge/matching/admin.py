"""Administration of stored matches, feedback, rates and weights for staff (rates are better set on
the rates page, which recomputes the matches)."""

from django.contrib import admin

from silkbridge.matching.models import DigestSubscription, Match, MatchFeedback, WeightSet


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "other", "score", "rank", "first_seen_at", "computed_at")
    search_fields = ("opportunity__title", "other__title")
    raw_id_fields = ("opportunity", "other")


@admin.register(MatchFeedback)
class MatchFeedbackAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "other", "user", "useful", "family", "updated_at")
    list_filter = ("useful", "family")
    raw_id_fields = ("opportunity", "other", "user")


@admin.register(WeightSet)
class WeightSetAdmin(admin.ModelAdmin):
    list_display = ("created_at", "is_active", "note")


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "last_sent_at")
    raw_id_fields = ("user",)
