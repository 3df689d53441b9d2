"""The trilingual glossary as a phrase matcher: text in en/zh/ur -> concept codes and sub-fields.

Every label and synonym of a concept (and every sector name) is cut into *units* and stored in a
trie; a profile's text is cut the same way and scanned left to right, taking the longest phrase
that starts at each position. Units are the tokenizer's words for Latin and Urdu text (normalised,
stop words dropped, English plurals folded) and single characters for Chinese. Chinese is matched
by character rather than by jieba word because jieba cuts a phrase differently inside a sentence
(作物病害识别系统 gives 识别系统 as one word, while the label alone gives 识别), which would hide the
concept; the residual text is still cut by jieba (see `extract`).

Approximate matching (a term's words found in part, or apart) keys Chinese by the words of the glossary's
terms as jieba cuts each term alone: a term's keys are its words (`term_keys_of`), and a text's keys are its
character bigrams plus every such word of three or more characters that it writes (`bound_words`,
`positioned_keys`), so that terms and texts are keyed the same way whatever jieba would make of the sentence.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from silkbridge.common.text import CJK, Unit, normalise, tokenize, units

DATA_DIR = Path(__file__).resolve().parents[2] / "directory" / "data"
LANGUAGES = ("en", "zh", "ur")
# Share of a term's (rarity-weighted) words a text must contain for an approximate concept match.
APPROXIMATE_THRESHOLD = 0.5
# ... and those words must stand together: within a span of at most this many keys per key of the
# term (plus APPROXIMATE_SLACK), so that words scattered over a description ("Urdu" in one sentence,
# "language" in another, "model" in a third) never add up to a concept the text does not name.
APPROXIMATE_SPAN_PER_KEY = 2
APPROXIMATE_SLACK = 3
# One word of a longer term names it only when that word carries this share of the term's weight
# (a rare, distinctive word such as "nastaliq"); a common word of it ("language", "finance") does not.
SINGLE_KEY_SHARE = 0.7
BOUND_MIN_USES = 2  # see bound_words
# An approximate concept is stated (shown, suggested, counted towards a field) only when the words found
# include the head of its term: the word that says what the thing is ("model" in "Urdu language model",
# 识别 in 乌尔都语文字识别, شناخت in اردو متن کی شناخت). Without it, the words found are a modifier shared
# by a neighbouring concept ("sign language" and "Urdu" are no Urdu language model) and stay a weak hint.
HEAD_REQUIRED = True
HEAD_PREFIX = 6  # a Latin head's other forms share its first letters: "identifies", "identification"
# English words after which a term's modifiers follow its head: "recognition" in "text recognition from
# images", "management" in "management of records". ("to" is not one: "text-to-speech" is a compound.)
_ENGLISH_POSTMODIFIERS = frozenset("of for from in on with by at using via".split())
# A term the glossary writes in capitals (an acronym: HIS, UPS, DID, SOC, AMI, MES) names its concept only
# where the text writes it in capitals too: case-folded, "his phone" was a hospital information system
# and "start-ups" an uninterruptible power supply.
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&/-]*[A-Z0-9]")

_CJK = CJK


@lru_cache(maxsize=4096)
def _acronym_pattern(acronym: str) -> re.Pattern[str]:
    """The acronym as the text must write it: in capitals, as a word of its own, maybe with a plural s."""
    # Chinese letters beside it end the acronym as a space would: "AI害虫识别", "模块化UPS".
    return re.compile(rf"(?<![^\W_{CJK}]){re.escape(acronym)}s?(?![^\W_{CJK}])")


# --- context phrases: what a product connects to, runs on or reads from ----------------------------------
# A concept that a description names only as the thing a product has to work with ("integrated with our
# student information system", 可对接各国实时支付系统, موجودہ نظام سے منسلک) is the setting, not the subject:
# an OPD token display that "has to work with our existing hospital information system" is no hospital
# information system. `context_phrases` cuts those objects out of a text, so that features can tell a
# concept named only there (a passing mention, see features.py) from one the text is about.
_CLAUSE_END = r"[.;:!?()\n,،۔؛。；：！？，、（）]"
_CONTEXT_PHRASE_MAX_WORDS = 8  # an English or Urdu object is at most this many words
_LATIN_LETTER = re.compile("[A-Za-z]")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_CONTEXT_PHRASE_MAX_CHARS = 12  # ... and a Chinese one this many characters
# English: the object follows the cue ("integrated with [our admissions system]").
_ENGLISH_CONTEXT_CUES = (
    r"(?:work|works|working|worked)\s+with",
    r"(?:integrat|interfac|interoperab|compatib|connect|link|plug|feed|sync)\w*\s+(?:with|to|into)",
    r"(?:read|reads|pull|pulls|extract\w*|fetch\w*|import\w*|export\w*)\s+(?:\w+\s+)?from",
    r"(?:run|runs|running|deployed|hosted|installed|installable|host)\s+(?:on|in)",
    r"against\s+(?:our|their|its|the)",
    r"(?:on|in|into|from|to)\s+(?:our|their)\s+(?:own|existing|current)",
    r"(?:our|their|its|the|an)\s+existing",
)
_ENGLISH_CONTEXT = re.compile(
    rf"\b(?:{'|'.join(_ENGLISH_CONTEXT_CUES)})\b((?:(?!{_CLAUSE_END}).){{1,80}})", re.IGNORECASE
)
# Chinese: the object follows 对接, 接入, 兼容 ... (对接本地身份核验系统), or stands between 与 and the cue
# (与医院信息系统对接). It ends at a clause mark or at 的 (兼容主流逆变器品牌的光伏监控系统: the product is
# after 的).
_CHINESE_CUES = "对接|接入|兼容|集成到|集成至|连接到|连接至|上传到|上传至|上传|打通|嵌入"
_CHINESE_CONTEXT_AFTER = re.compile(rf"(?:{_CHINESE_CUES})((?:(?!{_CLAUSE_END}|的).){{1,{_CONTEXT_PHRASE_MAX_CHARS}}})")
_CHINESE_CONTEXT_BETWEEN = re.compile(
    rf"[与和同]((?:(?!{_CLAUSE_END}).){{1,{_CONTEXT_PHRASE_MAX_CHARS}}}?)(?:对接|集成|兼容|连接|打通|互通|联动)"
)
# Urdu (head-final): the object stands before the cue, at most _CONTEXT_PHRASE_MAX_WORDS words (ہسپتال کے موجودہ
# نظام [سے منسلک ہو]); after موجودہ ("existing") it follows.
_URDU_CONTEXT_CUE = re.compile(
    r"(?<!\S)(?:کے\s+ساتھ|سے)\s+(?:بھی\s+)?(?:منسلک|مربوط|جڑ|جوڑ|ہم\s+آہنگ|انٹیگریٹ|کنیکٹ|کام\s+کر)"
)
_NON_SPACE = re.compile(r"\S+")
# The object starts after a clause mark, a conjunction or relative (اور "and", جو "which", کہ "that") or
# the verb of wanting: in ایسا ٹوکن سسٹم چاہیے جو ہسپتال کے نظام سے منسلک ہو the product is before جو.
_URDU_OBJECT_START = re.compile(rf"{_CLAUSE_END}|(?<!\S)(?:اور|جو|جس|کہ|چاہیے|چاہئے|چاہتے|چاہتی|چاہتا)(?!\S)")
_URDU_EXISTING = re.compile(rf"موجودہ((?:\s+(?!{_CLAUSE_END})\S+){{1,4}})")


def context_phrases(text: str) -> list[tuple[int, int]]:
    """(start, end) of each object of a context phrase in the text: what the product has to connect to,
    run on or read from (see above), in English, Chinese and Urdu."""
    spans: list[tuple[int, int]] = []
    patterns = [_ENGLISH_CONTEXT] if _LATIN_LETTER.search(text) else []
    if _CJK_RUNS.search(text):
        patterns += [_CHINESE_CONTEXT_AFTER, _CHINESE_CONTEXT_BETWEEN]
    urdu = bool(_ARABIC_LETTER.search(text))
    if urdu:
        patterns.append(_URDU_EXISTING)
    for pattern in patterns:
        spans.extend(match.span(1) for match in pattern.finditer(text))
    if urdu:
        spans += _objects_before(text, _URDU_CONTEXT_CUE)
    return sorted(span for span in spans if span[1] > span[0])


def split_context_phrases(text: str) -> tuple[str, str]:
    """(the text without the objects of its context phrases, those objects), each object replaced by a
    clause mark in the first and kept, between clause marks, in the second."""
    return split_phrases(text, context_phrases(text))


# --- passing phrases: one item of a list, a reference deployment ------------------------------------------
# A concept that a description names only as one item of a list ("methane, carbon monoxide, air-flow and
# temperature sensors", 甲烷、一氧化碳、风速和温度传感器, درجہ حرارت، نمی، روشنی اور ہوا) is a part of what the
# profile is about, and one named only where it says where the product has been used ("already deployed for
# anti-fraud between banks", 已在银行间联合反欺诈场景落地, بینکوں میں پہلے ہی استعمال ہو رہا ہے) is a past
# application: neither is what the profile offers or asks for. `passing_phrases` finds those spans, so that
# features can tell a concept named only there (see ProfileFeatures.passing) from one the text is about.
_LIST_ITEM_WORDS = 4  # an English or Urdu list item is at most this many words
# An item's later words are no function words: "fraud detection for banks, wallets and lenders" lists the
# customers, not the fraud detection, and "... and gateways for predictive maintenance" ends at "for".
_ITEM_STOP = r"(?:for|with|of|to|in|on|at|by|from|that|which|using|via|and|or)\b"
_ENGLISH_ITEM = rf"[^\W\d_][\w'-]*(?:[ ](?!{_ITEM_STOP})[\w'-]+){{0,{_LIST_ITEM_WORDS - 1}}}"
_ENGLISH_LIST = re.compile(
    rf"\b{_ENGLISH_ITEM}(?:, {_ENGLISH_ITEM})+,? (?:and|or) {_ENGLISH_ITEM}"
    rf"|\b{_ENGLISH_ITEM}(?:, {_ENGLISH_ITEM}){{2,}}"
)
_URDU_ITEM = rf"[^\s،,۔؛:.()]+(?:[ ][^\s،,۔؛:.()]+){{0,{_LIST_ITEM_WORDS - 1}}}"
_URDU_LIST = re.compile(
    rf"{_URDU_ITEM}(?:\s*[،,]\s*{_URDU_ITEM})+\s+(?:اور|یا)\s+{_URDU_ITEM}"
    rf"|{_URDU_ITEM}(?:\s*[،,]\s*{_URDU_ITEM}){{2,}}"
)
# Chinese lists join items with 、 and the last with 和, 与, 及 or 或: three items at least, or two with 、.
_CHINESE_ITEM = rf"(?:(?!{_CLAUSE_END}).){{1,10}}?"
_CHINESE_LIST = re.compile(
    rf"(?:(?!{_CLAUSE_END}).){{1,8}}(?:、{_CHINESE_ITEM}){{2,}}(?:(?:以及|和|与|及|或){_CHINESE_ITEM})?(?={_CLAUSE_END}|$)"
    rf"|(?:(?!{_CLAUSE_END}).){{1,8}}、{_CHINESE_ITEM}(?:以及|和|与|及|或){_CHINESE_ITEM}(?={_CLAUSE_END}|$)"
)
# Where the product has been used, or what it suits: the object follows the cue in English and Chinese, and
# stands before it in Urdu.
_ENGLISH_APPLICATION = re.compile(
    rf"\b(?:(?:already|currently|now|successfully|previously)\s+(?:used|deployed|installed|running|in use|proven)"
    rf"|(?:has|have) been (?:used|deployed|applied|proven)|(?:used|deployed|proven) by"
    rf"|(?:applications?|use cases?|scenarios?|references?|reference (?:customers|sites|deployments)|customers|clients)"
    rf"\s+(?:include|includes|including|such as|like)|suitable for|suited to)\b((?:(?!{_CLAUSE_END}).){{1,80}})",
    re.IGNORECASE,
)
_CHINESE_APPLICATION = re.compile(
    rf"(?:(?:已在|已于|已经在|已为|已经为|曾在|目前已在)((?:(?!{_CLAUSE_END}).){{1,24}}?)"
    rf"(?:落地|应用|部署|使用|上线|运行|试点|推广|投运)"
    rf"|(?:应用场景|适用场景|应用领域|适用于|广泛应用于|可应用于|已服务|服务于|客户包括)((?:(?!{_CLAUSE_END}).){{1,24}}))"
)
_URDU_APPLICATION_CUE = re.compile(
    r"(?<!\S)(?:میں|پر)\s+(?:پہلے\s+(?:ہی|سے)\s+|کامیابی\s+سے\s+)?(?:استعمال|نافذ|تعینات|رائج)\s+(?:ہو|ہے|ہیں|کیا|کی)"
    r"|(?<!\S)کے\s+لیے\s+موزوں"
)


def passing_phrases(text: str) -> list[tuple[int, int]]:
    """(start, end) of each list of three or more items (or two joined by 、 and 和 in Chinese) and each object
    of a reference-deployment or suitability phrase in the text (see above), in English, Chinese and Urdu."""
    spans: list[tuple[int, int]] = []
    if _LATIN_LETTER.search(text):
        spans += [match.span() for match in _ENGLISH_LIST.finditer(text)]
        spans += [match.span(1) for match in _ENGLISH_APPLICATION.finditer(text)]
    if _CJK_RUNS.search(text):
        spans += [match.span() for match in _CHINESE_LIST.finditer(text)]
        for match in _CHINESE_APPLICATION.finditer(text):
            spans.append(match.span(1) if match.group(1) is not None else match.span(2))
    if _ARABIC_LETTER.search(text):
        spans += [match.span() for match in _URDU_LIST.finditer(text)]
        spans += _objects_before(text, _URDU_APPLICATION_CUE, _LIST_ITEM_WORDS)
    return sorted(span for span in spans if span[1] > span[0])


def _objects_before(
    text: str, cue: re.Pattern[str], max_words: int = _CONTEXT_PHRASE_MAX_WORDS
) -> list[tuple[int, int]]:
    """The Urdu objects that stand before each match of a cue: at most `max_words` words, from the start of
    their clause (see _URDU_OBJECT_START). A place where the product is used is short (لاہور کے تین بینکوں),
    and the words before it are the product's own."""
    spans: list[tuple[int, int]] = []
    for match in cue.finditer(text):
        end = match.start()
        words = list(_NON_SPACE.finditer(text, max(0, end - 40 * max_words), end))
        if not words:
            continue
        start = words[-max_words:][0].start()
        clause = max((found.end() for found in _URDU_OBJECT_START.finditer(text, start, end)), default=start)
        spans.append((clause, end))
    return spans


