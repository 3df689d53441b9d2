"""Keyboard use (issue 13, item 7): a person who cannot use a mouse fills and sends the profile form,
technologies type-ahead included, opens a match from their matches list and moves through their event
agenda to open a meeting, with Tab, typing, the arrow keys, Space and Enter only. At every stop the
focused element shows a focus ring.

In Debian's chromium against the platform with its demo data (see test_browser.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from silkbridge.core.tests.test_browser import (  # noqa: F401 (platform is a fixture)
    ARTIFACTS,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    _chromium,
    _sign_in,
    platform,
)

pytestmark = pytest.mark.browser

SETUP_SCRIPT = """
import json
from silkbridge.accounts.models import User
from silkbridge.directory.models import Membership, Organisation
from silkbridge.events.demo import DEMO_SLUG
from silkbridge.events.models import Meeting

def person(email, organisation):
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": email.split("@")[0]})
    user.set_password("browser-test-9")
    user.email_verified_at = user.date_joined
    user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": "owner"})
    return user

person("keyboard.author@example.org", Organisation.objects.get(key="cn-tianshu-vision"))
meetings = Meeting.objects.filter(event__slug=DEMO_SLUG).exclude(video_url="")
meeting = meetings.select_related("request__requester__organisation").order_by("slot__starts_at", "pk").first()
participant = meeting.request.requester
participant.representatives.add(person("keyboard.guest@example.org", participant.organisation))
print(json.dumps({"meeting": meeting.pk, "organisation": participant.organisation.key}))
"""

# What the page says about the focused element: where it is and whether a focus ring shows.
FOCUS_SCRIPT = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  return {
    id: element.id, tag: element.tagName, text: (element.textContent || element.value || "").trim().slice(0, 80),
    name: element.getAttribute("name"), href: element.getAttribute("href"),
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    // Chromium may put the focus on a date field's own calendar button, inside the field, where no page
    // style reaches: the field then matches no :focus, and the button shows Chromium's own ring (and ours,
    // ::-webkit-calendar-picker-indicator:focus-visible in site.css).
    in_date_parts: /^(date|datetime-local|time)$/.test(element.type) && document.querySelector(":focus") === null,
  };
}"""


