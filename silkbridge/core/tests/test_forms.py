"""The form renderer writes select boxes in Python: the same HTML as Django's templates."""

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation

from silkbridge.core.forms import FormRenderer
from silkbridge.directory.filtersets import OrganisationFilterSet
from silkbridge.marketplace.filtersets import OpportunityFilterSet


class EveryKindOfSelect(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A & <b>"), ("b", 'quote "b"'), ("", "none")])
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Group <1>", [("x", "X"), ("y", "Y")]), ("Group 2", [("z", "Z")])],
        required=False,
        widget=forms.Select(attrs={"class": "wide", "data-x": 'a"b', "disabled": False, "autofocus": True}),
    )
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two"), (3, "three")], required=False)
    number = forms.TypedChoiceField(choices=[(1, "1"), (2, "2")], coerce=int, help_text="help")


def _both(form_class, data, **kwargs):
    ours = form_class(data, renderer=FormRenderer(), **kwargs)
    django = form_class(data, renderer=DjangoTemplates(), **kwargs)
    ours.is_valid()
    django.is_valid()
    return ours, django


def test_select_boxes_render_exactly_as_django_templates_do():
    for data in (None, {"plain": "a", "grouped": "y", "many": ["1", "3"], "number": "2"}, {"plain": "bad"}):
        ours, django = _both(EveryKindOfSelect, data)
        for name in ("plain", "grouped", "many", "number"):
            assert str(ours[name]) == str(django[name])
            assert "<option" in str(ours[name])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans", "ur"])
def test_filter_forms_render_exactly_as_django_templates_do(language):
    with translation.override(language):
        for form_class, data in (  # the forms of the FilterSets that filter the pages and the API
            (OrganisationFilterSet().get_form_class(), {"q": "AI", "country": "PK", "kind": "company"}),
            (OpportunityFilterSet().get_form_class(), {"country": "CN", "kind": "technology_offer"}),
        ):
            ours, django = _both(form_class, data)
            assert ours.as_div() == django.as_div()
            assert "selected>" in str(ours["country"])


def test_pages_use_the_python_select_renderer():
    assert settings.FORM_RENDERER == "silkbridge.core.forms.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)
