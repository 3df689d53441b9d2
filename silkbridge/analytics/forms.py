"""The one filter of every dashboard, download and API call: period, country, sector, event."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.analytics.selectors import FigureFilter
from silkbridge.common.countries import is_country_code

MAX_PERIOD_DAYS = 3660  # ten years: a longer period is a typo, and its previous period would precede the platform


class FigureFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    country = forms.CharField(label=_("Country (ISO code)"), required=False, max_length=2)
    sector = forms.CharField(label=_("Sector code"), required=False, max_length=40)
    event = forms.SlugField(label=_("Event (short name)"), required=False, max_length=80)

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if country and not is_country_code(country):
            raise forms.ValidationError(_("Use an ISO 3166-1 country code such as PK or CN."))
        return country

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period must end on or after its first day."))
            elif (end - start).days >= MAX_PERIOD_DAYS:
                self.add_error("start", _("The period may be at most ten years long."))
        return cleaned

    def figure_filter(self, *, today: date) -> FigureFilter:
        """The filter the form asks for; the default period for any field left empty or invalid."""
        default = FigureFilter.default(today=today)
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or default.end
        start = data.get("start") or end - timedelta(days=default.days - 1)
        return FigureFilter(
            start=start,
            end=end,
            country=data.get("country", ""),
            sector=data.get("sector", ""),
            event=data.get("event", ""),
        )
