"""Every main page as people see it (issue 13): on a phone (390 × 844) and a desktop (1280 × 900), in
English, 简体中文 and اردو, signed out and signed in as staff, in Debian's chromium against the platform
with its demo data.

On each page: the page answers, nothing scrolls sideways (`scrollWidth ≤ innerWidth`), axe-core (from
the npm registry) finds no serious or critical violation, and in Chinese and Urdu no interface text is
left in English (a text on the page that is an English string of our catalogue with a translation).
Screenshots go to test-artifacts/pages/ (kept by CI). Every fault of every page is listed at the end,
not only the first.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import polib
import pytest

from silkbridge.conftest import running_in_ci
from silkbridge.core.tests.test_browser import (  # noqa: F401 (platform is a fixture)
    ARTIFACTS,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    _chromium,
    platform,
)

pytestmark = pytest.mark.browser

REPOSITORY = Path(__file__).resolve().parents[3]
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
LOCALE = REPOSITORY / "silkbridge" / "locale"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LANGUAGES = {"en": "English", "zh-hans": "简体中文", "ur": "اردو"}
CATALOGUES = {"zh-hans": "zh_Hans", "ur": "ur"}

# Pages anyone may open. "@name" is a detail page: the first link matching the selector on the page
# before it in this list (the demo data's first organisation, profile, zone, event).
SIGNED_OUT_PAGES: list[tuple[str, str]] = [
    ("home", "/"),
    ("directory", "/directory/"),
    ("organisation", "@#main .card-title a"),
    ("technologies", "/directory/technologies/"),
    ("marketplace", "/marketplace/"),
    ("opportunity", "@#main .card-title a"),
    ("zones", "/zones/"),
    ("zone", "@#main a[href^='/zones/']:not([href^='/zones/incentives/']):not([href^='/zones/requests/'])"),
    ("incentives", "/zones/incentives/"),
    ("events", "/events/"),
    ("event", "@#main a[href^='/events/'][href$='/']"),
    ("calls", "/deals/calls/"),
    ("sign-in", "/accounts/login/"),
    ("sign-up", "/accounts/signup/"),
]
SIGNED_IN_PAGES: list[tuple[str, str]] = [
    *SIGNED_OUT_PAGES[:3],
    ("organisation-claim", "@#main a[href$='/claim/']"),  # the organisation's "Join or claim" button
    *SIGNED_OUT_PAGES[3:-2],
    ("my-matches", "/matches/"),
    ("my-profiles", "/marketplace/mine/"),
    ("new-profile", "/marketplace/new/"),
    ("review-queue", "/marketplace/review/"),
    ("all-matches", "/matches/all/"),
    ("data-centers", "/datacenters/"),
    ("deals", "/deals/"),
    ("deals-board", "/deals/board/"),
    ("mous", "/deals/mous/"),
    ("figures", "/analytics/"),
    ("zones-figures", "/analytics/zones/"),
    ("monthly-reports", "/analytics/reports/"),
    ("relocation-requests", "/zones/requests/"),
    ("relocation-request", "@#main td:first-child a[href^='/zones/requests/']"),
    ("request-remove", "@#main a[href^='/deals/cases/requests/']"),
    ("new-relocation-request", "/zones/requests/new/"),
    ("zone-facts", "/zones/lahore-technopolis/facts/"),
    ("zone-fact-review", "/zones/facts/review/"),
    ("relocation-cases", "/deals/cases/"),
    ("relocation-case", "@#main .card-title a[href^='/deals/']"),
    ("delegation-itinerary", "/events/demo-delegation-beijing-islamabad-lahore-karachi/manage/itinerary/"),
    ("preferences", "/accounts/preferences/"),
    ("my-silkbridge", "/my/"),
    ("notifications", "/notifications/"),
    ("messages", "/messages/"),
    ("event-meetings", "/events/demo-china-pakistan-ai-iot-day/manage/meetings/"),
    ("meeting-thread", "@#main a[href^='/messages/meetings/']"),  # staff read it from the event's meetings
    ("notification-settings", "/notifications/settings/"),
    ("api-tokens", "/accounts/tokens/"),
    ("new-organisation", "/directory/new/"),
    ("import", "/directory/import/"),
    ("claims", "/directory/claims/"),
    ("waiting-requests", "/directory/waiting-requests/"),
]

# Text nodes the check for English leftovers does not read: user content in its author's language is
# marked with lang or dir="auto" (or isolated in <bdi>), code is code, and the language switch names
# each language in itself.
VISIBLE_TEXTS = """() => {
  const skip = "script, style, noscript, code, pre, bdi, [dir=auto], [translate=no], .language-switch";
  const pageLang = document.documentElement.lang;
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!text || !element || element.closest(skip)) continue;
    const tagged = element.closest("[lang]");
    if (tagged && tagged.lang !== pageLang) continue;
    texts.push(text);
  }
  for (const element of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    if (element.closest("[dir=auto], [translate=no], .language-switch")) continue;
    for (const name of ["placeholder", "aria-label", "title"]) {
      const value = (element.getAttribute(name) || "").trim();
      if (value) texts.push(value);
    }
  }
  return texts;
}"""


@cache
def _english_strings(language: str) -> frozenset[str]:
    """Our catalogue's English strings that have a different translation in this language and read as
    English words (two letters or more), without placeholders."""
    catalogue = polib.pofile(str(LOCALE / CATALOGUES[language] / "LC_MESSAGES" / "django.po"))
    strings = set()
    for entry in catalogue:
        text = entry.msgid.strip()
        if entry.msgid_plural or not entry.msgstr or entry.msgstr == entry.msgid or "%" in text or "{" in text:
            continue
        if re.search(r"[A-Za-z]{2,}", text) and len(text) >= 3:
            strings.add(text)
    return frozenset(strings)


def _axe_source() -> str:
    if not AXE.is_file():
        message = "axe-core is not installed (make test installs it from the npm registry)"
        if running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def _axe_violations(page: Any, axe_source: str) -> list[str]:
    # Evaluated through the DevTools protocol, so the page's Content-Security-Policy (no inline script)
    # does not stop it and need not be switched off.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source + "\n;undefined")
    results = page.evaluate(
        """async () => {
      const result = await window.axe.run(document, {resultTypes: ["violations"]});
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => v.impact + " " + v.id + ": " + v.help + " [" +
             v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ") + "]");
    }"""
    )
    return list(results)


def _sign_in(page: Any, base_url: str, password: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail address").fill("staff@silkbridge.example")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # On a phone the sign-out button sits in the folded menu: present, not necessarily visible.
    page.wait_for_selector("form[action$='/accounts/logout/']", state="attached")


def _choose_language(page: Any, base_url: str, language: str) -> None:
    page.goto(base_url + "/")
    page.locator(f".language-switch button[value='{language}']").click()
    page.wait_for_load_state()
    expected = {"en": "en", "zh-hans": "zh-Hans", "ur": "ur"}[language]
    assert page.locator("html").get_attribute("lang") == expected


def _visit(
    page: Any, base_url: str, pages: list[tuple[str, str]], *, tag: str, language: str, axe_source: str
) -> list[str]:
    faults: list[str] = []
    english = _english_strings(language) if language in CATALOGUES else frozenset()
    width = page.viewport_size["width"]
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for name, target in pages:
        where = f"{tag} {name}"
        if target.startswith("@"):
            link = page.locator(target[1:]).first
            if link.count() == 0:
                faults.append(f"{where}: no link {target[1:]!r} on {page.url}")
                continue
            url = base_url + link.get_attribute("href")
        else:
            url = base_url + target
        response = page.goto(url)
        page.wait_for_load_state("load")
        if response is None or response.status >= 400:
            faults.append(f"{where}: {url} answered {response.status if response else 'nothing'}")
            continue
        page.screenshot(path=str(folder / f"{tag.replace(' ', '-')}-{name}.png"), full_page=True)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width:
            wide = page.evaluate(
                """(width) => [...document.querySelectorAll('body *')]
                  .filter((e) => e.getBoundingClientRect().right > width + 1 || e.getBoundingClientRect().left < -1)
                  .filter((e) => !e.closest('.table-scroll, [data-scrolls]'))
                  .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
                width,
            )
            faults.append(f"{where}: scrolls sideways ({scroll_width} px > {width} px; {', '.join(wide)})")
        faults.extend(f"{where}: axe {violation}" for violation in _axe_violations(page, axe_source))
        if english:
            left = sorted({text for text in page.evaluate(VISIBLE_TEXTS) if text in english})
            if left:
                faults.append(f"{where}: English left untranslated: {left[:8]}")
    return faults