def split_phrases(text: str, spans: list[tuple[int, int]]) -> tuple[str, str]:
    """(the text without these spans, the spans): each replaced by a clause mark in the first and kept,
    between clause marks, in the second."""
    pieces, cut, last = [], [], 0
    for start, end in spans:
        if start < last:
            start = last
        if end <= start:
            continue
        pieces.append(text[last:start])
        pieces.append(" ; ")
        cut.append(text[start:end])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), " ; ".join(cut)


@dataclass(frozen=True)
class Concept:
    code: str
    sector: str
    labels: dict[str, str]
    # Synonyms by language ({"en": [...], "zh": [...], "ur": [...]}); matched like the labels.
    synonyms: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Sector:
    code: str
    field_code: str
    names: dict[str, str]


_CJK_RUNS = re.compile(f"[{_CJK}]+")
_WORDS = re.compile(r"[^\W_]+")  # the words of a Latin or Urdu term before stop words are dropped
_ENGLISH_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ed", "ic", "al", "es", "s")
_URDU_SUFFIXES = ("وں", "یں")
# Urdu writes the plural of an English loanword with the English -s as ز: ماڈیولز "modules", ٹریکرز
# "trackers", ڈیوائسز "devices", سروسز "services". Since Urdu letter names became one key (آئی او ٹی "IoT"),
# these plurals decide whether a term is found at all: آئی او ٹی ماڈیولز is "IoT modules".
_URDU_LOAN_PLURAL = "ز"
_URDU_LOAN_STEM_MIN = 4  # نیوز "news" is no plural of نیو "new"


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A crude stem for approximate matching only: 'automated'/'automation' -> 'automat', 'فصلوں' -> 'فصل',
    'ٹریکرز' -> 'ٹریکر'."""
    if word.isascii():
        for suffix in _ENGLISH_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[: -len(suffix)]
        return word
    for suffix in _URDU_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    if word.endswith(_URDU_LOAN_PLURAL) and len(word) - 1 >= _URDU_LOAN_STEM_MIN:
        return word[:-1]
    return word


def approximate_keys(normalised_text: str, bound: dict[str, str] | None = None) -> set[str]:
    """Keys for approximate matching: stemmed Latin and Urdu words, and Chinese character bigrams."""
    return {key for key, _ in positioned_keys(normalised_text, bound)}


# The names of the Latin letters as Urdu spells them: an English acronym written in Urdu is a run of
# them (جی پی ایس "GPS", او سی آر "OCR"), and the run is one word, as the acronym is in English; letter by
# letter, GPS covered two thirds of GIS (جی آئی ایس) and of GMP (جی ایم پی). (کے, also "of", is left out.)
_URDU_LETTER_NAMES = frozenset(
    "اے بی سی ڈی ای ایف جی ایچ آئی جے ایل ایم این او پی کیو آر ایس ٹی یو وی ڈبلیو ایکس وائی زیڈ زیڈ".split()
)


def _raw_keys(text_units: list[Unit]) -> list[tuple[str, int, bool]]:
    """(key, position, joins the next key): stemmed words, and Chinese character bigrams; a key joins
    the next one when both are words, or both are bigrams of one run of Chinese characters."""
    found: list[tuple[str, int, bool]] = []
    for position, unit in enumerate(text_units):
        following = text_units[position + 1] if position + 1 < len(text_units) else None
        if not _CJK_RUNS.fullmatch(unit.text):
            joins = following is not None and not _CJK_RUNS.fullmatch(following.text)
            found.append((_stem(unit.text), position, joins))
            continue
        if following is not None and following.start == unit.end and _CJK_RUNS.fullmatch(following.text):
            after = text_units[position + 2] if position + 2 < len(text_units) else None
            joins = after is not None and after.start == following.end and bool(_CJK_RUNS.fullmatch(after.text))
            found.append((unit.text + following.text, position, joins))
    return _join_letter_names(found)


def _join_letter_names(keys: list[tuple[str, int, bool]]) -> list[tuple[str, int, bool]]:
    """Runs of two or more Urdu letter names (a spelled-out acronym) as one key."""
    joined: list[tuple[str, int, bool]] = []
    for key, position, joins in keys:
        if joined and key in _URDU_LETTER_NAMES:
            previous, start, previous_joins = joined[-1]
            if previous_joins and all(part in _URDU_LETTER_NAMES for part in previous.split(" ")):
                joined[-1] = (f"{previous} {key}", start, joins)
                continue
        joined.append((key, position, joins))
    return joined


def bound_words(terms: Iterable[str]) -> dict[str, str]:
    """Keys that the glossary's terms only ever write before one same next key: key -> that next key;
    and the glossary's Chinese words of three or more characters, each -> itself.

    Urdu writes many English words as two or three (آن لائن "online", او سی آر "OCR"); counted key by
    key, one such word covered most of a term (آن لائن تجارت) by itself. A chain of bound keys is one
    key, as the English word is (see `positioned_keys`). Chinese is keyed by the words of the terms
    (`term_keys_of`): a word of three characters or more (乌尔都语 "Urdu", 无人机 "drone") is one key, in a
    term and wherever a text writes it (no bigram key has three characters). Chains of bigrams did
    not do: one could cross the words of a term (学影 -> 影像 of 医学影像分析 made a text's keys 医学 + 学影像,
    and the term's word 影像 was never found), and one that forked (无人 -> 人机 in 无人机, -> 人驾 in
    无人驾驶) was no chain at all, so 无人机 stayed two keys and by itself covered most of 无人机配送."""
    following: dict[str, set[str]] = {}
    uses: dict[str, int] = {}
    words: dict[str, str] = {}
    for term in set(terms):
        normalised = normalise(term)
        words.update((word, word) for word in _chinese_words(normalised) if len(word) >= _CHINESE_WORD_MIN)
        keys = [key for key in _raw_keys(units(normalised)) if not _CJK_RUNS.fullmatch(key[0])]
        for index, (key, _, joins) in enumerate(keys):
            following.setdefault(key, set()).add(keys[index + 1][0] if joins else "")
            uses[key] = uses.get(key, 0) + 1
    # Seen in at least BOUND_MIN_USES terms: a key used once is trivially "always" before its neighbour.
    return words | {
        key: next(iter(nexts))
        for key, nexts in following.items()
        if len(nexts) == 1 and "" not in nexts and uses[key] >= BOUND_MIN_USES
    }


def positioned_keys(normalised_text: str, bound: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """The approximate-matching keys of a text in reading order, each with its position: the index of
    the unit it starts at (a word, or a Chinese character whose bigram it is), so that distances
    count words in English and Urdu and characters in Chinese alike. A chain of bound Latin or Urdu
    keys (`bound_words`) is one key, and a Chinese glossary word the text writes is a key of its own.
    Each sentence starts SENTENCE_GAP positions after the last, so that no span of an approximate
    match reaches across a sentence end."""
    return _keys_and_compounds(normalised_text, bound)[0]


# Positions between sentences (see `positioned_keys`): more than any term's span (APPROXIMATE_SPAN_PER_KEY).
SENTENCE_GAP = 1000
# A sentence ends at a full stop (or ! ? ;) before a space or the end, at the Chinese and Urdu marks, and
# at a line break (the title's end: 奶牛乳房炎在线检测**系统** / **挤奶**过程中 is no automatic milking system).
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)|[。！？；۔\n]")
_HYPHEN = re.compile(r"\s*[-‐‑–]\s*")


def _keys_and_compounds(
    normalised_text: str,
    bound: dict[str, str] | None = None,
    text_units: list[Unit] | None = None,
    named: Iterable[tuple[int, int]] = (),
) -> tuple[list[tuple[str, int]], dict[int, str], set[int]]:
    """`positioned_keys`, the Latin keys written as part of a hyphenated compound: position -> the
    key of the other word ("smart" in "smart-energy" -> "energy"), and the positions of the keys that stand
    wholly inside one of the `named` runs of units (start, end), where the text names a concept exactly.
    A word of a compound belongs to its compound: "contracted smart-energy" is no smart contract,
    "time-stamp" and "e-mails" no electronic stamp."""
    text_units = units(normalised_text) if text_units is None else text_units
    raw = _raw_keys(text_units)
    ends = [match.end() for match in _SENTENCE_END.finditer(normalised_text)]
    sentence, next_end = 0, ends[0] if ends else None
    offsets: list[int] = []
    for unit in text_units:
        while next_end is not None and unit.start >= next_end:
            sentence += 1
            next_end = ends[sentence] if sentence < len(ends) else None
        offsets.append(sentence * SENTENCE_GAP)
    compounds: dict[int, str] = {}
    for position in range(len(text_units) - 1):
        first, second = text_units[position], text_units[position + 1]
        between = normalised_text[first.end : second.start]
        if first.text.isascii() and second.text.isascii() and _HYPHEN.fullmatch(between):
            compounds[position + offsets[position]] = _stem(second.text)
            compounds[position + 1 + offsets[position + 1]] = _stem(first.text)
    named_at = [0] * (len(text_units) + 1)  # which named run (1, 2, ...) each unit is in; 0 for none
    for number, (start, end) in enumerate(named, 1):
        named_at[start:end] = [number] * (end - start)
    found: list[tuple[str, int]] = []
    inside: set[int] = set()
    index = 0
    while index < len(raw):
        key, position, joins = raw[index]
        if bound and joins and _CJK_RUNS.fullmatch(key):
            found.extend((word, position + offsets[position]) for word in _chinese_words_at(raw, index, bound))
        merged = key
        while bound and joins and bound.get(raw[index][0]) == raw[index + 1][0]:
            index += 1
            following, _, joins = raw[index]
            merged = f"{merged} {following}"  # Latin or Urdu words: a Chinese bigram is never bound
        found.append((merged, position + offsets[position]))
        last = raw[index][1] + (1 if _CJK_RUNS.fullmatch(raw[index][0]) else 0)  # a bigram's second character
        if named_at[position] and named_at[position] == named_at[last]:
            inside.add(position + offsets[position])
        index += 1
    return found, compounds, inside


_CHINESE_WORD_MIN = 3  # a Chinese word of two characters is its bigram already
_CHINESE_WORD_MAX = 12


def _chinese_words_at(raw: list[tuple[str, int, bool]], index: int, bound: dict[str, str]) -> list[str]:
    """The glossary's Chinese words (`bound_words`) that a run of bigram keys spells from its key at `index`."""
    words, spelled = [], raw[index][0]
    while raw[index][2] and len(spelled) < _CHINESE_WORD_MAX:
        index += 1
        spelled += raw[index][0][-1]
        if bound.get(spelled) == spelled:
            words.append(spelled)
    return words


