"""A conversation on a phone in Urdu, in a real headless browser (Debian's chromium driven by
Playwright) against the platform with its demo data: a member of the interested organisation opens the
thread from the accepted interest's page, writes a message with an attachment, and sees it in the
thread; nothing scrolls sideways at 390 px and axe finds no serious or critical violation."""

from __future__ import annotations

import subprocess
import sys

import pytest

from silkbridge.conversations.tests.factories import PDF_BYTES
from silkbridge.core.tests.test_browser import (  # noqa: F401 (platform is a fixture)
    ARTIFACTS,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    _chromium,
    platform,
)
from silkbridge.core.tests.test_browser_pages import _axe_source, _axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "browser-thread-password-9"
# Two organisations (fictional, made for this test) with a member each, and an accepted interest of the
# second in a published profile of the first: made in the platform's own database, as the site would.
SETUP = f"""
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from silkbridge.accounts.models import User
from silkbridge.directory.models import Membership, Organisation
from silkbridge.marketplace.models import ExpressionOfInterest
from silkbridge.marketplace.selectors import opportunities_visible_to
opportunity = opportunities_visible_to(AnonymousUser()).select_related("organisation").first()
owner = User.objects.create_user(
    email="owner.thread@example.org", password="{PASSWORD}", full_name="Li Na", email_verified_at=timezone.now()
)
Membership.objects.create(user=owner, organisation=opportunity.organisation, role="owner")
other = Organisation.objects.exclude(pk=opportunity.organisation_id).first()
sender = User.objects.create_user(
    email="sender.thread@example.org", password="{PASSWORD}", full_name="Ayesha Khan", language="ur",
    email_verified_at=timezone.now(),
)
Membership.objects.create(user=sender, organisation=other, role="owner")
interest = ExpressionOfInterest.objects.create(
    opportunity=opportunity, organisation=other, created_by=sender, message="We are interested.",
    status="accepted", answered_by=owner, answered_at=timezone.now(),
)
print(interest.pk)
"""


def _accepted_interest(env: dict[str, str]) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "silkbridge", "shell", "-c", SETUP],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return int(done.stdout.strip().splitlines()[-1])


def test_a_member_writes_in_urdu_on_a_phone_with_an_attachment(platform, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    base_url, _password, env = platform
    interest_id = _accepted_interest(env)
    brochure = tmp_path / "brochure.pdf"
    brochure.write_bytes(PDF_BYTES)
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(base_url + "/accounts/login/")
            page.get_by_label("E-mail address").fill("sender.thread@example.org")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_selector("form[action$='/accounts/logout/']", state="attached")
            page.goto(base_url + "/")
            page.locator(".language-switch button[value='ur']").click()
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("dir") == "rtl"

            page.goto(f"{base_url}/marketplace/interests/{interest_id}/")
            page.locator(f"#main a[href='/messages/interests/{interest_id}/']").click()
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text("گفتگو")
            page.get_by_label("آپ کا پیغام").fill("ہم اگلے ہفتے لاہور میں نظام دکھا سکتے ہیں۔ Silkbridge")
            page.get_by_label("منسلکات").set_input_files(str(brochure))
            page.get_by_role("button", name="بھیجیں").click()
            page.wait_for_load_state()

            message = page.locator(".thread-messages .thread-message").first
            expect(message).to_contain_text("ہم اگلے ہفتے لاہور میں نظام دکھا سکتے ہیں۔")
            expect(message.locator(".thread-message-attachments a")).to_have_text("brochure.pdf")
            expect(page.locator(".messages")).to_contain_text("پیغام بھیج دیا گیا۔")
            page.screenshot(path=str(folder / "conversation-ur-phone.png"), full_page=True)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
            assert _axe_violations(page, _axe_source()) == []
        finally:
            browser.close()
