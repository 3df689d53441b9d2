"""The deals story end to end in a real headless browser (Debian's chromium driven by Playwright), in
three languages, against the platform started as `make run` starts it: its own SQLite database,
`silkbridge runserver` with the database task backend, and a `db_worker` beside it for background runs.

Set-up and the clock go through services and the ORM (a `silkbridge shell` beside the server); every
user action goes through the pages: a Chinese company's member (in 简体中文, at phone width) answers the
CDA's call with a data-center design and a PDF; once the deadline has passed, the chair opens the
proposals and appoints two reviewers, who declare no conflict and score every criterion (one in
English, one in Urdu at phone width); the chair ranks and approves, publishes the report, and the
decision takes effect once the grievance window has closed; platform staff draft the MoU in English +
中文, send it along the CDA's route (one office returns it once with a note; it is corrected, sent again
and approved by every office), record the signatories and sign; the sealed PDF is downloaded and the
public verification page accepts it and rejects a copy with one byte changed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from silkbridge.core.tests.test_browser import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, _chromium, serving

pytestmark = pytest.mark.browser

REPOSITORY = Path(__file__).resolve().parents[3]
PASSWORD = "browser-story-9"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CALL_TITLE = "Tier-IV data center and big data platform for Islamabad"
PROPOSAL_TITLE = "伊斯兰堡 Tier IV 数据中心与大数据平台"
MOU_TITLE = "MoU on the Islamabad Tier-IV data center and big data platform"
RETURN_NOTE = "Clarify who finances the grid connection in the financing clause."

SETUP_SCRIPT = """
import json
from datetime import timedelta
from django.utils import timezone
from silkbridge.accounts.models import User
from silkbridge.directory.models import Membership, Organisation
from silkbridge.deals.services import calls as calls_services
from silkbridge.deals.services.routing import routes_seed_for

def person(email, name, organisation=None, staff=False):
    user = User.objects.create(
        email=email, full_name=name, time_zone="Asia/Karachi", role="staff" if staff else "member"
    )
    user.set_password(PASSWORD)
    user.email_verified_at = user.date_joined
    user.save()
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role="member")
    return user

cda = Organisation.objects.create(
    key="cda-story", kind="government", name_en="Capital Development Authority (story)",
    name_local="کیپیٹل ڈیولپمنٹ اتھارٹی (ٹیسٹ)", language="ur", country="PK",
    city="Islamabad", visibility="public",
)
company = Organisation.objects.create(
    key="huaxia-story", kind="company", name_en="Huaxia Cloud Data Co. (story)",
    name_local="华夏云数据有限公司（测试）", language="zh", country="CN", city="Guiyang", visibility="public",
)
routes_seed_for(cda)
chair = person("chair@cda.example", "Ayesha Chair", cda)
person("reviewer.en@cda.example", "Imran Reviewer", cda)
person("reviewer.ur@cda.example", "Nadia Reviewer", cda)
person("li.na@huaxia.example", "李娜", company)
person("staff@silkbridge.example", "Sana Staff", staff=True)

