"""The conversation API with a personal token: the same readers and writers as the page, 401 without a
token, 404 for anyone else, 403 for staff who write, 422 for a bad body (nothing stored)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core import mail

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.conversations.models import Message
from silkbridge.conversations.selectors import conversation_for_interest
from silkbridge.conversations.services import message_post
from silkbridge.conversations.tests.factories import PDF_BYTES, accepted_interest, meeting_between, upload
from silkbridge.deals.tests.pipeline.factories import member
from silkbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def bearer(user) -> dict[str, str]:
    _token, secret = api_token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client, url: str, body: dict, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_side_posts_and_both_read_the_messages_in_order(client, django_capture_on_commit_callbacks):
    interest, sender, owner = accepted_interest()
    url = f"/api/v1/conversations/interests/{interest.pk}/messages"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        created = post_json(client, url, {"body": "Could we see the licence terms?"}, **bearer(sender))
    assert created.status_code == 201
    assert created.json()["organisation_key"] == interest.organisation.key
    assert created.json()["language"] == "en"
    post_json(client, url, {"body": "Yes, next week."}, **bearer(owner))

    listed = client.get(url, **bearer(owner))
    assert listed.status_code == 200
    assert [item["body"] for item in listed.json()["items"]] == ["Could we see the licence terms?", "Yes, next week."]
    assert [email.to[0] for email in mail.outbox] == [owner.email]
    assert Notification.objects.filter(recipient=owner, kind="message").count() == 1


def test_attachments_are_listed_with_a_download_that_checks_the_reader(client):
    interest, sender, owner = accepted_interest()
    conversation = conversation_for_interest(viewer=sender, interest_id=interest.pk)
    message_post(actor=sender, conversation=conversation, body="The brochure.", uploads=[upload("b.pdf", PDF_BYTES)])
    listed = client.get(f"/api/v1/conversations/interests/{interest.pk}/messages", **bearer(owner)).json()
    (attachment,) = listed["items"][0]["attachments"]
    assert (attachment["name"], attachment["content_type"], attachment["size"]) == (
        "b.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    download = client.get(attachment["url"], **bearer(owner))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    outsider, _organisation = member()
    assert client.get(attachment["url"], **bearer(outsider)).status_code == 404
    assert client.get(attachment["url"]).status_code == 401


def test_refusals_401_404_403_422_and_nothing_stored(client):
    interest, sender, _owner = accepted_interest()
    pending, pending_sender, _pending_owner = accepted_interest(status="pending")
    url = f"/api/v1/conversations/interests/{interest.pk}/messages"
    outsider, _organisation = member()
    assert client.get(url).status_code == 401
    assert post_json(client, url, {"body": "Hello"}).status_code == 401
    assert client.get(url, **bearer(outsider)).status_code == 404
    assert post_json(client, url, {"body": "Hello"}, **bearer(outsider)).status_code == 404
    pending_url = f"/api/v1/conversations/interests/{pending.pk}/messages"
    assert post_json(client, pending_url, {"body": "Hello"}, **bearer(pending_sender)).status_code == 404
    staff = StaffFactory()
    assert client.get(url, **bearer(staff)).status_code == 200
    refused = post_json(client, url, {"body": "Staff here"}, **bearer(staff))
    assert refused.status_code == 403
    too_long = post_json(client, url, {"body": "x" * 5001}, **bearer(sender))
    assert too_long.status_code == 422
    assert "body" in json.dumps(too_long.json())
    blank = post_json(client, url, {"body": "   "}, **bearer(sender))
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "body.body"  # the request body's "body" field
    assert Message.objects.count() == 0


def test_a_meeting_thread_through_the_api(client):
    meeting, requester_user, recipient_user = meeting_between()
    url = f"/api/v1/conversations/meetings/{meeting.pk}/messages"
    assert post_json(client, url, {"body": "Table 4?"}, **bearer(requester_user)).status_code == 201
    items = client.get(url, **bearer(recipient_user)).json()["items"]
    assert [(item["body"], item["organisation_key"]) for item in items] == [
        ("Table 4?", meeting.request.requester.organisation.key)
    ]
    outsider, _organisation = member()
    assert client.get(url, **bearer(outsider)).status_code == 404
