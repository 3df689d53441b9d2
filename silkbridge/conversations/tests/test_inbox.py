"""The Messages inbox: every thread of the reader's own organisations, newest message first, nobody
else's (staff included), in a bounded number of queries; and the staff's way back from a meeting thread."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.conversations.models import Message, Thread
from silkbridge.conversations.tests.factories import accepted_interest, meeting_between, second_member

pytestmark = pytest.mark.django_db

INBOX = reverse("conversations:inbox")


def say(thread: Thread, author, organisation, body: str, minutes_ago: int) -> Message:
    return Message.objects.create(
        thread=thread,
        author=author,
        organisation=organisation,
        body=body,
        language="en",
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_the_inbox_lists_the_own_threads_newest_first_and_no_one_elses(client):
    interest, sender, owner = accepted_interest()
    meeting, _requester_user, _recipient_user = meeting_between(requester_user=sender)
    about_interest = Thread.objects.create(interest=interest)
    say(about_interest, owner, interest.opportunity.organisation, "Older line\nsecond line", minutes_ago=60)
    about_meeting = Thread.objects.create(meeting=meeting)
    recipient_org = meeting.request.recipient.organisation
    say(about_meeting, None, recipient_org, "Newest: see you at table 4", minutes_ago=5)
    # A third organisation's thread, which the sender takes no part in.
    other_interest, other_sender, _other_owner = accepted_interest()
    say(Thread.objects.create(interest=other_interest), other_sender, other_interest.organisation, "Not yours", 1)

    client.force_login(sender)
    page = client.get(INBOX).content.decode()
    assert page.index("Newest: see you at table 4") < page.index("Older line")
    assert "second line" not in page  # the first line only
    assert recipient_org.name_en in page
    assert interest.opportunity.organisation.name_en in page
    assert "Not yours" not in page
    assert other_interest.organisation.name_en not in page
    assert reverse("conversations:meeting_thread", args=[meeting.pk]) in page
    assert reverse("conversations:interest_thread", args=[interest.pk]) in page


def test_staff_see_only_their_own_organisations_threads(client):
    interest, sender, _owner = accepted_interest()
    say(Thread.objects.create(interest=interest), sender, interest.organisation, "Between the two sides", 3)
    client.force_login(StaffFactory())
    page = client.get(INBOX).content.decode()
    assert "Between the two sides" not in page
    assert "No messages yet." in page


def test_a_profile_gone_private_hides_the_thread_from_the_interested_side(client):
    interest, sender, owner = accepted_interest()
    say(Thread.objects.create(interest=interest), owner, interest.opportunity.organisation, "Our terms", 3)
    organisation = interest.opportunity.organisation
    organisation.visibility = "private"
    organisation.save(update_fields=["visibility"])
    client.force_login(sender)
    assert "Our terms" not in client.get(INBOX).content.decode()
    client.force_login(owner)
    assert "Our terms" in client.get(INBOX).content.decode()


def test_the_inbox_takes_the_same_queries_for_two_threads_as_for_eight(client):
    interest, sender, _owner = accepted_interest()
    member = second_member(interest.organisation)
    say(Thread.objects.create(interest=interest), sender, interest.organisation, "First", 10)
    meeting, _r, _c = meeting_between(requester_user=member)
    say(Thread.objects.create(meeting=meeting), member, meeting.request.requester.organisation, "Second", 9)
    client.force_login(member)
    with CaptureQueriesContext(connection) as few:
        assert client.get(INBOX).status_code == 200
    for minutes in range(6):
        more, _r, _c = meeting_between(requester_user=member)
        say(Thread.objects.create(meeting=more), member, more.request.requester.organisation, f"More {minutes}", 8)
    with CaptureQueriesContext(connection) as many:
        page = client.get(INBOX).content.decode()
    assert page.count("More ") == 6
    assert len(many) == len(few) <= 8


def test_the_meeting_thread_leads_staff_to_the_events_staff_page_and_members_to_the_agenda(client):
    meeting, requester_user, _recipient_user = meeting_between()
    url = reverse("conversations:meeting_thread", args=[meeting.pk])
    client.force_login(StaffFactory())
    page = client.get(url).content.decode()
    assert reverse("events:meetings", args=[meeting.event.slug]) in page
    assert reverse("events:agenda", args=[meeting.event.slug]) not in page
    client.force_login(requester_user)
    page = client.get(url).content.decode()
    assert f"{reverse('events:agenda', args=[meeting.event.slug])}#meeting-{meeting.pk}" in page