def _tab_to(page, matches, *, limit=200, backwards=False):
    """Press Tab until `matches(focused)` holds; every element passed on the way shows a focus ring."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUS_SCRIPT)
        if focused is None:
            continue
        assert focused["ring"] or focused["in_date_parts"], f"no visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the element after {limit} presses")


def _setup(env):
    done = subprocess.run(
        [sys.executable, "-m", "silkbridge", "shell", "-c", SETUP_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def people(platform):  # noqa: F811
    return _setup(platform[2])


def _browser_page(playwright, **options):
    from playwright.sync_api import expect

    browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, **options)
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return browser, page


def _choose_suggestion(page, typed, wanted):
    """Type into the type-ahead, walk the suggestions with ArrowDown until `wanted`, choose it with Enter."""
    from playwright.sync_api import expect

    page.keyboard.type(typed)
    combobox = page.get_by_role("combobox", name="Technologies")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    for _ in range(12):
        page.keyboard.press("ArrowDown")
        active = combobox.get_attribute("aria-activedescendant")
        if active and wanted in page.locator(f"#{active}").inner_text():
            break
    else:
        raise AssertionError(f"no suggestion {wanted!r} for {typed!r}")
    page.keyboard.press("Enter")
    expect(combobox).to_have_attribute("aria-expanded", "false")


def test_the_profile_form_with_its_type_ahead_is_filled_and_sent_with_the_keyboard(
    platform,  # noqa: F811
    people,
):
    from playwright.sync_api import expect, sync_playwright

    base_url, _, _ = platform
    with sync_playwright() as playwright:
        browser, page = _browser_page(playwright)
        try:
            _sign_in(page, base_url, "keyboard.author@example.org", "browser-test-9")
            page.goto(base_url + "/marketplace/new/")
            _tab_to(page, lambda focused: focused["id"] == "id_title")
            page.keyboard.type("Keyboard-only test: crop disease detection from drone images")
            _tab_to(page, lambda focused: focused["id"] == "id_description")
            page.keyboard.type("We offer detection of crop diseases from drone images for Punjab farms.")

            _tab_to(page, lambda focused: focused["id"] == "id_technologies-combobox")
            _choose_suggestion(page, "人脸", "Face recognition")  # a Chinese query, an English label
            _choose_suggestion(page, "tractr", "tractor")  # a misspelling: its nearest concept
            chips = page.locator(".chip")
            expect(chips).to_have_count(2)
            expect(chips.first).to_contain_text("Face recognition")
            # The chip's remove button is on the Tab path, and Enter on it removes the chip.
            page.keyboard.press("Shift+Tab")
            focused = page.evaluate(FOCUS_SCRIPT)
            assert focused["ring"]
            assert focused["text"] == "×"
            page.keyboard.press("Enter")
            expect(chips).to_have_count(1)
            _choose_suggestion(page, "tractr", "tractor")
            expect(chips).to_have_count(2)
            # A word the glossary does not know: offered as a keyword, chosen with the arrows and Enter.
            _choose_suggestion(page, "qanatx", "qanatx")
            expect(chips).to_have_count(3)

            # A sector from the checklist: filter it, Tab into it, tick it with Space.
            _tab_to(page, lambda focused: (focused["name"] or "") == "sectors", limit=400)
            page.keyboard.press("Space")
            sector = page.locator("input[name='sectors']:checked")
            expect(sector).to_have_count(1)

            _tab_to(page, lambda focused: focused["text"] == "Save as draft", limit=600)
            page.keyboard.press("Enter")
            expect(page.locator(".messages")).to_be_visible()
            expect(page.locator("main")).to_contain_text("Keyboard-only test")
            expect(page.locator("main")).to_contain_text("Face recognition")
            expect(page.locator("main")).to_contain_text(re.compile("tractor", re.IGNORECASE))
            expect(page.locator("main .tags bdi", has_text="qanatx")).to_be_visible()  # kept, not refused
            page.screenshot(path=str(ARTIFACTS / "keyboard-profile-form.png"), full_page=True)
        finally:
            browser.close()


def test_a_match_is_reached_and_opened_from_the_matches_list_with_the_keyboard(
    platform,  # noqa: F811
    people,
):
    from playwright.sync_api import expect, sync_playwright

    base_url, _, _ = platform
    with sync_playwright() as playwright:
        browser, page = _browser_page(playwright)
        try:
            _sign_in(page, base_url, "keyboard.author@example.org", "browser-test-9")
            page.goto(base_url + "/matches/")
            first = page.locator(".match-card .card-title a").first
            expect(first).to_be_visible()
            href = first.get_attribute("href")
            focused = _tab_to(page, lambda focused: focused["href"] == href)
            assert focused["ring"]
            page.keyboard.press("Enter")
            expect(page).to_have_url(base_url + href)
            expect(page.locator("h1")).to_be_visible()
        finally:
            browser.close()


def test_the_agenda_is_walked_and_a_meeting_opened_with_the_keyboard(
    platform,  # noqa: F811
    people,
):
    from playwright.sync_api import expect, sync_playwright

    from silkbridge.events.demo import DEMO_SLUG

    base_url, _, _ = platform
    with sync_playwright() as playwright:
        browser, page = _browser_page(playwright)
        # The demo event's video rooms are on a fictional host: answer for it here.
        page.context.route("https://meet.silkbridge.example/**", lambda route: route.fulfill(body="video room"))
        try:
            _sign_in(page, base_url, "keyboard.guest@example.org", "browser-test-9")
            page.goto(f"{base_url}/events/{DEMO_SLUG}/agenda/")
            row = page.locator(f"#meeting-{people['meeting']}")
            expect(row).to_be_visible()
            room = row.get_by_role("link", name="Join the video room")
            room_url = room.get_attribute("href")
            _tab_to(page, lambda focused: focused["href"] == room_url)
            with page.expect_popup() as popup:
                page.keyboard.press("Enter")
            popup.value.wait_for_load_state()
            assert popup.value.url == room_url
            # On past the table to the calendar address, and back again.
            _tab_to(page, lambda focused: focused["id"] == "feed-url")
            _tab_to(page, lambda focused: focused["href"] == room_url, backwards=True)
        finally:
            browser.close()


def test_the_type_ahead_on_a_phone_scrolls_its_suggestions_into_sight(platform, people):  # noqa: F811
    """At 390 x 844 in Urdu, the field near the bottom of the screen (as when the on-screen keyboard
    opens): the suggestions opened below the window's edge, out of sight; now the page scrolls up until
    the list ends inside the window, and the field stays in sight above it. A choice of a select takes
    its own direction (a Latin name's full stop stayed at its front on an Urdu page), and a heading has
    room for Nastaliq."""
    from playwright.sync_api import expect, sync_playwright

    base_url, _, _ = platform
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
            page.set_default_timeout(TIMEOUT_MS)
            _sign_in(page, base_url, "keyboard.author@example.org", "browser-test-9")
            page.get_by_role("button", name="اردو").click()
            page.goto(base_url + "/marketplace/new/")
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            # An Urdu heading that wraps leaves Nastaliq room: its lines ran into each other at 1.3.
            spacing = page.evaluate(
                "(() => { const s = getComputedStyle(document.querySelector('h1'));"
                " return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()"
            )
            assert spacing >= 1.8, spacing
            # A select's choice takes its own direction: a Latin name keeps its full stop at its end.
            assert page.evaluate("getComputedStyle(document.querySelector('option')).unicodeBidi") == "plaintext"
            combobox = page.locator("#id_technologies-combobox")
            combobox.evaluate("field => field.scrollIntoView({block: 'end'})")
            combobox.focus()
            page.keyboard.type("iot")
            expect(combobox).to_have_attribute("aria-expanded", "true")
            page.wait_for_timeout(300)
            where = page.evaluate(
                """() => ({
                  list: document.querySelector('.combobox-listbox:not([hidden])').getBoundingClientRect().bottom,
                  field: document.querySelector('#id_technologies-combobox').getBoundingClientRect().top,
                  height: window.innerHeight,
                })"""
            )
            assert where["list"] <= where["height"], where
            assert where["field"] >= 0, where
            page.locator(".combobox-option").first.tap()
            expect(page.locator(".chip")).to_have_count(1)
            page.screenshot(path=str(ARTIFACTS / "phone-type-ahead.png"))
        finally:
            browser.close()