def _chinese_words(term: str) -> list[str]:
    """The Chinese words of a term, as jieba cuts the term alone, and a compound word that jieba's search
    mode cuts into two-character words from end to end as those words (车牌自动识别 -> 车牌, 自动, 识别;
    乌尔都语, a name, stays one word)."""
    words: list[str] = []
    for word in tokenize(term):
        if not _CJK_RUNS.fullmatch(word):
            continue
        pairs = [word[start : start + 2] for start in range(0, len(word), 2)]
        if len(word) >= 4 and len(word) % 2 == 0 and set(pairs) <= set(tokenize(word, for_index=True)):
            words.extend(pairs)
        else:
            words.append(word)
    return words


def term_keys_of(term: str, bound: dict[str, str] | None = None) -> set[str]:
    """The approximate-matching keys of a glossary term. In Chinese, its words (one key for a word of three
    characters or more, see `bound_words`), so only the bigrams inside one word of the term: a bigram
    across two words (牌自 and 动识 of 车牌自动识别) is a key of any text that writes the second word after
    some other (奶牛项圈自动识别发情 has 动识), and, rare in the glossary, it weighed as the term's
    most distinctive word. A Chinese word of one character keeps its bigram with a neighbour."""
    normalised = normalise(term)
    keys = approximate_keys(normalised, bound)
    if not _CJK_RUNS.search(normalised):
        return keys
    kept = {key for key in keys if not _CJK_RUNS.fullmatch(key)}
    searched_from = 0
    for word in _chinese_words(normalised):
        if len(word) >= _CHINESE_WORD_MIN and bound and bound.get(word) == word:
            kept.add(word)  # one key, as a text that writes it has it (see `bound_words`)
            continue
        if len(word) > 1:
            kept |= approximate_keys(word, bound)
            continue
        # A word of one character keeps its bigram with a neighbour: at the start of the term with the next
        # word (反无 of 反无人机系统: "counter" is what tells the term from its head alone), elsewhere with the
        # word before, which it modifies as a suffix (器化 of 容器化部署, "containerised").
        at = normalised.find(word, searched_from)
        searched_from = max(at, searched_from)
        bigram = normalised[at : at + 2] if at == 0 else normalised[at - 1 : at + 1]
        if bigram in keys:
            kept.add(bigram)
    return kept if len(kept) >= 2 else keys


