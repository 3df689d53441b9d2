"""Form helpers shared by the apps, and the form renderer the settings name."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field_name, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field_name if field_name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def organisation_choices_set(field: Any, organisations: Any) -> None:
    """Offer `organisations` in an organisation field; a user's only organisation is chosen already,
    with no empty choice before it (nothing to choose, so nothing to get wrong)."""
    field.queryset = organisations
    only = list(organisations[:2])
    if len(only) == 1:
        field.initial = (
            only[0].pk if getattr(field, "to_field_name", None) is None else getattr(only[0], field.to_field_name)
        )
        field.empty_label = None


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """What the template's {{ value }} writes: escaped unless already marked safe."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value), quote=True)


def _attributes_html(attributes: Mapping[str, Any]) -> str:
    """Django's `attrs.html`: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attributes.items()
        if value is not False
    )


def _select_html(widget: Mapping[str, Any]) -> str:
    """Django's `select.html` and `select_option.html`, as plain string building (this runs for every
    option of every select on a page: format_html per option cost as much as the rest of the page)."""
    parts = [f'<select name="{_text(widget["name"])}"{_attributes_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(
            f'\n  <option value="{_text(option["value"])}"{_attributes_html(option["attrs"])}>'
            f"{_text(option['label'])}</option>\n"
            for option in group_choices
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts).strip()


class FormRenderer(DjangoTemplates):
    """Django's form renderer, except that select boxes are written in Python.

    The template renders each option through an include: a country list of 250 options took about
    half the time of the directory and marketplace pages. The HTML is the same, character for
    character (core/tests/test_forms.py compares them); selects with their own templates still go
    through the template."""

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        widget = context.get("widget") if template_name == SELECT_TEMPLATE else None
        if widget is not None and all(
            option["template_name"] == OPTION_TEMPLATE for _, options, _ in widget["optgroups"] for option in options
        ):
            return mark_safe(_select_html(widget))
        return super().render(template_name, context, request)


class Checklist(forms.CheckboxSelectMultiple):
    """A multi-select that a finger can use: one checkbox a row, in a box that scrolls by itself, with
    a filter box that site.js adds above long lists. It submits the same name and values as the
    <select multiple> it replaces (which a phone shows as a tiny box needing Ctrl-click)."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"class": "checklist", **(attrs or {})}, choices)


class TermsInput(forms.TextInput):
    """A comma-separated list of glossary terms that site.js turns into a type-ahead with chips (the
    ARIA 1.2 combobox); without JavaScript it stays the text field it always was. `suggest_url` is the
    suggestions endpoint, wired by the page by URL name (the glossary lives on a floor above the forms
    that use this)."""

    def __init__(
        self, *, suggest_url: Any = "", keeps_keywords: bool = True, attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            {
                "data-suggest-url": suggest_url,
                # Whether the form keeps a word the glossary does not know (as a free keyword): only then
                # does the type-ahead offer "Keep as a keyword".
                "data-keeps-keywords": "yes" if keeps_keywords else "no",
                "data-text-remove": _("Remove"),
                "data-text-keyword": _("Keep as a keyword"),
                "data-text-nearest": _("nearest"),
                "autocomplete": "off",
                "dir": "auto",
                **(attrs or {}),
            }
        )
