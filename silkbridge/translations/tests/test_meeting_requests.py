"""A meeting request's message read across languages on the recipient's list of requests: machine
translated after it is sent, labelled, with a switch to the original."""

from __future__ import annotations

import pytest

from silkbridge.accounts.tests.factories import PASSWORD
from silkbridge.events import services
from silkbridge.events.tests.factories import EventFactory, register, representative
from silkbridge.translations.tests.servers import LibreTranslateHandler, serving

pytestmark = pytest.mark.django_db

MESSAGE_UR = "ہم آپ کے ساتھ زرعی ڈرون کے مشترکہ منصوبے پر بات کرنا چاہتے ہیں۔"


def test_the_recipient_reads_the_message_in_their_language(client, settings, django_capture_on_commit_callbacks):
    event = EventFactory()
    pk_user, pk_organisation = representative(country="PK")
    cn_user, cn_organisation = representative(country="CN")
    requester = register(event, user=pk_user, organisation=pk_organisation)
    recipient = register(event, user=cn_user, organisation=cn_organisation, time_zone="Asia/Shanghai")
    with serving(LibreTranslateHandler) as server:
        settings.MT_BACKEND, settings.MT_URL, settings.MT_API_KEY = "libretranslate", server.url, ""
        settings.MT_TIMEOUT_SECONDS, settings.MT_RETRY_SECONDS = 5, (0,)
        with django_capture_on_commit_callbacks(execute=True):
            meeting_request = services.request_create(
                actor=pk_user, requester=requester, recipient=recipient, message=MESSAGE_UR
            )
    assert {request["body"]["target"] for request in server.requests} == {"en", "zh"}

    client.login(email=cn_user.email, password=PASSWORD)
    url = f"/events/{event.slug}/requests/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"[zh] {MESSAGE_UR}" in page
    assert "机器翻译" in page
    assert f'href="{url}?original=1#request-{meeting_request.pk}"' in page
    original = client.get(f"{url}?original=1", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"[zh] {MESSAGE_UR}" not in original
    assert MESSAGE_UR in original
