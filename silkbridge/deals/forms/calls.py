"""Forms of the calls pages. They read what a person types (one line per document, attendee or
criterion) into what services.calls takes; every rule stays in the service."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.core.forms import organisation_choices_set
from silkbridge.deals.choices import CallVisibility, EvaluationMethod
from silkbridge.deals.models import Call
from silkbridge.directory.models import Organisation, Sector

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LANGUAGES = ("en", "zh", "ur")
CRITERION_LINE = re.compile(r"^\*\s*(\d+)\s*\|(.*)$")
ANCHOR_LINE = re.compile(r"^([0-5])\s*\|(.*)$")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


def _texts(parts: list[str]) -> dict[str, str]:
    return {language: part.strip() for language, part in zip(LANGUAGES, parts, strict=False) if part.strip()}


def parse_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_documents(text: str) -> list[dict[str, str]]:
    """One document per line: "English | 中文 | اردو" (the Chinese and Urdu parts optional)."""
    return [_texts(line.split("|")) for line in parse_lines(text)]


def documents_text(documents: list[dict[str, str]]) -> str:
    return "\n".join(" | ".join(item.get(language, "") for language in LANGUAGES).rstrip(" |") for item in documents)


def parse_rubric(text: str) -> list[dict[str, Any]]:
    """The rubric as typed: a line "* weight | English name | 中文名 | اردو نام" opens a criterion, and the
    lines "0 | ..." to "5 | ..." under it say what each score means (English | 中文 | اردو)."""
    criteria: list[dict[str, Any]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        criterion = CRITERION_LINE.match(line)
        anchor = ANCHOR_LINE.match(line)
        if criterion:
            names = [part.strip() for part in criterion.group(2).split("|")]
            criteria.append(
                {
                    **{f"name_{language}": name for language, name in zip(LANGUAGES, names, strict=False)},
                    "weight": int(criterion.group(1)),
                    "anchors": {},
                }
            )
        elif anchor and criteria:
            criteria[-1]["anchors"][anchor.group(1)] = _texts(anchor.group(2).split("|"))
        else:
            raise forms.ValidationError(
                _("Line %(number)s: start a criterion with “* weight | name” or a score with “0 |” to “5 |”."),
                params={"number": number},
            )
    return criteria


def rubric_text(call: Call) -> str:
    lines = []
    for criterion in call.criteria.all():
        names = " | ".join([criterion.name_en, criterion.name_zh, criterion.name_ur]).rstrip(" |")
        lines.append(f"* {criterion.weight} | {names}")
        for level in sorted(criterion.anchors, key=int):
            texts = criterion.anchors[level]
            lines.append(f"{level} | " + " | ".join(texts.get(language, "") for language in LANGUAGES).rstrip(" |"))
    return "\n".join(lines)


class CallForm(forms.Form):
    issuer = forms.ModelChoiceField(label=_("Issued by"), queryset=Organisation.objects.none(), to_field_name="key")
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200, required=False)
    title_ur = forms.CharField(label=_("Title (Urdu)"), max_length=200, required=False)
    scope_en = forms.CharField(label=_("Scope (English)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000)
    scope_zh = forms.CharField(
        label=_("Scope (Chinese)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000, required=False
    )
    scope_ur = forms.CharField(
        label=_("Scope (Urdu)"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "rtl"}),
        max_length=20_000,
        required=False,
    )
    eligibility_en = forms.CharField(
        label=_("Eligibility (English)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000, required=False
    )
    eligibility_zh = forms.CharField(
        label=_("Eligibility (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000, required=False
    )
    eligibility_ur = forms.CharField(
        label=_("Eligibility (Urdu)"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl"}),
        max_length=10_000,
        required=False,
    )
    required_documents = forms.CharField(
        label=_("Required documents"),
        help_text=_("One per line: English | 中文 | اردو"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.order_by("code"), to_field_name="code", required=False
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=DATETIME_WIDGET, help_text=_("In the call's own time zone, chosen below.")
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the deadline"), choices=time_zone_choices, initial="Asia/Karachi"
    )
    contact_name = forms.CharField(label=_("Contact"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    visibility = forms.ChoiceField(label=_("Who may submit"), choices=CallVisibility.choices)
    invited = forms.CharField(
        label=_("Invited organisations"),
        help_text=_("Invitation-only calls: one organisation key per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    evaluation = forms.ChoiceField(label=_("Evaluation"), choices=EvaluationMethod.choices)
    technical_weight = forms.IntegerField(label=_("Weight of the technical score (%)"), min_value=0, max_value=100)
    technical_threshold = forms.IntegerField(label=_("Technical pass mark (out of 100)"), min_value=0, max_value=100)
    minimum_tier = forms.TypedChoiceField(
        label=_("Minimum data-center Tier"),
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    currency = forms.CharField(label=_("Currency of prices"), min_length=3, max_length=3, initial="PKR")
    rubric = forms.CharField(
        label=_("Rubric"),
        help_text=_(
            "A line “* weight | English name | 中文名 | اردو نام” opens a criterion; under it, the lines “0 | …” "
            "to “5 | …” say what each score means (English | 中文 | اردو)."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=60_000,
    )

    def __init__(self, *args: Any, issuers: QuerySet[Organisation], call: Call | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers  # type: ignore[attr-defined]
        if call is not None:
            del self.fields["issuer"]

    @staticmethod
    def initial_for(call: Call) -> dict[str, Any]:
        zone = zoneinfo.ZoneInfo(call.time_zone)
        return {
            **{name: getattr(call, name) for name in _PLAIN_FIELDS},
            "sector": call.sector.code if call.sector is not None else None,
            # The datetime-local input shows the wall-clock time in the call's zone, naive.
            "deadline": call.deadline.astimezone(zone).replace(tzinfo=None),
            "required_documents": documents_text(call.required_documents),
            "invited": "\n".join(call.invited.order_by("key").values_list("key", flat=True)),
            "rubric": rubric_text(call),
        }

    def clean_rubric(self) -> list[dict[str, Any]]:
        return parse_rubric(self.cleaned_data.get("rubric", ""))

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in _PLAIN_FIELDS if name in data}
        fields["sector"] = data["sector"]
        fields["required_documents"] = parse_documents(data["required_documents"])
        fields["deadline"] = _wall_clock(data["deadline"])
        return fields

    def invited_keys(self) -> list[str]:
        return parse_lines(self.cleaned_data.get("invited", ""))


_PLAIN_FIELDS = (
    *(f"{name}_{language}" for name in ("title", "scope", "eligibility") for language in LANGUAGES),
    "time_zone",
    "contact_name",
    "contact_email",
    "visibility",
    "evaluation",
    "technical_weight",
    "technical_threshold",
    "minimum_tier",
    "currency",
)


def _wall_clock(value: datetime) -> datetime:
    """The form made the typed time aware in the reader's zone; the service reads it in the call's zone."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the call cancelled?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class QuestionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Asking for"), queryset=Organisation.objects.none(), to_field_name="key"
    )
    question = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices_set(self.fields["organisation"], organisations)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)


class OpeningForm(forms.Form):
    attendees = forms.CharField(
        label=_("Attendees"),
        help_text=_("One per line: name and organisation."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
    )

    def attendee_names(self) -> list[str]:
        return parse_lines(self.cleaned_data["attendees"])


class ReportForm(forms.Form):
    grievance_days = forms.IntegerField(label=_("Days for grievances"), min_value=1, max_value=60, initial=10)


class GrievanceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Filed for"), queryset=Organisation.objects.none(), to_field_name="key"
    )
    text = forms.CharField(label=_("Your grievance"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_choices_set(self.fields["organisation"], organisations)
