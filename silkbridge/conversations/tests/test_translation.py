"""A message read across languages: machine translated in the background after it is posted (through
the test server that speaks LibreTranslate's API), shown with its label, and toggled to the original."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silkbridge.conversations.models import Message
from silkbridge.conversations.tests.factories import accepted_interest
from silkbridge.translations.models import Translation
from silkbridge.translations.tests.servers import LibreTranslateHandler, serving

pytestmark = pytest.mark.django_db

MESSAGE_ZH = "我们下周可以在杭州演示系统，请告诉我们合适的时间。"


@pytest.fixture
def server(settings):
    with serving(LibreTranslateHandler) as running:
        settings.MT_BACKEND, settings.MT_URL, settings.MT_API_KEY = "libretranslate", running.url, ""
        settings.MT_TIMEOUT_SECONDS, settings.MT_RETRY_SECONDS = 5, (0,)
        yield running


def test_the_other_side_reads_a_message_in_its_language_and_toggles(client, server, django_capture_on_commit_callbacks):
    interest, sender, owner = accepted_interest()  # the owner's organisation is Chinese, the sender's Pakistani
    url = reverse("conversations:interest_thread", kwargs={"interest_id": interest.pk})
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"body": MESSAGE_ZH}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    message = Message.objects.get()
    assert message.language == "zh"
    assert Translation.objects.get(object_id=message.pk, field="body", language="en").text == f"[en] {MESSAGE_ZH}"

    client.force_login(sender)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"[en] {MESSAGE_ZH}" in page
    assert "Machine translation" in page
    assert f'href="{url}?original=1#message-{message.pk}"' in page
    original = client.get(f"{url}?original=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"[en] {MESSAGE_ZH}" not in original
    assert MESSAGE_ZH in original
    assert "Show the translation into English" in original

    listed = client.get(f"/api/v1/conversations/interests/{interest.pk}/messages", HTTP_ACCEPT_LANGUAGE="en").json()
    (item,) = listed["items"]
    assert item["body"] == MESSAGE_ZH
    assert item["translation"] == {
        "language": "en",
        "text": f"[en] {MESSAGE_ZH}",
        "source": "machine",
        "backend": "libretranslate",
    }
    in_urdu = client.get(f"/api/v1/conversations/interests/{interest.pk}/messages", {"lang": "ur"}).json()
    assert in_urdu["items"][0]["translation"]["text"] == f"[ur] {MESSAGE_ZH}"

    client.force_login(owner)  # the author reads it as written, in its own language
    own = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert MESSAGE_ZH in own
    assert "[zh]" not in own
    mine = client.get(f"/api/v1/conversations/interests/{interest.pk}/messages", {"lang": "zh"}).json()
    assert mine["items"][0]["translation"] is None


def test_without_a_backend_the_message_is_shown_as_written(client, settings):
    settings.MT_BACKEND = "none"
    interest, sender, owner = accepted_interest()
    url = reverse("conversations:interest_thread", kwargs={"interest_id": interest.pk})
    client.force_login(owner)
    client.post(url, {"body": MESSAGE_ZH})
    assert Translation.objects.count() == 0
    client.force_login(sender)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert MESSAGE_ZH in page
    assert "Machine translation" not in page
