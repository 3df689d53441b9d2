"""Issue 13's personas end to end in a real headless browser (Debian's chromium driven by Playwright),
against the platform started as `make run` starts it (its own SQLite database, `silkbridge runserver`,
tasks run in-process), configured with a machine-translation backend: a local HTTP server speaking the
LibreTranslate API (translations/tests/servers.py, which answers "[target] text"). E-mails go to files
(EMAIL_URL=filemail://…), the outbox of a platform that runs in another process.

A Chinese company's member (in 简体中文) reads a Pakistani request written in Urdu, in Chinese, through the
backend, and toggles to the Urdu original. It expresses interest and, at a matchmaking event, requests a
meeting; the request's organisation is a demo organisation without members (listed at the event with
nobody to represent it), so the sender is told so each time, and staff find both in their queue of
requests waiting for organisations without members. A Pakistani user whose e-mail is at the
organisation's domain claims it, finds both waiting requests in the notification centre, accepts the
interest, joins the organisation's registration at the event and accepts the meeting; the Chinese member
reads the answer in its notification centre. Staff run the scheduler, and both sides find the placed
meeting in their notification centre and in an e-mail, each in its own language and time zone.

Set-up goes through services and the ORM (a `silkbridge shell` beside the server); every user action goes
through the pages, the Chinese member's by the labels a Chinese reader sees."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from silkbridge.core.tests.test_browser import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, _chromium
from silkbridge.core.tests.test_browser import serving as platform_serving
from silkbridge.translations.tests.servers import LibreTranslateHandler
from silkbridge.translations.tests.servers import serving as translation_serving

pytestmark = pytest.mark.browser

PASSWORD = "browser-personas-13"
DESKTOP = {"width": 1280, "height": 900}
TITLE_UR = "موبائل تصاویر سے فصلوں کی بیماریوں کی نشاندہی"
DESCRIPTION_UR = "ہمیں ایسی ٹیکنالوجی درکار ہے جو موبائل فون کی تصاویر سے گندم اور کپاس کی بیماریوں کی نشاندہی کرے۔"
TITLE_IN_ZH = f"[zh] {TITLE_UR}"  # what the test server answers for Chinese
HELD_ORGANISATION = "Punjab Crop Health Cooperative (fictional demo)"
CHINESE_ORGANISATION = "Hangzhou Leaf Vision Co. (test)"
EVENT_TITLE = "Lahore agri-tech matchmaking day"
INTEREST_ZH = "我们的叶片图像识别模型可以识别小麦和棉花的病害，希望与贵方合作。"

SETUP_SCRIPT = """
import json
from datetime import time, timedelta
from django.utils import timezone
from silkbridge.accounts.models import User
from silkbridge.directory.models import Membership, Organisation
from silkbridge.events import services as event_services
from silkbridge.events.models import Participant
from silkbridge.marketplace import services as marketplace_services

def person(email, name, language, zone, staff=False):
    user = User.objects.create(
        email=email, full_name=name, language=language, time_zone=zone, role="staff" if staff else "member"
    )
    user.set_password(PASSWORD)
    user.email_verified_at = user.date_joined
    user.save()
    return user

