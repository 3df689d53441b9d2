"""The thread of an accepted interest and of a meeting: who reads and writes it, attachments kept and
served only to its readers, bad files refused with nothing written, and the other side told."""

from __future__ import annotations

import html
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.conversations.models import Attachment, Message, Thread
from silkbridge.conversations.services import ATTACHMENT_MAX_BYTES
from silkbridge.conversations.tests.factories import (
    PDF_BYTES,
    accepted_interest,
    docx_bytes,
    meeting_between,
    png_bytes,
    second_member,
    upload,
)
from silkbridge.deals.tests.pipeline.factories import member
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def interest_url(interest) -> str:
    return reverse("conversations:interest_thread", kwargs={"interest_id": interest.pk})


def meeting_url(meeting) -> str:
    return reverse("conversations:meeting_thread", kwargs={"meeting_id": meeting.pk})


def test_both_sides_of_an_accepted_interest_read_and_write_in_order(client, django_capture_on_commit_callbacks):
    interest, sender, owner = accepted_interest()
    client.force_login(sender)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(interest_url(interest), {"body": "Could we see the licence terms?"})
    assert answer.status_code == 302
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(interest_url(interest), {"body": "Attached below, with our price list."})

    page = client.get(interest_url(interest)).content.decode()
    assert page.index("Could we see the licence terms?") < page.index("Attached below, with our price list.")
    assert interest.organisation.name_en in page
    assert interest.opportunity.organisation.name_en in page
    (thread,) = Thread.objects.all()
    assert [(m.author, m.organisation) for m in thread.messages.order_by("created_at", "pk")] == [
        (sender, interest.organisation),
        (owner, interest.opportunity.organisation),
    ]
    assert Message.objects.get(author=sender).language == "en"


def test_the_interest_page_links_to_the_thread_once_accepted(client):
    interest, sender, _owner = accepted_interest()
    client.force_login(sender)
    page = client.get(reverse("marketplace:interest_detail", kwargs={"pk": interest.pk})).content.decode()
    assert f'href="{interest_url(interest)}"' in page

    pending, pending_sender, _pending_owner = accepted_interest(status="pending")
    client.force_login(pending_sender)
    page = client.get(reverse("marketplace:interest_detail", kwargs={"pk": pending.pk})).content.decode()
    assert interest_url(pending) not in page


@pytest.mark.parametrize("status", ["pending", "declined", "withdrawn"])
def test_an_interest_not_accepted_has_no_thread(client, status):
    interest, sender, owner = accepted_interest(status="pending")
    type(interest).objects.filter(pk=interest.pk).update(
        status=status, decline_reason="benefit_unclear" if status == "declined" else ""
    )
    for user in (sender, owner, StaffFactory()):
        client.force_login(user)
        assert client.get(interest_url(interest)).status_code == 404
        assert client.post(interest_url(interest), {"body": "Hello?"}).status_code == 404
    assert Message.objects.count() == 0


def test_outsiders_get_a_404_and_the_signed_out_the_sign_in_page(client):
    interest, sender, _owner = accepted_interest()
    client.force_login(sender)
    client.post(interest_url(interest), {"body": "Only for the two of us."})
    outsider, _organisation = member()
    client.force_login(outsider)
    assert client.get(interest_url(interest)).status_code == 404
    assert client.post(interest_url(interest), {"body": "Let me in"}).status_code == 404
    client.logout()
    answer = client.get(interest_url(interest))
    assert answer.status_code == 302
    assert "/accounts/" in answer["Location"]
    assert list(Message.objects.values_list("body", flat=True)) == ["Only for the two of us."]


def test_staff_read_but_do_not_write(client):
    interest, sender, _owner = accepted_interest()
    client.force_login(sender)
    client.post(interest_url(interest), {"body": "Hello from Lahore."})
    client.force_login(StaffFactory())
    page = client.get(interest_url(interest))
    assert page.status_code == 200
    assert "Hello from Lahore." in page.content.decode()
    assert "only the two organisations write in it" in page.content.decode()
    assert client.post(interest_url(interest), {"body": "Staff here"}).status_code == 403
    assert Message.objects.count() == 1


def test_meeting_thread_for_both_organisations_and_linked_from_the_agenda(client):
    meeting, requester_user, _recipient_user = meeting_between()
    colleague = second_member(meeting.request.recipient.organisation)  # a member, not a representative
    client.force_login(requester_user)
    agenda = client.get(reverse("events:agenda", kwargs={"slug": meeting.event.slug})).content.decode()
    assert f'href="{meeting_url(meeting)}"' in agenda
    client.post(meeting_url(meeting), {"body": "Shall we bring the demo kit?"})
    client.force_login(colleague)
    page = client.get(meeting_url(meeting)).content.decode()
    assert "Shall we bring the demo kit?" in page
    client.post(meeting_url(meeting), {"body": "Yes please."})
    assert Message.objects.get(body="Yes please.").organisation == meeting.request.recipient.organisation
    outsider, _organisation = member()
    client.force_login(outsider)
    assert client.get(meeting_url(meeting)).status_code == 404


def test_the_other_side_is_told_in_app_and_by_email_and_not_the_author(client, django_capture_on_commit_callbacks):
    interest, sender, owner = accepted_interest()
    owner_colleague = second_member(interest.opportunity.organisation)
    sender_colleague = second_member(interest.organisation)
    mail.outbox.clear()
    client.force_login(sender)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(interest_url(interest), {"body": "We can visit Hangzhou in March."})

    told = Notification.objects.filter(kind=NotificationKind.MESSAGE)
    assert {notification.recipient for notification in told} == {owner, owner_colleague}
    assert all(notification.url.endswith(interest_url(interest)) for notification in told)
    assert sorted(email.to[0] for email in mail.outbox) == sorted([owner.email, owner_colleague.email])
    (email, *_rest) = mail.outbox
    assert "We can visit Hangzhou in March." in email.body
    assert interest_url(interest) in email.body
    assert not Notification.objects.filter(recipient__in=[sender, sender_colleague]).filter(kind="message").exists()


