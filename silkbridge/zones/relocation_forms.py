"""The relocation request form: structured fields in the reader's language; activities in any language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.core.forms import organisation_choices_set
from silkbridge.directory.choices import ContentLanguage
from silkbridge.directory.models import Organisation, Sector
from silkbridge.zones.choices import MustHave, SpaceKind
from silkbridge.zones.models import RelocationRequest, Zone
from silkbridge.zones.relocation_services import SCALAR_FIELDS, RelocationRequestData
from silkbridge.zones.services import cities_known

TIER_CHOICES = [("", _("No data center needed")), *[(str(tier), f"Tier {tier}") for tier in (1, 2, 3, 4)]]


class RelocationRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Company"))
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language it is written in"), choices=ContentLanguage.choices)
    activities = forms.CharField(
        label=_("Activities"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("What you will do in Pakistan, in Chinese, English or Urdu: the sectors it names are found."),
    )
    sectors = forms.MultipleChoiceField(label=_("Sectors"), required=False, widget=forms.CheckboxSelectMultiple)
    space_kind = forms.ChoiceField(label=_("Kind of space"), choices=SpaceKind.choices)
    space_amount = forms.IntegerField(
        label=_("Space needed"),
        required=False,
        min_value=0,
        help_text=_("m² of office space, or a number of plots or racks."),
    )
    power_kw = forms.IntegerField(label=_("Power needed (kW)"), required=False, min_value=0)
    data_center_tier = forms.TypedChoiceField(
        label=_("Data center Tier needed"), choices=TIER_CHOICES, required=False, coerce=int, empty_value=None
    )
    staff_to_hire = forms.IntegerField(label=_("Staff to hire locally"), required=False, min_value=0)
    staff_to_bring = forms.IntegerField(label=_("Staff to bring"), required=False, min_value=0)
    move_by = forms.DateField(label=_("To move in by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    budget_usd = forms.IntegerField(label=_("Budget (USD)"), required=False, min_value=0)
    preferred_cities = forms.MultipleChoiceField(
        label=_("Preferred cities"), required=False, widget=forms.CheckboxSelectMultiple
    )
    must_haves = forms.MultipleChoiceField(
        label=_("Must-haves"), required=False, choices=MustHave.choices, widget=forms.CheckboxSelectMultiple
    )
    shared_with = forms.MultipleChoiceField(
        label=_("Share with zones"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only these zones' developers see the request; nobody else outside your company and staff."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = dict(self.fields)
        organisation_choices_set(fields["organisation"], organisations)
        fields["sectors"].choices = [
            (sector.code, sector.name) for sector in Sector.objects.order_by("position", "code")
        ]
        fields["preferred_cities"].choices = [(name, name) for name in sorted(cities_known())]
        fields["shared_with"].choices = [(zone.key, zone.name) for zone in Zone.objects.order_by("name_en")]

    @staticmethod
    def initial_for(relocation_request: RelocationRequest) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(relocation_request, name) for name in (*SCALAR_FIELDS, "preferred_cities", "must_haves")
        }
        initial["organisation"] = relocation_request.organisation_id
        initial["sectors"] = [sector.code for sector in relocation_request.sectors.all()]
        initial["shared_with"] = [zone.key for zone in relocation_request.shared_with.all()]
        return initial

    def data_for_service(self) -> RelocationRequestData:
        data = self.cleaned_data
        return RelocationRequestData(
            title=data["title"],
            language=data["language"],
            activities=data["activities"],
            sectors=list(data["sectors"]),
            space_kind=data["space_kind"],
            space_amount=data["space_amount"],
            power_kw=data["power_kw"],
            data_center_tier=data["data_center_tier"],
            staff_to_hire=data["staff_to_hire"],
            staff_to_bring=data["staff_to_bring"],
            move_by=data["move_by"],
            budget_usd=data["budget_usd"],
            preferred_cities=list(data["preferred_cities"]),
            must_haves=list(data["must_haves"]),
            shared_with=list(data["shared_with"]),
        )
