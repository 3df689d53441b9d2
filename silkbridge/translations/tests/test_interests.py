"""An expression of interest's message read across languages: machine translated after it is sent, the
sender's own translation through the API winning, and only its two organisations and staff reading it."""

from __future__ import annotations

import pytest

from silkbridge.accounts.tests.factories import PASSWORD
from silkbridge.marketplace import services
from silkbridge.marketplace.tests.factories import CROP_REQUEST_UR, member, published
from silkbridge.translations.models import Translation
from silkbridge.translations.tests.servers import LibreTranslateHandler, serving

pytestmark = pytest.mark.django_db

MESSAGE_ZH = "我们的作物病害识别系统已在新疆棉田使用三年，希望与贵方合作。"


@pytest.fixture
def server(settings):
    with serving(LibreTranslateHandler) as running:
        settings.MT_BACKEND, settings.MT_URL, settings.MT_API_KEY = "libretranslate", running.url, ""
        settings.MT_TIMEOUT_SECONDS, settings.MT_RETRY_SECONDS = 5, (0,)
        yield running


def test_the_owner_reads_the_message_in_their_language_and_toggles(client, server, django_capture_on_commit_callbacks):
    owner, owner_organisation = member()
    with django_capture_on_commit_callbacks(execute=True):
        profile = published(owner_organisation, owner, refresh=False, **CROP_REQUEST_UR)
    sender, sender_organisation = member(country="CN", language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_express(
            actor=sender, organisation=sender_organisation, opportunity=profile, message=MESSAGE_ZH
        )

    assert Translation.objects.get(object_id=interest.pk, field="message", language="en").text == f"[en] {MESSAGE_ZH}"
    client.login(email=owner.email, password=PASSWORD)
    page = client.get(f"/marketplace/interests/{interest.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"[en] {MESSAGE_ZH}" in page
    assert "Machine translation" in page
    original = client.get(f"/marketplace/interests/{interest.pk}/?original=1", HTTP_ACCEPT_LANGUAGE="en")
    assert f"[en] {MESSAGE_ZH}" not in original.content.decode()
    assert "Shown as written, in Chinese." in original.content.decode()

    outsider, _organisation = member()
    client.login(email=outsider.email, password=PASSWORD)
    assert client.get(f"/marketplace/interests/{interest.pk}/").status_code == 404


def test_the_senders_own_translation_through_the_api_wins(client, server, django_capture_on_commit_callbacks):
    owner, owner_organisation = member()
    with django_capture_on_commit_callbacks(execute=True):
        profile = published(owner_organisation, owner, refresh=False, **CROP_REQUEST_UR)
    sender, sender_organisation = member(country="CN", language="zh-hans")
    client.login(email=sender.email, password=PASSWORD)
    own = "Our crop disease system has run in Xinjiang cotton fields for three years."
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"/api/v1/opportunities/{profile.pk}/interests",
            {"organisation": sender_organisation.key, "message": MESSAGE_ZH, "translations": {"en": {"message": own}}},
            content_type="application/json",
        )
    assert sent.status_code == 201, sent.content
    client.login(email=owner.email, password=PASSWORD)
    page = client.get(f"/marketplace/interests/{sent.json()['id']}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert own in page
    assert "Translated by the author" in page
    assert f"[en] {MESSAGE_ZH}" not in page