def _first_word_keys(term: str, keys: Iterable[str]) -> frozenset[str] | None:
    """The keys (bigrams, or the glossary words of three or more characters) of a Chinese term that hold its first word,
    the modifier that tells it from others of its kind (车牌 of 车牌自动识别, 采摘 of 采摘机器人); None for a
    term of one word, or in another script or two."""
    normalised = normalise(term)
    if not _CJK_RUNS.fullmatch(normalised):
        return None
    words = _chinese_words(normalised)
    if len(words) < 2 or len(words[0]) < 2:
        return None
    bigrams = {words[0][at : at + 2] for at in range(len(words[0]) - 1)}
    return frozenset(key for key in keys if any(bigram in key for bigram in bigrams)) or None


def chinese_head(term: str) -> frozenset[str]:
    """The bigrams of a Chinese term's head word (识别 of 车牌自动识别, 分析 of 呼叫中心语音分析, 生产 and 产线 of
    服装自动化生产线), passing over a light head that any product has (系统, 平台); empty for a term in another
    script, of two scripts, or of one word. A text names the term only with its head: 呼叫中心 alone is a call
    centre, not its speech analytics, and 智能路由 ("smart routing") no 智能路灯."""
    normalised = normalise(term)
    if not _CJK_RUNS.fullmatch(normalised):
        return frozenset()
    words = _chinese_words(normalised)
    while len(words) > 1 and words[-1] in _CHINESE_LIGHT_HEADS:
        words.pop()
    if len(words) < 2:
        return frozenset()
    return frozenset(words[-1][at : at + 2] for at in range(len(words[-1]) - 1))


# Chinese heads that every product has (系统 "system", 平台 "platform"...), passed over like _LIGHT_HEAD_WORDS.
_CHINESE_LIGHT_HEADS = frozenset("系统 平台 设备 技术 服务 方案 解决方案 软件 应用 工具 装置 产品 业务".split())


