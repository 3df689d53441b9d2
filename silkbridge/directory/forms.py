from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silkbridge.common.countries import country_choices
from silkbridge.core.forms import Checklist, TermsInput
from silkbridge.core.i18n import content_language
from silkbridge.directory.choices import ContentLanguage, MembershipRole, OrganisationKind, SizeBand, Visibility
from silkbridge.directory.models import Sector
from silkbridge.directory.services import concepts_split
from silkbridge.translations.selectors import author_translations_of


def _country_choices() -> list[tuple[str, str]]:
    return country_choices(content_language(get_language()))


def sector_choices() -> list[tuple[str, str]]:
    """Focus fields, each followed by its sub-fields (by the parent link, as the sector filter reads it)."""
    sectors = list(Sector.objects.order_by("position", "code"))  # one query: a list page builds this form
    children: dict[int, list[Sector]] = {}
    for sector in sectors:
        if sector.parent_id is not None:
            children.setdefault(sector.parent_id, []).append(sector)
    ordered: list[tuple[str, str]] = []
    for focus in (sector for sector in sectors if sector.parent_id is None):
        ordered.append((focus.code, focus.name))
        ordered.extend((sub.code, f"— {sub.name}") for sub in children.get(focus.pk, []))
    return ordered


# The author's own translations of the description on the form: form field -> language.
DESCRIPTION_TRANSLATION_FIELDS = {"description_en": "en", "description_zh": "zh", "description_ur": "ur"}
_OWN_TRANSLATION = _("Your own translation, shown to readers of that language instead of a machine translation.")


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    name_local = forms.CharField(label=_("Name in its own language"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language it writes in"), choices=ContentLanguage.choices)
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    size_band = forms.ChoiceField(label=_("Size"), required=False, choices=[("", "—"), *SizeBand.choices])
    founded_year = forms.IntegerField(label=_("Founding year"), required=False, min_value=1800, max_value=2100)
    sectors = forms.MultipleChoiceField(label=_("Sectors"), required=False, widget=Checklist)
    technologies = forms.CharField(
        label=_("Technologies"),
        required=False,
        widget=TermsInput(suggest_url=reverse_lazy("api:glossary_suggestions")),
        help_text=_(
            "Separated by commas, in any of the three languages, e.g. “computer vision, 作物病害识别”. A word the "
            "glossary does not know is kept as a keyword."
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    description_en = forms.CharField(
        label=_("Description in English"),
        required=False,
        max_length=20_000,
        help_text=_OWN_TRANSLATION,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "en", "dir": "ltr"}),
    )
    description_zh = forms.CharField(
        label=_("Description in Chinese"),
        required=False,
        max_length=20_000,
        help_text=_OWN_TRANSLATION,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "zh-Hans", "dir": "auto"}),
    )
    description_ur = forms.CharField(
        label=_("Description in Urdu"),
        required=False,
        max_length=20_000,
        help_text=_OWN_TRANSLATION,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "ur", "dir": "rtl"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["country"].choices = _country_choices()  # type: ignore[attr-defined]
        self.fields["sectors"].choices = sector_choices()  # type: ignore[attr-defined]

    def organisation_fields(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("sectors", None)
        data.pop("technologies", None)
        # A term the glossary does not know is kept as a free keyword, never refused (issue 13).
        data["keywords"] = self._terms_split()[1]
        for name in DESCRIPTION_TRANSLATION_FIELDS:
            data.pop(name, None)
        return data

    def description_translations(self) -> dict[str, dict[str, str]]:
        """The author's own translations of the description (an empty one removes what was stored)."""
        return {
            language: {"description": self.cleaned_data.get(name) or ""}
            for name, language in DESCRIPTION_TRANSLATION_FIELDS.items()
        }

    @staticmethod
    def translations_initial(organisation: Any) -> dict[str, str]:
        own = author_translations_of(obj=organisation)
        return {
            name: own.get(language, {}).get("description", "")
            for name, language in DESCRIPTION_TRANSLATION_FIELDS.items()
        }

    def technology_terms(self) -> list[str]:
        """The codes of the glossary concepts the technologies field names (the rest are keywords)."""
        return [concept.code for concept in self._terms_split()[0]]

    def _terms_split(self) -> tuple[list[Any], list[str]]:
        if not hasattr(self, "_split"):
            raw = self.cleaned_data.get("technologies") or ""
            terms = [term.strip() for term in raw.replace("，", ",").replace("、", ",").split(",") if term.strip()]
            self._split = concepts_split(terms)
        return self._split


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send an invitation; the person joins by signing in (or signing up) with this address."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"), help_text=_("UTF-8 or GB18030 CSV, or .xlsx; the first row names the columns.")
    )
    all_or_nothing = forms.BooleanField(label=_("Import nothing if any row has an error"), required=False)


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Message to whoever decides (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are at the organisation: your role, and how staff can check it."),
    )


class ClaimDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (required to reject)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
