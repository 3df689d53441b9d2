"""Which province a city is in (data/provinces.yaml, with its sources): organisations record a city, not
a province. Plain Python: no Django, so the figures and their tests read the same table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PROVINCES_FILE = Path(__file__).resolve().parent / "data" / "provinces.yaml"


@dataclass(frozen=True)
class Province:
    """A first-level division (ISO 3166-2 code), its names in the three languages and its cities' spellings."""

    code: str
    country: str
    names: dict[str, str]
    cities: tuple[str, ...]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


def city_key(city: str) -> str:
    """How a city is compared: trimmed, case ignored (the database compares LOWER(TRIM(city)))."""
    return city.strip().lower()


def database_keys(city: str) -> set[str]:
    """What LOWER(TRIM(city)) gives for a spelling: PostgreSQL lowers every letter, SQLite only A-Z."""
    trimmed = city.strip()
    return {trimmed.lower(), "".join(letter.lower() if letter.isascii() else letter for letter in trimmed)}


@lru_cache(maxsize=1)
def provinces() -> dict[str, Province]:
    """Every province of the file by code, in the file's order. ValueError: a city listed twice in a country."""
    raw = yaml.safe_load(PROVINCES_FILE.read_text(encoding="utf-8"))
    table: dict[str, Province] = {}
    seen: dict[tuple[str, str], str] = {}
    for code, entry in raw["provinces"].items():
        province = Province(
            code=code,
            country=entry["country"],
            names={language: entry[language] for language in ("en", "zh", "ur")},
            cities=tuple(entry["cities"]),
        )
        for city in province.cities:
            key = (province.country, city_key(city))
            if key in seen:
                raise ValueError(f"{city} is listed in both {seen[key]} and {code}")
            seen[key] = code
        table[code] = province
    return table


def province_of(country: str, city: str) -> Province | None:
    """The province of a city in a country; None when the table does not list the city."""
    for province in provinces().values():
        if province.country == country and city_key(city) in {city_key(name) for name in province.cities}:
            return province
    return None