def _header_on_one_line(page: Any, *, tag: str) -> list[str]:
    """At 1280 px the header's parts (brand, menus, account, languages) share one line."""
    parts = page.evaluate(
        """() => Object.fromEntries(['.brand', '.main-nav', '.account-nav', '.language-switch']
          .map((s) => {
            const r = document.querySelector(s).getBoundingClientRect();
            return [s, [r.top, r.bottom]];
          }))"""
    )
    tops = [top for top, _bottom in parts.values()]
    bottoms = [bottom for _top, bottom in parts.values()]
    # One line: every part starts above the point where any other part ends.
    if max(tops) >= min(bottoms):
        return [f"{tag} header: wraps onto a second line ({parts})"]
    return []


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "staff"])
def test_every_main_page_fits_a_phone_and_a_desktop_passes_axe_and_speaks_the_language(
    platform,  # noqa: F811
    language: str,
    signed_in: bool,
):
    from playwright.sync_api import sync_playwright

    base_url, password, _ = platform
    axe_source = _axe_source()
    pages = SIGNED_IN_PAGES if signed_in else SIGNED_OUT_PAGES
    who = "staff" if signed_in else "signed-out"
    faults: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            for viewport_name, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                if signed_in:
                    _sign_in(page, base_url, password)
                _choose_language(page, base_url, language)
                if viewport_name == "desktop":
                    faults += _header_on_one_line(page, tag=f"{language} {who} desktop")
                tag = f"{language} {who} {viewport_name}"
                faults += _visit(page, base_url, pages, tag=tag, language=language, axe_source=axe_source)
                context.close()
        finally:
            browser.close()
    assert faults == [], "\n".join(faults)


