"""Template helpers: country names in the reader's language, query strings for pagination."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from silkbridge.common.countries import country_name as _country_name
from silkbridge.common.timezones import zone_label as _zone_label
from silkbridge.core.i18n import content_language
from silkbridge.core.selectors import history_actor as _history_actor

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return _country_name(code, content_language(get_language()))


@register.filter
def zone_label(zone: str, at: datetime | None = None) -> str:
    """A time zone as readers of the page's language name it, with its identifier: "北京时间 (Asia/Shanghai)".
    `at` (`{{ zone|zone_label:first_slot }}`) names a zone with summer time for the moment the page is about,
    not for today: a June event's London times are British Summer Time even when read in December."""
    return _zone_label(str(zone), content_language(get_language()), at=at if isinstance(at, datetime) else None)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    for name, value in changes.items():
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def change_rows(changes: Any) -> list[dict[str, Any]]:
    """A history row's `changes` as lines to show: a field's [before, after] pair, or one value (the
    list of fields an edit gave, an outcome)."""
    rows: list[dict[str, Any]] = []
    for name, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2 and name != "fields":
            rows.append({"name": name, "before": value[0], "after": value[1], "is_pair": True})
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            rows.append({"name": name, "value": shown, "is_pair": False})
    return rows


@register.filter
def history_actor(entry: Any, viewer: Any) -> dict[str, Any]:
    """Who made a history row's change, as the viewer may see it (the API shows the same)."""
    return _history_actor(viewer=viewer, row=entry)
