from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.zones.facts_models import ZoneFactField


class ZoneFactProposalForm(forms.Form):
    """One fact, its new value, and where it comes from. The service checks the value for the fact."""

    field = forms.ChoiceField(label=_("Fact"), choices=ZoneFactField.choices)
    value = forms.CharField(
        label=_("New value"),
        max_length=2000,
        help_text=_("Numbers without units; yes or no for fibre, housing and bonded warehouse."),
    )
    source = forms.CharField(
        label=_("Source"), max_length=500, help_text=_("The document or page address this figure comes from.")
    )
    source_date = forms.DateField(label=_("Date of the source"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note for staff"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ZoneFactRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
