"""Faults an outside review found in conversations."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from silkbridge.conversations.models import Attachment
from silkbridge.conversations.tests.factories import PDF_BYTES, accepted_interest, meeting_between, upload
from silkbridge.events.services import meeting_cancel
from silkbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def interest_url(interest) -> str:
    return reverse("conversations:interest_thread", kwargs={"interest_id": interest.pk})


def test_a_side_that_may_no_longer_read_the_thread_is_not_told_its_messages(client, django_capture_on_commit_callbacks):
    """The owner made its profile private: the interested side no longer sees the thread (nor the owner's
    name), so a message the owner still writes must not reach it by e-mail or in-app."""
    interest, sender, owner = accepted_interest()
    opportunity = interest.opportunity
    opportunity.visibility = "private"
    opportunity.save(update_fields=["visibility"])
    client.force_login(sender)
    assert client.get(interest_url(interest)).status_code == 404
    mail.outbox.clear()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(interest_url(interest), {"body": "Our confidential price is 40,000 USD."})
    assert answer.status_code == 302
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=sender).exists()


def test_a_cancelled_meetings_files_leave_the_storage_with_its_thread(
    client, media, django_capture_on_commit_callbacks
):
    """Cancelling a meeting deletes it, and its thread with it: the attachments' rows went, and their files
    stayed in the storage for good, a shared document no one could reach or remove, until events told
    conversations (its `meetings_deleting` hook) before the rows went."""
    meeting, requester_user, _recipient_user = meeting_between()
    client.force_login(requester_user)
    url = reverse("conversations:meeting_thread", kwargs={"meeting_id": meeting.pk})
    client.post(url, {"body": "Our price list.", "attachments": [upload("prices.pdf", PDF_BYTES, "application/pdf")]})
    assert [path for path in media.rglob("*") if path.is_file()]
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=requester_user, meeting=meeting)
    assert not Attachment.objects.exists()
    assert [path for path in media.rglob("*") if path.is_file()] == []
