"""The calculator's form: the company's assumptions and up to 10 tax years of projections (PKR)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.zones.engine.incentives import AMOUNT_FIELDS, MAX_YEARS, tax_year_of
from silkbridge.zones.incentives_messages import FIELDS
from silkbridge.zones.selectors import zone_list


def year_field_name(index: int, name: str) -> str:
    return f"year_{index}_{name}"


class IncentiveForm(forms.Form):
    """Plain fields only; the engine checks the figures (one set of rules for page, API and command)."""

    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    first_year = forms.IntegerField(
        label=_("First tax year"), help_text=_("Tax year N runs from 1 July N-1 to 30 June N.")
    )
    stz_licence_year = forms.IntegerField(label=_("STZ licence tax year"))
    sez_production_start = forms.DateField(
        label=_("SEZ production start"),
        help_text=_("Written YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    discount_rate_percent = forms.DecimalField(label=_("Discount rate (%)"), max_digits=6, decimal_places=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("No zone chosen"))]
        choices += [(zone.key, zone.name) for zone in zone_list()]
        self.fields["zone"].choices = choices  # type: ignore[attr-defined]
        for index in range(MAX_YEARS):
            for name in AMOUNT_FIELDS:
                label = _("Year %(number)s: %(field)s") % {"number": index + 1, "field": FIELDS[name]}
                self.fields[year_field_name(index, name)] = forms.DecimalField(
                    label=label,
                    required=False,
                    max_digits=20,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"aria-label": label, "step": "any"}),
                )

    @staticmethod
    def defaults() -> dict[str, Any]:
        this_year = tax_year_of(timezone.localdate())
        return {
            "first_year": this_year,
            "stz_licence_year": this_year,
            "sez_production_start": timezone.localdate().isoformat(),
            "discount_rate_percent": "12",
        }

    def year_rows(self) -> list[list[forms.BoundField]]:
        return [[self[year_field_name(index, name)] for name in AMOUNT_FIELDS] for index in range(MAX_YEARS)]

    def document(self) -> dict[str, Any]:
        """The engine's input from the cleaned data: blank year rows at the end are left out."""
        data = self.cleaned_data
        rows = [[data.get(year_field_name(index, name)) for name in AMOUNT_FIELDS] for index in range(MAX_YEARS)]
        while rows and all(value is None for value in rows[-1]):
            rows.pop()
        return {
            "company": data.get("company") or "",
            "zone": data.get("zone") or "",
            "first_year": data["first_year"],
            "stz_licence_year": data["stz_licence_year"],
            "sez_production_start": data["sez_production_start"].isoformat(),
            "discount_rate_percent": data["discount_rate_percent"],
            "years": [dict(zip(AMOUNT_FIELDS, row, strict=True)) for row in rows],
        }

    def engine_error(self, field_name: str, message: str, full_text: str) -> None:
        """Put the engine's refusal beside its field (`years[2].revenue` -> `year_2_revenue`); one
        that concerns no field of the form (a missing rate) goes above it, naming what it concerns."""
        if field_name.startswith("years[") and "." in field_name:
            index, name = field_name[len("years[") :].split("].", 1)
            target = year_field_name(int(index), name)
        else:
            target = field_name
        if target in self.fields:
            self.add_error(target, message)
        else:
            self.add_error(None, full_text)