def term_head(term: str, bound: dict[str, str] | None = None) -> str | None:
    """The approximate-matching key of a term's head word, the word that says what the thing is: the
    last one in Urdu (head-final: اردو متن کی شناخت) and in English before any post-modifier ("text
    recognition from images" -> recognition), passing over a light head that any product has (system,
    platform, نظام: "parking guidance system" -> guidance). In Chinese (head-final too) the last bigram of
    the last word of two or more characters as jieba cuts the term (车牌识别 -> 识别, 水质监测系统 -> 监测),
    now that a term's keys stay inside its words (`term_keys_of`). None for a term of two scripts and
    for a term of one key."""
    normalised = normalise(term)
    if _CJK_RUNS.search(normalised):
        if not _CJK_RUNS.fullmatch(normalised):
            return None  # a term of two scripts (乌尔都语OCR): no rule for where its head is
        words = _chinese_words(normalised)
        while len(words) > 1 and words[-1] in _CHINESE_LIGHT_HEADS:
            words.pop()
        if len(words) < 2:
            return None
        if len(words[-1]) >= _CHINESE_WORD_MIN and bound and bound.get(words[-1]) == words[-1]:
            return words[-1]
        head_keys = [key for key, _ in positioned_keys(words[-1], bound)]
        return head_keys[-1] if head_keys else None
    words = _WORDS.findall(normalised)
    if normalised.isascii():
        cut = next((index for index, word in enumerate(words) if word in _ENGLISH_POSTMODIFIERS and index > 0), None)
        words = words[:cut]
    keys = [key for key, _ in positioned_keys(" ".join(words), bound)]
    while len(keys) > 1 and set(keys[-1].split(" ")) <= _light_heads():
        keys.pop()
    return keys[-1] if keys else None


# Words that give a term a direction: "speech-to-text" is no "text-to-speech", آواز سے متن no متن سے آواز.
_DIRECTION_WORDS = frozenset("to into ٹو سے".split())


def term_direction(term: str, bound: dict[str, str] | None = None) -> tuple[frozenset[str], frozenset[str]] | None:
    """(keys before, keys after) the direction word of a term that has one ("text-to-speech": {text},
    {speech}); None for others. An approximate match of such a term needs a key before one after."""
    words = _WORDS.findall(normalise(term))
    cut = next((index for index, word in enumerate(words) if word in _DIRECTION_WORDS and index > 0), None)
    if cut is None or _CJK_RUNS.search(term):
        return None
    before = approximate_keys(" ".join(words[:cut]), bound)
    after = approximate_keys(" ".join(words[cut + 1 :]), bound)
    return (frozenset(before - after), frozenset(after - before)) if before and after else None


