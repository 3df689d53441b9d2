"""Issue 14's story end to end in a real headless browser (Debian's chromium driven by Playwright), against
the platform started as `make run` starts it (its own SQLite database with the demo data, `runserver`).

A Chinese company's member (in 简体中文) files a relocation request shared with Lahore Technopolis, sees
the zones ranked with reasons, opens the incentive calculator and downloads the PDF; the zone's authority
(in English) takes the request up as a case, moves it to the site-visit stage and plans a site visit
inside the demo delegation visit, in which the company is a member; the company's member then finds the
visit on its agenda, in Lahore's local time, and in its `.ics` file.

Set-up goes through the ORM (a `silkbridge shell` beside the server): the two users, the company's place
in the demo delegation, and the zone's organisation. Every user action goes through the pages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from silkbridge.core.tests.test_browser import (  # noqa: F401 (platform is a fixture)
    ARTIFACTS,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    _chromium,
    platform,
)

pytestmark = pytest.mark.browser

PASSWORD = "browser-delegation-9"
CJK = re.compile(r"[\u4e00-\u9fff]")
SETUP_SCRIPT = f"""
import json
from silkbridge.accounts.models import User
from silkbridge.directory.models import Membership, Organisation
from silkbridge.events.demo import DELEGATION_SLUG
from silkbridge.events.models import Event, VisitStop
from silkbridge.events import visit_selectors
from silkbridge.zones.models import Zone

event = Event.objects.get(slug=DELEGATION_SLUG)
member = visit_selectors.members(event=event).order_by("pk").first()
company_user, _ = User.objects.get_or_create(
    email="li.wei@example.org", defaults={{"full_name": "李伟", "language": "zh-hans"}}
)
zone_user, _ = User.objects.get_or_create(
    email="zone.authority@example.org", defaults={{"full_name": "Ayesha Khan", "language": "en"}}
)
for user in (company_user, zone_user):
    user.set_password("{PASSWORD}")
    user.email_verified_at = user.date_joined
    user.save()
Membership.objects.get_or_create(user=company_user, organisation=member.organisation, defaults={{"role": "owner"}})
member.representatives.add(company_user)
zone = Zone.objects.get(key="lahore-technopolis")
if zone.organisation is None:
    zone.organisation = Organisation.objects.create(
        key="demo-lahore-technopolis-authority", kind="zone_developer", country="PK", city="Lahore",
        name_en="Lahore Technopolis authority (fictional demo)", is_demo=True,
    )
    zone.save(update_fields=["organisation"])