anchors = {
    str(level): {"en": f"Level {level}", "zh": f"第{level}级", "ur": f"درجہ {level}"} for level in range(6)
}
deadline = (timezone.now() + timedelta(minutes=10)).astimezone(timezone.get_fixed_timezone(300)).replace(tzinfo=None)
call = calls_services.call_create(
    actor=chair,
    issuer=cda,
    fields={
        "title_en": "Tier-IV data center and big data platform for Islamabad",
        "title_zh": "伊斯兰堡四级数据中心和大数据平台",
        "title_ur": "اسلام آباد کے لیے ٹیئر فور ڈیٹا سینٹر اور بگ ڈیٹا پلیٹ فارم",
        "scope_en": "Design, build and operate a Tier-IV data center and a big data platform.",
        "scope_zh": "设计、建设和运营一座四级数据中心和一个大数据平台。",
        "scope_ur": "ٹیئر فور ڈیٹا سینٹر اور بگ ڈیٹا پلیٹ فارم کا ڈیزائن، تعمیر اور انتظام۔",
        "deadline": deadline,
        "time_zone": "Asia/Karachi",
        "contact_name": "Procurement cell",
        "contact_email": "procurement@cda.example",
        "currency": "PKR",
        "minimum_tier": 3,
    },
    criteria=[
        {"name_en": "Technical approach", "name_zh": "技术方案", "name_ur": "تکنیکی طریقہ", "weight": 60,
         "anchors": anchors},
        {"name_en": "Team and experience", "name_zh": "团队与经验", "name_ur": "ٹیم اور تجربہ", "weight": 40,
         "anchors": anchors},
    ],
)
call = calls_services.call_publish(actor=chair, call=call)
print(json.dumps({"slug": call.slug}))
"""

# The clock: the deadline passes (the call's row moved through the ORM, as time would move it).
DEADLINE_PASSES = """
from datetime import timedelta
from django.utils import timezone
from silkbridge.deals.models import Call
Call.objects.filter(slug=SLUG).update(deadline=timezone.now() - timedelta(seconds=1))
"""

# The clock: the grievance window (a day, the shortest the report form takes) has closed, no grievance filed.
GRIEVANCE_WINDOW_CLOSES = """
from datetime import timedelta
from django.utils import timezone
from silkbridge.deals.models import Call
Call.objects.filter(slug=SLUG).update(grievances_until=timezone.now() - timedelta(seconds=1))
"""


def _pdf_document() -> bytes:
    """A real one-page PDF (a text line in Helvetica), with a correct cross-reference table."""
    text = b"BT /F1 14 Tf 72 760 Td (Huaxia Cloud Data - company registration) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _shell(env: dict[str, str], script: str, **names: Any) -> str:
    prelude = "".join(f"{name} = {value!r}\n" for name, value in names.items())
    done = subprocess.run(
        [sys.executable, "-m", "silkbridge", "shell", "-c", prelude + script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def story_platform(tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh platform (migrated, no demo data) with the database task backend and a worker."""
    var_dir = tmp_path_factory.mktemp("story")
    env = {
        **os.environ,
        "SILKBRIDGE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir}/story.sqlite3",
        "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
        "SILKBRIDGE_TASK_BACKEND": "database",
        "SILKBRIDGE_SEAL_KEY_FILE": "",
        "SILKBRIDGE_SEAL_CERT_FILE": "",
    }
    env.pop("SILKBRIDGE_MEDIA_ROOT", None)
    command = [sys.executable, "-m", "silkbridge"]
    subprocess.run([*command, "migrate", "--noinput", "-v0"], env=env, check=True, capture_output=True, timeout=300)
    with serving(command, env, worker=True) as base_url:
        yield base_url, env


