"""The content language of the request being served (the Django side of silkbridge.common.languages)."""

from __future__ import annotations

from django.utils.translation import get_language

from silkbridge.common.languages import content_language_of


def content_language(ui_language: str | None = None) -> str:
    """The trilingual label key (en, zh, ur) of `ui_language`, or of the active UI language."""
    return content_language_of(ui_language or get_language() or "en")
