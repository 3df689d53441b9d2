"""The countries a list's country filter offers: those present in what the viewer may see."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from silkbridge.common.countries import country_choices
from silkbridge.core.i18n import content_language

# Seconds a list's countries are reused: a country appears in the filter at most this late.
PRESENT_COUNTRIES_SECONDS = 300


def present_countries(queryset: QuerySet[Any], path: str) -> list[str]:
    """The distinct country codes at `path` over `queryset` (already narrowed to what the viewer may
    see), cached by the query's SQL and parameters, so each viewer's own scope has its own entry."""
    values = queryset.order_by().values_list(path, flat=True).distinct()
    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:  # a query that can hold nothing (none(), an empty IN): no country to offer
        return []
    key = "present-countries:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    codes = cache.get(key)
    if codes is None:
        codes = sorted({code for code in values if code})
        cache.set(key, codes, PRESENT_COUNTRIES_SECONDS)
    return codes


class OfferedCountriesMixin:
    """For a FilterSet with a `country` filter: the page's drop-down lists only the countries present
    in the FilterSet's queryset (at any of `country_paths`), named and sorted in the reader's language. Any
    country stays a valid value, so the page and the API accept the same parameters, and the list is
    read only when the page draws the drop-down (an API call never reads it)."""

    country_paths: tuple[str, ...] = ("country",)
    queryset: QuerySet[Any]

    @property
    def form(self) -> forms.Form:
        form: forms.Form = super().form  # type: ignore[misc]
        field = form.fields.get("country")
        if field is not None and not getattr(self, "_countries_offered", False):
            self._countries_offered = True
            queryset, paths, selected = self.queryset, self.country_paths, form.data.get("country", "")

            def offered() -> list[tuple[str, str]]:
                codes = {code for path in paths for code in present_countries(queryset, path)}
                if selected:
                    codes.add(str(selected).upper())  # the country asked for stays shown as chosen
                return [("", _("All countries")), *country_choices(content_language(get_language()), only=codes)]

            field.widget.choices = offered
        return form
