"""Every page renders in English, Chinese and Urdu with the right lang and dir, and error pages too."""

import re

import pytest
from django.urls import reverse

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory.models import Organisation
from silkbridge.zones.models import Zone

pytestmark = pytest.mark.django_db

LANGUAGES = [("en", "en", "ltr"), ("zh-hans", "zh-Hans", "ltr"), ("ur", "ur", "rtl")]


def _public_organisation_key():
    return Organisation.objects.filter(visibility="public").order_by("key").first().key


def _pages():
    organisation = _public_organisation_key()
    zone = Zone.objects.order_by("key").first().key
    return {
        "anonymous": [
            "/",
            "/directory/",
            "/directory/?q=人工智能",
            f"/directory/{organisation}/",
            "/directory/technologies/",
            "/directory/technologies/?sector=ai",
            "/zones/",
            f"/zones/{zone}/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/accounts/verify/resend/",
            "/accounts/password/reset/sent/",
        ],
        "member": ["/accounts/preferences/", "/accounts/tokens/", "/directory/new/", "/datacenters/"],
        "owner": [f"/directory/{organisation}/edit/", f"/directory/{organisation}/members/"],
        "staff": ["/directory/import/", "/admin/"],
    }


def _assert_language(response, lang, direction):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    return html


@pytest.mark.parametrize(("code", "lang", "direction"), LANGUAGES)
def test_every_page_renders_in_each_language(client, code, lang, direction):
    pages = _pages()
    client.cookies["django_language"] = code
    for path in pages["anonymous"]:
        _assert_language(client.get(path), lang, direction)
    user = UserFactory(language=code)
    MembershipFactory(user=user, organisation=Organisation.objects.get(key=_public_organisation_key()))
    client.force_login(user)
    for path in pages["member"] + pages["owner"]:
        _assert_language(client.get(path), lang, direction)
    client.force_login(StaffFactory(language=code))
    _assert_language(client.get(pages["staff"][0]), lang, direction)


def test_the_interface_is_actually_translated(client):
    english = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/directory/").content.decode()
    client.cookies["django_language"] = "ur"
    urdu = client.get("/directory/").content.decode()
    title = re.compile(r"<title>(.*?)</title>", re.S)
    titles = {title.search(html).group(1).strip() for html in (english, chinese, urdu)}
    assert len(titles) == 3
    assert re.search(r"[\u4e00-\u9fff]", title.search(chinese).group(1))
    assert re.search(r"[\u0600-\u06ff]", title.search(urdu).group(1))


def test_every_page_has_the_language_switcher(client):
    html = client.get("/zones/").content.decode()
    for code in ("en", "zh-hans", "ur"):
        assert f'name="language" value="{code}"' in html


def test_accept_language_header_chooses_the_language_for_a_first_visit(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ur-PK,ur;q=0.9").content.decode()
    assert 'dir="rtl"' in html


@pytest.mark.parametrize(("code", "lang", "direction"), LANGUAGES)
def test_not_found_page_in_each_language(client, code, lang, direction):
    client.cookies["django_language"] = code
    response = client.get("/directory/no-such-organisation/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'lang="{lang}" dir="{direction}"' in html
    assert "Traceback" not in html


def test_forbidden_page_for_a_non_owner(client):
    client.force_login(UserFactory())
    response = client.get(f"/directory/{_public_organisation_key()}/edit/")
    assert response.status_code == 403
    assert "<html" in response.content.decode()


def test_server_error_page_shows_no_stack_trace(client, settings):
    from silkbridge.site.views import error_500

    settings.DEBUG = False
    request = client.get("/").wsgi_request
    response = error_500(request)
    assert response.status_code == 500
    assert b"Traceback" not in response.content


def test_language_switch_refuses_to_redirect_off_site(client):
    response = client.post(reverse("core:language_switch"), {"language": "ur", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "ur"


def test_home_page_shows_live_figures(client):
    html = client.get("/").content.decode()
    count = Organisation.objects.filter(visibility="public").count()
    assert f">{count}<" in html
