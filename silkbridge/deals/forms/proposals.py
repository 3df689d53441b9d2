"""The proposal pages' forms. The timeline and the team are textareas, one row per line
("YYYY-MM-DD — milestone", "Name — role"), refused line by line with the line's number."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from silkbridge.core.forms import organisation_choices_set
from silkbridge.deals.choices import Envelope
from silkbridge.deals.models import Proposal
from silkbridge.directory.choices import ContentLanguage

# "—", "–", "-" or ":" between the two parts of a line.
_SEPARATOR = re.compile(r"\s+[—–-]\s+|\s*[—–]\s*|:\s+")


def _split(line: str) -> tuple[str, str]:
    parts = _SEPARATOR.split(line.strip(), maxsplit=1)
    return (parts[0].strip(), parts[1].strip() if len(parts) > 1 else "")


def timeline_parse(text: str) -> list[dict[str, str]]:
    """Milestones from the textarea, one per line; ValidationError listing each wrong line by number."""
    rows, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        due_on, milestone = _split(line)
        try:
            date.fromisoformat(due_on)
        except ValueError:
            errors.append(_("Line %(number)d: start with the date as YYYY-MM-DD.") % {"number": number})
            continue
        if not milestone:
            errors.append(_("Line %(number)d: name the milestone after the date.") % {"number": number})
            continue
        rows.append({"due_on": due_on, "milestone": milestone})
    if errors:
        raise ValidationError(errors)
    return rows


def team_parse(text: str) -> list[dict[str, str]]:
    rows, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, role = _split(line)
        if not name:
            errors.append(_("Line %(number)d: give the person's name.") % {"number": number})
            continue
        rows.append({"name": name, "role": role})
    if errors:
        raise ValidationError(errors)
    return rows


class ProposalForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Submitting organisation"), queryset=None, required=True
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}))
    language = forms.ChoiceField(label=_("Language of the summary"), choices=ContentLanguage.choices)
    budget_amount = forms.DecimalField(label=_("Budget"), required=False, min_value=0, max_digits=18, decimal_places=2)
    budget_currency = forms.CharField(
        label=_("Budget currency"), required=False, max_length=3, help_text=_("ISO code, e.g. PKR, CNY, USD.")
    )
    declared_price = forms.DecimalField(
        label=_("Price offered"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=_("For a call evaluated on quality and cost, sealed until the financial envelopes are opened."),
    )
    price_currency = forms.CharField(label=_("Currency of the price"), required=False, max_length=3)
    timeline = forms.CharField(
        label=_("Timeline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("One milestone per line: YYYY-MM-DD — milestone."),
    )
    team = forms.CharField(
        label=_("Team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("One person per line: name — role."),
    )
    claimed_tier = forms.TypedChoiceField(
        label=_("Tier claimed for the design"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    design = forms.FileField(
        label=_("Data-center design (YAML or JSON)"),
        required=False,
        help_text=_("For calls for data centers: assessed for its Tier, availability and PUE when you submit."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices_set(self.fields["organisation"], organisations)

    def clean_timeline(self) -> list[dict[str, str]]:
        return timeline_parse(self.cleaned_data.get("timeline", ""))

    def clean_team(self) -> list[dict[str, str]]:
        return team_parse(self.cleaned_data.get("team", ""))

    @staticmethod
    def initial_for(proposal: Proposal) -> dict[str, Any]:
        return {
            "organisation": proposal.organisation_id,
            "title": proposal.title,
            "summary": proposal.summary,
            "language": proposal.language,
            "budget_amount": proposal.budget_amount,
            "budget_currency": proposal.budget_currency,
            "declared_price": proposal.declared_price,
            "price_currency": proposal.price_currency,
            "timeline": "\n".join(f"{row['due_on']} — {row['milestone']}" for row in proposal.timeline or []),
            "team": "\n".join(
                f"{row['name']} — {row['role']}" if row.get("role") else row["name"] for row in proposal.team or []
            ),
            "claimed_tier": proposal.claimed_tier,
        }

    def service_fields(self, *, design_limit: int) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "title",
                "summary",
                "language",
                "budget_amount",
                "budget_currency",
                "declared_price",
                "price_currency",
                "timeline",
                "team",
                "claimed_tier",
            )
        }
        design = self.cleaned_data.get("design")
        if design is not None:
            content = design.read(design_limit + 1)
            if len(content) > design_limit:
                raise ValidationError(
                    {"design": _("The file is larger than %(size)d kB.") % {"size": design_limit // 1024}}
                )
            try:
                data["design_text"] = content.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ValidationError({"design": _("The design file is not UTF-8 text.")}) from error
            data["design_name"] = design.name
        return data


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, DOCX, XLSX, PNG or JPEG; its type is read from its content."),
    )
    envelope = forms.ChoiceField(label=_("Envelope"), choices=Envelope.choices, initial=Envelope.TECHNICAL)
