"""Participant forms: registration, availability, participant filters, requests, answers and ratings.

Forms only check the shape of the input; the rules (registration window, request policy, free
slots) are the services' and come back as ValidationError, shown beside the field they name.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from silkbridge.accounts.forms import time_zone_choices
from silkbridge.core.forms import add_service_errors as add_service_errors  # the events views use it from here
from silkbridge.core.forms import organisation_choices_set
from silkbridge.directory.models import Organisation
from silkbridge.events.choices import DayPart, DeclineReason, MeetingOutcome, PreferenceLevel
from silkbridge.events.models import Slot

MAX_MEETINGS_LIMIT = 60


def slot_label(slot: Slot, zone: zoneinfo.ZoneInfo) -> str:
    """“Tue 4 Mar, 13:00–13:30 (UTC+0800)” in the reader's zone and language."""
    start = slot.starts_at.astimezone(zone)
    end = slot.ends_at.astimezone(zone)
    return f"{date_format(start, 'D j M')}, {start:%H:%M}–{end:%H:%M} (UTC{start:%z})"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class RegistrationForm(forms.Form):
    """What a participant tells the organiser; the organisation only when registering for the first time."""

    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=time_zone_choices,
        help_text=_("Your agenda and the slots below are shown in this zone."),
    )
    interests = forms.CharField(
        label=_("What you want to find at the event"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Technologies, partners or investment you are looking for. Other participants read this."),
    )
    interpreter_needed = forms.BooleanField(label=_("We need an interpreter (Chinese ↔ English/Urdu)"), required=False)
    max_meetings = forms.IntegerField(label=_("Most meetings you can take"), min_value=1, max_value=MAX_MEETINGS_LIMIT)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            organisation_choices_set(self.fields["organisation"], organisations)


class AvailabilityForm(forms.Form):
    """The availability grid: one checkbox per slot (rendered grouped by day in the participant's zone)."""

    slots = forms.TypedMultipleChoiceField(
        label=_("When you are available"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, slots: Iterable[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slots"].choices = [(slot.pk, str(slot.pk)) for slot in slots]  # type: ignore[attr-defined]


class PreferenceForm(forms.Form):
    target = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.ChoiceField(
        label=_("Your interest"), required=False, choices=[("", _("Not set")), *PreferenceLevel.choices]
    )


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say who you are and what you would like to discuss."),
    )
    day_part = forms.ChoiceField(label=_("When"), choices=DayPart.choices, initial=DayPart.ANY)


class AcceptForm(forms.Form):
    """Accepting a request; where participants pick the slot, one of the pair's common free slots."""

    slot = forms.TypedChoiceField(label=_("Meeting time"), coerce=int, required=False)

    def __init__(
        self, *args: Any, free_slots: list[Slot] | None = None, zone: zoneinfo.ZoneInfo | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if free_slots is None:
            del self.fields["slot"]
            return
        zone = zone or zoneinfo.ZoneInfo("UTC")
        self.slots_by_id = {slot.pk: slot for slot in free_slots}
        field = self.fields["slot"]
        field.choices = [(slot.pk, slot_label(slot, zone)) for slot in free_slots]  # type: ignore[attr-defined]
        field.required = bool(free_slots)

    def chosen_slot(self) -> Slot | None:
        slot_id = self.cleaned_data.get("slot")
        return self.slots_by_id.get(slot_id) if slot_id else None


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("Choose a reason")), *DeclineReason.choices])
    note = forms.CharField(label=_("Note to the requester"), required=False, max_length=500)


class RatingForm(forms.Form):
    outcome = forms.ChoiceField(label=_("How did it go?"), choices=MeetingOutcome.choices)
    comment = forms.CharField(
        label=_("Comment (only the organiser sees it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
