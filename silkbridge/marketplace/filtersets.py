"""One FilterSet per listed model: the marketplace pages and the API filter profiles and expressions of
interest with the same one (NetBox's way), so that the same parameters give the same rows through
either door."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from silkbridge.core.countries import OfferedCountriesMixin
from silkbridge.directory.choices import ContentLanguage
from silkbridge.directory.forms import sector_choices
from silkbridge.directory.search import query_units_check, search
from silkbridge.directory.selectors import filter_by_sector
from silkbridge.marketplace.choices import InterestStatus, OpportunityType
from silkbridge.marketplace.forms import _countries
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity, OpportunitySearchToken


class OpportunityFilterSet(OfferedCountriesMixin, django_filters.FilterSet):
    """Words in the title, summary or description, type, sector (a focus field includes its
    sub-fields), the organisation's country and the text's language. The queryset given is already
    what the viewer may see (`selectors.opportunities_browse`)."""

    country_paths = ("organisation__country",)

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        validators=[query_units_check],
        widget=forms.SearchInput(attrs={"placeholder": _("Title or words of the description")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=OpportunityType.choices, empty_label=_("All types"))
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=sector_choices, empty_label=_("All sectors"), method="filter_sector"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=_countries, empty_label=_("All countries"), method="filter_country"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=ContentLanguage.choices, empty_label=_("All languages")
    )

    class Meta:
        model = Opportunity
        fields: list[str] = []  # every filter is declared above

    def filter_search(self, queryset: QuerySet[Opportunity], name: str, value: str) -> QuerySet[Opportunity]:
        # The directory's search over the profiles' token index: words in three languages and the
        # glossary's concepts and synonyms, narrowing only what the viewer may already see.
        return search(queryset, value, token_model=OpportunitySearchToken)

    def filter_sector(self, queryset: QuerySet[Opportunity], name: str, value: str) -> QuerySet[Opportunity]:
        return filter_by_sector(queryset, value)

    def filter_country(self, queryset: QuerySet[Opportunity], name: str, value: str) -> QuerySet[Opportunity]:
        return queryset.filter(organisation__country=value.upper())


DIRECTION_CHOICES = [("received", _("Received")), ("sent", _("Sent"))]


class InterestFilterSet(django_filters.FilterSet):
    """Received (on the organisations' profiles) or sent, and the status, over
    `selectors.interests_of_user` (the interests of the viewer's organisations)."""

    direction = django_filters.ChoiceFilter(
        label=_("Direction"), choices=DIRECTION_CHOICES, empty_label=_("Both"), method="filter_direction"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=InterestStatus.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = ExpressionOfInterest
        fields: list[str] = []  # every filter is declared above

    def filter_direction(
        self, queryset: QuerySet[ExpressionOfInterest], name: str, value: str
    ) -> QuerySet[ExpressionOfInterest]:
        # `is_received` and `is_sent` are the selector's annotations (a Q, since they are no model fields).
        return queryset.filter(Q(is_received=True) if value == "received" else Q(is_sent=True))
