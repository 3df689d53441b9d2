"""One FilterSet per listed model: the directory page and the API filter organisations with the same
one (NetBox's way), so that the same parameters give the same organisations through either door."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from silkbridge.core.countries import OfferedCountriesMixin
from silkbridge.directory import selectors
from silkbridge.directory.choices import OrganisationKind
from silkbridge.directory.forms import _country_choices, sector_choices
from silkbridge.directory.models import Organisation
from silkbridge.directory.search import RankedResults, query_units_check

VERIFIED_CHOICES = [("yes", _("Verified only")), ("no", _("Not yet verified"))]


class OrganisationFilterSet(OfferedCountriesMixin, django_filters.FilterSet):
    """Search words, kind, country, sector (a focus field includes its sub-fields) and verification.

    The queryset given is already what the viewer may see (`selectors.organisation_list`); the
    search ranks the best name matches first."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        validators=[query_units_check],
        widget=forms.SearchInput(attrs={"placeholder": _("Name, technology or keyword, in any language")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds"))
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=_country_choices, empty_label=_("All countries"), method="filter_country"
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=sector_choices, empty_label=_("All sectors"), method="filter_sector"
    )
    verified = django_filters.ChoiceFilter(
        label=_("Verification"), choices=VERIFIED_CHOICES, empty_label=_("All"), method="filter_verified"
    )

    class Meta:
        model = Organisation
        fields: list[str] = []  # every filter is declared above

    def filter_search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset  # the search and its ranking are one step, in `filter_queryset`

    def filter_country(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(country=value.upper())

    def filter_sector(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return selectors.filter_by_sector(queryset, value)

    def filter_verified(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(is_verified=value == "yes")

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        filtered = super().filter_queryset(queryset)
        return selectors.organisations_ranked(filtered, query=self.form.cleaned_data.get("q") or "")

    def results(self) -> RankedResults:
        """`qs` as the page and the API read it: a page at a time, the count capped ("1,000+")."""
        _ = self.errors  # validates the form, as `qs` does
        filtered = super().filter_queryset(self.queryset.all())
        return selectors.organisation_results(filtered, query=self.form.cleaned_data.get("q") or "")
