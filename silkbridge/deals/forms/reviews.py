"""Forms of the committee review. They check the input's shape; the rules (who, when, which scores) are
the services', whose refusals come back beside the field they name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from silkbridge.core.i18n import content_language
from silkbridge.deals.choices import Decision
from silkbridge.deals.models import Criterion, ReviewScore

SCORES = range(6)


def anchor_text(criterion: Criterion, score: int) -> str:
    """What a score means on this criterion, in the reader's language (English where none was given)."""
    anchor = (criterion.anchors or {}).get(str(score)) or {}
    if not isinstance(anchor, dict):
        return str(anchor)
    return str(anchor.get(content_language()) or anchor.get("en") or "")


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this proposal or its submitter?"),
        choices=[
            ("no", _("No: I have no conflict of interest")),
            ("yes", _("Yes: I have a conflict of interest")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What the conflict is"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Only if you declare a conflict: staff of the calling body read it, no one else."),
    )


class ScoreForm(forms.Form):
    """One score (0–5, each with its anchor) and a comment per criterion, and an overall comment."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=4_000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("The submitter reads the comments without your name."),
    )

    def __init__(
        self, *args: Any, criteria: Sequence[Criterion], scores: Sequence[ReviewScore] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        given = {score.criterion_id: score for score in scores}
        for criterion in self.criteria:
            choices = [(str(value), f"{value} — {anchor_text(criterion, value)}".rstrip(" —")) for value in SCORES]
            # A plain text field with radio buttons: the service checks the range and names the criterion.
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.name, "weight": criterion.weight},
                required=False,
                widget=forms.RadioSelect(choices=choices),
                initial=str(given[criterion.pk].score) if criterion.pk in given else None,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                max_length=4_000,
                widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
                initial=given[criterion.pk].comment if criterion.pk in given else "",
            )
        self.order_fields([*(name for name in self.fields if name != "comment"), "comment"])

    def scores(self) -> dict[int, tuple[str, str]]:
        """What the service takes: criterion id → (score as typed, comment)."""
        return {
            criterion.pk: (
                self.cleaned_data.get(f"score_{criterion.pk}", ""),
                self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }

    def pairs(self) -> list[tuple[Criterion, Any, Any]]:
        """(criterion, score field, comment field) in the rubric's order, for the template."""
        return [
            (criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"]) for criterion in self.criteria
        ]


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} <{obj.email}>" if obj.full_name else obj.email


class AppointForm(forms.Form):
    reviewer = ReviewerChoiceField(
        label=_("Reviewer"),
        queryset=None,
        help_text=_(
            "Members of the calling body and platform reviewers; never a member of the submitting organisation."
        ),
    )

    def __init__(self, *args: Any, reviewers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Committee decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("The submitter reads them, with the reviewers' comments but not their names."),
    )
