"""The monthly report end to end in a real headless browser (Debian's chromium driven by Playwright),
against the platform started as `make run` starts it (its own SQLite database with the demo data,
`silkbridge runserver`, the immediate task backend): staff, reading in 简体中文, read this month's
organisations on the overview, have the report made in Chinese on the reports page, follow the run to
its end, download the PDF and find the same figure and the Chinese text in it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from silkbridge.core.tests.test_browser import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, _chromium, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_platform(tmp_path_factory) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    var_dir = tmp_path_factory.mktemp("report-platform")
    env = {
        **os.environ,
        "SILKBRIDGE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir}/e2e.sqlite3",
        "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
        "SILKBRIDGE_TASK_BACKEND": "immediate",
    }
    command = [sys.executable, "-m", "silkbridge"]
    for step in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([*command, *step], env=env, check=True, capture_output=True, timeout=300)
    password = (var_dir / "demo-staff-password.txt").read_text().strip()
    with serving(command, env) as base_url:
        yield base_url, password


def test_staff_make_the_chinese_monthly_report_and_download_it(demo_platform) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    base_url, password = demo_platform
    month = date.today().replace(day=1)  # the demo data was loaded now: this month has organisations
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
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

            # The figure as the overview shows it for this month (to the last day: nothing is in the future).
            last_day = date(month.year + month.month // 12, month.month % 12 + 1, 1).toordinal() - 1
            page.goto(f"{base_url}/analytics/?start={month:%Y-%m-%d}&end={date.fromordinal(last_day):%Y-%m-%d}")
            organisations = page.locator("#organisations_by_country .analytics-total strong").inner_text().strip()
            assert organisations.isdigit()
            assert int(organisations) > 0

            page.get_by_role("link", name="月度报告").click()
            expect(page.get_by_role("heading", name="月度报告", level=1)).to_be_visible()
            page.get_by_label("月份").fill(f"{month:%Y-%m}")
            page.get_by_role("combobox", name="语言").select_option("zh-hans")
            page.get_by_role("button", name="生成报告").click()

            expect(page.locator(".run-status")).to_have_text("已成功", timeout=60_000)
            with page.expect_download() as download_info:
                page.locator("a[href$='.pdf']").first.click()
            download = download_info.value
            assert download.suggested_filename == f"silkbridge-report-{month:%Y-%m}-zh-hans.pdf"
            content = Path(download.path()).read_bytes()
        except BaseException:
            page.screenshot(path=str(ARTIFACTS / "analytics-report-failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    text = "\n".join(page_text.extract_text() for page_text in PdfReader(io.BytesIO(content)).pages)
    assert "月度报告" in text
    assert f"{month.year}年{month.month}月" in text
    assert f"按国家统计的机构 {organisations} " in text  # the headline figure, as the overview counted it