def _in_order(window: list[tuple[int, str]], direction: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether a window of (position, key) has a key from before a term's direction word ahead of one
    from after it ("speech to text" for "speech-to-text"); a window with keys of only one side passes."""
    before, after = direction
    first_before = min((position for position, key in window if key in before), default=None)
    last_after = max((position for position, key in window if key in after), default=None)
    return first_before is None or last_after is None or first_before < last_after


def _term_order(term: str, bound: dict[str, str] | None = None) -> dict[str, int] | None:
    """A Latin or Urdu term's keys with their place in it (see `_slot_filled`); None for Chinese, whose
    positions count characters, not words."""
    normalised = normalise(term)
    if _CJK_RUNS.search(normalised):
        return None
    order: dict[str, int] = {}
    for place, (key, _) in enumerate(positioned_keys(normalised, bound)):
        order.setdefault(key, place)
    return order


def _slot_filled(window: list[tuple[int, str]], order: dict[str, int]) -> bool:
    """Whether two words of a term stand in a window of (position, key) just as far apart as in the term,
    with another word where the term's missing word stands: "rapid susceptibility testing" is no
    "rapid diagnostic test", "water pressure sensors" no "water quality sensors". The same frame with a
    different filler is a different thing; the words with nothing between them ("rapid testing") still
    name the term."""
    found = sorted((position, order[key]) for position, key in window)
    return any(
        second_place - first_place >= 2 and second - first == second_place - first_place
        for (first, first_place), (second, second_place) in pairwise(found)
    )


# Heads that every product has, in English and Urdu: they say nothing of what the thing is.
_LIGHT_HEAD_WORDS = (
    "system", "systems", "platform", "solution", "software", "tool", "service", "device", "equipment",
    "technology", "application", "app", "engine", "سسٹم", "نظام", "پلیٹ فارم", "سافٹ ویئر", "سروس",
    "ٹیکنالوجی", "ایپ", "آلات", "حل",
)  # fmt: skip


@lru_cache(maxsize=1)
def _light_heads() -> frozenset[str]:
    return frozenset(key for word in _LIGHT_HEAD_WORDS for key, _ in positioned_keys(normalise(word)))


@dataclass
class Extraction:
    """What the glossary found in one text: concepts and sectors with the words that spelled them."""

    concepts: dict[str, str] = field(default_factory=dict)  # code -> surface text of its first mention
    sectors: dict[str, str] = field(default_factory=dict)  # sub-field or field code -> surface text
    residual_text: str = ""
    # Concepts whose best label or synonym the text covers only in part: code -> covered share (0.5–1).
    approximate: dict[str, float] = field(default_factory=dict)
    approximate_sectors: dict[str, float] = field(default_factory=dict)
    # Concepts only one common word of (or words far apart) suggests: code -> loose covered share.
    weak: dict[str, float] = field(default_factory=dict)
    # Approximate concepts whose Chinese words stand without their head (呼叫中心 and 通话录音 without 分析 for
    # call-centre speech analytics): they weigh as approximate ones, but a profile never states them.
    headless: set[str] = field(default_factory=set)


_END = ""  # trie key that marks "a phrase ends here"; never a unit, since units are non-empty


class Glossary:
    """Concepts and sectors with a phrase trie over all their labels and synonyms in three languages."""

    def __init__(self, concepts: Iterable[Concept], sectors: Iterable[Sector], terms: Iterable[tuple[str, str, str]]):
        self.concepts: dict[str, Concept] = {concept.code: concept for concept in concepts}
        self.sectors: dict[str, Sector] = {sector.code: sector for sector in sectors}
        self._trie: dict[str, Any] = {}
        # Unit sequences that only acronyms spell -> patterns of those acronyms on the unfolded text.
        self._acronyms: dict[tuple[str, ...], list[re.Pattern[str]]] = {}
        self._plain: set[tuple[str, ...]] = set()
        # Approximate matching: each concept term as a set of keys, keys weighted by their rarity.
        self._term_concept: list[str] = []
        self._term_mass: list[float] = []
        self._term_keys: list[frozenset[str]] = []
        self._term_generic: list[frozenset[str]] = []
        self._term_distinctive: list[frozenset[str]] = []
        self._term_first_word: list[frozenset[str] | None] = []  # see _first_word_keys
        self._term_head: list[str | None] = []
        # A Chinese term's concept's Chinese heads (see chinese_head): one of them must stand near its words.
        self._term_chinese_heads: list[frozenset[str] | None] = []
        self._term_direction: list[tuple[frozenset[str], frozenset[str]] | None] = []
        self._term_order: list[dict[str, int] | None] = []  # a Latin or Urdu term's keys -> their place in it
        self._bound: dict[str, str] = {}
        # Per approximate term, the keys its acronyms give (the "up" of "UPS system") -> those acronyms.
        self._term_acronyms: list[dict[str, str]] = []
        self._acronym_keys: frozenset[str] = frozenset()  # keys that some term's acronym gives
        self._key_terms: dict[str, list[int]] = {}
        self._key_weight: dict[str, float] = {}
        self._suggestion_index: _SuggestionIndex | None = None
        self._code_keys: dict[str, frozenset[str]] | None = None  # see could_name
        terms = list(terms)
        for kind, code, term in terms:
            self._add_term(kind, code, term)
        self._index_approximate([(kind, code, term) for kind, code, term in terms])

    def suggestion_index(self) -> _SuggestionIndex:
        """The type-ahead's index of every label and synonym, built on first use and kept with the glossary."""
        if self._suggestion_index is None:
            self._suggestion_index = _SuggestionIndex(self.concepts.values())
        return self._suggestion_index

    @classmethod
    def empty(cls) -> Glossary:
        """A glossary that knows nothing: the 'text features only' baseline."""
        return cls([], [], [])

    def _add_term(self, kind: str, code: str, term: str) -> None:
        normalised = normalise(term)
        term_units = [unit.text for unit in units(normalised)]
        if not term_units or (len(term_units) == 1 and len(_WORDS.findall(normalised)) > 1):
            # A term that stop words cut down to one word is not that word: "e-CO" is no "e" (found
            # in every e-government and e-commerce text), "AS/RS" no "rs" (rupees).
            return
        path = tuple(term_units)
        if _ACRONYM.fullmatch(term.strip()):
            self._acronyms.setdefault(path, []).append(_acronym_pattern(term.strip()))
        else:
            self._plain.add(path)
        node = self._trie
        for unit_text in term_units:
            node = node.setdefault(unit_text, {})
        # A term shared by a concept and a sector name belongs to the concept (the more specific).
        if _END not in node or (node[_END][0] == "sector" and kind == "concept"):
            node[_END] = (kind, code)

    def _index_approximate(self, all_terms: list[tuple[str, str, str]]) -> None:
        """Concept terms and sector names as key sets; sectors are kept apart under a 'sector:' prefix."""
        self._bound = bound_words(term for _, _, term in all_terms)
        term_keys = [
            (code if kind == "concept" else f"sector:{code}", term_keys_of(term, self._bound))
            for kind, code, term in all_terms
        ]
        term_heads = [term_head(term, self._bound) for _, _, term in all_terms]
        term_directions = [term_direction(term, self._bound) for _, _, term in all_terms]
        term_acronyms = [
            {
                key: word
                # Chinese characters set aside: UPS is the acronym of 模块化UPS too.
                for word in _WORDS.findall(_CJK_RUNS.sub(" ", term))
                if _ACRONYM.fullmatch(word)
                for key in approximate_keys(normalise(word), self._bound)
            }
            for _, _, term in all_terms
        ]
        concepts_with_key: dict[str, set[str]] = {}
        for code, keys in term_keys:
            for key in keys:
                concepts_with_key.setdefault(key, set()).add(code)
        total = max(1, len(self.concepts) + len(self.sectors))
        self._key_weight = {key: math.log(1 + total / len(codes)) for key, codes in concepts_with_key.items()}
        for (code, keys), acronyms, head, direction, (_, _, term) in zip(
            term_keys, term_acronyms, term_heads, term_directions, all_terms, strict=True
        ):
            if len(keys) < 2:  # a one-word term is found exactly or not at all
                continue
            term_id = len(self._term_concept)
            self._term_order.append(_term_order(term, self._bound) if len(keys) >= 3 else None)
            self._term_concept.append(code)
            self._term_acronyms.append(acronyms)
            self._acronym_keys |= frozenset(acronyms)
            self._term_head.append(head if head in keys else None)
            self._term_chinese_heads.append(chinese_head(term) or None)
            self._term_direction.append(direction)
            self._term_mass.append(sum(self._key_weight[key] for key in keys))
            self._term_keys.append(frozenset(keys))
            # Generic: no heavier than the term's average word. With a tolerance: when every word of a
            # term weighs the same, the rounded mean can fall one ulp below them (at some glossary sizes:
            # 452, 469, ...), which left the term no generic word and turned off its two-word matches.
            mean = self._term_mass[term_id] / len(keys)
            self._term_generic.append(frozenset(key for key in keys if self._key_weight[key] <= mean * (1 + 1e-9)))
            rarest = max(self._key_weight[key] for key in keys)
            self._term_distinctive.append(frozenset(key for key in keys if self._key_weight[key] == rarest))
            self._term_first_word.append(_first_word_keys(term, keys))
            for key in keys:
                self._key_terms.setdefault(key, []).append(term_id)
        # Any of its concept's Chinese heads will do: 病害智能识别 names crop disease detection through
        # 农作物病害检测's words (its head 检测 is another form of 识别, the head of 作物病害识别).
        concept_heads: dict[str, frozenset[str]] = {}
        for code, heads in zip(self._term_concept, self._term_chinese_heads, strict=True):
            concept_heads[code] = concept_heads.get(code, frozenset()) | (heads or frozenset())
        self._term_chinese_heads = [
            concept_heads[code] if heads else None
            for code, heads in zip(self._term_concept, self._term_chinese_heads, strict=True)
        ]

    def approximate(self, normalised_text: str, threshold: float = APPROXIMATE_THRESHOLD) -> dict[str, float]:
        """Concepts whose best term the text covers by at least `threshold` of its key weight, within
        one short span and with two of its words (or one distinctive word); see `approximate_all`."""
        return self.approximate_all(normalised_text, threshold)[0]

    def approximate_all(
        self,
        normalised_text: str,
        threshold: float = APPROXIMATE_THRESHOLD,
        unfolded: str | None = None,
        text_units: list[Unit] | None = None,
        named: Iterable[tuple[int, int]] = (),
        headless: set[str] | None = None,
    ) -> tuple[dict[str, float], dict[str, float]]:
        """(supported, weak): approximate concepts, and those that reach `threshold` only through one
        common word of the term (or words far apart). Weak ones are a hint, never a stated fact.

        With the text before case folding (`unfolded`), a key that only an acronym of the glossary gives
        counts only where the text writes that acronym in capitals ("set up" is no "UPS system"). The
        text's `units`, when the caller has them already, save cutting it again. The words of a concept that
        the text names exactly (`named`: runs of units) name that concept: a match all of whose words stand
        there is no other one. The "warehouse" of a warehouse management system (ویئر ہاؤس مینجمنٹ سسٹم) is
        no data warehouse: another word ("management") stands where "data" would.

        Into `headless`, when given, go the concepts found only through Chinese terms whose words stand
        without a head of their concept (see `chinese_head`): they count as found, but are never stated."""
        keyed, compounds, inside = _keys_and_compounds(normalised_text, self._bound, text_units, named)
        covered: dict[int, float] = {}
        unwritten: dict[int, frozenset[str]] = {}  # term -> its acronym keys the text does not write as such
        written: dict[str, bool] = {}  # acronym -> whether the text writes it in capitals
        for key in {key for key, _ in keyed}:
            weight = self._key_weight.get(key, 0.0)
            check = unfolded is not None and key in self._acronym_keys
            for term_id in self._key_terms.get(key, ()):
                acronym = self._term_acronyms[term_id].get(key) if check else None
                if acronym is not None:
                    if acronym not in written:
                        written[acronym] = bool(_acronym_pattern(acronym).search(unfolded or ""))
                    if not written[acronym]:
                        unwritten[term_id] = unwritten.get(term_id, frozenset()) | {key}
                        continue
                covered[term_id] = covered.get(term_id, 0.0) + weight
        positions: dict[str, list[int]] = {}
        for key, position in keyed:
            positions.setdefault(key, []).append(position)
        by_prefix: dict[str, list[int]] = {}  # Latin keys by their first HEAD_PREFIX letters (heads' forms)
        for key, found_at in positions.items():
            if key.isascii() and len(key) >= HEAD_PREFIX:
                by_prefix.setdefault(key[:HEAD_PREFIX], []).extend(found_at)
        found: dict[str, float] = {}
        weak: dict[str, float] = {}
        headed: set[str] = set()  # found concepts with a term whose words stand with their head
        for term_id, weight in covered.items():
            loose = weight / self._term_mass[term_id]
            if loose < threshold:
                continue
            direction = self._term_direction[term_id]
            if direction is not None and not _in_order(
                [(position, key) for key in direction[0] | direction[1] for position in positions.get(key, ())],
                direction,
            ):
                continue  # only the other way round: "speech to text" is not even a hint of text-to-speech
            window = (
                term_id,
                positions,
                unwritten.get(term_id, frozenset()),
                self._head_positions(term_id, positions, by_prefix),
                compounds,
            )
            share = self._best_window_share(*window, inside=inside)
            code = self._term_concept[term_id]
            if share >= threshold:
                found[code] = max(found.get(code, 0.0), round(min(share, 1.0), 4))
                chinese_heads = self._chinese_head_positions(term_id, positions)
                if chinese_heads is None or self._best_window_share(*window, chinese_heads, inside) >= threshold:
                    headed.add(code)
            else:
                weak[code] = max(weak.get(code, 0.0), round(min(loose, 1.0), 4))
        if headless is not None:
            headless.update(code for code in found if code not in headed)
        return found, {code: share for code, share in weak.items() if code not in found}

    def _chinese_head_positions(self, term_id: int, positions: dict[str, list[int]]) -> list[int] | None:
        """Where the text has the head bigram of a Chinese term or of another Chinese term of its concept (see
        `chinese_head`), as a bigram or inside a glossary word the text writes; None when the term has none."""
        heads = self._term_chinese_heads[term_id] if HEAD_REQUIRED else None
        if heads is None:
            return None
        return [at for key, found_at in positions.items() if any(head in key for head in heads) for at in found_at]

    def _head_positions(
        self, term_id: int, positions: dict[str, list[int]], by_prefix: dict[str, list[int]]
    ) -> list[int] | None:
        """Where the text has the head of the term, or another form of it ("identifies" for the head of
        "crop disease identification": a Latin word sharing its first HEAD_PREFIX letters, `by_prefix`);
        None when the head is not required."""
        head = self._term_head[term_id] if HEAD_REQUIRED else None
        if head is None:
            return None
        if not head.isascii() or len(head) < HEAD_PREFIX:
            return positions.get(head, [])
        return by_prefix.get(head[:HEAD_PREFIX], [])

    def _best_window_share(
        self,
        term_id: int,
        positions: dict[str, list[int]],
        unwritten: frozenset[str] = frozenset(),
        heads: list[int] | None = None,
        compounds: dict[int, str] | None = None,
        chinese_heads: list[int] | None = None,
        inside: set[int] | None = None,
    ) -> float:
        """The largest share of the term's key weight that the text covers within one short span: keys
        that carry SINGLE_KEY_SHARE of the term, or at least two keys among which both a common key of
        the term (weighing no more than its average key) and its rarest one.

        The common word says what kind of thing the term is (robot, system, detection), the rare ones
        what it is for; a term needs both. Rare words that leave a third of the term out ("during
        milking", دودھ دوہنے, 挤奶) are no "milking robot", and common words alone ("core system",
        "food testing", خودکار ... نظام) are no "core banking system", "halal food testing" or
        "automated sewing system".

        With `heads` (see `_head_positions`), the span must also hold the term's head, or stand within one
        span of it (see HEAD_REQUIRED). A word written as part of a hyphenated compound whose other word
        is not in the term (`compounds`) does not count for it."""
        keys, generic = self._term_keys[term_id], self._term_generic[term_id]
        distinctive = self._term_distinctive[term_id]
        head, first_word = self._term_head[term_id], self._term_first_word[term_id]
        span = APPROXIMATE_SPAN_PER_KEY * len(keys) + APPROXIMATE_SLACK
        occurrences = sorted(
            (position, key)
            for key in keys - unwritten
            for position in positions.get(key, ())
            if not compounds or compounds.get(position, key) in keys  # a word of another compound: not this term's
        )
        best, counts, weight, left = 0.0, dict[str, int](), 0.0, 0
        direction, order = self._term_direction[term_id], self._term_order[term_id]
        for right, (position, key) in enumerate(occurrences):
            counts[key] = counts.get(key, 0) + 1
            if counts[key] == 1:
                weight += self._key_weight[key]
            while position - occurrences[left][0] > span:
                gone = occurrences[left][1]
                counts[gone] -= 1
                if counts[gone] == 0:
                    weight -= self._key_weight[gone]
                left += 1
            present = {key for key, n in counts.items() if n}
            if direction is not None and not _in_order(occurrences[left : right + 1], direction):
                continue
            if inside and all(at in inside for at, _ in occurrences[left : right + 1]):
                continue  # every word found is part of a concept the text names exactly: that one
            if chinese_heads is not None and not any(
                position - span <= at <= occurrences[left][0] + span for at in chinese_heads
            ):
                continue  # no head: 呼叫中心 alone is a call centre, not its speech analytics
            if first_word is not None and not present & first_word:
                continue  # no first word: 自动识别 alone is no 车牌自动识别, 机器人 alone no 采摘机器人
            found, head_at = weight, None
            if heads is not None and head is not None and head not in present:
                # The head in another form ("identifies" for "identification") within a span names it too.
                head_at = next((at for at in heads if position - span <= at <= occurrences[left][0] + span), None)
                if head_at is None:
                    continue
                found, present = weight + self._key_weight[head], present | {head}
            if found <= best or not (
                found >= SINGLE_KEY_SHARE * self._term_mass[term_id]
                or (len(present) >= 2 and present & generic and present & distinctive)
            ):
                continue
            if order is not None:  # checked last, as the dearest test
                window = occurrences[left : right + 1]
                if head_at is not None and head is not None:
                    window = sorted([*window, (head_at, head)])
                if _slot_filled(window, order):
                    continue
            best = found
        return best / self._term_mass[term_id]

    def could_name(self, text: str, codes: Iterable[str]) -> bool:
        """Whether a text has a key of any term of these concepts or sectors ("sector:" codes as in
        `approximate_all`): a cheap test before extracting it."""
        if self._code_keys is None:
            self._code_keys = {}
            for code, term_keys in zip(self._term_concept, self._term_keys, strict=True):
                self._code_keys[code] = self._code_keys.get(code, frozenset()) | term_keys
        found = approximate_keys(normalise(text), self._bound)
        # A code without keys (a one-word term, found exactly or not at all) may be in the text: say so.
        return any(not found.isdisjoint(self._code_keys.get(code) or found) for code in codes)

    def field_of(self, sector_code: str) -> str | None:
        sector = self.sectors.get(sector_code)
        return sector.field_code if sector else None

    def label(self, code: str, language: str) -> str:
        if code in self.concepts:
            return self.concepts[code].labels.get(language) or self.concepts[code].labels["en"]
        if code in self.sectors:
            return self.sectors[code].names.get(language) or self.sectors[code].names["en"]
        return code

    def extract(self, text: str) -> Extraction:
        """Find concepts and sectors, longest phrase first; the rest of the text is `residual_text`."""
        normalised = normalise(text)
        text_units = units(normalised)
        unfolded = unicodedata.normalize("NFKC", text or "")
        extraction = Extraction()
        consumed: list[tuple[int, int]] = []
        named: list[tuple[int, int]] = []  # runs of units that name a concept exactly
        position = 0
        while position < len(text_units):
            matched = self._longest_at(text_units, position, unfolded)
            if matched is None:
                position += 1
                continue
            length, (kind, code) = matched
            start, end = text_units[position].start, text_units[position + length - 1].end
            target = extraction.concepts if kind == "concept" else extraction.sectors
            target.setdefault(code, normalised[start:end])
            consumed.append((start, end))
            if kind == "concept":
                named.append((position, position + length))
            position += length
        extraction.residual_text = _remove_spans(normalised, consumed)
        supported, weak = self.approximate_all(
            normalised, unfolded=unfolded, text_units=text_units, named=named, headless=extraction.headless
        )
        for code, share in supported.items():
            if code.startswith("sector:"):
                extraction.approximate_sectors[code.removeprefix("sector:")] = share
            elif code not in extraction.concepts:
                extraction.approximate[code] = share
        for code, share in weak.items():
            if not code.startswith("sector:") and code not in extraction.concepts:
                extraction.weak[code] = share
        extraction.headless &= set(extraction.approximate)  # a concept named exactly is stated all the same
        return extraction

    def _longest_at(self, text_units: list[Unit], position: int, text: str) -> tuple[int, tuple[str, str]] | None:
        node = self._trie
        best: tuple[int, tuple[str, str]] | None = None
        for offset in range(position, len(text_units)):
            next_node = node.get(text_units[offset].text)
            if next_node is None:
                break
            node = next_node
            if _END in node and self._written_as_term(text_units[position : offset + 1], text):
                best = (offset - position + 1, node[_END])
        return best

    def _written_as_term(self, found: list[Unit], text: str) -> bool:
        """False for words that only an acronym of the glossary spells when the text (before case
        folding) never writes that acronym in capitals: "his" is no HIS, "ups" no UPS."""
        path = tuple(unit.text for unit in found)
        patterns = self._acronyms.get(path)
        if not patterns or path in self._plain:
            return True
        return any(pattern.search(text) for pattern in patterns)


def _remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return " ".join(pieces)


def build_glossary(sectors: Iterable[Sector], concepts: Iterable[Concept]) -> Glossary:
    """The glossary from plain data: focus fields and sub-fields, then concepts with their synonyms.

    The platform builds these from the database (`silkbridge.matching.selectors.glossary`), so an
    admin's edit reaches matching; the offline tools read the seed files (`load_glossary`). Order
    matters only where two concepts share a term: the first one keeps it."""
    sectors, concepts = list(sectors), list(concepts)
    terms: list[tuple[str, str, str]] = []
    for sector in sectors:
        terms.extend(("sector", sector.code, name) for name in sector.names.values())
    for concept in concepts:
        terms.extend(("concept", concept.code, label) for label in concept.labels.values())
        for synonyms in concept.synonyms.values():
            terms.extend(("concept", concept.code, synonym) for synonym in synonyms or [])
    return Glossary(concepts, sectors, terms)


# libyaml's safe loader when PyYAML was built with it (the wheels are): the seed files parse in a
# fraction of the pure-Python loader's time.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


@lru_cache(maxsize=4)
def load_glossary(
    concepts_path: Path = DATA_DIR / "concepts.yaml", sectors_path: Path = DATA_DIR / "sectors.yaml"
) -> Glossary:
    """The glossary from the seed files, for the offline tools only (`silkbridge match`, the bench,
    the evaluation and the engine's own tests), which run without a database. The platform never
    calls this: its glossary is the database's (see `build_glossary`)."""
    sectors: list[Sector] = []
    concepts: list[Concept] = []
    for field_data in _read_yaml(sectors_path):
        field_code = field_data["code"]
        sectors.append(Sector(field_code, field_code, dict(field_data["name"])))
        for sub_data in field_data.get("subsectors", []):
            sectors.append(Sector(sub_data["code"], field_code, dict(sub_data["name"])))
    for data in _read_yaml(concepts_path):
        labels = {language: data[language] for language in LANGUAGES if data.get(language)}
        synonyms = {language: list(values or []) for language, values in (data.get("synonyms") or {}).items()}
        concepts.append(Concept(data["code"], data["sector"], labels, synonyms))
    return build_glossary(sectors, concepts)


# --- type-ahead over the glossary ----------------------------------------------------------------------

SUGGEST_NGRAM_SIZES = (2, 3)
# A concept is "near" an unknown word when their character n-grams overlap this much (Dice coefficient).
NEAREST_MIN_SIMILARITY = 0.25
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class TermHit:
    """A concept that a typed text names or resembles, with the label or synonym that did it."""

    code: str
    term: str
    language: str
    score: float  # 1.0 for a whole term; lower for a prefix, a word's prefix, a substring or a resemblance


@dataclass(frozen=True)
class TermSuggestions:
    """What a type-ahead offers for a typed text: the concepts whose label or synonym (in any language)
    starts with or contains it, whether one of them is the text itself, and, when no concept contains
    it, the concepts nearest to it by spelling (character bigrams and trigrams), so that an unknown
    word is offered as a free keyword beside its neighbours, never a dead end."""

    matches: list[TermHit]
    exact: bool
    nearest: list[TermHit]


def _compact(text: str) -> str:
    return _SPACES.sub(" ", normalise(text)).strip()


def _ngrams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + size] for size in SUGGEST_NGRAM_SIZES for i in range(len(padded) - size + 1)}


