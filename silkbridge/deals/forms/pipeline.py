"""The deal pages' forms: start a deal, move its stage, set its next step, edit it, add a party. They
only read the input; the rules are the services' (`deals.services.pipeline`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.core.forms import Checklist
from silkbridge.deals.choices import DealPartyRole, DealStage, DealSubject
from silkbridge.deals.filtersets import OwnerChoiceField
from silkbridge.deals.selectors.pipeline import staff_users
from silkbridge.directory.forms import sector_choices
from silkbridge.directory.models import Organisation, Sector
from silkbridge.money.selectors import current_rates


def _currencies() -> list[tuple[str, str]]:
    return [("", "—"), *((code, code) for code in sorted(current_rates().per_usd))]


def _sectors() -> list[tuple[str, str]]:
    return [("", "—"), *sector_choices()]


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.country})"


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.country})"


class DealDetailsForm(forms.Form):
    """What a deal is about: shared by the start and edit forms."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=_sectors, required=False)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=18, decimal_places=2, required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=_currencies, required=False)

    def sector_object(self) -> Sector | None:
        code = self.cleaned_data.get("sector") or ""
        return Sector.objects.filter(code=code).first() if code else None


class DealStartForm(DealDetailsForm):
    """Start a deal. From a lead (the interest or meeting named in the page's address) the parties are
    the lead's two organisations; staff entering a deal by hand choose them."""

    subject = forms.ChoiceField(label=_("Subject"), choices=DealSubject.choices)
    organisations = OrganisationsField(
        label=_("Organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("At least two for a deal entered by hand; added to the lead's two otherwise (staff only)."),
        widget=Checklist,
    )
    field_order = ("title", "subject", "description", "sector", "amount", "currency", "organisations")

    def __init__(self, *args: Any, choose_organisations: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_organisations:
            self.fields["organisations"].queryset = Organisation.objects.order_by("name_en")  # type: ignore[attr-defined]
        else:
            del self.fields["organisations"]


class DealEditForm(DealDetailsForm):
    owner = OwnerChoiceField(label=_("Owner"), queryset=staff_users(), required=False, empty_label=_("No owner"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()  # type: ignore[attr-defined]


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=DealStage.choices)
    note = forms.CharField(
        label=_("Note (the reason, for declined, withdrawn or stalled)"), max_length=2_000, required=False
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        """`choices`: the stages offered (a relocation case's own); a deal's stages when not given."""
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["stage"].choices = choices  # type: ignore[attr-defined]


class NextStepForm(forms.Form):
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=2_000, required=False)


class DealDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, DOCX, XLSX, PNG or JPEG; its type is read from its content."),
    )


class PartyAddForm(forms.Form):
    organisation = OrganisationField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=DealPartyRole.choices, initial=DealPartyRole.PARTNER)

    def __init__(self, *args: Any, exclude_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=exclude_ids).order_by(  # type: ignore[attr-defined]
            "name_en"
        )
