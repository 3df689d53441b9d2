"""Staff forms for a delegation visit's itinerary. They only shape input: the rules (known cities, no
overlap, members only) are visit_services'. Each time is typed as the wall-clock time of its own city:
a leg leaving Beijing in Beijing time, landing in Islamabad in Pakistan time."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.events.forms_staff import DATETIME_WIDGET
from silkbridge.events.models import Participant
from silkbridge.events.visit_cities import city_time_zone


def in_city(value: datetime, city: str) -> datetime:
    """The wall-clock time typed, read in the city's time zone."""
    return timezone.make_naive(value).replace(tzinfo=zoneinfo.ZoneInfo(city_time_zone(city)))


class StopForm(forms.Form):
    city = forms.CharField(label=_("City"), max_length=100, widget=forms.TextInput(attrs={"list": "visit-cities"}))
    arrives_at = forms.DateTimeField(label=_("Arrives (local time)"), widget=DATETIME_WIDGET)
    leaves_at = forms.DateTimeField(label=_("Leaves (local time)"), widget=DATETIME_WIDGET)
    address = forms.CharField(label=_("Where the delegation meets its hosts"), max_length=300, required=False)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        city = data["city"].strip()
        return {
            "city": city,
            "arrives_at": in_city(data["arrives_at"], city),
            "leaves_at": in_city(data["leaves_at"], city),
            "address": data["address"],
        }


class LegForm(forms.Form):
    from_city = forms.CharField(label=_("From"), max_length=100, widget=forms.TextInput(attrs={"list": "visit-cities"}))
    to_city = forms.CharField(label=_("To"), max_length=100, widget=forms.TextInput(attrs={"list": "visit-cities"}))
    departs_at = forms.DateTimeField(label=_("Departs (local time of departure)"), widget=DATETIME_WIDGET)
    arrives_at = forms.DateTimeField(label=_("Arrives (local time of arrival)"), widget=DATETIME_WIDGET)
    carrier = forms.CharField(label=_("Flight, train or road"), max_length=100, required=False)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        from_city, to_city = data["from_city"].strip(), data["to_city"].strip()
        return {
            "from_city": from_city,
            "to_city": to_city,
            "departs_at": in_city(data["departs_at"], from_city),
            "arrives_at": in_city(data["arrives_at"], to_city),
            "carrier": data["carrier"],
        }


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation.display_name)


class SiteVisitForm(forms.Form):
    zone = forms.CharField(
        label=_("Zone (its key)"), max_length=100, widget=forms.TextInput(attrs={"list": "visit-zones"})
    )
    starts_at = forms.DateTimeField(label=_("Starts (local time)"), widget=DATETIME_WIDGET)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, initial=120)
    attendees = MemberChoiceField(
        label=_("Members who go (none ticked: the request's company, or every member)"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    relocation_request = forms.IntegerField(
        label=_("Relocation request number (optional)"), required=False, min_value=1
    )
    contact = forms.CharField(label=_("Contact on site"), max_length=300, required=False)

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            attendees = self.fields["attendees"]
            if isinstance(attendees, MemberChoiceField):
                attendees.queryset = members

    def arguments(self, zone_city: str) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "zone_key": data["zone"].strip(),
            "starts_at": in_city(data["starts_at"], zone_city),
            "minutes": data["minutes"],
            "attendee_ids": [participant.pk for participant in data["attendees"]],
            "relocation_request_id": data["relocation_request"],
            "contact": data["contact"],
        }


class SiteVisitPlanForm(forms.Form):
    """A site visit planned from a relocation case's page: the case gives the zone and the request."""

    event = forms.SlugField(label=_("Delegation visit"), widget=forms.Select)
    starts_at = forms.DateTimeField(label=_("Starts (local time)"), widget=DATETIME_WIDGET)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, initial=90)
    contact = forms.CharField(label=_("Contact on site"), max_length=300, required=False)

    def __init__(self, *args: Any, delegations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].widget.choices = [(event.slug, event.title) for event in delegations]


class SiteVisitPlanPostForm(SiteVisitPlanForm):
    """What the case page posts: the visible fields, and the case's zone and request (hidden inputs)."""

    zone = forms.CharField(label=_("Zone"), max_length=100)
    relocation_request = forms.IntegerField(label=_("Relocation request"))


class HostDeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)