Membership.objects.get_or_create(user=zone_user, organisation=zone.organisation, defaults={{"role": "owner"}})
lahore = VisitStop.objects.get(event=event, city="Lahore")
day = lahore.arrives_at.date().isoformat()
print(json.dumps({{"slug": event.slug, "company": member.organisation.name_en, "lahore_day": day}}))
"""


def _sign_in(page, base_url, email, language):
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator(f".language-switch button[value='{language}']").click()


def test_a_chinese_company_files_a_request_and_finds_the_zone_s_site_visit_on_its_delegation_agenda(
    platform,  # noqa: F811
):
    from playwright.sync_api import expect, sync_playwright

    base_url, _password, env = platform
    done = subprocess.run(
        [sys.executable, "-m", "silkbridge", "shell", "-c", SETUP_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    world = json.loads(done.stdout.strip().splitlines()[-1])
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            # The company, in Chinese: a request shared with Lahore Technopolis, and the zones ranked for it.
            _sign_in(page, base_url, "li.wei@example.org", "zh-hans")
            page.goto(base_url + "/zones/requests/new/")
            expect(page.locator("html")).to_have_attribute("lang", re.compile("zh"))
            page.locator("select[name=organisation]").select_option(label=world["company"])
            page.locator("[name=title]").fill("农业无人机工厂迁址拉合尔")
            page.locator("[name=activities]").fill("农业无人机的研发、组装与维修")
            page.locator("[name=power_kw]").fill("500")
            page.locator("input[name=shared_with][value=lahore-technopolis]").check()
            page.locator("main form button[type=submit]").first.click()
            expect(page).to_have_url(re.compile(r"/zones/requests/\d+/$"))
            request_url = page.url
            page.locator("#main a[href^='/zones/requests/'][href$='/zones/']").click()
            expect(page).to_have_url(re.compile(r"/zones/requests/\d+/zones/$"))
            expect(page.locator("ol.ranking > li").first).to_be_visible()
            reasons = page.locator("ul.reasons li").all_inner_texts()
            assert reasons
            assert all(CJK.search(reason) for reason in reasons[:5])
            page.screenshot(path=str(ARTIFACTS / "relocation-ranked-zh.png"), full_page=True)

            # The incentive calculator, and its PDF.
            page.goto(base_url + "/zones/incentives/")
            page.locator("[name=company]").fill(world["company"])
            page.locator("[name=year_0_revenue]").fill("2000000")
            page.locator("[name=year_0_profit]").fill("300000")
            page.locator("[name=year_0_capital_goods_imported]").fill("500000")
            page.locator("[name=year_0_local_purchases]").fill("100000")
            page.locator("[name=year_0_payroll]").fill("200000")
            page.locator("[name=year_0_property_value]").fill("0")
            with page.expect_download() as download:
                page.locator("button[name=format][value=pdf]").click()
            assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

            # The zone's authority, in English: takes the request up, moves the case to the site visit
            # stage and plans the visit inside the delegation visit.
            _sign_in(page, base_url, "zone.authority@example.org", "en")
            page.goto(request_url)
            page.get_by_role("link", name="Take the request up").click()
            page.locator("select[name=zone]").select_option("lahore-technopolis")
            page.get_by_role("button", name="Open the case").click()
            expect(page).to_have_url(re.compile(r"/deals/[^/]+/$"))
            case_url = page.url
            for stage in ("advisory", "site_visit"):
                page.get_by_label("Move to").select_option(stage)
                page.get_by_role("button", name="Move", exact=True).click()
                page.goto(case_url)
            expect(page.locator(".lead .badge").first).to_have_text("Site visit")
            page.locator("select[name=event]").select_option(world["slug"])
            page.locator("[name=starts_at]").fill(f"{world['lahore_day']}T17:30")
            page.locator("[name=minutes]").fill("60")
            page.locator("[name=contact]").fill("Zone site office, gate 2 (fictional)")
            page.get_by_role("button", name="Plan the site visit").click()
            expect(page.locator("main")).to_contain_text("The site visit was added to the delegation visit.")
            expect(page.locator("main")).to_contain_text(f"{world['lahore_day']} 17:30")
            page.screenshot(path=str(ARTIFACTS / "relocation-case-site-visit.png"), full_page=True)

            # The company's member sees the visit on its agenda, in Lahore's time, and in its calendar file.
            _sign_in(page, base_url, "li.wei@example.org", "zh-hans")
            page.goto(f"{base_url}/events/{world['slug']}/agenda/")
            visit = page.locator("tr[data-kind=site_visit]").filter(has_text="Zone site office, gate 2")
            expect(visit).to_contain_text("拉合尔科技城")
            expect(visit).to_contain_text("17:30")
            expect(page.locator("tr[data-kind=leg]").first).to_contain_text("北京")
            page.screenshot(path=str(ARTIFACTS / "delegation-agenda-zh.png"), full_page=True)
            with page.expect_download() as download:
                page.locator(f"a[href='/events/{world['slug']}/agenda.ics']").click()
            calendar = Path(download.value.path()).read_bytes().decode("utf-8").replace("\r\n ", "")  # unfolded
            assert "实地考察：拉合尔科技城" in calendar
            assert "Zone site office\\, gate 2 (fictional)" in calendar
        finally:
            browser.close()
