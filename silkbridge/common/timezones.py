"""Time zones named as people name them (issue 13 item 5).

A Chinese reader says 北京时间 and a Pakistani one says PKT; CLDR's generic names ("China Standard Time",
"+0500" as Pakistan's short name) are what nobody writes in an invitation. The zones our users meet in
carry the names people use (below); any other zone takes CLDR's long name from Babel in the reader's
language. The IANA identifier always follows, so the exact zone is never in doubt.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_timezone_name

from silkbridge.common.countries import BABEL_LOCALES

# The names in common use: PKT (Pakistan Standard Time, UTC+5 without daylight saving since 2009) and
# Beijing time (北京时间, the one zone of China, UTC+8). Asia/Urumqi is Xinjiang's local time (UTC+6),
# not Beijing time, so it keeps CLDR's name.
_SPOKEN = {
    "Asia/Karachi": {"en": "PKT", "zh": "巴基斯坦时间", "ur": "پاکستانی وقت"},
    "Asia/Shanghai": {"en": "Beijing time", "zh": "北京时间", "ur": "بیجنگ کا وقت"},
    "Asia/Chongqing": {"en": "Beijing time", "zh": "北京时间", "ur": "بیجنگ کا وقت"},
    "Asia/Harbin": {"en": "Beijing time", "zh": "北京时间", "ur": "بیجنگ کا وقت"},
    "PRC": {"en": "Beijing time", "zh": "北京时间", "ur": "بیجنگ کا وقت"},
}


def zone_name(zone: str, language: str, *, at: datetime | None = None) -> str:
    """What a reader of `language` ("en", "zh", "ur") calls the zone `zone` (an IANA name) at `at`."""
    spoken = _SPOKEN.get(zone, {}).get(language[:2])
    if spoken:
        return spoken
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return zone
    moment = (at or datetime.now(UTC)).astimezone(tz)
    return str(get_timezone_name(moment, "long", locale=BABEL_LOCALES.get(language[:2], "en")))


def zone_label(zone: str, language: str, *, at: datetime | None = None) -> str:
    """The spoken name and the identifier: "北京时间 (Asia/Shanghai)"; the identifier alone where no name
    is known. A zone with summer time is named for `at` (default: now)."""
    name = zone_name(zone, language, at=at)
    return zone if name in {zone, ""} else f"{name} ({zone})"
