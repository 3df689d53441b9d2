"""Marketplace forms. They check the shape of the input; the rules are the services' and come back
as ValidationError, shown beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silkbridge.common.countries import country_choices
from silkbridge.core.forms import Checklist, TermsInput, organisation_choices_set
from silkbridge.core.i18n import content_language
from silkbridge.directory.choices import ContentLanguage, Visibility
from silkbridge.directory.forms import sector_choices
from silkbridge.directory.models import Organisation
from silkbridge.directory.services import concepts_split
from silkbridge.marketplace.choices import (
    DealType,
    InterestDeclineReason,
    IprStatus,
    OpportunityType,
    ReviewDecision,
)
from silkbridge.marketplace.models import Opportunity
from silkbridge.money.selectors import current_rates
from silkbridge.translations.selectors import author_translations_of

# The author's own translations on the form: (form field, language, profile field).
TRANSLATION_FIELDS = (
    ("title_en", "en", "title"),
    ("summary_en", "en", "summary"),
    ("title_zh", "zh", "title"),
    ("summary_zh", "zh", "summary"),
    ("title_ur", "ur", "title"),
    ("summary_ur", "ur", "summary"),
)
_OWN_TRANSLATION = _("Your own translation, shown to readers of that language instead of a machine translation.")


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def _countries() -> list[tuple[str, str]]:
    return country_choices(content_language(get_language()))


def _currencies() -> list[tuple[str, str]]:
    return [("", "—"), *((code, code) for code in sorted(current_rates().per_usd))]


class OpportunityForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Type"), choices=OpportunityType.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences that a partner reads first."),
    )
    summary_en = forms.CharField(
        label=_("Summary in English"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "en", "dir": "ltr"}),
        help_text=_(
            "Optional. The Enterprise Europe Network asks for an English summary: if you wrote in Chinese or "
            "Urdu, add one here and readers of English see it instead of a machine translation."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("What you offer or need, for whom, and what partner you look for. Write in your own language."),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"),
        required=False,
        choices=[("", _("Detect from the text")), *ContentLanguage.choices],
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        widget=Checklist,
        help_text=_("Leave empty and Silkbridge suggests them from the text; you can change them later."),
    )
    technologies = forms.CharField(
        label=_("Technologies"),
        required=False,
        # The glossary's suggestions are matching's (a floor above): wired by URL name, not by import.
        widget=TermsInput(suggest_url=reverse_lazy("api:glossary_suggestions")),
        help_text=_(
            "Separated by commas, in any of the three languages; leave empty to have them suggested. A word the "
            "glossary does not know is kept as a keyword."
        ),
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((str(level), str(level)) for level in range(1, 10))],
        help_text=_("An offer states the level it has reached; a request the lowest level it accepts."),
    )
    ipr_status = forms.ChoiceField(
        label=_("Intellectual property"), required=False, choices=[("", "—"), *IprStatus.choices]
    )
    deal_types = forms.MultipleChoiceField(
        label=_("Partnership types sought"),
        required=False,
        choices=DealType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    amount_min = forms.DecimalField(
        label=_("Amount from"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Amount up to"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    target_countries = forms.MultipleChoiceField(label=_("Target countries"), required=False, widget=Checklist)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A year after publication when left empty; you can renew it."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    title_en = forms.CharField(
        label=_("Title in English"),
        max_length=200,
        required=False,
        help_text=_OWN_TRANSLATION,
        widget=forms.TextInput(attrs={"lang": "en", "dir": "ltr"}),
    )
    title_zh = forms.CharField(
        label=_("Title in Chinese"),
        max_length=200,
        required=False,
        help_text=_OWN_TRANSLATION,
        widget=forms.TextInput(attrs={"lang": "zh-Hans", "dir": "auto"}),
    )
    summary_zh = forms.CharField(
        label=_("Summary in Chinese"),
        max_length=500,
        required=False,
        help_text=_OWN_TRANSLATION,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "zh-Hans", "dir": "auto"}),
    )
    title_ur = forms.CharField(
        label=_("Title in Urdu"),
        max_length=200,
        required=False,
        help_text=_OWN_TRANSLATION,
        widget=forms.TextInput(attrs={"lang": "ur", "dir": "rtl"}),
    )
    summary_ur = forms.CharField(
        label=_("Summary in Urdu"),
        max_length=500,
        required=False,
        help_text=_OWN_TRANSLATION,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "ur", "dir": "rtl"}),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices_set(self.fields["organisation"], organisations)
        self.fields["sectors"].choices = sector_choices()  # type: ignore[attr-defined]
        self.fields["currency"].choices = _currencies()  # type: ignore[attr-defined]
        self.fields["target_countries"].choices = _countries()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, opportunity: Opportunity) -> dict[str, Any]:
        own = author_translations_of(obj=opportunity)
        translations = {name: own.get(language, {}).get(field, "") for name, language, field in TRANSLATION_FIELDS}
        return {
            **translations,
            "organisation": opportunity.organisation,
            "kind": opportunity.kind,
            "title": opportunity.title,
            "summary": opportunity.summary,
            "description": opportunity.description,
            "language": opportunity.language,
            "sectors": [sector.code for sector in opportunity.sectors.all()],
            "technologies": ", ".join(
                [*(concept.label for concept in opportunity.concepts.all()), *(opportunity.keywords or [])]
            ),
            "trl": opportunity.trl,
            "ipr_status": opportunity.ipr_status,
            "deal_types": opportunity.deal_types,
            "amount_min": opportunity.amount_min,
            "amount_max": opportunity.amount_max,
            "currency": opportunity.currency,
            "target_countries": opportunity.target_countries,
            "expires_on": opportunity.expires_on,
            "visibility": opportunity.visibility,
        }

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        raw = data.pop("technologies", "") or ""
        terms = [term.strip() for term in raw.replace("，", ",").replace("、", ",").split(",") if term.strip()]
        # A term the glossary does not know is kept as a free keyword, never refused (issue 13).
        concepts, keywords = concepts_split(terms)
        data["concepts"] = [concept.code for concept in concepts]
        data["keywords"] = keywords
        translations: dict[str, dict[str, str]] = {}
        for name, language, field in TRANSLATION_FIELDS:
            translations.setdefault(language, {})[field] = data.pop(name, "") or ""
        data["translations"] = translations
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment to the owner"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you send the profile back or only comment."),
    )


class InterestForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("On behalf of"), queryset=Organisation.objects.none())
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Why you are interested and what you propose. The owner sees your contacts only if they accept."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices_set(self.fields["organisation"], organisations)


class DeclineInterestForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *InterestDeclineReason.choices])
    note = forms.CharField(
        label=_("Note to the sender"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
