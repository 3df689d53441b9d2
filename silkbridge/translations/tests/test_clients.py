"""The clients against local servers that speak each backend's API (no Django involved)."""

from __future__ import annotations

import pytest

from silkbridge.translations.clients import MAX_CHARS, DeepLClient, LibreTranslateClient, TranslationError
from silkbridge.translations.tests.servers import DeepLHandler, LibreTranslateHandler, closed_port_url, serving


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
