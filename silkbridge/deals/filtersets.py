"""One FilterSet per listed model of the deals app: the deals board, the "my deals" list, their exports
and the API filter deals with the same one (NetBox's way), so that the same parameters give the same
rows through every door."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silkbridge.common.countries import country_choices
from silkbridge.core.countries import OfferedCountriesMixin
from silkbridge.core.i18n import content_language
from silkbridge.deals.choices import ALL_STAGES, DealStage, DealSubject, DealTrack, RelocationStage
from silkbridge.deals.models import Deal, DealParty
from silkbridge.deals.selectors.pipeline import staff_users
from silkbridge.directory.forms import sector_choices
from silkbridge.directory.selectors import filter_by_sector


def _countries() -> list[tuple[str, str]]:
    return country_choices(content_language(get_language()))


def _owners(request: Any) -> QuerySet[Any]:
    return staff_users()


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class OwnerFilter(django_filters.ModelChoiceFilter):
    field_class = OwnerChoiceField


TRACK_ALL = "all"


class DealFilterSet(OfferedCountriesMixin, django_filters.FilterSet):
    """Track (deals only when not given; `relocation` for relocation cases, `all` for both), stage,
    subject, sector (a focus field includes its sub-fields), country of any party, owner,
    and age: deals older than N days, or in their stage for more than N days. The queryset given is
    already what the viewer may see (`selectors.pipeline.deals_visible`)."""

    country_paths = ("parties__organisation__country",)

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Title or reference")}),
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=DealStage.choices, empty_label=_("All stages"))
    # Deals only unless asked: a relocation case is a deal on its own track, followed on its own board.
    track = django_filters.ChoiceFilter(
        label=_("Track"),
        choices=[*DealTrack.choices, (TRACK_ALL, _("Deals and relocation cases"))],
        empty_label=None,
        method="filter_track",
    )
    subject = django_filters.ChoiceFilter(
        label=_("Subject"), choices=DealSubject.choices, empty_label=_("All subjects")
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=sector_choices, empty_label=_("All sectors"), method="filter_sector"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=_countries, empty_label=_("All countries"), method="filter_country"
    )
    owner = OwnerFilter(label=_("Owner"), queryset=_owners, empty_label=_("Anyone"))
    older_than = django_filters.NumberFilter(
        label=_("Older than (days)"),
        method="filter_older_than",
        min_value=0,
        max_value=36_500,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1}),
    )
    in_stage_over = django_filters.NumberFilter(
        label=_("In its stage for more than (days)"),
        method="filter_in_stage_over",
        min_value=0,
        max_value=36_500,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1}),
    )

    class Meta:
        model = Deal
        fields: list[str] = []  # every filter is declared above

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        # The stages offered are the track's: a relocation case's own, or both tracks' for `all`.
        track = str((data or {}).get("track") or "")
        stages = {DealTrack.RELOCATION: RelocationStage.choices, TRACK_ALL: ALL_STAGES}.get(track, DealStage.choices)
        self.filters["stage"].extra["choices"] = stages

    def filter_queryset(self, queryset: QuerySet[Deal]) -> QuerySet[Deal]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("track"):  # not given: what a deals user expects, deals only
            queryset = queryset.filter(track=DealTrack.DEAL)
        return queryset

    def filter_track(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        return queryset if value == TRACK_ALL else queryset.filter(track=value)

    def filter_search(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(reference=value)) if value else queryset

    def filter_sector(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        return filter_by_sector(queryset, value, path="sector")

    def filter_country(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        parties = DealParty.objects.filter(organisation__country=value.upper()).values("deal_id")
        return queryset.filter(pk__in=parties)

    def filter_older_than(self, queryset: QuerySet[Deal], name: str, value: Any) -> QuerySet[Deal]:
        return queryset.filter(created_at__lt=timezone.now() - timedelta(days=int(value)))

    def filter_in_stage_over(self, queryset: QuerySet[Deal], name: str, value: Any) -> QuerySet[Deal]:
        return queryset.filter(stage_changed_at__lt=timezone.now() - timedelta(days=int(value)))
