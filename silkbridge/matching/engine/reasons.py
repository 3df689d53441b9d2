"""Why two profiles match, as {code, params} plus text in English, Chinese and Urdu.

The engine returns the code and parameters (language-neutral: codes, numbers, the words each
profile used); `render` turns them into a sentence from a small built-in template table. The web
layer may re-render the same codes with its own translations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

LANGUAGES = ("en", "zh", "ur")

TEMPLATES: dict[str, dict[str, str]] = {
    "shared_concepts": {
        "en": "Shared concepts: {concepts}",
        "zh": "共同的技术概念：{concepts}",
        "ur": "مشترکہ تصورات: {concepts}",
    },
    "same_sector": {
        "en": "Same field: {sectors}",
        "zh": "同一领域：{sectors}",
        "ur": "ایک ہی شعبہ: {sectors}",
    },
    "trl_meets": {
        "en": "TRL {offered} meets the TRL ≥ {asked} asked for",
        "zh": "技术成熟度 TRL {offered}，满足所要求的 TRL ≥ {asked}",
        "ur": "TRL {offered} مطلوبہ TRL ≥ {asked} پر پورا اترتا ہے",
    },
    "trl_below": {
        "en": "TRL {offered} is below the TRL ≥ {asked} asked for",
        "zh": "技术成熟度 TRL {offered}，低于所要求的 TRL ≥ {asked}",
        "ur": "TRL {offered} مطلوبہ TRL ≥ {asked} سے کم ہے",
    },
    "ticket_covers": {
        "en": "Ticket {ticket} covers {amount}",
        "zh": "投资额度 {ticket} 覆盖所需的 {amount}",
        "ur": "سرمایہ کاری کی حد {ticket} مطلوبہ {amount} کا احاطہ کرتی ہے",
    },
    "ticket_misses": {
        "en": "Ticket {ticket} does not cover {amount}",
        "zh": "投资额度 {ticket} 不覆盖所需的 {amount}",
        "ur": "سرمایہ کاری کی حد {ticket} مطلوبہ {amount} کا احاطہ نہیں کرتی",
    },
    "amounts_overlap": {
        "en": "Amounts fit: {this} and {other}",
        "zh": "金额相符：{this} 与 {other}",
        "ur": "رقم مطابقت رکھتی ہے: {this} اور {other}",
    },
    "amounts_apart": {
        "en": "Amounts differ: {this} and {other}",
        "zh": "金额不符：{this} 与 {other}",
        "ur": "رقم مختلف ہے: {this} اور {other}",
    },
    "deal_types_common": {
        "en": "Deal types in common: {deal_types}",
        "zh": "共同的合作方式：{deal_types}",
        "ur": "مشترکہ معاہدے کی اقسام: {deal_types}",
    },
    "deal_types_differ": {
        "en": "No deal type in common ({this} vs {other})",
        "zh": "没有共同的合作方式（{this} 对 {other}）",
        "ur": "کوئی مشترکہ معاہدے کی قسم نہیں ({this} بمقابلہ {other})",
    },
    "cross_border": {
        "en": "Cross-border: {this} ↔ {other}",
        "zh": "跨境合作：{this} ↔ {other}",
        "ur": "سرحد پار تعاون: {this} ↔ {other}",
    },
    "same_country": {
        "en": "Both in {this}",
        "zh": "双方都在{this}",
        "ur": "دونوں {this} میں",
    },
    "target_country": {
        "en": "{other} is one of the countries sought",
        "zh": "{other}是所寻求的目标国家之一",
        "ur": "{other} مطلوبہ ممالک میں سے ایک ہے",
    },
    "similar_wording": {
        "en": "Similar wording: {words}",
        "zh": "相似用词：{words}",
        "ur": "ملتے جلتے الفاظ: {words}",
    },
}

DEAL_TYPE_NAMES: dict[str, dict[str, str]] = {
    "licence": {"en": "licence", "zh": "技术许可", "ur": "لائسنس"},
    "joint_venture": {"en": "joint venture", "zh": "合资", "ur": "مشترکہ منصوبہ"},
    "equity": {"en": "equity", "zh": "股权投资", "ur": "ایکویٹی"},
    "acquisition": {"en": "acquisition", "zh": "收购", "ur": "حصول"},
    "joint_rnd": {"en": "joint R&D", "zh": "联合研发", "ur": "مشترکہ تحقیق و ترقی"},
    "technical_cooperation": {"en": "technical cooperation", "zh": "技术合作", "ur": "تکنیکی تعاون"},
    "subcontracting": {"en": "subcontracting", "zh": "分包", "ur": "ذیلی ٹھیکہ"},
    "distribution": {"en": "distribution", "zh": "分销", "ur": "تقسیم کاری"},
    "service": {"en": "service", "zh": "服务", "ur": "خدمات"},
    "loan": {"en": "loan", "zh": "贷款", "ur": "قرض"},
}
_LIST_SEPARATOR = {"en": ", ", "zh": "、", "ur": "، "}


@dataclass(frozen=True)
class Reason:
    """One reason: a stable code, its parameters, and (rendered on demand) its sentence per language."""

    code: str
    params: dict[str, Any]
    renderer: Callable[[str, dict[str, Any], str], str] | None = field(default=None, repr=False, compare=False)

    def render(self, language: str) -> str:
        if self.renderer is None:
            return render(self.code, self.params, language)
        return self.renderer(self.code, self.params, language)

    @cached_property
    def text(self) -> dict[str, str]:
        """The sentence in en, zh and ur (rendered once, on first use: most callers want one language)."""
        return {language: self.render(language) for language in LANGUAGES}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params, "text": self.text}


def format_amount(amount: float, currency: str, language: str) -> str:
    """1200000 USD -> '1.2 M USD' (en, ur) or '120万 USD' (zh)."""
    if language == "zh":
        for size, suffix in ((1e8, "亿"), (1e4, "万")):
            if amount >= size:
                return f"{_short(amount / size)}{suffix} {currency}"
        return f"{_short(amount)} {currency}"
    for size, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " K")):
        if amount >= size:
            return f"{_short(amount / size)}{suffix} {currency}"
    return f"{_short(amount)} {currency}"


def format_range(low: float, high: float, currency: str, language: str) -> str:
    if abs(high - low) <= 1e-9 * max(high, 1.0):
        return format_amount(low, currency, language)
    low_text, high_text = format_amount(low, currency, language), format_amount(high, currency, language)
    low_number, low_unit = low_text.rsplit(" ", 1)[0], _unit_of(low_text)
    if low_unit == _unit_of(high_text):  # '2–5 M USD' rather than '2 M USD–5 M USD'
        return f"{low_number.removesuffix(low_unit).strip()}–{high_text}"
    return f"{low_text}–{high_text}"


def _unit_of(text: str) -> str:
    body = text.rsplit(" ", 1)[0]
    for unit in ("亿", "万", "B", "M", "K"):
        if body.endswith(unit):
            return unit
    return ""


def _short(number: float) -> str:
    rounded = round(number, 2) if number < 10 else round(number, 1) if number < 100 else round(number)
    return f"{rounded:g}" if rounded < 1e6 else f"{rounded:.0f}"


def _money(params: dict[str, Any], prefix: str, language: str) -> str:
    """'1.2 M USD ≈ 336 M PKR' from params {prefix}_min/_max/_currency and optional {prefix}_converted_*."""
    text = format_range(params[f"{prefix}_min"], params[f"{prefix}_max"], params[f"{prefix}_currency"], language)
    if params.get(f"{prefix}_converted_currency"):
        converted = format_range(
            params[f"{prefix}_converted_min"],
            params[f"{prefix}_converted_max"],
            params[f"{prefix}_converted_currency"],
            language,
        )
        text = f"{text} ≈ {converted}"
    return text


def _join(items: list[str], language: str) -> str:
    return _LIST_SEPARATOR[language].join(items)


def _deal_names(codes: list[str], language: str) -> str:
    return _join([DEAL_TYPE_NAMES.get(code, {}).get(language, code) for code in codes], language)


def render(
    code: str,
    params: dict[str, Any],
    language: str,
    *,
    sector_name: Callable[[str, str], str] = lambda code, language: code,
    country_name: Callable[[str, str], str] = lambda code, language: code,
) -> str:
    """The sentence for one reason in one language (en when the language is unknown)."""
    language = language if language in LANGUAGES else "en"
    values: dict[str, Any] = dict(params)
    if code == "shared_concepts":
        pairs = [
            item["this"] if item["this"] == item["other"] else f"{item['this']} ↔ {item['other']}"
            for item in params["concepts"]
        ]
        values["concepts"] = _join(pairs, language)
    elif code == "same_sector":
        values["sectors"] = _join([sector_name(sector, language) for sector in params["sectors"]], language)
    elif code in {"ticket_covers", "ticket_misses"}:
        values["ticket"] = _money(params, "ticket", language)
        values["amount"] = _money(params, "amount", language)
    elif code in {"amounts_overlap", "amounts_apart"}:
        values["this"] = _money(params, "this", language)
        values["other"] = _money(params, "other", language)
    elif code == "deal_types_common":
        values["deal_types"] = _deal_names(params["deal_types"], language)
    elif code == "deal_types_differ":
        values["this"] = _deal_names(params["this"], language)
        values["other"] = _deal_names(params["other"], language)
    elif code in {"cross_border", "same_country", "target_country"}:
        values["this"] = country_name(params["this"], language) if params.get("this") else ""
        values["other"] = country_name(params["other"], language) if params.get("other") else ""
    elif code == "similar_wording":
        values["words"] = _join(params["words"], language)
    return TEMPLATES[code][language].format(**values)
