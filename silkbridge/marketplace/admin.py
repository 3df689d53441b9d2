"""Administration of the marketplace for staff. Publication goes through the review page (which
e-mails the owner and refreshes matches); the admin is for looking things up and fixing data."""

from django.contrib import admin

from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity, ReviewComment
from silkbridge.marketplace.services import opportunity_reindex


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    extra = 0
    readonly_fields = ("author", "decision", "body", "created_at")


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "organisation", "language", "status", "visibility", "expires_on", "is_demo")
    list_filter = ("kind", "status", "visibility", "language", "is_demo")
    search_fields = ("title", "summary", "organisation__name_en", "organisation__key")
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("sectors", "concepts")
    readonly_fields = ("created_by", "submitted_at", "published_at", "closed_at", "created_at", "updated_at")
    inlines = (ReviewCommentInline,)

    def save_related(self, request, form, formsets, change):
        # Keep the search index in step with edits made here (text, technologies, sectors).
        super().save_related(request, form, formsets, change)
        opportunity_reindex(opportunity=form.instance)


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "organisation", "status", "decline_reason", "created_at", "answered_at")
    list_filter = ("status", "decline_reason")
    search_fields = ("opportunity__title", "organisation__name_en")
    raw_id_fields = ("opportunity", "organisation", "created_by", "answered_by")