def _sign_in(page: Any, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def _confirmed(page: Any, button: Any) -> None:
    """Click a button whose form asks for confirmation (data-confirm), and accept."""
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()


# --- signing and the sealed PDF: small steps, so that they follow the pages when these change ---------


def sign_and_seal(page: Any) -> None:
    """Sign and seal from the MoU's route page; when the page answers with a background run's page,
    wait for the run and follow its link back to the MoU."""
    from playwright.sync_api import expect

    _confirmed(page, page.get_by_role("button", name="Sign and seal"))
    if re.search(r"/runs/\d+/$", page.url):
        page.get_by_role("link", name="See the result").click(timeout=90_000)
    expect(page.get_by_role("heading", name="Sealed PDF")).to_be_visible()


def download_sealed_pdf(page: Any) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the sealed PDF").click()
    return Path(download.value.path()).read_bytes()


def verify_on_the_public_page(page: Any, base_url: str, name: str, content: bytes) -> None:
    page.goto(base_url + "/deals/verify/")
    page.get_by_label("PDF file").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": content})
    page.get_by_role("button", name="Verify").click()


def _one_byte_changed(content: bytes) -> bytes:
    """One bit changed inside the first page's content stream, well inside the seal's byte range."""
    position = content.index(b"stream", 200) + 40
    changed = bytearray(content)
    changed[position] ^= 0x01
    return bytes(changed)


def test_a_proposal_becomes_a_sealed_mou_in_three_languages(story_platform):
    from playwright.sync_api import expect, sync_playwright

    base_url, env = story_platform
    started = time.monotonic()
    slug = json.loads(_shell(env, SETUP_SCRIPT, PASSWORD=PASSWORD).strip().splitlines()[-1])["slug"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        phone = browser.new_page(viewport=PHONE)
        desk = browser.new_page(viewport=DESKTOP, accept_downloads=True)
        for page in (phone, desk):
            page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            # 1. The Chinese company's member, in 简体中文 at phone width, answers the call.
            page = phone
            _sign_in(page, base_url, "li.na@huaxia.example")
            page.get_by_role("button", name="简体中文").click()
            expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
            page.goto(f"{base_url}/deals/calls/{slug}/")
            expect(page.locator("h1")).to_have_text("伊斯兰堡四级数据中心和大数据平台")
            page.get_by_role("link", name="新提案").click()
            # Her only organisation is chosen already: no empty choice to pick past.
            expect(page.locator("#id_organisation option")).to_have_count(1)
            page.locator("#id_title").fill(PROPOSAL_TITLE)
            page.locator("#id_summary").fill("我们建议在伊斯兰堡建设一座 1.2 兆瓦的四级数据中心，并运营大数据平台。")
            page.locator("#id_language").select_option("zh")
            page.locator("#id_budget_amount").fill("180000000")
            page.locator("#id_budget_currency").fill("CNY")
            page.locator("#id_timeline").fill("2026-09-01 — 设计完成\n2027-12-01 — 投入运营")
            page.locator("#id_team").fill("李娜 — 项目负责人")
            page.locator("#id_claimed_tier").select_option("4")
            page.locator("#id_design").set_input_files(str(REPOSITORY / "examples" / "datacenters" / "tier4.yaml"))
            page.get_by_role("button", name="保存草稿").click()
            expect(page.locator(".messages")).to_contain_text("草稿已保存")
            page.locator("#id_file").set_input_files(
                {"name": "registration.pdf", "mimeType": "application/pdf", "buffer": _pdf_document()}
            )
            page.get_by_role("button", name="添加文件").click()
            expect(page.locator(".messages")).to_contain_text("已添加文件：registration.pdf")
            _confirmed(page, page.get_by_role("button", name="提交", exact=True))
            expect(page.locator(".messages")).to_contain_text("已提交。您的提案在征集截止之前保持密封。")
            # The design is assessed by the worker; the page shows its Tier once the run has ended.
            for _ in range(60):
                if page.locator("section[aria-labelledby=design-title] dl").count():
                    break
                time.sleep(1)
                page.reload()
            design = page.locator("section[aria-labelledby=design-title]")
            expect(design).to_contain_text("数据中心设计")
            expect(design.locator("dt", has_text="达到的 Tier").locator("+ dd")).to_have_text("4")
            page.screenshot(path=str(ARTIFACTS / "story-proposal-zh-phone.png"), full_page=True)
            reference = page.url.rstrip("/").rsplit("/", 1)[-1]

            # 2. The deadline passes; the chair opens the proposals and appoints two reviewers.
            _shell(env, DEADLINE_PASSES, SLUG=slug)
            page = desk
            _sign_in(page, base_url, "chair@cda.example")
            page.goto(f"{base_url}/deals/calls/{slug}/")
            expect(page.locator("h1")).to_have_text(CALL_TITLE)
            expect(page.locator(".countdown")).to_contain_text("The deadline has passed.")
            page.get_by_label("Attendees").fill("Ayesha Chair, CDA\nProcurement cell, CDA")
            page.get_by_role("button", name="Open the proposals").click()
            opening = page.locator("section[aria-labelledby=openings-title]")
            expect(opening).to_contain_text("Huaxia Cloud Data Co. (story)")
            expect(opening).to_contain_text("CNY")
            page.get_by_role("link", name="Committee review").click()
            page.get_by_role("link", name=PROPOSAL_TITLE).click()
            for reviewer in ("Imran Reviewer <reviewer.en@cda.example>", "Nadia Reviewer <reviewer.ur@cda.example>"):
                page.locator("#id_reviewer").select_option(label=reviewer)
                page.get_by_role("button", name="Appoint").click()
                expect(page.locator(".messages")).to_contain_text("Reviewer appointed")

            # 3. Two reviewers declare no conflict and score: one in English, one in Urdu at phone width.
            for email, page, language, scores in (
                ("reviewer.en@cda.example", desk, "English", (5, 4)),
                ("reviewer.ur@cda.example", phone, "اردو", (4, 4)),
            ):
                _sign_in(page, base_url, email)
                page.get_by_role("button", name=language).click()
                page.goto(base_url + "/deals/reviews/")
                page.get_by_role("link", name=PROPOSAL_TITLE).click()
                if language == "اردو":
                    expect(page.locator("html")).to_have_attribute("dir", "rtl")
                    expect(page.locator("h1")).to_have_text("مفادات کا ٹکراؤ")
                    page.get_by_label("نہیں: میرا کوئی مفادات کا ٹکراؤ نہیں").check()
                    page.get_by_role("button", name="میرا اعلان درج کریں").click()
                    expect(page.locator(".messages")).to_contain_text("اب آپ تجویز پڑھ کر اسکور دے سکتے ہیں")
                    expect(page.locator(".design-tier")).to_have_text("4")
                    expect(page.locator("fieldset legend").first).to_contain_text("تکنیکی طریقہ")
                else:
                    expect(page.locator("html")).to_have_attribute("dir", "ltr")
                    page.get_by_label("No: I have no conflict of interest").check()
                    page.get_by_role("button", name="Record my declaration").click()
                    expect(page.locator(".messages")).to_contain_text("You may now read and score the proposal.")
                    expect(page.locator(".design-tier")).to_have_text("4")
                    expect(page.locator("fieldset legend").first).to_contain_text("Technical approach")
                for position, score in enumerate(scores):
                    criterion = page.locator("fieldset.field").nth(position)
                    criterion.locator(f"input[type=radio][value='{score}']").check()
                    criterion.locator("textarea").fill(f"{language}: {score}/5")
                page.locator("button[name=action][value=submit]").click()
                weighted = "92.00 / 100" if scores == (5, 4) else "80.00 / 100"
                expect(page.locator("section[aria-labelledby=mine-title]")).to_contain_text(weighted)
                if language == "اردو":
                    expect(page.locator(".messages")).to_contain_text("جائزہ جمع ہو گیا")
                    page.screenshot(path=str(ARTIFACTS / "story-review-ur-phone.png"), full_page=True)

            # 4. The chair sees the ranking and approves; the report is published and, once the grievance
            # window has closed, the decision takes effect.
            page = desk
            _sign_in(page, base_url, "chair@cda.example")
            page.goto(f"{base_url}/deals/reviews/calls/{slug}/")
            ranked = page.locator("section[aria-labelledby=ranking-title] article").first
            expect(ranked).to_contain_text(PROPOSAL_TITLE)
            expect(ranked).to_contain_text("Technical score (mean of the submitted reviews): 86.00 / 100")
            expect(ranked).to_contain_text("Imran Reviewer: 92.00 / 100")
            expect(ranked).to_contain_text("Nadia Reviewer: 80.00 / 100")
            ranked.locator("summary").click()
            ranked.get_by_label("Approve").check()
            ranked.get_by_label("Reasons").fill("A Tier IV design with a credible team and timeline.")
            ranked.get_by_role("button", name="Record the decision").click()
            expect(page.locator(".messages")).to_contain_text("Decision recorded")
            page.goto(f"{base_url}/deals/calls/{slug}/")
            page.get_by_label("Days for grievances").fill("1")
            page.get_by_role("button", name="Publish the evaluation report").click()
            report = page.locator("section[aria-labelledby=report-title]")
            expect(report).to_contain_text("86.00")
            _shell(env, GRIEVANCE_WINDOW_CLOSES, SLUG=slug)
            page.get_by_role("button", name="Let the decision take effect").click()
            expect(page.locator(".badge").first).to_have_text("Decided")

            # The submitter, in Chinese, now reads the decision.
            _sign_in(phone, base_url, "li.na@huaxia.example")
            phone.goto(f"{base_url}/deals/proposals/{reference}/")
            expect(phone.locator("html")).to_have_attribute("lang", "zh-Hans")
            expect(phone.locator(".profile-head .badge").first).to_have_text("已批准")

            # 5. Platform staff draft the MoU in English + 中文 from the deal.
            _sign_in(page, base_url, "staff@silkbridge.example")
            page.get_by_role("button", name="English").click()
            page.goto(base_url + "/deals/")
            page.get_by_role("link", name=PROPOSAL_TITLE).click()
            expect(page.locator(".lead .badge")).to_have_text("Approved")
            page.get_by_role("link", name="Draft an MoU").click()
            page.get_by_label("Title").fill(MOU_TITLE)
            page.get_by_label("Second language, beside English").select_option("zh")
            page.get_by_label("The other side is").select_option("foreign_private")
            page.get_by_role("button", name="Draft version 1").click()
            expect(page.locator(".messages")).to_contain_text("Version 1 of the MoU is drafted")
            first_clause = page.locator(".mou-clause").first
            expect(first_clause.locator("[lang=en]")).to_contain_text("Huaxia Cloud Data Co. (story)")
            expect(first_clause.locator("[lang=zh-Hans]")).to_contain_text("华夏云数据有限公司（测试）")
            mou_url = page.url

            # 6. The route: sent; two offices approve; the third returns it with a note; corrected and sent
            # again, it resumes there and every office approves.
            page.get_by_role("button", name="Send on its route").click()
            for _ in range(2):
                page.get_by_role("button", name="Approve").click()
                expect(page.locator(".messages")).to_contain_text("Approved.")
            expect(page.locator("[aria-current=step]")).to_contain_text("Law and Justice Division (vetting)")
            page.get_by_label("Why is the draft returned?").fill(RETURN_NOTE)
            page.get_by_role("button", name="Return to drafting").click()
            expect(page.locator(".messages")).to_contain_text("Returned to drafting.")
            expect(page.locator(".mou-route")).to_contain_text(RETURN_NOTE)
            page.goto(mou_url)
            page.get_by_role("link", name="Edit the text").click()
            financing = page.locator("fieldset", has=page.locator("input[value=financing]"))
            text = financing.locator("textarea[name$='-text_en']")
            text.fill(text.input_value() + " The Authority finances the connection to the grid.")
            page.get_by_label("Note on this version").fill("Financing clarified, as the Division asked.")
            page.locator("button[name=action][value=save]").last.click()
            expect(page.locator(".messages")).to_contain_text("Version 2 is saved.")
            page.get_by_role("button", name="Send again on its route").click()
            expect(page.locator("[aria-current=step]")).to_contain_text("Law and Justice Division (vetting)")
            for _ in range(2):
                page.get_by_role("button", name="Approve").click()
                expect(page.locator(".messages")).to_contain_text("Approved.")
            steps = page.locator(".mou-route tbody tr")
            expect(steps).to_have_count(4)
            for row in range(4):
                expect(steps.nth(row).locator(".badge")).to_have_text("Approved")

            # 7. Signatories, signing and sealing.
            for name, title, organisation in (
                ("Muhammad Ali", "Chairman", "Capital Development Authority"),
                ("Wang Fang", "Chief Executive", "Huaxia Cloud Data Co."),
            ):
                form = page.locator("form[action$='/signatories/']")
                form.get_by_label("Name").fill(name)
                form.get_by_label("Title").fill(title)
                form.get_by_label("Organisation").fill(organisation)
                form.get_by_label("Date of signature").fill(time.strftime("%Y-%m-%d"))
                form.get_by_label("Place").fill("Islamabad")
                form.get_by_role("button", name="Record signatory").click()
                expect(page.locator(".messages")).to_contain_text("Signatory recorded.")
            sign_and_seal(page)
            expect(page.locator(".mou-sealed")).to_contain_text("version 2")
            sealed = download_sealed_pdf(page)
            assert sealed.startswith(b"%PDF")

            # 8. Anyone may verify: the copy is accepted, one changed byte is refused.
            page.context.clear_cookies()
            verify_on_the_public_page(page, base_url, "mou.pdf", sealed)
            verdict = page.locator(".verdict")
            expect(verdict.locator("h2")).to_have_text("Valid: an unaltered sealed copy")
            expect(verdict).to_contain_text(MOU_TITLE)
            expect(verdict.locator("dt", has_text="Version").locator("+ dd")).to_have_text("2")
            expect(verdict.locator("dt", has_text="Sealed").locator("+ dd time")).to_have_attribute(
                "datetime", re.compile(r"^\d{4}-\d\d-\d\dT")
            )
            page.screenshot(path=str(ARTIFACTS / "story-verified.png"), full_page=True)
            verify_on_the_public_page(page, base_url, "mou-altered.pdf", _one_byte_changed(sealed))
            expect(verdict.locator("h2")).to_have_text("Not valid")
            expect(verdict).to_contain_text("Altered: this file carries the platform's seal")
            expect(verdict).not_to_contain_text(MOU_TITLE)
        except Exception:
            for name, shown in (("phone", phone), ("desk", desk)):
                shown.screenshot(path=str(ARTIFACTS / f"story-failed-{name}.png"), full_page=True)
            raise
        finally:
            browser.close()
    print(f"the story took {time.monotonic() - started:.1f} s")