class _SuggestionIndex:
    """Every label and synonym of every concept, normalised, with an n-gram index for resemblance."""

    def __init__(self, concepts: Iterable[Concept]):
        self.terms: list[tuple[str, str, str, str]] = []  # (code, language, term as written, normalised)
        self.grams: list[set[str]] = []
        self.by_gram: dict[str, list[int]] = {}
        for concept in concepts:
            written = [(language, label) for language, label in concept.labels.items()]
            written += [(language, synonym) for language, values in concept.synonyms.items() for synonym in values]
            for language, term in written:
                compact = _compact(term)
                if not compact:
                    continue
                term_id = len(self.terms)
                self.terms.append((concept.code, language, term, compact))
                grams = _ngrams(compact)
                self.grams.append(grams)
                for gram in grams:
                    self.by_gram.setdefault(gram, []).append(term_id)

    def matches(self, query: str) -> list[TermHit]:
        best: dict[str, TermHit] = {}
        for code, language, term, compact in self.terms:
            score = _match_score(query, compact)
            if score and (code not in best or score > best[code].score):
                best[code] = TermHit(code, term, language, score)
        return list(best.values())

    def nearest(self, query: str) -> list[TermHit]:
        wanted = _ngrams(query)
        overlap: dict[int, int] = {}
        for gram in wanted:
            for term_id in self.by_gram.get(gram, ()):
                overlap[term_id] = overlap.get(term_id, 0) + 1
        best: dict[str, TermHit] = {}
        for term_id, shared in overlap.items():
            similarity = 2 * shared / (len(wanted) + len(self.grams[term_id]))
            code, language, term, _ = self.terms[term_id]
            if similarity >= NEAREST_MIN_SIMILARITY and (code not in best or similarity > best[code].score):
                best[code] = TermHit(code, term, language, round(similarity, 4))
        return list(best.values())


