"""The figures end to end in a real headless browser (Debian's chromium driven by Playwright), against the
platform started as `make run` starts it with the demo data:
- staff open the overview in Urdu at phone width (nothing wider than the screen), change the period, open
  a figure's data table, then in Chinese download a figure's Excel file, whose cells are the page's table;
- staff reading in 简体中文 read this month's organisations on the overview, have the monthly report made
  in Chinese on the reports page, follow the run to its end, download the PDF and find the same figure
  and the Chinese text in it."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from silkbridge.core.tests.test_browser import (  # noqa: F401 (platform is a fixture)
    ARTIFACTS,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    _chromium,
    platform,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FIGURE = "#organisations_by_province"


@pytest.fixture(scope="module")
def demo_platform(platform: tuple[str, str, dict[str, str]]) -> tuple[str, str]:  # noqa: F811
    """The platform as `make run` starts it with the demo data: its base URL and the staff password."""
    base_url, password, _env = platform
    return base_url, password


def _no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"


def _table(page: Any) -> list[list[str]]:
    rows = page.locator(f"{FIGURE} table tr")
    return [
        [cell.strip() for cell in rows.nth(index).locator("th, td").all_inner_texts()] for index in range(rows.count())
    ]


def _staff_today() -> date:
    """Today where the demo staff user is (Asia/Karachi, UTC+5): the pages count and name periods in the
    viewer's zone, so from 19:00 UTC their today is the machine's tomorrow."""
    return datetime.now(ZoneInfo("Asia/Karachi")).date()


def test_staff_read_the_overview_in_urdu_on_a_phone_and_download_a_figure_in_chinese(
    demo_platform: tuple[str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base_url, password = demo_platform
    ARTIFACTS.mkdir(exist_ok=True)
    today = _staff_today()
    start = today - timedelta(days=364)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, accept_downloads=True)
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            page.goto(base_url + "/accounts/login/")
            page.get_by_label("E-mail address").fill("staff@silkbridge.example")
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("button", name="اردو").click()
            expect(page.locator("html")).to_have_attribute("dir", "rtl")

            page.goto(base_url + "/analytics/")
            expect(page.locator("h1")).to_contain_text("اعداد و شمار")
            expect(page.locator(f"{FIGURE} canvas")).to_be_visible()  # ECharts has drawn the chart
            _no_horizontal_overflow(page)

            # The period: the filter form, as a user fills it.
            page.locator("input[name=start]").fill(f"{start:%Y-%m-%d}")
            page.locator(".analytics-filter button[type=submit]").click()
            page.wait_for_url(f"**start={start:%Y-%m-%d}**")
            expect(page.locator(f"{FIGURE} canvas")).to_be_visible()
            _no_horizontal_overflow(page)

            # "Show data": the table opens and closes under its summary, with the provinces in Urdu.
            summary = page.locator(f"{FIGURE} details summary")
            table = page.locator(f"{FIGURE} table")
            expect(table).to_be_visible()
            summary.click()
            expect(table).to_be_hidden()
            summary.click()
            expect(table).to_be_visible()
            expect(table).to_contain_text("پنجاب")  # Punjab: the demo's Lahore, Faisalabad, Multan...
            page.screenshot(path=str(ARTIFACTS / "figures-ur-phone.png"), full_page=True)

            page.set_viewport_size(DESKTOP)
            page.get_by_role("button", name="简体中文").click()
            expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
            expect(page.locator(f"{FIGURE} h2")).to_have_text("按省份统计的机构")
            shown = _table(page)
            with page.expect_download() as download:
                page.locator(f"{FIGURE} a[href*='.xlsx']").click()
            assert download.value.suggested_filename == (
                f"organisations_by_province-{start:%Y%m%d}-{today:%Y%m%d}.xlsx"
            )
            content = Path(download.value.path()).read_bytes()  # a temporary name without .xlsx
            sheet = load_workbook(io.BytesIO(content), read_only=True).active
            cells = [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
            page.screenshot(path=str(ARTIFACTS / "figures-zh.png"), full_page=True)
        finally:
            browser.close()
    assert cells[0] == ["省份", "国家", "机构"]
    assert cells == shown  # the download is the page's table, cell for cell
    assert ["旁遮普省", "巴基斯坦"] in [row[:2] for row in cells]


def test_staff_make_the_chinese_monthly_report_and_download_it(demo_platform: tuple[str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base_url, password = demo_platform
    month = _staff_today().replace(day=1)  # the demo data was loaded now: this month has organisations
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
            # Signed in (the sign-out form), in whatever language the account last chose.
            page.wait_for_selector("form[action$='/accounts/logout/']", state="attached")
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
