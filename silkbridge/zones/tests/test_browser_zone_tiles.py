"""The zones map's online tile layer in a real headless browser (Debian's chromium driven by Playwright),
against the platform started as `make run` starts it, with a tile server configured.

The tile server is https://tiles.silkbridge.test (a name that resolves nowhere): Playwright answers its
requests with a real PNG, or fails them to play a browser that is offline. The page's own
Content-Security-Policy still applies to those requests, so the swap also proves img-src allows the
tile origin."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from silkbridge.core.tests.test_browser import CHROMIUM_ARGS, TIMEOUT_MS, _chromium, serving

pytestmark = pytest.mark.browser
TILES = "https://tiles.silkbridge.test/{z}/{x}/{y}.png"


@pytest.fixture(scope="module")
def tiled_platform(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    var_dir = tmp_path_factory.mktemp("tiled")
    env = {
        **os.environ,
        "SILKBRIDGE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir}/e2e.sqlite3",
        "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
        "SILKBRIDGE_MAP_TILES_URL": TILES,
        "SILKBRIDGE_MAP_TILES_ATTRIBUTION": "© Test tiles <b>contributors</b>",
    }
    command = [sys.executable, "-m", "silkbridge"]
    for step in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([*command, *step], env=env, check=True, capture_output=True, timeout=300)
    with serving(command, env) as base_url:
        yield base_url


def _tile_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


def _open(playwright: Any, base_url: str, path: str, *, online: bool) -> tuple[Any, Any, list[str], list[str]]:
    browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    requested: list[str] = []
    refused: list[str] = []  # what the Content-Security-Policy blocked, as the console reports it
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    png = _tile_png()

    def tile(route: Any) -> None:
        requested.append(route.request.url)
        if online:
            route.fulfill(status=200, content_type="image/png", body=png)
        else:
            route.abort("internetdisconnected")

    page.route("https://tiles.silkbridge.test/**", tile)
    page.goto(base_url + path)
    return browser, page, requested, refused


def test_when_a_tile_loads_the_svg_gives_way_to_a_slippy_map_with_the_same_points(tiled_platform: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser, page, requested, refused = _open(playwright, tiled_platform, "/zones/", online=True)
        try:
            expect.set_options(timeout=TIMEOUT_MS)
            region = page.get_by_role("region", name="Online map of the zones")
            expect(region).to_be_visible()
            expect(page.locator(".zone-map-drawing")).to_be_hidden()
            expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
            svg_points = page.locator(".zone-map-drawing .zone-map-point").count()
            assert svg_points >= 10
            expect(page.locator("path.zone-map-marker")).to_have_count(svg_points)
            # the provider's credit is shown as text, not as markup
            expect(page.locator(".leaflet-control-attribution")).to_contain_text("© Test tiles <b>contributors</b>")
            assert all(url.startswith("https://tiles.silkbridge.test/") for url in requested)
            assert region.get_attribute("dir") == "ltr"
            # the table stays the keyboard path: every zone is still a link in it
            assert page.locator("#zone-table a").count() >= svg_points
            assert refused == []  # Leaflet, our script and the tiles all pass the site's CSP
        finally:
            browser.close()


def test_offline_the_svg_map_stays(tiled_platform: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser, page, requested, _refused = _open(
            playwright, tiled_platform, "/zones/lahore-technopolis/", online=False
        )
        try:
            expect.set_options(timeout=TIMEOUT_MS)
            page.wait_for_load_state("load")
            assert requested, "the script asked for a tile"
            expect(page.locator(".zone-map-drawing")).to_be_visible()
            assert page.locator(".zone-map-tiles").count() == 0
        finally:
            browser.close()
