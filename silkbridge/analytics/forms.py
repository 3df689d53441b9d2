"""The one filter of every dashboard, download and API call: period, country, sector, event."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.analytics.selectors import SUPPRESSION_THRESHOLD, FigureFilter, event_visible, too_narrow_field
from silkbridge.common.countries import is_country_code
from silkbridge.directory.models import Sector

FIRST_DAY = date(2000, 1, 1)  # before the platform; an earlier day is a typo (and year 1 overflows)
MAX_PERIOD_DAYS = 3660  # ten years: a longer period is a typo, and its previous period would precede the platform


def last_day(today: date) -> date:
    """The latest day a period may name: a year after today (plans, not the year 9999)."""
    return today + timedelta(days=365)


class FigureFilterForm(forms.Form):
    """Validated against what the viewer may see: for anyone but staff, a country, sector or event that
    leaves fewer than SUPPRESSION_THRESHOLD organisations they may see is refused (its figures would be
    one organisation's)."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    country = forms.CharField(label=_("Country (ISO code)"), required=False, max_length=2)
    sector = forms.CharField(label=_("Sector code"), required=False, max_length=40)
    event = forms.SlugField(label=_("Event (short name)"), required=False, max_length=80)

    def __init__(self, *args: Any, viewer: Any = None, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.today = today or timezone.localdate()

    def _day_in_range(self, name: str) -> date | None:
        day: date | None = self.cleaned_data[name]
        if day is not None and not FIRST_DAY <= day <= last_day(self.today):
            raise forms.ValidationError(
                _("Use a day from %(first)s to %(last)s.")
                % {"first": f"{FIRST_DAY:%Y-%m-%d}", "last": f"{last_day(self.today):%Y-%m-%d}"}
            )
        return day

    def clean_start(self) -> date | None:
        return self._day_in_range("start")

    def clean_end(self) -> date | None:
        return self._day_in_range("end")

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if country and not is_country_code(country):
            raise forms.ValidationError(_("Use an ISO 3166-1 country code such as PK or CN."))
        return country

    def clean_sector(self) -> str:
        sector = self.cleaned_data["sector"].strip()
        if sector and not Sector.objects.filter(code=sector).exists():
            raise forms.ValidationError(_("No focus field has this code."))
        return sector

    def clean_event(self) -> str:
        event = self.cleaned_data["event"]
        if event and self.viewer is not None and not event_visible(viewer=self.viewer, slug=event):
            # The same answer for an unknown and an unpublished event, so that drafts do not show.
            raise forms.ValidationError(_("No event you may see has this short name."))
        return event

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and not ({"start", "end"} & set(self.errors)):
            # Checked against the end the filter will use: today when none is given.
            last = end or self.today
            if last < start:
                self.add_error("end" if end else "start", _("The period must end on or after its first day."))
            elif (last - start).days >= MAX_PERIOD_DAYS:
                self.add_error("start", _("The period may be at most ten years long."))
        if self.viewer is not None and not any(name in self.errors for name in ("country", "sector", "event")):
            narrow = too_narrow_field(
                viewer=self.viewer,
                country=cleaned.get("country", ""),
                sector=cleaned.get("sector", ""),
                event=cleaned.get("event", ""),
            )
            if narrow:
                self.add_error(
                    narrow,
                    _("Fewer than %(threshold)s organisations you may see match this filter; widen it.")
                    % {"threshold": SUPPRESSION_THRESHOLD},
                )
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
