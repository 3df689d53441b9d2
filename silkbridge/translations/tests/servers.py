"""Local HTTP servers that speak the machine-translation APIs (LibreTranslate's and DeepL's), run in a
thread for a test: the clients talk to them over real sockets. Each records what it was asked and
answers as its `mode` says: "ok" (a translation: "[target] text"), "fail" (500) or "refuse" (403)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class TranslationServer(ThreadingHTTPServer):
    mode = "ok"

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.requests: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: TranslationServer
    path_expected = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
        if self.path != self.path_expected:
            self._answer(404, {"error": "Not Found"})
        elif self.server.mode == "fail":
            self._answer(500, {"error": "Internal Server Error"})
        elif self.server.mode == "refuse":
            self._answer(403, {"error": "Forbidden"})
        else:
            self._answer(200, self.translate(body))

    def translate(self, body: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


class LibreTranslateHandler(_Handler):
    """POST /translate {q, source, target, format, api_key} -> {"translatedText": ...}."""

    path_expected = "/translate"

    def translate(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"translatedText": f"[{body['target']}] {body['q']}"}


class DeepLHandler(_Handler):
    """POST /v2/translate {text: [...], source_lang, target_lang}, header Authorization: DeepL-Auth-Key
    -> {"translations": [{"detected_source_language", "text"}]}; 403 without the key."""

    path_expected = "/v2/translate"

    def do_POST(self) -> None:
        if self.headers.get("Authorization") != "DeepL-Auth-Key test-key:fx":
            self.server.requests.append({"path": self.path, "body": {}, "headers": dict(self.headers)})
            self._answer(403, {"message": "Wrong authorisation"})
            return
        super().do_POST()

    def translate(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "translations": [
                {"detected_source_language": body["source_lang"], "text": f"[{body['target_lang']}] {text}"}
                for text in body["text"]
            ]
        }


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[TranslationServer]:
    server = TranslationServer(handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port_url() -> str:
    """The address of a port nothing listens on (bound, then closed)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
