"""One FilterSet for matches: the match pages and the API filter them with the same one (NetBox's way),
so that the same parameters give the same matches through either door. The queryset given is already
what the viewer may see (`selectors.matches_all` for staff, `selectors.matches_of_user` for members)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silkbridge.common.countries import country_choices
from silkbridge.core.countries import OfferedCountriesMixin
from silkbridge.core.i18n import content_language
from silkbridge.directory.forms import sector_choices
from silkbridge.directory.selectors import filter_by_sector
from silkbridge.marketplace.choices import OpportunityType
from silkbridge.matching.models import Match


def _countries() -> list[tuple[str, str]]:
    return country_choices(content_language(get_language()))


class MatchFilterSet(OfferedCountriesMixin, django_filters.FilterSet):
    """Words of either profile's title, the profile's type and sector (a focus field includes its
    sub-fields), either side's country and the lowest score."""

    country_paths = ("opportunity__organisation__country", "other__organisation__country")

    q = django_filters.CharFilter(label=_("Title contains"), method="filter_title", max_length=200)
    kind = django_filters.ChoiceFilter(
        label=_("Profile type"),
        field_name="opportunity__kind",
        choices=OpportunityType.choices,
        empty_label=_("All types"),
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=sector_choices, empty_label=_("All sectors"), method="filter_sector"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country (either side)"), choices=_countries, empty_label=_("All countries"), method="filter_country"
    )
    min_score = django_filters.NumberFilter(
        label=_("Lowest score"), field_name="score", lookup_expr="gte", min_value=0, max_value=1
    )

    class Meta:
        model = Match
        fields: list[str] = []  # every filter is declared above

    def filter_title(self, queryset: QuerySet[Match], name: str, value: str) -> QuerySet[Match]:
        return queryset.filter(Q(opportunity__title__icontains=value) | Q(other__title__icontains=value))

    def filter_sector(self, queryset: QuerySet[Match], name: str, value: str) -> QuerySet[Match]:
        return filter_by_sector(queryset, value, path="opportunity__sectors")

    def filter_country(self, queryset: QuerySet[Match], name: str, value: str) -> QuerySet[Match]:
        country = value.upper()
        return queryset.filter(Q(opportunity__organisation__country=country) | Q(other__organisation__country=country))
