from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from silkbridge.datacenters.services import MAX_YEARS, MIN_YEARS, UploadedText


class AssessmentForm(forms.Form):
    design = forms.FileField(
        label=_("Design file"),
        required=False,
        help_text=_("YAML or JSON in the Silkbridge design format."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )
    design_text = forms.CharField(
        label=_("…or paste the design"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "dir": "ltr", "class": "code"}),
    )
    weather = forms.FileField(
        label=_("Weather file (optional)"),
        required=False,
        help_text=_(
            "An EnergyPlus weather file (.epw) for an hourly energy estimate; "
            "without it the city's monthly normals are used."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".epw"}),
    )
    years = forms.IntegerField(
        label=_("Simulated years"),
        min_value=MIN_YEARS,
        max_value=MAX_YEARS,
        initial=100_000,
        help_text=_("More years narrow the Monte Carlo interval and take longer."),
    )
    seed = forms.IntegerField(label=_("Random seed"), initial=1, min_value=0, max_value=2**31 - 1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("design") and not (data.get("design_text") or "").strip():
            self.add_error("design", _("Choose a design file or paste a design."))
        elif data.get("design") and (data.get("design_text") or "").strip():
            self.add_error("design_text", _("Give either a file or pasted text, not both."))
        return data

    def design_upload(self) -> UploadedText:
        upload = self.cleaned_data.get("design")
        if upload:
            return UploadedText.read(upload, limit=settings.DATACENTER_DESIGN_MAX_BYTES, default_name="design.yaml")
        return UploadedText(name="pasted.yaml", content=self.cleaned_data["design_text"].encode("utf-8"))

    def weather_upload(self) -> UploadedText | None:
        upload = self.cleaned_data.get("weather")
        if not upload:
            return None
        return UploadedText.read(upload, limit=settings.DATACENTER_EPW_MAX_BYTES, default_name="weather.epw")
