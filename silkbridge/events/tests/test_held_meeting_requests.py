"""An organisation without members cannot silently swallow a meeting request at an event either: a request to
a participant nobody on Silkbridge can read (an organisation the demo or staff registered, with no
member) is held like an interest: the sender is told, staff get it in their queue, and once the
organisation is claimed the request reaches its new member, who joins the registration and answers."""

from __future__ import annotations

from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory import services as directory_services
from silkbridge.directory.models import HeldRequest, Membership
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events import services
from silkbridge.events.models import Participant
from silkbridge.events.tests.factories import EventFactory, in_days, register
from silkbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db
NO_MEMBERS = "This organisation has no members on Silkbridge yet; the center's staff will pass your message on."
ORPHAN_NAME = "Punjab Seed Testing Laboratory (fictional demo)"


@pytest.fixture
def world():
    """An event where a Chinese company is registered by its member, and a Pakistani organisation with no
    member is registered without representatives (as the demo registers its organisations)."""
    staff = StaffFactory()
    event = EventFactory(slot_days=[in_days(10)], created_by=staff)
    requester = register(event, country="CN", time_zone="Asia/Shanghai")
    orphan = OrganisationFactory(
        country="PK", name_en=ORPHAN_NAME, website="https://seedlab.example", is_demo=True, visibility="public"
    )
    recipient = Participant.objects.create(
        event=event, organisation=orphan, time_zone="Asia/Karachi", status="approved"
    )
    recipient.available_slots.set(event.slots.all())
    return {
        "staff": staff,
        "event": event,
        "requester": requester,
        "sender": requester.representatives.get(),
        "recipient": recipient,
        "orphan": orphan,
    }


def _request(world, **fields):
    return services.request_create(
        actor=world["sender"], requester=world["requester"], recipient=world["recipient"], **fields
    )


def _requests_url(world):
    return reverse("events:requests", kwargs={"slug": world["event"].slug})


def test_a_request_nobody_can_read_is_held_for_staff(world):
    Notification.objects.all().delete()
    _request(world, message="We would like to test our seed sorter with you.")

    (held,) = HeldRequest.objects.all()
    assert held.organisation == world["orphan"]
    assert held.sender == world["sender"]
    assert held.what == f"{world['event'].title}: {world['requester'].organisation.name_en}"
    assert held.url.endswith(_requests_url(world))
    assert held.delivered_at is None
    (told,) = Notification.objects.all()  # staff, and nobody else
    assert (told.recipient, told.kind) == (world["staff"], "request_received")
    assert ORPHAN_NAME in told.title


def test_a_participant_with_a_representative_holds_nothing(world):
    representative = UserFactory()
    MembershipFactory(user=representative, organisation=world["orphan"])
    world["recipient"].representatives.add(representative)
    _request(world)
    assert not HeldRequest.objects.exists()
    assert Notification.objects.filter(recipient=representative, kind="request_received").count() == 1


def test_members_who_do_not_represent_the_participant_yet_are_told_instead(world):
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=world["orphan"])
    _request(world)
    assert not HeldRequest.objects.exists()
    (told,) = Notification.objects.filter(recipient=colleague, kind="request_received")
    assert told.url.endswith(_requests_url(world))


def test_an_inactive_representative_reads_nothing(world):
    gone = UserFactory(is_active=False)
    world["recipient"].representatives.add(gone)
    _request(world)
    assert HeldRequest.objects.filter(organisation=world["orphan"]).count() == 1


def test_the_sender_is_told_on_the_page_and_staff_see_it_in_their_queue(world, client):
    client.force_login(world["sender"])
    url = reverse("events:request_new", kwargs={"slug": world["event"].slug, "participant_id": world["recipient"].pk})
    assert NO_MEMBERS in client.get(url).content.decode()  # told before sending
    response = client.post(url, {"message": "Seed sorting trials", "day_part": "any"}, follow=True)
    text = unescape(response.content.decode())
    assert NO_MEMBERS in text
    assert "Your request is sent to" not in text
    assert HeldRequest.objects.count() == 1
    client.force_login(world["staff"])
    queue = client.get(reverse("directory:held_requests")).content.decode()
    assert ORPHAN_NAME in queue
    assert world["event"].title in queue


