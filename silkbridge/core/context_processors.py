from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi

from silkbridge import __version__


def bcp47(language: str | None) -> str:
    """Django's language code as a BCP 47 tag for the lang attribute (zh-hans -> zh-Hans)."""
    code = (language or "en").lower()
    return {"zh-hans": "zh-Hans", "ur": "ur", "en": "en"}.get(code, code)


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "html_lang": bcp47(get_language()),
        "html_dir": "rtl" if get_language_bidi() else "ltr",
        "silkbridge_version": __version__,
        # The Urdu web font comes from the npm registry at install time; without it, system fonts.
        "urdu_font_available": (settings.FONTSOURCE_DIR / "noto-nastaliq-urdu").is_dir(),
    }