def test_an_attachment_is_kept_and_served_only_to_the_threads_readers(client, media):
    interest, sender, owner = accepted_interest()
    client.force_login(sender)
    answer = client.post(
        interest_url(interest),
        {
            "body": "Our brochure and a photo.",
            "attachments": [upload("brochure.pdf", PDF_BYTES), upload("site.png", png_bytes())],
        },
    )
    assert answer.status_code == 302
    pdf, png = Attachment.objects.order_by("pk")
    assert (pdf.name, pdf.content_type, pdf.size) == ("brochure.pdf", "application/pdf", len(PDF_BYTES))
    assert (png.name, png.content_type) == ("site.png", "image/png")
    assert "brochure" not in pdf.file.name  # stored under a random name
    assert len(stored_files(media)) == 2

    client.force_login(owner)
    page = client.get(interest_url(interest)).content.decode()
    download_url = reverse("conversations:attachment", kwargs={"attachment_id": pdf.pk})
    assert download_url in page
    download = client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment;")
    assert "brochure.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"

    outsider, _organisation = member()
    client.force_login(outsider)
    assert client.get(download_url).status_code == 404
    client.logout()
    assert client.get(download_url).status_code == 302
    client.force_login(StaffFactory())
    assert client.get(download_url).status_code == 200


def test_a_file_name_is_cleaned_before_it_is_kept_or_sent_back(client):
    interest, sender, _owner = accepted_interest()
    client.force_login(sender)
    client.post(
        interest_url(interest), {"body": "See the file.", "attachments": [upload('offer "final";v2.pdf', PDF_BYTES)]}
    )
    (attachment,) = Attachment.objects.all()
    assert attachment.name == "offer _final_;v2.pdf"  # no quote left to break the download's header


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("big.pdf", PDF_BYTES + b"0" * ATTACHMENT_MAX_BYTES, "big.pdf is larger than 10 MB."),
        ("tool.exe", b"MZ\x90\x00", "Files ending in .exe are not accepted"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "The file's content is not a PDF, DOCX, XLSX, PNG or JPEG file"),
        ("photo.docx", png_bytes(), "The file's content is a PNG file, but its name ends in .docx."),
    ],
)
def test_a_refused_file_names_the_field_and_writes_nothing(client, media, name, content, expected):
    interest, sender, owner = accepted_interest()
    mail.outbox.clear()
    client.force_login(sender)
    answer = client.post(
        interest_url(interest),
        {"body": "With a file.", "attachments": [upload("fine.docx", docx_bytes()), upload(name, content)]},
    )
    assert answer.status_code == 422
    page = html.unescape(answer.content.decode())
    assert 'id="id_attachments_error"' in page
    assert expected in page
    assert "With a file." in page  # what was written is kept in the form
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Thread.objects.count() == 0
    assert stored_files(media) == []
    assert not Notification.objects.filter(recipient=owner, kind=NotificationKind.MESSAGE).exists()


def test_at_most_three_files_and_a_message_is_needed(client):
    interest, sender, _owner = accepted_interest()
    client.force_login(sender)
    four = [upload(f"file{number}.pdf", PDF_BYTES) for number in range(4)]
    answer = client.post(interest_url(interest), {"body": "Four files.", "attachments": four})
    assert answer.status_code == 422
    assert "Attach at most 3 files to a message." in answer.content.decode()
    answer = client.post(interest_url(interest), {"body": "   "})
    assert answer.status_code == 422
    assert 'id="id_body_error"' in answer.content.decode()
    assert Message.objects.count() == 0


def test_times_show_in_the_readers_zone(client):
    interest, sender, owner = accepted_interest()
    owner.time_zone = "Asia/Shanghai"
    owner.save(update_fields=["time_zone"])
    client.force_login(sender)
    client.post(interest_url(interest), {"body": "Timed."})
    message = Message.objects.get()
    client.force_login(owner)
    page = client.get(interest_url(interest)).content.decode()
    shanghai = message.created_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"{shanghai:%H:%M}" in page


def test_a_user_of_no_side_cannot_reach_a_meeting_thread_by_guessing(client):
    meeting, _requester_user, _recipient_user = meeting_between()
    client.force_login(UserFactory())
    assert client.get(meeting_url(meeting)).status_code == 404
    assert (
        client.get(reverse("conversations:meeting_thread", kwargs={"meeting_id": meeting.pk + 1000})).status_code == 404
    )


def test_a_long_thread_opens_on_its_latest_page_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    interest, sender, owner = accepted_interest()
    thread = Thread.objects.create(interest=interest)
    Message.objects.bulk_create(
        Message(
            thread=thread, author=sender, organisation=interest.organisation, body=f"Note {number:02d}.", language="en"
        )
        for number in range(1, 56)
    )
    client.force_login(owner)
    with django_assert_max_num_queries(20):  # whatever the number of messages on the page
        latest = client.get(interest_url(interest)).content.decode()
    assert "Note 55." in latest
    assert "Note 06." in latest
    assert "Note 05." not in latest
    assert latest.index("Note 06.") < latest.index("Note 55.")
    assert "Page 1 of 2" in latest
    older = client.get(interest_url(interest), {"page": 2}).content.decode()
    assert "Note 01." in older
    assert "Note 05." in older
    assert "Note 06." not in older
