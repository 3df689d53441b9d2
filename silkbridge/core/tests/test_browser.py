"""End to end in a real headless browser (Debian's chromium driven by Playwright), against the
platform started the way `make run` starts it: its own SQLite database, migrated and loaded with the
demo data, served by `silkbridge runserver`."""

from __future__ import annotations

import contextlib
import json
import os
import re
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
def platform(tmp_path_factory) -> Iterator[tuple[str, str, dict[str, str]]]:
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
    with serving(command, env) as base_url:
        yield base_url, password, env


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str], *, worker: bool = False) -> Iterator[str]:
    """The platform served on a free port (and a `db_worker` beside it with `worker`) until the block
    ends: its base URL once the home page answers."""
    port = _free_port()
    processes = [
        subprocess.Popen(
            [*command, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    if worker:
        processes.append(
            subprocess.Popen(
                [*command, "db_worker", "--no-startup-delay", "--no-reload"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
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
        yield base_url
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=10)


def test_sign_in_switch_languages_search_and_open_a_profile(platform):
    from playwright.sync_api import expect, sync_playwright

    base_url, password, _ = platform
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

    base_url, password, _ = platform
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
            # The assessment is a background run: its page links to the report when it has finished.
            page.get_by_role("link", name="See the result").click()
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


PARTICIPANTS_SCRIPT = """
import json
from silkbridge.accounts.models import User
from silkbridge.directory.models import Membership
from silkbridge.directory.models import Organisation
people = []
accounts = (("amina@example.org", "PK", "Asia/Karachi"), ("li.wei@example.org", "CN", "Asia/Shanghai"))
for email, country, zone in accounts:
    organisation = Organisation.objects.filter(country=country, visibility="public").order_by("key").first()
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": email.split("@")[0], "time_zone": zone})
    user.set_password("browser-test-9")
    user.email_verified_at = user.date_joined
    user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": "owner"})
    people.append({"email": email, "organisation": organisation.name_en})
print(json.dumps(people))
"""


def _sign_in(page, base_url, email, password):
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="English").click()


def _register(page, base_url, slug, organisation, zone):
    page.goto(f"{base_url}/events/{slug}/register/")
    page.get_by_label("Organisation").select_option(label=organisation)
    page.get_by_label("Your time zone").select_option(zone)
    page.get_by_role("button", name="Register").click()


def test_run_an_event_end_to_end_across_two_time_zones(platform):
    """Staff set up an event in Pakistan time; a Pakistani and a Chinese company register, request,
    accept; staff run the scheduler; each agenda shows the meeting in its own time zone."""
    from playwright.sync_api import expect, sync_playwright

    base_url, password, env = platform
    done = subprocess.run(
        [sys.executable, "-m", "silkbridge", "shell", "-c", PARTICIPANTS_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    karachi, shanghai = json.loads(done.stdout.strip().splitlines()[-1])
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            _sign_in(page, base_url, "staff@silkbridge.example", password)
            page.goto(base_url + "/events/new/")
            page.get_by_label("Title").fill("Islamabad AI matchmaking day")
            page.get_by_label("Short name").fill("ai-day")
            page.get_by_label("Time zone").select_option("Asia/Karachi")
            page.get_by_label("Registration opens").fill("2026-01-01T09:00")
            page.get_by_label("Registration closes").fill("2035-01-01T09:00")
            page.get_by_label("Days").fill("2027-03-10")
            page.get_by_label("Day starts").fill("10:00")
            page.get_by_label("Day ends").fill("11:00")
            page.get_by_label("Slot length (minutes)").fill("30")
            page.get_by_role("button", name="Create the event and its slots").click()
            expect(page).to_have_url(re.compile(r"/events/ai-day/manage/$"))

            _sign_in(page, base_url, karachi["email"], "browser-test-9")
            _register(page, base_url, "ai-day", karachi["organisation"], "Asia/Karachi")
            _sign_in(page, base_url, shanghai["email"], "browser-test-9")
            _register(page, base_url, "ai-day", shanghai["organisation"], "Asia/Shanghai")

            _sign_in(page, base_url, karachi["email"], "browser-test-9")
            page.goto(base_url + "/events/ai-day/participants/")
            page.get_by_role("link", name=f"Request a meeting with {shanghai['organisation']}").click()
            page.get_by_role("textbox", name="Message").fill("We would like to discuss AI triage for chest X-rays.")
            page.get_by_role("button", name="Send the request").click()

            _sign_in(page, base_url, shanghai["email"], "browser-test-9")
            page.goto(base_url + "/events/ai-day/requests/")
            page.get_by_role("button", name="Accept").first.click()
            expect(page.locator(".badge-status-accepted").first).to_be_visible()

            _sign_in(page, base_url, "staff@silkbridge.example", password)
            page.goto(base_url + "/events/ai-day/manage/")
            page.once("dialog", lambda dialog: dialog.accept())  # "Run the scheduler now?"
            page.get_by_role("button", name="Run the scheduler").click()
            page.get_by_role("link", name="See the result").click()  # from the run's progress page
            expect(page.locator('[data-figure="placed"]')).to_have_text("1")

            _sign_in(page, base_url, shanghai["email"], "browser-test-9")
            page.goto(base_url + "/events/ai-day/agenda/")
            expect(page.locator("main")).to_contain_text(karachi["organisation"])
            expect(page.locator("main")).to_contain_text("13:00")
            page.screenshot(path=str(ARTIFACTS / "agenda-shanghai.png"), full_page=True)
            with page.expect_download() as download:
                page.get_by_role("link", name="Download (.ics)").click()
            calendar = Path(download.value.path()).read_text(encoding="utf-8")
            assert "BEGIN:VEVENT" in calendar
            assert "DTSTART:20270310T050000Z" in calendar

            _sign_in(page, base_url, karachi["email"], "browser-test-9")
            page.goto(base_url + "/events/ai-day/agenda/")
            expect(page.locator("main")).to_contain_text(shanghai["organisation"])
            expect(page.locator("main")).to_contain_text("10:00")
            page.screenshot(path=str(ARTIFACTS / "agenda-karachi.png"), full_page=True)
        finally:
            browser.close()


MARKETPLACE_SCRIPT = """
import json
from silkbridge.accounts.models import User
from silkbridge.directory.models import Membership
from silkbridge.directory.models import Organisation
newcomer, _ = User.objects.get_or_create(email="farah@example.org", defaults={"full_name": "Farah Baig"})
chinese, _ = User.objects.get_or_create(
    email="zhang.min@example.org", defaults={"full_name": "张敏", "language": "zh-hans"}
)
for user in (newcomer, chinese):
    user.set_password("browser-test-9")
    user.email_verified_at = user.date_joined
    user.save()
Membership.objects.get_or_create(
    user=chinese, organisation=Organisation.objects.get(key="cn-tianshu-vision"), defaults={"role": "owner"}
)
print(json.dumps({"ok": True}))
"""
CHINESE_OFFER = "人工智能胸部X光片辅助诊断系统"  # from the demo profiles (marketplace/data)


def test_publish_a_request_in_english_and_find_the_chinese_offer_with_reasons_in_each_language(platform):
    """A newcomer adds their organisation, publishes a technology request in English, staff approve it;
    the request's matches show the demo Chinese offer with English reasons, and the Chinese company sees
    the same match on its offer, with the reasons in Chinese."""
    from playwright.sync_api import expect, sync_playwright

    base_url, password, env = platform
    subprocess.run(
        [sys.executable, "-m", "silkbridge", "shell", "-c", MARKETPLACE_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    title = "AI reading of chest X-rays for tuberculosis screening"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            _sign_in(page, base_url, "farah@example.org", "browser-test-9")
            page.goto(base_url + "/marketplace/new/")
            expect(page.locator("main")).to_contain_text("Add your organisation")
            page.goto(base_url + "/directory/new/")
            page.get_by_label("Kind").select_option("company")
            page.get_by_label("Name in English").fill("Indus Imaging Centres (test)")
            page.get_by_label("Language it writes in").select_option("en")
            page.get_by_label("Country").select_option("PK")
            page.get_by_role("button", name="Save").click()
            expect(page.locator("h1")).to_contain_text("Indus Imaging Centres")

            page.goto(base_url + "/marketplace/new/")
            page.get_by_label("Type").select_option("technology_request")
            page.get_by_label("Title:", exact=True).fill(title)  # not "Title in English:" (authors' translations)
            page.get_by_label("Description").fill(
                "Our imaging centres in Sindh need medical imaging AI that reads chest X-rays and flags "
                "suspected tuberculosis for our radiologists, installed on premises. We seek a licence."
            )
            page.get_by_label("Technology readiness level").select_option("7")
            page.get_by_label("Licence").check()
            page.get_by_role("button", name="Save and send for review").click()
            expect(page.locator(".messages")).to_contain_text("waiting for staff review")

            _sign_in(page, base_url, "staff@silkbridge.example", password)
            page.goto(base_url + "/marketplace/review/")
            page.get_by_role("link", name=title).click()
            page.get_by_label("Approve and publish").check()
            # Approval computes the new profile's matches before the answer (the embedded task backend
            # runs in-process); the server's first computation also loads the index, so allow longer.
            page.get_by_role("button", name="Save the review").click(timeout=60_000)
            expect(page.locator(".messages")).to_contain_text("Review saved")

            _sign_in(page, base_url, "farah@example.org", "browser-test-9")
            page.goto(base_url + "/marketplace/mine/")
            page.get_by_role("link", name="See matches").click()
            offer_card = page.locator(".match-card", has_text=CHINESE_OFFER)
            expect(offer_card).to_be_visible()
            # The shown reasons (the first list) lead with the shared concept; the rest fold under "more".
            expect(offer_card.locator("ul.reasons").first).to_contain_text("Shared concepts")
            expect(offer_card).to_contain_text("TRL 8 meets the TRL ≥ 7 asked for")
            page.screenshot(path=str(ARTIFACTS / "matches-en.png"), full_page=True)

            _sign_in(page, base_url, "zhang.min@example.org", "browser-test-9")
            page.get_by_role("button", name="简体中文").click()
            page.goto(base_url + "/marketplace/mine/")
            page.locator("tr", has_text=CHINESE_OFFER).locator("a[href*='/matches/profile/']").click()
            request_card = page.locator(".match-card", has_text=title)
            expect(request_card).to_be_visible()
            expect(request_card.locator("ul.reasons").first).to_contain_text("共同的技术概念")
            expect(request_card).to_contain_text("满足所要求的 TRL ≥ 7")
            page.screenshot(path=str(ARTIFACTS / "matches-zh.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTIFACTS / "matches-zh.png").stat().st_size > 10_000


def test_pages_and_the_api_docs_work_under_the_content_security_policy(platform):
    """Chromium reports every script or style the policy blocks on the console; none may be blocked,
    and what used inline code before (confirmations, bars, the API docs) still works."""
    from playwright.sync_api import expect, sync_playwright

    from silkbridge.events.demo import DEMO_SLUG

    base_url, password, _ = platform
    violations: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
            ),
        )
        try:
            _sign_in(page, base_url, "staff@silkbridge.example", password)
            for path in ("/", "/directory/", "/marketplace/", "/events/", "/datacenters/", "/admin/"):
                response = page.goto(base_url + path)
                assert response is not None
                assert "default-src 'self'" in response.headers["content-security-policy"]
            page.goto(f"{base_url}/events/{DEMO_SLUG}/manage/")
            share = page.locator(".bar").first.evaluate("bar => getComputedStyle(bar).getPropertyValue('--share')")
            assert share.strip() != ""  # site.js gave the bar its width
            asked: list[str] = []

            def dismiss(dialog):
                asked.append(dialog.message)
                dialog.dismiss()

            page.once("dialog", dismiss)
            page.get_by_role("button", name="Run the scheduler").click()
            assert asked == ["Run the scheduler now? New meetings are added to the participants' agendas."]
            expect(page).to_have_url(re.compile(r"/manage/$"))

            page.goto(base_url + "/api/v1/docs")
            expect(page.locator(".opblock").first).to_be_visible()
            expect(page.locator(".opblock-tag").first).to_be_visible()
        finally:
            browser.close()
    assert violations == []


def test_a_scheduler_run_is_followed_on_its_progress_page_until_it_links_to_the_result(platform):
    """With the database task backend, starting the scheduler only queues it: the organiser lands on
    the run's page while nothing has run yet (queued, bar at 0). A worker started only then does the
    run; the page, polling on its own, changes to the finished run and links to the schedule.
    At phone width, in Urdu as well."""
    from playwright.sync_api import expect, sync_playwright

    from silkbridge.events.demo import DEMO_SLUG

    _, password, env = platform
    queued_env = {**env, "SILKBRIDGE_TASK_BACKEND": "database"}
    command = [sys.executable, "-m", "silkbridge"]
    port = _free_port()
    server = subprocess.Popen(
        [*command, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=queued_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    queued_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(queued_url + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the platform did not start")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            try:
                _sign_in(page, queued_url, "staff@silkbridge.example", password)
                page.goto(f"{queued_url}/events/{DEMO_SLUG}/manage/")
                page.get_by_label("Time limit (seconds)").fill("3")
                page.once("dialog", lambda dialog: dialog.accept())
                page.get_by_role("button", name="Run the scheduler").click()
                expect(page).to_have_url(re.compile(r"/runs/\d+/$"))
                expect(page.locator(".run-status")).to_have_text("Queued")
                expect(page.locator("progress.run-progress")).to_have_attribute("value", "0")
                expect(page.get_by_role("link", name="See the result")).to_have_count(0)
                bar = page.locator("progress.run-progress").bounding_box()
                assert bar is not None
                assert bar["x"] > 0  # the whole bar fits a phone's width
                assert bar["x"] + bar["width"] <= 390
                page.screenshot(path=str(ARTIFACTS / "run-queued-phone.png"), full_page=True)

                # Only now does a worker start; the open page notices by itself.
                worker = subprocess.Popen(
                    [*command, "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
                    env=queued_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                result = page.get_by_role("link", name="See the result")
                expect(result).to_be_visible(timeout=90_000)
                expect(page.locator(".run-status")).to_have_text("Succeeded")
                expect(page.locator("progress.run-progress")).to_have_attribute("value", "100")
                page.get_by_role("button", name="اردو").click()
                expect(page.locator("html")).to_have_attribute("dir", "rtl")
                expect(page.locator(".run-status")).to_have_text("کامیاب")
                page.screenshot(path=str(ARTIFACTS / "run-finished-ur-phone.png"), full_page=True)
                page.get_by_role("link", name="نتیجہ دیکھیں").click()
                expect(page).to_have_url(re.compile(rf"/events/{DEMO_SLUG}/manage/#scheduler$"))
                page.get_by_role("button", name="English").click()
            finally:
                browser.close()
        assert worker.wait(timeout=60) == 0
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=10)
        server.terminate()
        server.wait(timeout=10)
