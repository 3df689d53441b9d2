"""Which of the three content languages (en, zh, ur) a UI language code or a text is in. No Django."""

from __future__ import annotations

from silkbridge.common.text import contains_arabic_script, contains_cjk


def content_language_of(ui_language: str) -> str:
    """Map a UI language code (en, zh-hans, ur) to the key of our trilingual labels (en, zh, ur)."""
    code = (ui_language or "en").lower()
    if code.startswith("zh"):
        return "zh"
    if code.startswith("ur"):
        return "ur"
    return "en"


def detect_language(text: str) -> str:
    """zh, ur or en by script: the script with the most letters wins (Latin when there is nothing else)."""
    cjk = sum(1 for character in text if contains_cjk(character))
    arabic = sum(1 for character in text if contains_arabic_script(character))
    latin = sum(1 for character in text if character.isascii() and character.isalpha())
    if cjk and cjk * 2 >= latin and cjk >= arabic:
        return "zh"
    if arabic and arabic >= latin:
        return "ur"
    return "en"
