"""One FilterSet per listed model: the events pages and the API filter events, participants, meeting
requests and meetings with the same one (NetBox's way), so that the same parameters give the same rows
through either door. Each is given a queryset that is already what the viewer may see (the selector,
which takes the viewer, decides that); a FilterSet only narrows it."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silkbridge.common.countries import country_choices
from silkbridge.core.i18n import content_language
from silkbridge.directory.forms import sector_choices
from silkbridge.directory.selectors import filter_by_sector
from silkbridge.events import selectors
from silkbridge.events.choices import EventKind, MeetingStatus, RequestStatus
from silkbridge.events.models import Event, Meeting, MeetingRequest, Participant, Slot

BOX_CHOICES = [("received", _("Received")), ("sent", _("Sent"))]


def _countries() -> list[tuple[str, str]]:
    return country_choices(content_language(get_language()))


class EventFilterSet(django_filters.FilterSet):
    """Words of the title and the kind of event, over `selectors.event_list` (published; staff: all)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        field_name="title",
        lookup_expr="icontains",
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Words of the title")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Event
        fields: list[str] = []  # every filter is declared above


class ParticipantFilterSet(django_filters.FilterSet):
    """Words of the name, description or interests, the organisation's country and sector (a focus
    field includes its sub-fields), over `selectors.participant_list` (approved participants, for
    approved participants and staff).

    `countries` narrows the country list the page offers to the countries taking part; any country
    is still a valid value, so that the page and the API accept the same parameters."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, interest or keyword")}),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=_countries, empty_label=_("All countries"), method="filter_country"
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=sector_choices, empty_label=_("All sectors"), method="filter_sector"
    )

    class Meta:
        model = Participant
        fields: list[str] = []  # every filter is declared above

    def __init__(self, *args: Any, countries: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered_countries = None if countries is None else set(countries)

    @property
    def form(self) -> forms.Form:
        form: forms.Form = super().form
        if self.offered_countries is not None:
            language = content_language(get_language())
            names = country_choices(language, only=self.offered_countries)
            form.fields["country"].widget.choices = [("", _("All countries")), *names]
            self.offered_countries = None  # the form is built once: narrow its list once
        return form

    def filter_search(self, queryset: QuerySet[Participant], name: str, value: str) -> QuerySet[Participant]:
        return selectors.participants_search(queryset, value)

    def filter_country(self, queryset: QuerySet[Participant], name: str, value: str) -> QuerySet[Participant]:
        return queryset.filter(organisation__country=value.upper())

    def filter_sector(self, queryset: QuerySet[Participant], name: str, value: str) -> QuerySet[Participant]:
        return filter_by_sector(queryset, value, path="organisation__sectors")


class MeetingRequestFilterSet(django_filters.FilterSet):
    """Received or sent, and the request's status, over `selectors.requests_of` (one participant's)."""

    box = django_filters.ChoiceFilter(label=_("Requests"), choices=BOX_CHOICES, method="filter_box")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RequestStatus.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = MeetingRequest
        fields: list[str] = []  # every filter is declared above

    def filter_box(self, queryset: QuerySet[MeetingRequest], name: str, value: str) -> QuerySet[MeetingRequest]:
        # `is_received` is the selector's annotation (a Q, since it is no model field).
        return queryset.filter(Q(is_received=value == "received"))


class MeetingFilterSet(django_filters.FilterSet):
    """The slot (one of the event's) and the meeting's status, over `selectors.meeting_list` (staff)."""

    slot = django_filters.ModelChoiceFilter(label=_("Slot"), queryset=Slot.objects.none(), empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices, empty_label=_("All"))

    class Meta:
        model = Meeting
        fields: list[str] = []  # every filter is declared above

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.filters["slot"].queryset = event.slots.order_by("starts_at", "pk")

    @property
    def form(self) -> forms.Form:
        form: forms.Form = super().form
        slot_field = form.fields["slot"]
        assert isinstance(slot_field, forms.ModelChoiceField)
        zone = zoneinfo.ZoneInfo(self.event.time_zone)

        def slot_label(slot: Slot) -> str:
            place = f" · {slot.location}" if slot.location else ""
            return slot.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") + place

        slot_field.label_from_instance = slot_label  # type: ignore[method-assign,assignment]
        return form
