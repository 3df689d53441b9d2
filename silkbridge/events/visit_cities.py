"""The cities a delegation visit may stop in or travel between, with each city's time zone and names.

Pakistani cities are the zones app's (zones/data/cities.yaml: the cities zones are in, with their
source); their time zone is Pakistan Standard Time (Asia/Karachi, UTC+05:00, no daylight saving).
The Chinese cities below are those delegations usually leave from; all of China keeps Beijing time
(Asia/Shanghai in the IANA time zone database, UTC+08:00, no daylight saving) — Urumqi (Ürümqi) and Kashgar
included, whose unofficial Xinjiang time is not what flights are timetabled in. Chinese names are the
cities' official ones; Urdu names are the usual Urdu spellings.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from silkbridge.zones.services import cities_known

PAKISTAN_TIME = "Asia/Karachi"
BEIJING_TIME = "Asia/Shanghai"

CHINESE_CITIES: dict[str, dict[str, str]] = {
    "Beijing": {"name_zh": "北京", "name_ur": "بیجنگ"},
    "Shanghai": {"name_zh": "上海", "name_ur": "شنگھائی"},
    "Shenzhen": {"name_zh": "深圳", "name_ur": "شینزین"},
    "Guangzhou": {"name_zh": "广州", "name_ur": "گوانگژو"},
    "Chengdu": {"name_zh": "成都", "name_ur": "چینگدو"},
    "Chongqing": {"name_zh": "重庆", "name_ur": "چونگ چنگ"},
    "Xi'an": {"name_zh": "西安", "name_ur": "شیان"},
    "Urumqi": {"name_zh": "乌鲁木齐", "name_ur": "ارومچی"},
    "Kashgar": {"name_zh": "喀什", "name_ur": "کاشغر"},
}


def visit_cities() -> dict[str, dict[str, Any]]:
    """Every city a visit knows, by English name: its names, country and time zone."""
    cities: dict[str, dict[str, Any]] = {
        name: {
            "name_zh": city.get("name_zh", ""),
            "name_ur": city.get("name_ur", ""),
            "country": "PK",
            "time_zone": PAKISTAN_TIME,
        }
        for name, city in cities_known().items()
    }
    for name, names in CHINESE_CITIES.items():
        cities[name] = {**names, "country": "CN", "time_zone": BEIJING_TIME}
    return cities


def city_time_zone(name: str) -> str:
    """The time zone a city keeps; a city not known (say, a host's in the directory) keeps Pakistan time."""
    city = visit_cities().get(name)
    return city["time_zone"] if city else PAKISTAN_TIME


def city_name(name: str) -> str:
    """The city's name in the active language (English when no other is known)."""
    city = visit_cities().get(name)
    language = (get_language() or "en").split("-")[0]
    if city is None or language not in {"zh", "ur"}:
        return name
    return city.get(f"name_{language}") or name
