"""Country names in the reader's language, from the Unicode CLDR data that Babel ships."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale

from silkbridge.common.collation import sorted_by_name

BABEL_LOCALES = {"en": "en", "zh": "zh_Hans", "ur": "ur"}


@lru_cache(maxsize=8)
def _territories(language: str) -> dict[str, str]:
    locale = Locale.parse(BABEL_LOCALES.get(language, "en"))
    return {code: name for code, name in locale.territories.items() if len(code) == 2 and code.isalpha()}


def is_country_code(code: str) -> bool:
    """ISO 3166-1 alpha-2 codes that CLDR names (EU, UN and other groupings are excluded)."""
    return code in _territories("en") and code not in {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def country_name(code: str, language: str = "en") -> str:
    return _territories(language).get(code, code)


def country_choices(language: str = "en", *, only: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country, or of the codes in `only`, named and sorted as the reader's
    language does (pinyin order in Chinese)."""
    names = _territories(language)
    codes = names if only is None else {code.upper() for code in only}
    return sorted_by_name([(code, names[code]) for code in codes if is_country_code(code)], language)
