"""Country names in the reader's language, from the Unicode CLDR data that Babel ships."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

_BABEL_LOCALES = {"en": "en", "zh": "zh_Hans", "ur": "ur"}


@lru_cache(maxsize=8)
def _territories(language: str) -> dict[str, str]:
    locale = Locale.parse(_BABEL_LOCALES.get(language, "en"))
    return {code: name for code, name in locale.territories.items() if len(code) == 2 and code.isalpha()}


def is_country_code(code: str) -> bool:
    """ISO 3166-1 alpha-2 codes that CLDR names (EU, UN and other groupings are excluded)."""
    return code in _territories("en") and code not in {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def country_name(code: str, language: str = "en") -> str:
    return _territories(language).get(code, code)


def country_choices(language: str = "en") -> list[tuple[str, str]]:
    names = _territories(language)
    return sorted(((code, names[code]) for code in names if is_country_code(code)), key=lambda item: item[1])
