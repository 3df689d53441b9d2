"""Text normalisation and tokenisation for English, Simplified Chinese and Urdu.

Plain Python (no Django): the directory search and the matching engine both use it, so a word is
cut the same way when a document is indexed and when somebody searches for it.

- Chinese runs are segmented with jieba; documents are cut in "search" mode (人工智能医疗影像 gives
  人工, 智能, 人工智能, 医疗, 影像) so a query for any of those words finds them.
- Latin text is case-folded and split on non-letters; English stop words are dropped.
- Urdu is normalised to one spelling per letter (Arabic yeh/kaf/heh forms to Urdu ones), short
  vowel marks and tatweel are removed, and it is split on spaces and punctuation.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.ERROR)
_jieba_lock = threading.Lock()
_jieba_ready = False

# The script ranges every splitter uses (the glossary cuts its units with the same classes).
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ARABIC = r"\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_CJK = CJK
_ARABIC = ARABIC
_CJK_RUN = re.compile(f"[{_CJK}]+")
# A Latin (or other) word ends where Chinese or Urdu letters begin: "AI害虫识别" is the word "ai" and
# the Chinese run 害虫识别, not one token (Chinese product texts often glue "AI", "5G", "200余种" to words).
_OTHER_WORD = f"[^\\W_{_CJK}{_ARABIC}]+"
_UNIT = re.compile(f"([{_CJK}])|[{_ARABIC}]+|{_OTHER_WORD}", re.UNICODE)
_SEGMENT = re.compile(f"[{_CJK}]+|[{_ARABIC}]+|{_OTHER_WORD}", re.UNICODE)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_URDU_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Farsi/Urdu yeh
        "\u0649": "\u06cc",  # alef maksura -> yeh
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u0647": "\u06c1",  # Arabic heh -> heh goal
        "\u0629": "\u06c3",  # teh marbuta -> teh marbuta goal
        "\u0623": "\u0627",  # alef with hamza above -> alef
        "\u0625": "\u0627",  # alef with hamza below -> alef
        "\u200c": " ",  # zero-width non-joiner separates words visually; treat as a space
    }
)
_URDU_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

# Words too common to narrow a search (and legal-form words every company name carries).
ENGLISH_STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or our that the their this to we with will "
    "who which what you your co ltd inc llc pvt limited company".split()
)
URDU_STOP_WORDS = frozenset("اور کے کی کا کو میں سے پر ہے ہیں یہ وہ ایک بھی لیے لئے کر کرتے کرتی نے ہم ان اس".split())
CHINESE_STOP_WORDS = frozenset("的 和 与 及 或 在 是 为 了 对 等 中 我们 公司 有限公司 有限".split())


def _ensure_jieba() -> None:
    """Load jieba's dictionary once, caching it under SILKBRIDGE_CACHE_DIR (jieba's default is /tmp)."""
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if _jieba_ready:
            return
        cache_dir = os.environ.get("SILKBRIDGE_CACHE_DIR") or tempfile.gettempdir()
        try:
            os.makedirs(cache_dir, exist_ok=True)
        except OSError:
            cache_dir = tempfile.gettempdir()
        jieba.dt.tmp_dir = cache_dir
        jieba.initialize()
        _jieba_ready = True


def normalise(text: str) -> str:
    """Unicode-normalise, case-fold and unify Urdu letter forms and digits."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _ARABIC_MARKS.sub("", text.translate(_URDU_LETTERS)).translate(_URDU_DIGITS)
    return text.casefold()


def _is_cjk(segment: str) -> bool:
    return bool(_CJK_RUN.fullmatch(segment))


def is_chinese(word: str) -> bool:
    """Whether a token is Chinese characters (a single one is a word, unlike a single letter)."""
    return _is_cjk(word)


def _is_stop_word(token: str) -> bool:
    return token in ENGLISH_STOP_WORDS or token in URDU_STOP_WORDS or token in CHINESE_STOP_WORDS


def tokenize(text: str, *, for_index: bool = False) -> list[str]:
    """Split text into search tokens, in order, stop words dropped.

    for_index=True cuts Chinese in jieba's search mode, which also yields the shorter words inside
    long compounds; queries use the precise mode so that a query word is one token.
    """
    tokens: list[str] = []
    for segment in _SEGMENT.findall(normalise(text)):
        if _is_cjk(segment):
            _ensure_jieba()
            words = jieba.cut_for_search(segment) if for_index else jieba.cut(segment)
            tokens.extend(word for word in words if word.strip() and word not in CHINESE_STOP_WORDS)
            if for_index and len(segment) > 1:
                tokens.append(segment)
        elif not _is_stop_word(segment):
            tokens.append(_singular(segment))
    return tokens


def _singular(word: str) -> str:
    """Fold the commonest English plurals so that "systems" finds "system" (and the reverse)."""
    if not word.isascii() or len(word) < 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def index_document(parts: Iterable[str]) -> str:
    """The text stored for searching: distinct index tokens separated by single spaces, padded.

    Padding lets a query token be matched as a token prefix with a plain substring test (" tok"),
    which behaves the same on SQLite and PostgreSQL.
    """
    seen: dict[str, None] = {}
    for part in parts:
        for token in tokenize(part, for_index=True):
            seen.setdefault(token, None)
    return " " + " ".join(seen) + " " if seen else ""


@lru_cache(maxsize=4096)
def phrase_key(text: str) -> str:
    """A comparable key for a short phrase (a concept label, a synonym, a query): its tokens joined."""
    return " ".join(tokenize(text))


def contains_cjk(text: str) -> bool:
    return bool(_CJK_RUN.search(text or ""))


def contains_arabic_script(text: str) -> bool:
    return bool(re.search(f"[{_ARABIC}]", text or ""))


@dataclass(frozen=True)
class Unit:
    text: str
    start: int
    end: int


@lru_cache(maxsize=200_000)
def _word_unit(word: str) -> str | None:
    tokens = tokenize(word)
    return tokens[0] if tokens else None


def units(normalised_text: str) -> list[Unit]:
    """Cut already-normalised text into phrase-matching units with their character offsets: the
    tokenizer's words for Latin and Urdu text, single characters for Chinese (the glossary matches
    Chinese by character because jieba cuts a phrase differently inside a sentence)."""
    found: list[Unit] = []
    for match in _UNIT.finditer(normalised_text):
        if match.group(1):
            found.append(Unit(match.group(1), match.start(), match.end()))
            continue
        word = _word_unit(match.group(0))
        if word:
            found.append(Unit(word, match.start(), match.end()))
    return found
