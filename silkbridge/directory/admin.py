from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from silkbridge.directory.models import (
    Concept,
    Contact,
    HeldRequest,
    ImportRun,
    Membership,
    MembershipInvitation,
    Organisation,
    OrganisationClaim,
    OrganisationEvent,
    Sector,
)
from silkbridge.directory.services import organisation_reindex, organisation_verify, search_rebuild_start


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class MembershipInline(admin.TabularInline):
    """The organisation's members (the inline sat on the user page before memberships moved here)."""

    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class OrganisationEventInline(admin.TabularInline):
    """The organisation's history, read-only: the services write it, no one edits it."""

    model = OrganisationEvent
    fk_name = "organisation"
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "actor", "changes")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class VerificationQueueFilter(admin.SimpleListFilter):
    title = _("verification queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting for verification"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(is_verified=False, verification_requested_at__isnull=False).order_by(
                "verification_requested_at", "pk"
            )
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name_en",
        "name_local",
        "kind",
        "country",
        "city",
        "is_verified",
        "verification_requested_at",
        "visibility",
        "is_demo",
    )
    list_filter = (VerificationQueueFilter, "kind", "country", "is_verified", "visibility", "is_demo", "sectors")
    search_fields = ("key", "name_en", "name_local", "city", "description")
    autocomplete_fields = ("sectors", "concepts")
    readonly_fields = ("verified_at", "verified_by", "verification_requested_at", "created_at", "updated_at")
    inlines = (ContactInline, MembershipInline, OrganisationEventInline)
    actions = ("mark_verified",)

    @admin.action(description=_("Mark selected organisations as verified"))
    def mark_verified(self, request, queryset):
        for organisation in queryset:
            organisation_verify(actor=request.user, organisation=organisation, is_verified=True)
        messages.success(
            request,
            ngettext("%(count)d organisation verified.", "%(count)d organisations verified.", count := queryset.count())
            % {"count": count},
        )

    def save_related(self, request, form, formsets, change):
        # Keep the search text in step with edits made here (names, technologies, sectors).
        super().save_related(request, form, formsets, change)
        organisation_reindex(organisation=form.instance)


class GlossaryAdmin(admin.ModelAdmin):
    """Concepts and sectors: search finds documents by their labels, so every change rebuilds the search
    index in a background run (`search_rebuild_start`)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search_rebuild_start(actor=request.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        search_rebuild_start(actor=request.user)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        search_rebuild_start(actor=request.user)


@admin.register(Sector)
class SectorAdmin(GlossaryAdmin):
    list_display = ("code", "name_en", "name_zh", "name_ur", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("code", "name_en", "name_zh", "name_ur")


@admin.register(Concept)
class ConceptAdmin(GlossaryAdmin):
    list_display = ("code", "label_en", "label_zh", "label_ur", "sector")
    list_filter = ("sector__parent",)
    search_fields = ("code", "label_en", "label_zh", "label_ur")
    exclude = ("search_document",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "role", "email", "phone", "is_public")
    search_fields = ("name", "email", "organisation__name_en")
    autocomplete_fields = ("organisation",)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "created_by",
        "status",
        "rows_total",
        "created_count",
        "updated_count",
        "unchanged_count",
        "created_at",
    )
    list_filter = ("status",)
    readonly_fields = [field.name for field in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(admin.ModelAdmin):
    """The history of every organisation, read-only: the directory services write it."""

    list_display = ("created_at", "organisation", "kind", "actor")
    list_filter = ("kind",)
    search_fields = ("organisation__name_en", "organisation__key", "actor__email")
    list_select_related = ("organisation", "actor")
    fields = ("created_at", "organisation", "kind", "actor", "changes")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organisation__name_en", "organisation__name_local")
    autocomplete_fields = ("user", "organisation")


@admin.register(MembershipInvitation)
class MembershipInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "created_at", "expires_at", "accepted_at")
    search_fields = ("email", "organisation__name_en")
    readonly_fields = ("organisation", "email", "role", "token_hash", "invited_by", "created_at", "accepted_at")

    def has_add_permission(self, request):
        # Invitations are sent from the organisation's members page, which e-mails the link.
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Seen in the admin, decided only through the services and their pages (which check the actor, tell the
    people concerned and deliver what waited): nothing is added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganisationClaim)
class OrganisationClaimAdmin(_ReadOnlyAdmin):
    """Claims are decided at /directory/claims/ (owners, or staff for an organisation without owners)."""

    list_display = ("organisation", "user", "status", "proof", "created_at", "decided_by", "decided_at")
    list_filter = ("status", "proof")
    search_fields = ("organisation__name_en", "user__email")


@admin.register(HeldRequest)
class HeldRequestAdmin(_ReadOnlyAdmin):
    """Requests to organisations without members, kept for staff (/directory/waiting-requests/)."""

    list_display = ("organisation", "sender", "what", "created_at", "delivered_at")
    search_fields = ("organisation__name_en", "what")