def test_on_a_phone_the_menu_folds_behind_a_button_and_opens_by_keyboard(platform):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    base_url, password, _ = platform
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORTS["phone"])
            page.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            _sign_in(page, base_url, password)
            _choose_language(page, base_url, "ur")
            toggle = page.locator(".menu-toggle")
            directory = page.locator(".main-nav").get_by_role("link", name="ڈائریکٹری")
            # Folded: the page starts with its content, the languages stay in sight.
            expect(directory).to_be_hidden()
            expect(page.get_by_role("button", name="English")).to_be_visible()
            expect(toggle).to_have_attribute("aria-expanded", "false")
            toggle.focus()
            page.keyboard.press("Enter")
            expect(toggle).to_have_attribute("aria-expanded", "true")
            expect(directory).to_be_visible()
            # A group opens with the keyboard and Escape closes it, back on its summary.
            staff = page.locator(".nav-group > summary", has_text="عملہ")
            staff.focus()
            page.keyboard.press("Enter")
            figures = page.locator(".nav-group-links").get_by_role("link", name="اعداد و شمار")
            expect(figures).to_be_visible()
            page.keyboard.press("Escape")
            expect(figures).to_be_hidden()
            expect(staff).to_be_focused()
            assert page.evaluate("() => document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
            page.screenshot(path=str(ARTIFACTS / "pages" / "menu-open-ur-phone.png"), full_page=False)
            toggle.click()
            expect(directory).to_be_hidden()
            _choose_language(page, base_url, "en")
        finally:
            browser.close()


def test_sign_up_starts_in_the_browsers_time_zone(platform):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    base_url, _password, _ = platform
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            for zone in ("Asia/Shanghai", "Asia/Karachi", "Europe/Berlin"):
                context = browser.new_context(timezone_id=zone)
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(base_url + "/accounts/signup/")
                expect(page.locator("select[name=time_zone]")).to_have_value(zone)
                context.close()
            # A form sent back with an error keeps the zone the person chose, wherever the browser is.
            context = browser.new_context(timezone_id="Asia/Shanghai")
            page = context.new_page()
            page.goto(base_url + "/accounts/signup/")
            page.locator("select[name=time_zone]").select_option("Asia/Dubai")
            page.get_by_role("button", name="Sign up").click()
            expect(page.locator(".field-invalid").first).to_be_visible()
            expect(page.locator("select[name=time_zone]")).to_have_value("Asia/Dubai")
            context.close()
        finally:
            browser.close()
