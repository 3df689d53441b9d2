"""Forms of the MoU pages: a draft from the clause library, the editor's note, a clause comment, and the
choice of two versions to compare. The editor's clauses are read by `clauses_from_post`: the page
posts each clause's five fields numbered in their order."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.deals.choices import CounterpartKind
from silkbridge.deals.models import ClauseTemplate
from silkbridge.deals.services.mou import CLAUSE_FIELDS, DEFAULT_DURATION_YEARS, MAX_CLAUSES, MAX_DURATION_YEARS


class MouDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    second_language = forms.ChoiceField(
        label=_("Second language, beside English"), choices=[("zh", "简体中文"), ("ur", "اردو")]
    )
    counterpart = forms.ChoiceField(label=_("The other side is"), choices=CounterpartKind.choices)
    duration_years = forms.IntegerField(
        label=_("Duration in years"), min_value=1, max_value=MAX_DURATION_YEARS, initial=DEFAULT_DURATION_YEARS
    )
    clause_keys = forms.MultipleChoiceField(
        label=_("Clauses from the library"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args: Any, library: list[ClauseTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["clause_keys"])
        field.choices = [(clause.key, clause.title) for clause in library]
        field.initial = [clause.key for clause in library]


class MouEditForm(forms.Form):
    note = forms.CharField(label=_("Note on this version"), max_length=500, required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommentForm(forms.Form):
    clause_key = forms.SlugField(widget=forms.HiddenInput, max_length=40)
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class CompareForm(forms.Form):
    from_number = forms.TypedChoiceField(label=_("From version"), coerce=int)
    to_number = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_number", "to_number"):
            cast(forms.TypedChoiceField, self.fields[name]).choices = [(number, str(number)) for number in numbers]


def clauses_from_post(data: Any) -> list[dict[str, str]]:
    """The editor's clauses, in the order the page posted them (clause-0-key, clause-0-title_en, …)."""
    try:
        count = min(int(data.get("clause_count", "0")), MAX_CLAUSES + 1)
    except ValueError:
        count = 0
    return [{name: str(data.get(f"clause-{index}-{name}", "")) for name in CLAUSE_FIELDS} for index in range(count)]
