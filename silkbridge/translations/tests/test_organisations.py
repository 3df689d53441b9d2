"""An organisation's description read across languages: machine translation after an owner's save,
the owner's own translation through the API, and the organisation's visibility guarding both."""

from __future__ import annotations

import json

import pytest

from silkbridge.accounts.tests.factories import PASSWORD
from silkbridge.directory import services
from silkbridge.marketplace.tests.factories import member
from silkbridge.translations.models import Translation
from silkbridge.translations.tests.servers import LibreTranslateHandler, serving

pytestmark = pytest.mark.django_db

DESCRIPTION_UR = "ہم لاہور میں زرعی ٹیکنالوجی کی ایک کمپنی ہیں جو کسانوں کے لیے موبائل ایپ بناتی ہے۔"


@pytest.fixture
def server(settings):
    with serving(LibreTranslateHandler) as running:
        settings.MT_BACKEND, settings.MT_URL, settings.MT_API_KEY = "libretranslate", running.url, ""
        settings.MT_TIMEOUT_SECONDS, settings.MT_RETRY_SECONDS = 5, (0,)
        yield running


def _describe(capture, owner, organisation, **fields):
    with capture(execute=True):
        return services.organisation_update(
            actor=owner, organisation=organisation, fields={"language": "ur", "description": DESCRIPTION_UR, **fields}
        )


def test_an_owners_description_is_machine_translated_and_toggles(client, server, django_capture_on_commit_callbacks):
    owner, organisation = member()
    _describe(django_capture_on_commit_callbacks, owner, organisation)

    assert {request["body"]["target"] for request in server.requests} == {"en", "zh"}
    page = client.get(f"/directory/{organisation.key}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"[zh] {DESCRIPTION_UR}" in page
    assert "机器翻译" in page
    original = client.get(f"/directory/{organisation.key}/?original=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"[en] {DESCRIPTION_UR}" not in original
    assert DESCRIPTION_UR in original


def test_the_owners_own_translation_through_the_api_wins(client, server, django_capture_on_commit_callbacks):
    owner, organisation = member()
    _describe(django_capture_on_commit_callbacks, owner, organisation)
    client.login(email=owner.email, password=PASSWORD)
    own = "We are an agri-tech company in Lahore that builds a mobile app for farmers."
    answer = client.patch(
        f"/api/v1/organisations/{organisation.key}",
        {"translations": {"en": {"description": own}}},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    read = client.get(f"/api/v1/organisations/{organisation.key}?lang=en").json()
    assert read["translation"]["description"] == {"text": own, "source": "author", "backend": ""}
    page = client.get(f"/directory/{organisation.key}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert own in page
    assert "Translated by the author" in page


def test_a_private_organisations_translation_never_leaks(client, server, django_capture_on_commit_callbacks):
    owner, organisation = member()
    _describe(django_capture_on_commit_callbacks, owner, organisation, visibility="private")
    assert Translation.objects.filter(object_id=organisation.pk, language="zh").exists()

    outsider, _other = member(country="CN", language="zh-hans")
    client.login(email=outsider.email, password=PASSWORD)
    assert client.get(f"/directory/{organisation.key}/").status_code == 404
    assert client.get(f"/api/v1/organisations/{organisation.key}?lang=zh").status_code == 404
    for url in ("/directory/", "/api/v1/organisations", "/api/v1/organisations?q=[zh]"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        body = (
            json.dumps(response.json(), ensure_ascii=False)
            if response["Content-Type"].startswith("application/json")
            else response.content.decode()
        )
        assert DESCRIPTION_UR not in body, url


def test_the_owner_writes_translations_on_the_organisation_form(client, settings, django_capture_on_commit_callbacks):
    settings.MT_BACKEND = "none"
    owner, organisation = member()
    client.login(email=owner.email, password=PASSWORD)
    form = client.get(f"/directory/{organisation.key}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Description in Chinese" in form
    data = {
        "kind": "company",
        "name_en": organisation.name_en,
        "language": "ur",
        "country": "PK",
        "description": DESCRIPTION_UR,
        "visibility": "public",
        "description_zh": "我们是拉合尔的一家农业科技公司。",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/directory/{organisation.key}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()  # a reader of Chinese (the owner's own pages are in the owner's language)
    page = client.get(f"/directory/{organisation.key}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "我们是拉合尔的一家农业科技公司。" in page
    assert "作者自译" in page
    client.login(email=owner.email, password=PASSWORD)
    again = client.get(f"/directory/{organisation.key}/edit/").content.decode()
    assert "我们是拉合尔的一家农业科技公司。" in again  # the form shows it to edit
