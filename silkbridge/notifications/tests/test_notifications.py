"""The notification centre: each user sees only their own notifications (page, API, badge), in their
language; e-mails follow each user's settings; the weekly digest is an opt-in."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.marketplace import services as marketplace_services
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, member, published
from silkbridge.notifications import selectors, services
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def interest_sent(django_capture_on_commit_callbacks):
    """A Chinese owner's published offer and a Pakistani company's expression of interest in it."""
    owner, owner_organisation = member(country="CN", language="zh-hans")
    offer = published(owner_organisation, owner, **XRAY_OFFER_ZH)
    sender, sender_organisation = member()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interest = marketplace_services.interest_express(
            actor=sender, organisation=sender_organisation, opportunity=offer, message="We want to license this."
        )
    return {"owner": owner, "sender": sender, "interest": interest, "offer": offer}


def test_an_interest_received_is_an_in_app_notification_and_an_email(interest_sent):
    owner = interest_sent["owner"]
    (notification,) = Notification.objects.filter(recipient=owner, kind=NotificationKind.REQUEST_RECEIVED)
    interest_page = reverse("marketplace:interest_detail", kwargs={"pk": interest_sent["interest"].pk})
    assert notification.url.endswith(interest_page)
    (email,) = mail.outbox
    assert email.to == [owner.email]
    # Stored in every language and shown in the reader's: the e-mail's subject is the Chinese title.
    assert notification.texts["zh-hans"]["title"] == email.subject
    assert notification.texts["en"]["title"] != notification.texts["zh-hans"]["title"]
    assert not Notification.objects.filter(recipient=interest_sent["sender"]).exists()


def test_email_off_for_a_kind_still_notifies_in_app_but_sends_no_mail(django_capture_on_commit_callbacks):
    owner, owner_organisation = member(country="CN", language="zh-hans")
    services.notification_settings_update(
        user=owner,
        email_kinds=[kind for kind in NotificationKind.values if kind != NotificationKind.REQUEST_RECEIVED],
        weekly_digest=False,
    )
    offer = published(owner_organisation, owner, **XRAY_OFFER_ZH)
    sender, sender_organisation = member()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        marketplace_services.interest_express(
            actor=sender, organisation=sender_organisation, opportunity=offer, message="Hello"
        )
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=owner, kind=NotificationKind.REQUEST_RECEIVED).count() == 1
    # The answer is another kind, whose e-mail is still on: the sender gets it.
    assert selectors.email_wanted(user=owner, kind=NotificationKind.ANSWER)


def test_a_user_sees_only_their_own_notifications_on_the_page_and_in_the_api(interest_sent, client):
    owner, sender = interest_sent["owner"], interest_sent["sender"]
    theirs = Notification.objects.get(recipient=owner, kind=NotificationKind.REQUEST_RECEIVED)
    client.force_login(sender)
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert theirs.texts["en"]["title"] not in page.content.decode()
    # Opening or marking another user's notification is "not found", and changes nothing.
    assert client.post(reverse("notifications:open", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert client.get("/api/v1/notifications").json()["count"] == 0
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 0}
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_owner_reads_lists_and_marks_through_the_api(interest_sent, client):
    owner = interest_sent["owner"]
    Notification.objects.filter(recipient=owner).exclude(kind=NotificationKind.REQUEST_RECEIVED).delete()
    client.force_login(owner)
    listing = client.get("/api/v1/notifications", HTTP_ACCEPT_LANGUAGE="en").json()
    assert listing["count"] == 1
    (item,) = listing["items"]
    assert item["kind"] == "request_received"
    assert item["read_at"] is None
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
    marked = client.post(f"/api/v1/notifications/{item['id']}/read").json()
    assert marked["read_at"] is not None
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 0}
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 0


def test_the_api_needs_a_signed_in_caller(client):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.get("/api/v1/notifications/unread-count").status_code == 401


def test_the_header_badge_counts_unread_and_opening_marks_read_and_goes_to_the_target(interest_sent, client):
    owner = interest_sent["owner"]
    Notification.objects.filter(recipient=owner).exclude(kind=NotificationKind.REQUEST_RECEIVED).delete()
    notification = Notification.objects.get(recipient=owner)
    client.force_login(owner)
    page = client.get(reverse("core:home")).content.decode()
    assert 'class="notification-count" aria-hidden="true">1</span>' in page
    response = client.post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:interest_detail", kwargs={"pk": interest_sent["interest"].pk})
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "notification-count" not in client.get(reverse("core:home")).content.decode()


def test_the_list_is_newest_first_paginated_and_mark_all_read(client):
    user = UserFactory()
    for number in range(25):
        Notification.objects.create(
            recipient=user,
            kind=NotificationKind.MATCH,
            texts={"en": {"title": f"Title number {number:02d}", "body": ""}},
        )
    client.force_login(user)
    first_page = client.get(reverse("notifications:list")).content.decode()
    assert "Title number 24" in first_page
    assert "Title number 04" not in first_page
    assert "Title number 04" in client.get(reverse("notifications:list") + "?page=2").content.decode()
    client.post(reverse("notifications:read_all"))
    assert selectors.unread_count(viewer=user) == 0


def test_the_title_is_shown_in_the_readers_language(client):
    user = UserFactory(language="zh-hans")
    Notification.objects.create(
        recipient=user,
        kind=NotificationKind.MATCH,
        texts={"en": {"title": "English title", "body": ""}, "zh-hans": {"title": "中文标题", "body": ""}},
    )
    client.force_login(user)
    assert "中文标题" in client.get(reverse("notifications:list")).content.decode()


def test_a_keyed_notification_goes_once():
    user = UserFactory()
    context = {"opportunity": None, "count": 1, "link": "https://example.org/"}
    first = services.notify(
        users=[user], kind="match", template="matching/email/strong_matches.txt", context=context, key="k1"
    )
    again = services.notify(
        users=[user], kind="match", template="matching/email/strong_matches.txt", context=context, key="k1"
    )
    assert (len(first), again) == (1, [])
    assert Notification.objects.filter(recipient=user).count() == 1


def test_settings_page_saves_email_kinds_and_the_digest_is_not_ticked_by_default(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="weekly_digest"' in page
    assert 'name="weekly_digest" checked' not in page
    assert not selectors.weekly_digest_wanted(user=user)
    response = client.post(
        reverse("notifications:settings"), {"email_kinds": ["answer", "meeting"], "weekly_digest": "on"}
    )
    assert response.status_code == 302
    assert selectors.weekly_digest_wanted(user=user)
    assert selectors.email_wanted(user=user, kind="answer")
    assert not selectors.email_wanted(user=user, kind="request_received")
    bad = client.post(reverse("notifications:settings"), {"email_kinds": ["no-such-kind"]})
    assert bad.status_code == 200
    assert selectors.weekly_digest_wanted(user=user)  # nothing changed


@pytest.mark.parametrize(
    "stored",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "{site}.evil.example/x",
        "{site}@evil.example",
        "{site}//evil.example",
        "marketplace/1/",
    ],
)
def test_opening_a_notification_goes_only_to_a_path_on_this_site(client, settings, stored):
    """The open link goes where the notification points only when that is a path here; anything else (another
    host, a scheme, or the site's address run on into another host name or a relative path) goes back to the
    list."""
    user = UserFactory()
    notification = Notification.objects.create(
        recipient=user,
        kind=NotificationKind.ANSWER,
        texts={"en": {"title": "<script>alert(1)</script>", "body": ""}},
        url=stored.format(site=settings.SITE_URL),
    )
    client.force_login(user)
    response = client.post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response["Location"] == reverse("notifications:list")
    assert "<script>alert(1)" not in client.get(reverse("notifications:list")).content.decode()
