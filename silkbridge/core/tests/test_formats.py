"""Dates and numbers as each language's readers write them (issue 13 item 5; silkbridge/formats)."""

from datetime import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template(
    '{% load humanize %}{{ at|date:"DATE_FORMAT" }} | {{ at|date:"DATETIME_FORMAT" }} | '
    '{{ at|date:"SHORT_DATE_FORMAT" }} | {{ number|intcomma }} | {{ money|floatformat:"2g" }}'
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # Day before month and a 24-hour clock, as Pakistani and Chinese writers of English use them.
        ("en", "7 December 2026 | 7 December 2026, 14:05 | 07/12/2026 | 1,234,567 | 1,234,567.89"),
        ("zh-hans", "2026年12月7日 | 2026年12月7日 14:05 | 2026年12月7日 | 1,234,567 | 1,234,567.89"),
        ("ur", "7 دسمبر 2026 | 7 دسمبر 2026، 14:05 | 07/12/2026 | 1,234,567 | 1,234,567.89"),
    ],
)
def test_dates_and_numbers_in_each_language(language: str, expected: str):
    with translation.override(language):
        context = Context({"at": datetime(2026, 12, 7, 14, 5), "number": 1234567, "money": 1234567.891})
        rendered = TEMPLATE.render(context)
    assert rendered == expected


def test_a_day_month_date_typed_in_english_is_read_day_first():
    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("07/12/2026").isoformat() == "2026-12-07"
        assert field.clean("2026-12-07").isoformat() == "2026-12-07"
