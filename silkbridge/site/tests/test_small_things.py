"""Issue 13, item 6: small things users see."""

from __future__ import annotations

import gettext
import io
import re
from html import unescape
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.management import call_command
from django.test import Client

from silkbridge.accounts.models import ApiToken
from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.marketplace.services import interest_express
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, member, published

pytestmark = pytest.mark.django_db

API_NOT_FOUND = {
    "code": "not_found",
    "message": "There is no such API address: the API's paths are listed at /api/v1/docs.",
    "errors": [],
}


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/no-such-thing", "/api/v1/organisations/1/no/such/path"])
def test_an_unknown_api_path_answers_a_json_404_in_the_api_error_format(client: Client, path: str):
    response = client.get(path, HTTP_AUTHORIZATION="Bearer sb_whatever")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == API_NOT_FOUND


def test_an_unknown_api_path_answers_in_the_callers_language(client: Client):
    response = client.post("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert response.json()["message"] == "没有这个 API 地址：API 的路径列在 /api/v1/docs。"


def test_an_unknown_page_outside_the_api_is_still_the_html_page(client: Client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def _visible_text(html: str) -> str:
    """The page's text as a browser shows it: tags dropped, character references decoded."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_the_token_page_shows_the_authorization_header_literally_with_the_new_token():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.get("/accounts/tokens/")
    assert "Authorization: Bearer <token>" in _visible_text(page.content.decode())

    response = client.post("/accounts/tokens/", {"name": "CRM sync", "days_valid": ""})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user, name="CRM sync")
    text = _visible_text(response.content.decode())
    secret = re.search(r"Authorization: Bearer (sb_\S+)", text)
    assert secret is not None, text
    assert secret.group(1).startswith(token.prefix)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret.group(1)}").status_code == 200


EMAIL_TEXT_TEMPLATES = sorted(
    path for path in (Path(__file__).resolve().parents[2]).glob("*/templates/*/**/email/*.txt")
)


def test_a_plain_text_email_carries_names_and_messages_as_typed_not_html_escaped(django_capture_on_commit_callbacks):
    owner, owner_organisation = member()
    offer = published(owner_organisation, owner, **XRAY_OFFER_ZH)
    sender, sender_organisation = member(name_en="R&D <Labs>")
    with django_capture_on_commit_callbacks(execute=True):
        interest_express(
            actor=sender,
            organisation=sender_organisation,
            opportunity=offer,
            message='We\'d like a "pilot" at 2 sites & more <soon>.',
        )
    (email,) = mail.outbox
    assert email.subject == "R&D <Labs> is interested in your profile"
    assert 'We\'d like a "pilot" at 2 sites & more <soon>.' in email.body
    assert "&amp;" not in email.body + email.subject
    assert "&lt;" not in email.body + email.subject
    assert "&#x27;" not in email.body


def test_every_plain_text_email_template_turns_html_escaping_off():
    assert len(EMAIL_TEXT_TEMPLATES) >= 20
    escaping = [
        str(path) for path in EMAIL_TEXT_TEMPLATES if "{% autoescape off %}" not in path.read_text(encoding="utf-8")
    ]
    assert escaping == []


def _staff_login(*arguments: str) -> str:
    out = io.StringIO()
    call_command("demo", "staff-login", *arguments, stdout=out)
    return out.getvalue()


def test_demo_staff_login_shows_the_demo_staff_sign_in_again_and_reset_changes_it(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    shown = _staff_login()
    password = (tmp_path / "demo-staff-password.txt").read_text().strip()
    assert "staff@silkbridge.example" in shown
    assert f"password: {password}" in shown
    assert Client().login(email="staff@silkbridge.example", password=password)
    assert _staff_login() == shown  # shown again, unchanged

    reset = _staff_login("--reset")
    new_password = (tmp_path / "demo-staff-password.txt").read_text().strip()
    assert new_password != password
    assert f"password: {new_password}" in reset
    assert not Client().login(email="staff@silkbridge.example", password=password)
    assert Client().login(email="staff@silkbridge.example", password=new_password)


def test_pages_link_our_favicon_and_favicon_ico_leads_to_it(client: Client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/silkbridge/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/silkbridge/favicon.svg"
    icon = finders.find("silkbridge/favicon.svg")
    assert icon is not None
    root = ElementTree.parse(icon).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"


# A doubled full stop in any of the three scripts, but not an ellipsis ("...") nor a date range
# written as "2025-05-10 .. 2025-05-12" (the syntax the event filters accept).
DOUBLED_STOP = re.compile(r"(?<![.\s])\.\.(?!\.)|(?<=\S)\.\.(?=\s|$)(?<!\.\.\.)|。。|۔۔|[.。۔][。۔]|[。۔]\.")
# A translated sentence that ends in a full stop, followed in the template by another one.
STOP_AFTER_TRANSLATION = re.compile(r"""[.。۔]["']\s*%\}[.。۔]|[.。۔]\{%\s*endblocktranslate\s*%\}[.。۔]""")
PACKAGE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", ["zh_Hans", "ur"])
def test_no_translated_string_has_a_doubled_full_stop(language: str):
    catalogue = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.mo"
    with catalogue.open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    doubled = [
        (source, translated)
        for key, translated in messages.items()
        for source in [key if isinstance(key, str) else key[0]]
        if DOUBLED_STOP.search(source) or DOUBLED_STOP.search(translated)
    ]
    assert len(messages) > 1000
    assert doubled == []


def test_no_template_puts_a_full_stop_after_a_translated_sentence_that_has_one():
    templates = [path for path in PACKAGE.glob("**/templates/**/*") if path.suffix in {".html", ".txt"}]
    doubled = [str(path) for path in templates if STOP_AFTER_TRANSLATION.search(path.read_text(encoding="utf-8"))]
    assert len(templates) > 100
    assert doubled == []


def test_the_doubled_stop_check_tells_an_ellipsis_and_a_range_from_a_mistake():
    assert DOUBLED_STOP.search("Saved..")
    assert DOUBLED_STOP.search("已保存。。")
    assert DOUBLED_STOP.search("محفوظ ہو گیا۔۔")
    assert DOUBLED_STOP.search("已保存。.")
    assert not DOUBLED_STOP.search("Loading...")
    assert not DOUBLED_STOP.search("e.g. 2025-05-10 .. 2025-05-12.")


@pytest.mark.parametrize(
    ("language", "lang", "direction", "header", "skip_link"),
    [
        ("en", "en", "ltr", "Silkbridge administration", "Skip to main content"),
        ("zh-hans", "zh-hans", "ltr", "Silkbridge 管理后台", "跳到主要内容"),
        # Django's Urdu catalogue lacks the skip link: silkbridge/locale_admin supplies it.
        ("ur", "ur", "rtl", "Silkbridge انتظامیہ", "اصل مواد پر جائیں"),
    ],
)
def test_the_admin_is_branded_and_in_the_readers_language_with_the_urdu_font(
    client: Client, language: str, lang: str, direction: str, header: str, skip_link: str
):
    staff = StaffFactory()
    client.force_login(staff)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{lang}" dir="{direction}"' in page
    assert f'<div id="site-name"><a href="/admin/">{header}</a></div>' in page
    assert f"<title>{unescape(header)}" not in page  # the page's own title first, then the site's
    assert f"| {header}</title>" in page
    assert skip_link in page
    assert "Django administration" not in page
    assert "/static/silkbridge/admin.css" in page
    assert "/static/silkbridge/favicon.svg" in page
    if finders.find("vendor/fontsource/noto-nastaliq-urdu/arabic-400.css"):
        assert "vendor/fontsource/noto-nastaliq-urdu/arabic-400.css" in page
    login = Client().get("/admin/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert header in login
    assert "Django site admin" not in login
