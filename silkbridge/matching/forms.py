from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CurrencyRateForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text=_("ISO 4217 code, e.g. PKR or CNY."))
    units_per_usd = forms.DecimalField(label=_("Units per US dollar"), min_value=0, max_digits=20, decimal_places=6)
    valid_from = forms.DateField(
        label=_("Valid from"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=300)


class DigestForm(forms.Form):
    weekly = forms.BooleanField(label=_("Send me a weekly e-mail of new matches"), required=False)
