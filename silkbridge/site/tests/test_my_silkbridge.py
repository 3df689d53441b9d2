"""My Silkbridge: after signing in, what needs the user now (answers due, meetings today, reviews, new
matches, unread notifications), counted through the same selectors as the pages; a new user's next steps."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from silkbridge.accounts.tests.factories import PASSWORD, UserFactory
from silkbridge.events import services as events
from silkbridge.events.tests.factories import EventFactory, register
from silkbridge.marketplace import services as marketplace
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, member, published
from silkbridge.site.views import my_silkbridge_context

pytestmark = pytest.mark.django_db


def test_sign_in_lands_on_my_silkbridge_and_a_new_user_sees_the_next_steps(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("core:my_silkbridge")
    page = client.get(response["Location"]).content.decode()
    for step in ("Add your organisation", "Publish a profile", "Register for a matchmaking event"):
        assert step in page
    assert reverse("directory:organisation_create") in page


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(reverse("core:my_silkbridge"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_interests_to_answer_and_unread_notifications_are_counted_for_the_owner_only():
    owner, owner_organisation = member(country="CN")
    offer = published(owner_organisation, owner, **XRAY_OFFER_ZH)
    sender, sender_organisation = member()
    marketplace.interest_express(actor=sender, organisation=sender_organisation, opportunity=offer, message="Hi")
    mine = my_silkbridge_context(user=owner)
    assert mine["interests_due"] == 1
    assert mine["unread"] >= 1  # the interest received (and the profile's review)
    assert mine["has_organisation"]
    assert mine["has_published_profile"]
    theirs = my_silkbridge_context(user=sender)
    assert theirs["interests_due"] == 0  # they sent it: nothing to answer
    assert theirs["unread"] == 0
    assert not theirs["has_published_profile"]


def test_meetings_today_are_those_of_the_users_day_in_their_zone_and_requests_due_count():
    now = timezone.now()
    event = EventFactory(
        slot_days=[timezone.localtime(now, timezone.get_fixed_timezone(300)).date()],
        slot_start=time(0, 0),
        slot_end=time(23, 30),
        slot_minutes=30,
    )
    first = register(event, country="CN")
    second = register(event, country="PK")
    for participant in (first, second):
        events.participant_set_status(actor=event.created_by, participant=participant, status="approved")
        events.availability_set(participant=participant, slot_ids=event.slots.values_list("pk", flat=True))
    request = events.request_create(actor=first.representatives.get(), requester=first, recipient=second)
    second_user = second.representatives.get()
    assert my_silkbridge_context(user=second_user)["requests_due"] == 1
    assert my_silkbridge_context(user=first.representatives.get())["requests_due"] == 0
    events.request_answer(actor=second_user, meeting_request=request, accept=True)
    request.refresh_from_db()
    # Today's first slot (00:00 in Karachi): still "today" whatever the hour the test runs at, so the test
    # never has to skip late in the day.
    slot = event.slots.order_by("starts_at").first()
    events.meeting_book(meeting_request=request, slot=slot)
    assert my_silkbridge_context(user=second_user)["requests_due"] == 0
    today = my_silkbridge_context(user=second_user)["meetings_today"]
    assert [meeting.slot_id for meeting in today] == [slot.pk]
    stranger = UserFactory()
    assert my_silkbridge_context(user=stranger)["meetings_today"] == []
