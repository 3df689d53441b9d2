from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from silkbridge.datacenters.services import MIN_YEARS, UploadedText, max_years


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
        initial=100_000,
    )
    seed = forms.IntegerField(label=_("Random seed"), initial=1, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The cap and the budget are settings, so the field is bounded and explained when the form is built.
        limit = max_years()
        years = self.fields["years"]
        assert isinstance(years, forms.IntegerField)
        years.max_value = limit
        years.widget.attrs["max"] = limit
        message = _("At most %(limit)d simulated years per assessment.") % {"limit": limit}
        years.validators.append(MaxValueValidator(limit, message=message))
        years.help_text = _(
            "More years narrow the Monte Carlo interval and take longer. Between %(low)d and %(high)d per "
            "assessment; each user may run %(runs)d assessments with %(years)d simulated years in total per hour."
        ) % {
            "low": MIN_YEARS,
            "high": limit,
            "runs": settings.DATACENTER_ASSESSMENTS_PER_HOUR,
            "years": settings.DATACENTER_YEARS_PER_HOUR,
        }

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