staff = person("staff@silkbridge.example", "Sana Staff", "en", "Asia/Karachi", staff=True)
chinese = person("wang.fang@leafvision.example", "王芳", "zh-hans", "Asia/Shanghai")
person("bilal@cropcoop.example", "Bilal Ahmed", "en", "Asia/Karachi")
company = Organisation.objects.create(
    key="cn-leaf-vision-test", kind="company", name_en=CHINESE_ORGANISATION, name_local="杭州叶视科技（测试）",
    language="zh", country="CN", city="Hangzhou", visibility="public",
)
Membership.objects.create(user=chinese, organisation=company, role="owner")
# A demo organisation as the demo data lists them: fictional, with no member on Silkbridge.
cooperative = Organisation.objects.create(
    key="pk-crop-health-demo", kind="company", name_en=HELD_ORGANISATION, language="ur", country="PK",
    city="Faisalabad", visibility="public", website="https://cropcoop.example", is_demo=True,
)
opportunity = marketplace_services.opportunity_create(
    actor=staff, organisation=cooperative,
    fields={"kind": "technology_request", "title": TITLE_UR, "description": DESCRIPTION_UR, "trl": 6,
            "deal_types": ["licence"], "language": "ur"},
)
marketplace_services.opportunity_submit(actor=staff, opportunity=opportunity)
marketplace_services.opportunity_review(actor=staff, opportunity=opportunity, decision="approve")
event = event_services.event_create(actor=staff, fields={
    "slug": "agri-day", "title": EVENT_TITLE, "description": "One-to-one meetings on crop technology.",
    "time_zone": "Asia/Karachi", "registration_opens_at": timezone.now() - timedelta(days=1),
    "registration_closes_at": timezone.now() + timedelta(days=30),
})
day = timezone.localdate() + timedelta(days=20)
event_services.slots_generate(
    actor=staff, event=event, days=[day], day_start=time(10, 0), day_end=time(11, 0), minutes=30
)
event_services.participant_register(actor=chinese, event=event, organisation=company, time_zone="Asia/Shanghai")
# The cooperative is on the event's list without anyone to represent it, as the demo lists its organisations.
listed = Participant.objects.create(event=event, organisation=cooperative, time_zone="Asia/Karachi", status="approved")
listed.available_slots.set(event.slots.all())
print(json.dumps({"opportunity": opportunity.pk, "cooperative": cooperative.key, "event": event.slug}))
"""


@pytest.fixture(scope="module")
def translated_platform(tmp_path_factory) -> Iterator[tuple[str, dict[str, str], Path, Any]]:
    """A fresh platform (migrated, no demo data) whose machine translation is the local LibreTranslate
    server and whose e-mails are files; yields its address, environment, mail folder and the server."""
    var_dir = tmp_path_factory.mktemp("personas")
    mail_dir = var_dir / "mail"
    mail_dir.mkdir()
    with translation_serving(LibreTranslateHandler) as translator:
        env = {
            **os.environ,
            "SILKBRIDGE_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir}/personas.sqlite3",
            "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
            "SILKBRIDGE_TASK_BACKEND": "immediate",
            "SILKBRIDGE_MT_BACKEND": "libretranslate",
            "SILKBRIDGE_MT_URL": translator.url,
            "SILKBRIDGE_MT_API_KEY": "",
            "SILKBRIDGE_MT_TIMEOUT_SECONDS": "5",
            "EMAIL_URL": f"filemail:///{mail_dir}",  # four slashes in all: an absolute path
        }
        command = [sys.executable, "-m", "silkbridge"]
        subprocess.run([*command, "migrate", "--noinput", "-v0"], env=env, check=True, capture_output=True, timeout=300)
        with platform_serving(command, env) as base_url:
            yield base_url, env, mail_dir, translator


def _shell(env: dict[str, str], script: str, **names: Any) -> dict[str, Any]:
    prelude = "".join(f"{name} = {value!r}\n" for name, value in names.items())
    done = subprocess.run(
        [sys.executable, "-m", "silkbridge", "shell", "-c", prelude + script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sign_in(page: Any, base_url: str, email: str, language: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))
    page.locator(f".language-switch button[value='{language}']").click()


def _mails_to(mail_dir: Path, address: str) -> list[tuple[str, str]]:
    """(subject, body) of each e-mail the platform wrote for `address` (the file backend's outbox)."""
    found = []
    for path in sorted(mail_dir.iterdir()):
        for raw in re.split(rb"\n-{79}\n", path.read_bytes()):
            if not raw.strip():
                continue
            message = message_from_bytes(raw.lstrip(b"\n"), policy=policy.default)
            if address not in str(message["To"] or ""):
                continue
            body = message.get_body(preferencelist=("plain",))
            found.append((str(message["Subject"]), body.get_content() if body is not None else ""))
    return found


def test_a_chinese_company_reads_an_urdu_request_and_meets_the_organisation_that_claimed_it(translated_platform):
    from playwright.sync_api import expect, sync_playwright

    base_url, env, mail_dir, translator = translated_platform
    world = _shell(
        env,
        SETUP_SCRIPT,
        PASSWORD=PASSWORD,
        TITLE_UR=TITLE_UR,
        DESCRIPTION_UR=DESCRIPTION_UR,
        CHINESE_ORGANISATION=CHINESE_ORGANISATION,
        HELD_ORGANISATION=HELD_ORGANISATION,
        EVENT_TITLE=EVENT_TITLE,
    )
    # The profile was translated through the backend when it was saved: Urdu into English and Chinese.
    assert {(asked["body"]["source"], asked["body"]["target"]) for asked in translator.requests} >= {
        ("ur", "en"),
        ("ur", "zh"),
    }
    profile_url = f"{base_url}/marketplace/{world['opportunity']}/"
    slug = world["event"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=DESKTOP)
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            # 1. The Chinese member reads the Urdu request in Chinese, labelled, and toggles to the original.
            _sign_in(page, base_url, "wang.fang@leafvision.example", "zh-hans")
            page.goto(profile_url)
            expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
            expect(page.locator("h1")).to_contain_text(TITLE_IN_ZH)
            notice = page.locator(".translation-notice")
            expect(notice).to_contain_text("机器翻译")
            expect(notice).to_contain_text("译自乌尔都语。")
            page.screenshot(path=str(ARTIFACTS / "personas-request-zh.png"), full_page=True)
            page.get_by_role("link", name="显示乌尔都语原文").first.click()
            expect(page.locator("h1")).to_have_text(TITLE_UR)
            expect(page.locator("main")).not_to_contain_text("[zh]")
            expect(page.locator(".translation-notice")).to_contain_text("显示原文（乌尔都语）。")
            page.get_by_role("link", name="显示中文译文").first.click()
            expect(page.locator("h1")).to_contain_text(TITLE_IN_ZH)

            # 2. It expresses interest; the organisation has no members, and the page says so plainly.
            interest = page.locator("section[aria-labelledby=interest-title]")
            expect(interest).to_contain_text("该机构在 Silkbridge 上还没有成员；中心工作人员会代为转达您的消息。")
            interest.get_by_label("留言").fill(INTEREST_ZH)
            interest.get_by_role("button", name="发送").click()
            expect(page.locator(".messages")).to_contain_text("该机构在 Silkbridge 上还没有成员")
            interest_path = re.sub(r"^https?://[^/]+", "", page.url)

            # At the matchmaking event the cooperative is listed, still without members: the meeting request
            # is not swallowed either, and the page says so.
            page.goto(f"{base_url}/events/{slug}/participants/")
            page.get_by_role("link", name=f"与 {HELD_ORGANISATION} 请求会谈").click()
            expect(page.locator("main")).to_contain_text("该机构在 Silkbridge 上还没有成员")
            page.get_by_label("留言").fill("希望在活动中讨论作物病害识别的许可合作。")
            page.get_by_role("button", name="发送请求").click()
            expect(page.locator(".messages")).to_contain_text("该机构在 Silkbridge 上还没有成员")

            # 3. Staff find both in the queue of requests waiting for organisations without members.
            _sign_in(page, base_url, "staff@silkbridge.example", "en")
            page.goto(base_url + "/directory/waiting-requests/")
            waiting = page.locator("table tbody tr", has_text=HELD_ORGANISATION)
            expect(waiting).to_have_count(2)
            expect(waiting.filter(has_text=TITLE_UR)).to_contain_text("王芳")
            expect(waiting.filter(has_text=f"{EVENT_TITLE}: {CHINESE_ORGANISATION}")).to_contain_text("王芳")

            # 4. A Pakistani user at the organisation's domain claims it and answers the waiting interest.
            _sign_in(page, base_url, "bilal@cropcoop.example", "en")
            page.goto(f"{base_url}/directory/{world['cooperative']}/")
            page.get_by_role("link", name="Join or claim this organisation").click()
            expect(page.locator("main")).to_contain_text("This organisation has no members on Silkbridge yet")
            page.get_by_role("button", name="Ask to join").click()
            expect(page.locator(".messages")).to_contain_text("you are now a member")
            page.goto(base_url + "/notifications/")
            page.get_by_role("button", name=f"A request waited for your organisation: “{TITLE_UR}”").click()
            expect(page).to_have_url(re.compile(re.escape(interest_path) + "$"))
            expect(page.locator(".request-message")).to_contain_text(f"[en] {INTEREST_ZH}")  # read in English
            page.get_by_role("button", name="Accept").click()
            expect(page.locator(".badge").first).to_have_text("Accepted")
            # The meeting request waited too: the new member joins the cooperative's registration and accepts.
            page.goto(base_url + "/notifications/")
            page.get_by_role(
                "button", name=f"A request waited for your organisation: “{EVENT_TITLE}: {CHINESE_ORGANISATION}”"
            ).click()
            page.get_by_role("button", name="Join your organisation's registration").click()
            expect(page.locator(".messages")).to_contain_text(f"You now represent {HELD_ORGANISATION} at this event.")
            received = page.locator("section[aria-labelledby=received-title] .card", has_text=CHINESE_ORGANISATION)
            received.get_by_role("button", name="Accept").click()
            expect(page.locator(".badge-status-accepted").first).to_be_visible()

            # 5. The Chinese member reads the answer in its notification centre, in Chinese.
            _sign_in(page, base_url, "wang.fang@leafvision.example", "zh-hans")
            page.goto(base_url + "/notifications/")
            expect(page.locator(".notification-list")).to_contain_text(f"您的合作意向已被接受：{TITLE_UR}")

            # 6. Staff run the event's scheduler, which places the accepted meeting.
            _sign_in(page, base_url, "staff@silkbridge.example", "en")
            page.goto(f"{base_url}/events/{slug}/manage/")
            page.once("dialog", lambda dialog: dialog.accept())  # "Run the scheduler now?"
            page.get_by_role("button", name="Run the scheduler").click()
            page.get_by_role("link", name="See the result").click()  # from the run's progress page
            expect(page.locator('[data-figure="placed"]')).to_have_text("1")

            # 7. Both sides are told: in the notification centre (each in its language) and by e-mail.
            _sign_in(page, base_url, "wang.fang@leafvision.example", "zh-hans")
            page.goto(base_url + "/notifications/")
            expect(page.locator(".notification-list")).to_contain_text(f"排程程序已在{EVENT_TITLE}为您安排了 1 场会谈")
            page.screenshot(path=str(ARTIFACTS / "personas-notifications-zh.png"), full_page=True)
            _sign_in(page, base_url, "bilal@cropcoop.example", "en")
            page.goto(base_url + "/notifications/")
            expect(page.locator(".notification-list")).to_contain_text(
                f"The scheduler placed 1 meeting for you at {EVENT_TITLE}"
            )
        finally:
            browser.close()

    chinese_mails = _mails_to(mail_dir, "wang.fang@leafvision.example")
    pakistani_mails = _mails_to(mail_dir, "bilal@cropcoop.example")
    assert any(f"排程程序已在{EVENT_TITLE}为您安排了 1 场会谈" in subject for subject, _ in chinese_mails)
    # Each side's e-mail names the other and gives the time in its own zone (10:00 in Lahore is 13:00 in Hangzhou).
    assert any(
        HELD_ORGANISATION in body and "13:00" in body for subject, body in chinese_mails if "排程程序" in subject
    )
    assert any(f"The scheduler placed 1 meeting for you at {EVENT_TITLE}" in subject for subject, _ in pakistani_mails)
    assert any(
        CHINESE_ORGANISATION in body and "10:00" in body for subject, body in pakistani_mails if "scheduler" in subject
    )
    # The answer reached the sender by e-mail too, and the waiting interest reached the new member.
    assert any(f"您的合作意向已被接受：{TITLE_UR}" in subject for subject, _ in chinese_mails)
    assert any(TITLE_UR in subject for subject, _ in pakistani_mails)
