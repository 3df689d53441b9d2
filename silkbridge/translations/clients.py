"""Clients of machine-translation services, in plain Python (no Django): a LibreTranslate-compatible
server (which a center can host itself) and DeepL's API. Each sends one text and returns its
translation, with a timeout (for the whole answer) and a size limit, following no redirect; what goes
wrong is a `TranslationError` that says whether trying again later may help (the server is down or busy)
or not (the server refuses the request).

The text leaves this machine: it is sent to the server configured (docs/translations.md).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

# The longest text sent in one request, in characters (a profile's description is at most 20,000).
MAX_CHARS = 20_000
# The longest answer read, in bytes: a translation is rarely more than a few times its source.
MAX_RESPONSE_BYTES = 1_000_000
DEFAULT_TIMEOUT_SECONDS = 15.0


class TranslationError(Exception):
    """The backend did not translate. `retry` is True when a later try may succeed (unreachable,
    timed out, a 5xx or 429 answer), False when it will not (the request is refused as it is)."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class TranslationClient(Protocol):
    @property
    def name(self) -> str: ...

    def translate(self, *, text: str, source: str, target: str) -> str: ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are answers, never followed: urllib would send the request's headers (DeepL's key among
    them) to whatever address a 3xx names, and the configured server is the only one text may go to."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)
READ_CHUNK_BYTES = 65_536


def _read(response: Any, *, deadline: float) -> bytes:
    """The answer's body, at most MAX_RESPONSE_BYTES + 1; the timeout bounds the whole answer, not each
    read, so a server trickling bytes cannot hold the worker."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_RESPONSE_BYTES:
        if time.monotonic() > deadline:
            raise TimeoutError("the answer took longer than the timeout")
        chunk = response.read1(min(READ_CHUNK_BYTES, MAX_RESPONSE_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Any:
    """POST and read a JSON answer; every failure becomes a TranslationError."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            raw = _read(response, deadline=deadline)
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise TranslationError(f"the server redirects elsewhere ({error.code})", retry=False) from error
        retry = error.code >= 500 or error.code == 429
        raise TranslationError(f"the server answered {error.code}", retry=retry) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise TranslationError(f"the server could not be reached: {error}", retry=True) from error
    if len(raw) > MAX_RESPONSE_BYTES:
        raise TranslationError("the server's answer is too long", retry=False)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than the parser goes
        raise TranslationError("the server's answer is not JSON", retry=True) from error


def _check_size(text: str) -> None:
    if len(text) > MAX_CHARS:
        raise TranslationError(f"the text is longer than {MAX_CHARS} characters", retry=False)


# Our content languages (en, zh, ur) as each service names them.
LIBRETRANSLATE_CODES = {"en": "en", "zh": "zh", "ur": "ur"}
DEEPL_SOURCE_CODES = {"en": "EN", "zh": "ZH", "ur": "UR"}
DEEPL_TARGET_CODES = {"en": "EN-GB", "zh": "ZH-HANS", "ur": "UR"}


@dataclass(frozen=True)
class LibreTranslateClient:
    """POST {url}/translate with q, source, target, format and api_key; answers {"translatedText": ...}."""

    url: str
    api_key: str = ""
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    name: str = "libretranslate"

    def translate(self, *, text: str, source: str, target: str) -> str:
        _check_size(text)
        payload: dict[str, str] = {
            "q": text,
            "source": LIBRETRANSLATE_CODES[source],
            "target": LIBRETRANSLATE_CODES[target],
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = _post(
            self.url.rstrip("/") + "/translate",
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            timeout=self.timeout,
        )
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise TranslationError("the server's answer has no translatedText", retry=False)
        return translated


@dataclass(frozen=True)
class DeepLClient:
    """POST {url}/v2/translate with JSON {text: [...], source_lang, target_lang} and the header
    `Authorization: DeepL-Auth-Key KEY`; answers {"translations": [{"text": ...}]}."""

    url: str
    api_key: str
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    name: str = "deepl"

    def translate(self, *, text: str, source: str, target: str) -> str:
        _check_size(text)
        payload = {"text": [text], "source_lang": DEEPL_SOURCE_CODES[source], "target_lang": DEEPL_TARGET_CODES[target]}
        answer = _post(
            self.url.rstrip("/") + "/v2/translate",
            body=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"DeepL-Auth-Key {self.api_key}",
            },
            timeout=self.timeout,
        )
        try:
            translated = answer["translations"][0]["text"]
        except (KeyError, IndexError, TypeError) as error:
            raise TranslationError("the server's answer has no translations", retry=False) from error
        if not isinstance(translated, str):
            raise TranslationError("the server's answer has no translations", retry=False)
        return translated
