from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silkbridge.common.countries import country_choices
from silkbridge.core.i18n import content_language
from silkbridge.directory.forms import sector_choices
from silkbridge.marketplace.choices import OpportunityType


class MatchFilterForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Profile type"), required=False, choices=[("", _("All types")), *OpportunityType.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    country = forms.ChoiceField(label=_("Country (either side)"), required=False)
    min_score = forms.FloatField(label=_("Lowest score"), required=False, min_value=0, max_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *sector_choices()]  # type: ignore[attr-defined]
        countries = country_choices(content_language(get_language()))
        self.fields["country"].choices = [("", _("All countries")), *countries]  # type: ignore[attr-defined]


class CurrencyRateForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text=_("ISO 4217 code, e.g. PKR or CNY."))
    units_per_usd = forms.DecimalField(label=_("Units per US dollar"), min_value=0, max_digits=20, decimal_places=6)
    valid_from = forms.DateField(
        label=_("Valid from"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=300)


class DigestForm(forms.Form):
    weekly = forms.BooleanField(label=_("Send me a weekly e-mail of new matches"), required=False)