def _match_score(query: str, term: str) -> float:
    """1 for the whole term, then a prefix of it, a prefix of one of its words, and anywhere inside;
    a longer share of the term covered ranks higher within each kind."""
    if query == term:
        return 1.0
    position = term.find(query)
    if position < 0:
        return 0.0
    coverage = len(query) / len(term)
    if position == 0:
        return 0.7 + 0.2 * coverage
    if term[position - 1] == " ":
        return 0.5 + 0.2 * coverage
    return 0.3 + 0.2 * coverage


def _ranked(hits: list[TermHit], limit: int) -> list[TermHit]:
    return sorted(hits, key=lambda hit: (-hit.score, len(hit.term), hit.code))[:limit]


def suggest_terms(glossary: Glossary, text: str, *, limit: int = 10, nearest_limit: int = 5) -> TermSuggestions:
    """The type-ahead's answer for a typed text (see `TermSuggestions`), best first."""
    query = _compact(text)
    if not query:
        return TermSuggestions([], exact=False, nearest=[])
    index = glossary.suggestion_index()
    matches = _ranked(index.matches(query), limit)
    exact = any(hit.score == 1.0 for hit in matches)
    if matches:
        # Concepts that contain the text are its nearest already; resemblance would only add noise.
        return TermSuggestions(matches, exact=exact, nearest=[])
    return TermSuggestions([], exact=False, nearest=_ranked(index.nearest(query), nearest_limit))
