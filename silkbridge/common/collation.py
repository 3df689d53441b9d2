"""Sorting words the way a reader of each language expects.

- Chinese: by Hanyu Pinyin (pypinyin), the order of Chinese dictionaries and of CLDR's default
  Chinese collation: 阿富汗 (a) before 巴基斯坦 (ba) before 中国 (zhong). Code-point order would
  put 中 before 巴.
- Urdu and English: the Unicode Collation Algorithm with its default table (pyuca's DUCET). For Urdu
  it keeps the letters of the Urdu alphabet in their order (ٹ after ت, ڈ after د, ے last), which
  code-point order scatters; for English it ignores case and accents as a dictionary does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pypinyin import Style, lazy_pinyin
from pyuca import Collator


@cache
def _collator() -> Any:
    return Collator()


def sort_key(text: str, language: str) -> tuple[Any, ...]:
    """A key that orders `text` among others in `language` ("zh", "ur" or "en"); ties fall back to the
    text itself so the order is total."""
    uca = _collator().sort_key(text)
    if language.startswith("zh"):
        # Tone numbers after the syllable (TONE3): mā < má < mǎ < mà, as dictionaries list them.
        syllables = lazy_pinyin(text, style=Style.TONE3, errors="default")
        return (tuple(syllable.lower() for syllable in syllables), uca, text)
    return (uca, text)


def sorted_by_name(pairs: list[tuple[str, str]], language: str) -> list[tuple[str, str]]:
    """(value, name) pairs in the reader's order of the names."""
    return sorted(pairs, key=lambda pair: sort_key(pair[1], language))
