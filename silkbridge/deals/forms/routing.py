"""Forms of the MoU route panel, the signatories and the public verification page. They check the
shape of the input; the rules are the services' and come back as ValidationError beside the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class RouteApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class RouteReturnForm(forms.Form):
    """Shown beside RouteApproveForm on one page: its own ids, so that each label names its own field."""

    note = forms.CharField(
        label=_("Why is the draft returned?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("The drafters see this note; the route resumes at this office when the MoU is sent again."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_return_%s")
        super().__init__(*args, **kwargs)


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=300, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    signed_on = forms.DateField(label=_("Date of signature"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("The PDF of a signed MoU as you received it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
