"""Translations of profiles end to end: a local server speaking the LibreTranslate API, a profile saved
through the services, the translation made by the background task after commit, and the page and API
that a reader in another language reads."""

from __future__ import annotations

import json

import pytest

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory
from silkbridge.core.models import Run, RunStatus
from silkbridge.marketplace import services
from silkbridge.marketplace.tests.factories import CROP_REQUEST_UR, member, published
from silkbridge.translations.models import Translation
from silkbridge.translations.tests.servers import LibreTranslateHandler, closed_port_url, serving

pytestmark = pytest.mark.django_db

TITLE_UR = CROP_REQUEST_UR["title"]
TITLE_IN_ZH = f"[zh] {TITLE_UR}"  # what the test server answers


@pytest.fixture
def server(settings):
    with serving(LibreTranslateHandler) as running:
        settings.MT_BACKEND = "libretranslate"
        settings.MT_URL = running.url
        settings.MT_API_KEY = ""
        settings.MT_TIMEOUT_SECONDS = 5
        settings.MT_RETRY_SECONDS = (0, 0)
        yield running


def _publish(capture, **fields):
    with capture(execute=True):
        return published(country="PK", refresh=False, **{**CROP_REQUEST_UR, **fields})


def _text(response):
    """What a response says, with JSON's escaped characters read back (so that a search finds them)."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _page(client, pk, language="zh-hans", query=""):
    return client.get(f"/marketplace/{pk}/{query}", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_saved_profile_is_translated_after_commit_and_shown_labelled(
    client, server, django_capture_on_commit_callbacks
):
    opportunity = _publish(django_capture_on_commit_callbacks)

    asked = {(request["body"]["source"], request["body"]["target"]) for request in server.requests}
    assert asked == {("ur", "en"), ("ur", "zh")}
    stored = Translation.objects.get(object_id=opportunity.pk, field="title", language="zh")
    assert (stored.text, stored.source, stored.backend) == (TITLE_IN_ZH, "machine", "libretranslate")
    body = _page(client, opportunity.pk)
    assert TITLE_IN_ZH in body
    assert "机器翻译" in body  # "Machine translation", in the reader's language
    assert f'href="/marketplace/{opportunity.pk}/?original=1"' in body
    english = _page(client, opportunity.pk, language="en")
    assert f"[en] {TITLE_UR}" in english
    assert "Machine translation" in english


def test_the_reader_toggles_to_the_original_and_back(client, server, django_capture_on_commit_callbacks):
    opportunity = _publish(django_capture_on_commit_callbacks)

    original = _page(client, opportunity.pk, language="en", query="?original=1")
    assert f"[en] {TITLE_UR}" not in original
    assert TITLE_UR in original
    assert "Shown as written, in Urdu." in original
    assert f'href="/marketplace/{opportunity.pk}/">Show the translation into English' in original


def test_a_failing_server_is_retried_and_saving_still_works(client, server, django_capture_on_commit_callbacks):
    server.mode = "fail"
    opportunity = _publish(django_capture_on_commit_callbacks)

    assert opportunity.status == "published"
    jobs = 2 * 2  # title and description into English and Chinese (no summary)
    assert len(server.requests) == jobs * 3  # one try and two retries each
    assert not Translation.objects.filter(object_id=opportunity.pk).exists()
    failed = Run.objects.filter(kind="translations.machine", status=RunStatus.FAILED)
    assert failed.count() == jobs
    body = _page(client, opportunity.pk, language="en")
    assert TITLE_UR in body
    assert "The free text below is in Urdu, the language its author wrote in." in body


def test_an_unreachable_server_does_not_stop_the_save(client, settings, django_capture_on_commit_callbacks):
    settings.MT_BACKEND, settings.MT_URL, settings.MT_RETRY_SECONDS = "libretranslate", closed_port_url(), (0,)
    settings.MT_TIMEOUT_SECONDS = 2
    opportunity = _publish(django_capture_on_commit_callbacks)

    assert opportunity.status == "published"
    assert Run.objects.filter(kind="translations.machine", status=RunStatus.FAILED).count() == 4
    assert TITLE_UR in _page(client, opportunity.pk, language="en")


def test_a_changed_text_does_not_show_the_old_translation(client, server, django_capture_on_commit_callbacks):
    opportunity = _publish(django_capture_on_commit_callbacks)
    server.mode = "fail"  # the new title cannot be translated yet
    new_title = "گندم کی بیماریوں کی نشاندہی"
    with django_capture_on_commit_callbacks(execute=True):
        services.opportunity_update(actor=StaffFactory(), opportunity=opportunity, fields={"title": new_title})

    body = _page(client, opportunity.pk)
    assert TITLE_IN_ZH not in body
    assert new_title in body
    assert f"[zh] {CROP_REQUEST_UR['description']}" in body  # the unchanged description keeps its translation


def test_the_authors_translation_beats_the_machine(client, server, django_capture_on_commit_callbacks):
    own = "用手机照片识别作物病害"
    opportunity = _publish(django_capture_on_commit_callbacks, translations={"zh": {"title": own}})

    assert ("ur", "zh") not in {
        (request["body"]["source"], request["body"]["target"])
        for request in server.requests
        if request["body"]["q"] == TITLE_UR
    }
    body = _page(client, opportunity.pk)
    assert own in body
    assert TITLE_IN_ZH not in body
    assert "作者自译" in body  # "Translated by the author"


def test_with_no_backend_the_page_names_the_authors_language(client, settings, django_capture_on_commit_callbacks):
    settings.MT_BACKEND = "none"
    opportunity = _publish(django_capture_on_commit_callbacks, target_countries=["CN"])

    assert not Translation.objects.exists()
    body = _page(client, opportunity.pk, language="en")
    assert "The free text below is in Urdu, the language its author wrote in." in body
    assert "China" in body  # the structured facts in the reader's language, not codes
    assert "机器翻译" not in _page(client, opportunity.pk)
    assert "中国" in _page(client, opportunity.pk)


def test_a_private_profiles_translation_never_leaks(client, server, django_capture_on_commit_callbacks):
    own = "私人的标题"
    opportunity = _publish(
        django_capture_on_commit_callbacks, visibility="private", translations={"zh": {"title": own}}
    )
    assert Translation.objects.filter(object_id=opportunity.pk).count() > 0

    outsider, _organisation = member(country="CN", language="zh-hans")
    for signed_in in (None, outsider):
        if signed_in:
            client.login(email=signed_in.email, password=PASSWORD)
        assert client.get(f"/marketplace/{opportunity.pk}/").status_code == 404
        assert client.get(f"/marketplace/{opportunity.pk}/?original=1").status_code == 404
        assert client.get(f"/api/v1/opportunities/{opportunity.pk}?lang=zh").status_code == 404
        for url in (
            "/marketplace/",
            "/api/v1/opportunities",
            f"/api/v1/opportunities?q={own}",
            "/api/v1/opportunities?q=作物",
        ):
            body = _text(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
            for secret in (own, TITLE_IN_ZH, TITLE_UR):
                assert secret not in body, url

    client.login(email=StaffFactory().email, password=PASSWORD)
    assert own in _text(client.get(f"/api/v1/opportunities/{opportunity.pk}?lang=zh"))


def test_the_api_gives_the_translation_in_the_readers_language(client, server, django_capture_on_commit_callbacks):
    opportunity = _publish(
        django_capture_on_commit_callbacks, translations={"en": {"summary": "Crop disease from phone photos."}}
    )

    by_param = client.get(f"/api/v1/opportunities/{opportunity.pk}?lang=en").json()
    assert by_param["translation"]["language"] == "en"
    assert by_param["translation"]["title"] == {
        "text": f"[en] {TITLE_UR}",
        "source": "machine",
        "backend": "libretranslate",
    }
    assert by_param["translation"]["summary"] == {
        "text": "Crop disease from phone photos.",
        "source": "author",
        "backend": "",
    }
    by_header = client.get(f"/api/v1/opportunities/{opportunity.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert by_header["translation"]["title"]["text"] == TITLE_IN_ZH
    assert client.get(f"/api/v1/opportunities/{opportunity.pk}?lang=ur").json()["translation"] is None


def test_the_author_writes_translations_through_the_api_and_bad_ones_are_refused(client, settings):
    settings.MT_BACKEND = "none"
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    created = client.post(
        "/api/v1/opportunities",
        {"organisation": organisation.key, **CROP_REQUEST_UR, "translations": {"en": {"summary": "Crop disease."}}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.get(f"/api/v1/opportunities/{pk}?lang=en").json()["translation"]["summary"]["text"] == "Crop disease."

    refused = client.patch(
        f"/api/v1/opportunities/{pk}",
        {"title": "changed", "translations": {"ur": {"title": "اردو"}}},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "translations" in refused.content.decode()
    assert Translation.objects.filter(object_id=pk).count() == 1


def test_the_form_invites_an_english_summary_without_requiring_it(client, settings, django_capture_on_commit_callbacks):
    settings.MT_BACKEND = "none"
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    form = client.get("/marketplace/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enterprise Europe Network asks for an English summary" in form
    data = {
        "organisation": organisation.pk,
        "kind": CROP_REQUEST_UR["kind"],
        "title": TITLE_UR,
        "description": CROP_REQUEST_UR["description"],
        "visibility": "public",
        "action": "draft",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/marketplace/new/", {**data, "summary_en": "Crop disease from phone photos."})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Translation.objects.get()
    assert (row.language, row.field, row.text, row.source) == (
        "en",
        "summary",
        "Crop disease from phone photos.",
        "author",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/marketplace/new/", {**data, "title": "Another"}).status_code == 302  # no summary: fine


def test_staff_reviewing_a_profile_see_the_authors_own_translations(client, settings):
    """An owner's edit of a published profile goes back to review so that no unreviewed text is shown; the
    author's own translation replaces the title for every reader of its language, so the reviewer, who
    reads in another language, must see it on the review page to approve it."""
    settings.MT_BACKEND = "none"
    user, organisation = member()
    opportunity = published(organisation, user, **CROP_REQUEST_UR)
    planted = "任何人都不应未经审核就看到的标题"
    services.opportunity_update(
        actor=user, opportunity=opportunity, fields={"translations": {"zh": {"title": planted}}}
    )
    opportunity.refresh_from_db()
    assert opportunity.status == "under_review"
    staff = StaffFactory()
    client.login(email=staff.email, password=PASSWORD)
    page = client.get(f"/marketplace/{opportunity.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staff review" in page
    assert planted in page
    # Someone who may not review (the public, once published) reads it only as the translation it is.
    client.logout()
    assert planted not in client.get(f"/marketplace/{opportunity.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
