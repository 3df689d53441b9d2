"""The clients against local servers that speak each backend's API (no Django involved)."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from silkbridge.translations.clients import MAX_CHARS, DeepLClient, LibreTranslateClient, TranslationError
from silkbridge.translations.tests.servers import (
    DeepLHandler,
    LibreTranslateHandler,
    TranslationServer,
    closed_port_url,
    serving,
)


def test_libretranslate_client_sends_the_documented_request():
    with serving(LibreTranslateHandler) as server:
        client = LibreTranslateClient(url=server.url + "/", api_key="secret", timeout=5)
        assert client.translate(text="فصل", source="ur", target="zh") == "[zh] فصل"
    [request] = server.requests
    assert request["path"] == "/translate"
    assert request["body"] == {"q": "فصل", "source": "ur", "target": "zh", "format": "text", "api_key": "secret"}


def test_deepl_client_sends_the_key_in_the_header_and_reads_the_translations():
    with serving(DeepLHandler) as server:
        client = DeepLClient(url=server.url, api_key="test-key:fx", timeout=5)
        assert client.translate(text="作物病害", source="zh", target="en") == "[EN-GB] 作物病害"
        with pytest.raises(TranslationError) as refused:
            DeepLClient(url=server.url, api_key="wrong", timeout=5).translate(text="x", source="zh", target="en")
    assert server.requests[0]["body"] == {"text": ["作物病害"], "source_lang": "ZH", "target_lang": "EN-GB"}
    assert server.requests[0]["headers"]["Authorization"] == "DeepL-Auth-Key test-key:fx"
    assert refused.value.retry is False  # a refused key does not get better by waiting


def test_a_failing_server_is_worth_retrying_and_a_closed_port_too():
    with serving(LibreTranslateHandler) as server:
        server.mode = "fail"
        with pytest.raises(TranslationError) as failed:
            LibreTranslateClient(url=server.url, timeout=5).translate(text="hello", source="en", target="ur")
    assert failed.value.retry is True
    with pytest.raises(TranslationError) as unreachable:
        LibreTranslateClient(url=closed_port_url(), timeout=2).translate(text="hello", source="en", target="ur")
    assert unreachable.value.retry is True


def test_a_text_over_the_size_limit_is_not_sent():
    with serving(LibreTranslateHandler) as server, pytest.raises(TranslationError) as too_long:
        LibreTranslateClient(url=server.url, timeout=5).translate(text="x" * (MAX_CHARS + 1), source="en", target="zh")
    assert too_long.value.retry is False
    assert server.requests == []


class _Recorder(BaseHTTPRequestHandler):
    """Records every request it gets (any method) and answers 200 with a translation-looking body."""

    server: TranslationServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _record(self) -> None:
        self.server.requests.append({"path": self.path, "method": self.command, "headers": dict(self.headers)})
        data = json.dumps({"translations": [{"text": "stolen"}], "translatedText": "stolen"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _record


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirecting_server_gets_no_key_sent_elsewhere(code):
    """A backend (or whoever sits on a plain-HTTP path to it) that answers with a redirect must not get the
    client to send the DeepL key, or anything, to the address it names: redirects are not followed."""
    with serving(_Recorder) as elsewhere:

        class Redirecting(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(code)
                self.send_header("Location", elsewhere.url + "/v2/translate")
                self.send_header("Content-Length", "0")
                self.end_headers()

        with serving(Redirecting) as server, pytest.raises(TranslationError) as redirected:
            DeepLClient(url=server.url, api_key="test-key:fx", timeout=5).translate(text="x", source="zh", target="en")
    assert elsewhere.requests == []
    assert redirected.value.retry is False


class _Trickling(BaseHTTPRequestHandler):
    """Answers 200 and then sends its body one byte every 0.3 s, for ever (until the client hangs up)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.3)
        except OSError:
            pass


def test_a_server_that_trickles_its_answer_is_given_up_at_the_timeout():
    """The timeout bounds the whole request, not each read: a server dripping a byte at a time cannot
    hold the worker for hours."""
    with serving(_Trickling) as server:
        started = time.monotonic()
        with pytest.raises(TranslationError) as slow:
            LibreTranslateClient(url=server.url, timeout=1).translate(text="hello", source="en", target="ur")
        took = time.monotonic() - started
    assert took < 5
    assert slow.value.retry is True


class _DeeplyNested(BaseHTTPRequestHandler):
    """Answers 200 with JSON nested 100,000 deep (200 kB, under the size limit)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        data = b"[" * 100_000 + b"]" * 100_000
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_an_answer_nested_too_deep_is_a_translation_error_not_a_crash():
    with serving(_DeeplyNested) as server, pytest.raises(TranslationError):
        LibreTranslateClient(url=server.url, timeout=5).translate(text="hello", source="en", target="ur")
