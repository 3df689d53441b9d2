"""End to end in a real headless browser (Debian's chromium driven by Playwright), against the
platform started the way `make run` starts it: its own SQLite database, migrated and loaded with the
demo data, served by `silkbridge runserver`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from silkbridge.conftest import running_in_ci

REPOSITORY = Path(__file__).resolve().parents[3]
ARTIFACTS = REPOSITORY / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser
# Shared CI machines are slow at times; a user would wait, so the browser waits as long.
TIMEOUT_MS = 20_000


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (make test installs it with apt as root)"
        if running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[str, str]]:
    var_dir = tmp_path_factory.mktemp("platform")
    env = {
        **os.environ,
        "SILKBRIDGE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir}/e2e.sqlite3",
        "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
    }
    command = [sys.executable, "-m", "silkbridge"]
    for step in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([*command, *step], env=env, check=True, capture_output=True, timeout=300)
    password = (var_dir / "demo-staff-password.txt").read_text().strip()
    port = _free_port()
    server = subprocess.Popen(
        [*command, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base_url + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the platform did not start")
        yield base_url, password
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_sign_in_switch_languages_search_and_open_a_profile(platform):
    from playwright.sync_api import expect, sync_playwright

    base_url, password = platform
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            page.goto(base_url + "/accounts/login/")
            page.get_by_label("E-mail address").fill("staff@silkbridge.example")
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()

            page.get_by_role("button", name="简体中文").click()
            expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
            page.goto(base_url + "/directory/")
            page.get_by_role("searchbox").first.fill("人工智能医疗影像")
            page.keyboard.press("Enter")
            first_result = page.locator(".card-title a").first
            expect(first_result).to_be_visible()
            first_result.click()
            expect(page.locator("article.profile h1")).to_be_visible()
            expect(page.locator(".description")).to_contain_text("人工智能")
            page.screenshot(path=str(ARTIFACTS / "profile-zh.png"), full_page=True)

            page.get_by_role("button", name="اردو").click()
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            page.goto(base_url + "/directory/")
            page.get_by_role("searchbox").first.fill("مصنوعی ذہانت")
            page.keyboard.press("Enter")
            expect(page.locator(".card-title a").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "directory-ur.png"), full_page=True)
            page.locator(".card-title a").first.click()
            expect(page.locator("article.profile h1")).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", "ur")
            page.screenshot(path=str(ARTIFACTS / "profile-ur.png"), full_page=True)
        finally:
            browser.close()
    for name in ("profile-zh.png", "directory-ur.png", "profile-ur.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000, name


def test_assess_a_data_center_design_and_read_the_report_in_urdu(platform):
    from playwright.sync_api import expect, sync_playwright

    base_url, password = platform
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            page.goto(base_url + "/accounts/login/")
            page.get_by_label("E-mail address").fill("staff@silkbridge.example")
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            # The other test may have left this account's saved language on Urdu.
            page.get_by_role("button", name="English").click()
            page.get_by_role("link", name="Data centers").click()
            page.get_by_label("…or paste the design").fill("name: Broken\nit_load_kw: -3\n")
            page.get_by_role("button", name="Assess the design").click()
            expect(page.locator(".design-errors")).to_contain_text("it_load_kw")
            page.get_by_label("…or paste the design").fill("")
            example = REPOSITORY / "examples" / "datacenters" / "tier4.yaml"
            page.get_by_label("Design file").set_input_files(str(example))
            page.get_by_label("Simulated years").fill("5000")
            page.get_by_role("button", name="Assess the design").click()
            expect(page.locator("#verdict-title")).to_have_text("Meets Tier IV")
            page.screenshot(path=str(ARTIFACTS / "datacenter-en.png"), full_page=True)
            page.get_by_role("button", name="اردو").click()
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            expect(page.locator("#verdict-title")).to_contain_text("Tier IV")
            expect(page.locator("#verdict-title")).not_to_have_text("Meets Tier IV")
            page.screenshot(path=str(ARTIFACTS / "datacenter-ur.png"), full_page=True)
            with page.expect_download() as download:
                page.get_by_role("link", name="JSON").click()
            assert '"tier": 4' in Path(download.value.path()).read_text(encoding="utf-8")
        finally:
            browser.close()
    assert (ARTIFACTS / "datacenter-ur.png").stat().st_size > 10_000
