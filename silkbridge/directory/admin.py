from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from silkbridge.directory.models import Concept, Contact, ImportRun, Organisation, Sector
from silkbridge.directory.services import organisation_reindex, organisation_verify


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_local", "kind", "country", "city", "is_verified", "visibility", "is_demo")
    list_filter = ("kind", "country", "is_verified", "visibility", "is_demo", "sectors")
    search_fields = ("key", "name_en", "name_local", "city", "description")
    autocomplete_fields = ("sectors", "concepts")
    readonly_fields = ("verified_at", "verified_by", "created_at", "updated_at")
    inlines = (ContactInline,)
    actions = ("mark_verified",)

    @admin.action(description=_("Mark selected organisations as verified"))
    def mark_verified(self, request, queryset):
        for organisation in queryset:
            organisation_verify(actor=request.user, organisation=organisation, is_verified=True)
        messages.success(request, _("%(count)d organisations verified.") % {"count": queryset.count()})

    def save_related(self, request, form, formsets, change):
        # Keep the search text in step with edits made here (names, technologies, sectors).
        super().save_related(request, form, formsets, change)
        organisation_reindex(organisation=form.instance)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh", "name_ur", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("code", "name_en", "name_zh", "name_ur")


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
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
