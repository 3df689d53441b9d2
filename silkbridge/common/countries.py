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
    """The country's name in the reader's language; CLDR names a few territories in English only
    (Sark, CQ): their English name; an unknown code: the code."""
    return _territories(language).get(code) or _territories("en").get(code, code)


@lru_cache(maxsize=8)
def _all_country_choices(language: str) -> tuple[tuple[str, str], ...]:
    codes = [code for code in _territories("en") if is_country_code(code)]
    return tuple(sorted_by_name([(code, country_name(code, language)) for code in codes], language))


def country_choices(language: str = "en", *, only: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country, or of the codes in `only`, named and sorted as the reader's
    language does (pinyin order in Chinese). The full list is sorted once per language."""
    if only is None:
        return list(_all_country_choices(language))
    codes = {code.upper() for code in only}
    return sorted_by_name([(code, country_name(code, language)) for code in codes if is_country_code(code)], language)