def test_the_sent_list_and_the_api_say_the_same(world, client):
    _, secret = api_token_create(user=world["sender"], name="tests")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = f"/api/v1/events/{world['event'].slug}/requests"
    created = client.post(
        url, {"recipient": world["recipient"].pk, "message": "Trials"}, content_type="application/json", **bearer
    )
    assert created.status_code == 201
    assert created.json()["recipient_has_readers"] is False
    assert created.json()["delivery_note"] == unescape(NO_MEMBERS)
    (listed,) = client.get(url, {"box": "sent"}, **bearer).json()["items"]
    assert (listed["recipient_has_readers"], listed["delivery_note"]) == (False, unescape(NO_MEMBERS))
    client.force_login(world["sender"])
    assert NO_MEMBERS in unescape(client.get(_requests_url(world)).content.decode())
    # Once someone represents the organisation, the same request says it is told.
    representative = UserFactory()
    world["recipient"].representatives.add(representative)
    (listed,) = client.get(url, {"box": "sent"}, **bearer).json()["items"]
    assert listed["recipient_has_readers"] is True
    assert listed["delivery_note"] == "The participant's representatives are told and answer on Silkbridge."
    assert NO_MEMBERS not in unescape(client.get(_requests_url(world)).content.decode())


def test_a_request_to_a_represented_participant_says_it_is_sent(world, client):
    representative = UserFactory()
    MembershipFactory(user=representative, organisation=world["orphan"])
    world["recipient"].representatives.add(representative)
    client.force_login(world["sender"])
    url = reverse("events:request_new", kwargs={"slug": world["event"].slug, "participant_id": world["recipient"].pk})
    assert NO_MEMBERS not in client.get(url).content.decode()
    text = unescape(client.post(url, {"message": "", "day_part": "any"}, follow=True).content.decode())
    assert f"Your request is sent to {ORPHAN_NAME}." in text
    assert NO_MEMBERS not in text


def test_once_claimed_the_new_member_joins_the_registration_and_answers(
    world, client, django_capture_on_commit_callbacks
):
    meeting_request = _request(world, message="Seed sorting trials")
    claimant = UserFactory(email="amna@seedlab.example", language="en")
    directory_services.organisation_claim(actor=claimant, organisation=world["orphan"])  # proven by the domain
    assert Membership.objects.get(user=claimant, organisation=world["orphan"]).role == "owner"
    (delivered,) = Notification.objects.filter(recipient=claimant, kind="request_received")
    assert world["event"].title in delivered.title
    assert HeldRequest.objects.get().delivered_at is not None

    # The notification leads to the requests page; the new member is offered to join the registration.
    client.force_login(claimant)
    page = client.get(_requests_url(world))
    assert page.status_code == 403
    assert "Join your organisation's registration" in page.content.decode()
    join = reverse("events:registration_join", kwargs={"slug": world["event"].slug})
    response = client.post(join, {"next": _requests_url(world)}, follow=True)
    assert response.redirect_chain[-1][0] == _requests_url(world)
    text = unescape(response.content.decode())
    assert f"You now represent <bdi>{ORPHAN_NAME}</bdi> at this event." in text  # isolated in right-to-left text
    assert "Seed sorting trials" in text
    assert world["recipient"].representatives.filter(pk=claimant.pk).exists()

    # And answers: the requester is told.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:request_answer", kwargs={"slug": world["event"].slug, "request_id": meeting_request.pk}),
            {"action": "accept"},
        )
    assert response.status_code == 302
    meeting_request.refresh_from_db()
    assert meeting_request.status == "accepted"
    assert Notification.objects.filter(recipient=world["sender"], kind="answer").count() == 1
    assert [message.to for message in mail.outbox] == [[world["sender"].email]]


def test_only_members_join_a_registration(world, client):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.participant_join(actor=stranger, participant=world["recipient"])
    client.force_login(stranger)
    join = reverse("events:registration_join", kwargs={"slug": world["event"].slug})
    assert client.post(join).status_code == 404
    # The sender already represents its own registration: nothing to join.
    client.force_login(world["sender"])
    assert client.post(join).status_code == 404
    assert list(world["recipient"].representatives.all()) == []


def test_a_withdrawn_registration_cannot_be_joined(world):
    member = UserFactory()
    MembershipFactory(user=member, organisation=world["orphan"])
    Participant.objects.filter(pk=world["recipient"].pk).update(status="withdrawn")
    with pytest.raises(ValidationError):
        services.participant_join(actor=member, participant=world["recipient"])
    assert not world["recipient"].representatives.exists()
