"""Opportunity profiles as the engine sees them: plain data, validated from JSON objects.

Which types complement which is a hard rule here (`COMPLEMENTS`); the engine never scores a pair
that this table does not allow.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from silkbridge.common.languages import detect_language

PROFILE_TYPES = (
    "technology_offer",
    "technology_request",
    "business_offer",
    "business_request",
    "rnd_request",
    "investment_offer",
    "investment_request",
)
DEAL_TYPES = (
    "licence",
    "joint_venture",
    "equity",
    "acquisition",
    "joint_rnd",
    "technical_cooperation",
    "subcontracting",
    "distribution",
    "service",
    "loan",
)
LANGUAGES = ("en", "zh", "ur")
RESEARCH_ORG_KINDS = frozenset({"university", "institute", "research", "research_institute"})

# Offer <-> request pairs. An R&D cooperation request looks for technology offers, and for business
# offers when they come from a research organisation (see `is_compatible`).
COMPLEMENTS: dict[str, frozenset[str]] = {
    "technology_offer": frozenset({"technology_request", "rnd_request"}),
    "technology_request": frozenset({"technology_offer"}),
    "rnd_request": frozenset({"technology_offer", "business_offer"}),
    "business_offer": frozenset({"business_request", "rnd_request"}),
    "business_request": frozenset({"business_offer"}),
    "investment_offer": frozenset({"investment_request"}),
    "investment_request": frozenset({"investment_offer"}),
}
# Which side states a requirement ("TRL >= 6 asked for") and which side states what it has.
ASKING_TYPES = frozenset({"technology_request", "business_request", "rnd_request", "investment_offer"})
FAMILY_BY_TYPE = {
    "technology_offer": "technology",
    "technology_request": "technology",
    "rnd_request": "technology",
    "business_offer": "business",
    "business_request": "business",
    "investment_offer": "investment",
    "investment_request": "investment",
}


class ProfileError(ValueError):
    """A profile object that the engine cannot use; the message names the field."""


@dataclass(frozen=True)
class Profile:
    """One opportunity profile. Optional fields may be empty; `language` is detected when absent."""

    id: str
    org: str
    type: str
    title: str = ""
    description: str = ""
    language: str = "en"
    sectors: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    trl: int | None = None
    deal_types: tuple[str, ...] = ()
    amount_min: float | None = None
    amount_max: float | None = None
    currency: str | None = None
    country: str | None = None
    target_countries: tuple[str, ...] = ()
    org_kind: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def family(self) -> str:
        return FAMILY_BY_TYPE[self.type]

    @property
    def is_research_organisation(self) -> bool:
        return (self.org_kind or "").lower() in RESEARCH_ORG_KINDS

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}".strip()


def is_compatible(first: Profile, second: Profile) -> bool:
    """The hard rules: complementary types, and never an organisation with itself."""
    if first.org == second.org or second.type not in COMPLEMENTS[first.type]:
        return False
    if "rnd_request" in (first.type, second.type) and "business_offer" in (first.type, second.type):
        offer = first if first.type == "business_offer" else second
        return offer.is_research_organisation
    return True


def _text_field(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProfileError(f"{name} must be a string")
    return value


def _string_list(data: dict[str, Any], name: str, allowed: Iterable[str] | None = None) -> tuple[str, ...]:
    value = data.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProfileError(f"{name} must be a list of strings")
    if allowed is not None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise ProfileError(f"{name} has unknown values: {', '.join(unknown)}")
    return tuple(dict.fromkeys(value))


def _number(data: dict[str, Any], name: str) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ProfileError(f"{name} must be a non-negative number")
    return float(value)


def _trl(data: dict[str, Any]) -> int | None:
    value = data.get("trl")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9:
        raise ProfileError("trl must be an integer from 1 to 9")
    return value


def _required_text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{name} is missing or not a string")
    return value.strip()


def profile_from_dict(data: Any) -> Profile:
    """Validate one JSON object into a Profile; raises ProfileError naming the bad field."""
    if not isinstance(data, dict):
        raise ProfileError("a profile must be a JSON object")
    profile_id = _required_text(data, "id")
    profile_type = _required_text(data, "type")
    if profile_type not in PROFILE_TYPES:
        raise ProfileError(f"type {profile_type!r} is not one of {', '.join(PROFILE_TYPES)}")
    org = _required_text(data, "org") if data.get("org") is not None else f"profile:{profile_id}"
    title, description = _text_field(data, "title"), _text_field(data, "description")
    language = _text_field(data, "language") or detect_language(f"{title} {description}")
    if language not in LANGUAGES:
        raise ProfileError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    amount_min, amount_max = _number(data, "amount_min"), _number(data, "amount_max")
    if amount_min is not None and amount_max is not None and amount_min > amount_max:
        raise ProfileError("amount_min is larger than amount_max")
    currency = _text_field(data, "currency").upper() or None
    if (amount_min is not None or amount_max is not None) and currency is None:
        raise ProfileError("an amount needs a currency")
    country = _text_field(data, "country").upper() or None
    return Profile(
        id=profile_id,
        org=org,
        type=profile_type,
        title=title,
        description=description,
        language=language,
        sectors=_string_list(data, "sectors"),
        concepts=_string_list(data, "concepts"),
        trl=_trl(data),
        deal_types=_string_list(data, "deal_types", DEAL_TYPES),
        amount_min=amount_min,
        amount_max=amount_max,
        currency=currency,
        country=country,
        target_countries=tuple(code.upper() for code in _string_list(data, "target_countries")),
        org_kind=_text_field(data, "org_kind") or None,
    )


@dataclass(frozen=True)
class LineError:
    """A line of a JSONL file that was skipped, with the reason."""

    line_number: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line_number}: {self.message}"


def read_profiles_jsonl(lines: Iterable[str]) -> tuple[list[Profile], list[LineError]]:
    """Parse JSON Lines; bad lines (and a second profile with an id already seen) become LineErrors."""
    profiles: list[Profile] = []
    errors: list[LineError] = []
    seen: set[str] = set()
    for line_number, line in _numbered_nonblank(lines):
        try:
            profile = profile_from_dict(json.loads(line))
        except json.JSONDecodeError as error:
            errors.append(LineError(line_number, f"not valid JSON ({error.msg} at column {error.colno})"))
            continue
        except ProfileError as error:
            errors.append(LineError(line_number, str(error)))
            continue
        if profile.id in seen:
            errors.append(LineError(line_number, f"id {profile.id!r} appears more than once"))
            continue
        seen.add(profile.id)
        profiles.append(profile)
    return profiles, errors


def _numbered_nonblank(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for line_number, line in enumerate(lines, start=1):
        if line.strip():
            yield line_number, line
