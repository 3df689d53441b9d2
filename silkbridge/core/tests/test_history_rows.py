"""Every state change of an organisation, a profile, a registration and a meeting writes exactly one
history row (who, what) in the service's own transaction; a change that is refused or rolled back
writes none."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.directory import services as directory_services
from silkbridge.directory.models import OrganisationEvent
from silkbridge.events import services as events_services
from silkbridge.events.models import MeetingEvent, ParticipantEvent
from silkbridge.events.tests.factories import EventFactory, in_days, register
from silkbridge.marketplace import services as marketplace_services
from silkbridge.marketplace.models import OpportunityEvent
from silkbridge.marketplace.tests.factories import XRAY_REQUEST_EN, member

pytestmark = pytest.mark.django_db


def _rows(model, **where):
    return list(model.objects.filter(**where).order_by("pk").values_list("kind", "actor"))


def test_each_organisation_change_writes_one_row():
    owner = UserFactory()
    organisation = directory_services.organisation_create(
        actor=owner, fields={"kind": "company", "name_en": "Indus Robotics", "country": "PK", "language": "en"}
    )
    assert _rows(OrganisationEvent, organisation=organisation) == [("created", owner.pk)]
    directory_services.organisation_update(actor=owner, organisation=organisation, fields={"city": "Quetta"})
    staff = StaffFactory()
    directory_services.organisation_verify(actor=staff, organisation=organisation)
    directory_services.organisation_update(actor=owner, organisation=organisation, fields={"name_en": "Indus Bots"})
    assert _rows(OrganisationEvent, organisation=organisation) == [
        ("created", owner.pk),
        ("updated", owner.pk),
        ("verified", staff.pk),
        ("verification_cleared", owner.pk),
    ]
    assert organisation.events.order_by("pk")[1].changes == {"fields": ["city"]}


def test_each_profile_transition_writes_one_row():
    user, organisation = member()
    staff = StaffFactory()
    opportunity = marketplace_services.opportunity_create(actor=user, organisation=organisation, fields=XRAY_REQUEST_EN)
    marketplace_services.opportunity_submit(actor=user, opportunity=opportunity)
    marketplace_services.opportunity_review(
        actor=staff, opportunity=opportunity, decision="request_changes", comment="Say which hospitals."
    )
    marketplace_services.opportunity_review(actor=staff, opportunity=opportunity, decision="comment", comment="Thanks")
    marketplace_services.opportunity_submit(actor=user, opportunity=opportunity)
    marketplace_services.opportunity_review(actor=staff, opportunity=opportunity, decision="approve")
    marketplace_services.opportunity_renew(actor=user, opportunity=opportunity)
    marketplace_services.opportunity_update(actor=user, opportunity=opportunity, fields={"summary": "Now on premises"})
    marketplace_services.opportunity_close(actor=user, opportunity=opportunity)
    assert _rows(OpportunityEvent, opportunity=opportunity) == [
        ("created", user.pk),
        ("submitted", user.pk),
        ("changes_requested", staff.pk),  # a comment alone changes nothing and writes no row
        ("submitted", user.pk),
        ("published", staff.pk),
        ("renewed", user.pk),
        ("edited", user.pk),
        ("closed", user.pk),
    ]
    edited = opportunity.events.get(kind="edited")
    assert edited.changes == {"fields": ["summary"], "status": ["published", "under_review"]}
    assert opportunity.events.get(kind="closed").changes == {"status": ["under_review", "closed"]}


def test_each_registration_and_meeting_change_writes_one_row():
    event = EventFactory(slot_days=[in_days(14)], scheduling_mode="participants", requires_approval=True)
    first, second = register(event, country="CN"), register(event, country="PK")
    staff = event.created_by
    for participant in (first, second):
        events_services.participant_set_status(actor=staff, participant=participant, status="approved")
        participant.refresh_from_db()
    one, two = first.representatives.get(), second.representatives.get()
    events_services.participant_update(
        actor=one,
        participant=first,
        time_zone="Asia/Shanghai",
        interests="Robotics",
        interpreter_needed=False,
        max_meetings=first.max_meetings,
        slot_ids=first.available_slots.values_list("pk", flat=True),
    )
    assert _rows(ParticipantEvent, participant=first) == [
        ("registered", one.pk),
        ("status_changed", staff.pk),
        ("updated", one.pk),
    ]
    assert first.events.get(kind="updated").changes == {
        "time_zone": ["Asia/Karachi", "Asia/Shanghai"],
        "interests": ["", "Robotics"],
    }

    meeting_request = events_services.request_create(actor=one, requester=first, recipient=second)
    slot = event.slots.first()
    events_services.request_answer(actor=two, meeting_request=meeting_request, accept=True, slot=slot)
    meeting = meeting_request.meeting
    events_services.meeting_mark(actor=staff, meeting=meeting, status="checked_in")
    events_services.meeting_cancel(actor=two, meeting=meeting)
    events_services.request_cancel(actor=one, meeting_request=meeting_request)
    assert _rows(MeetingEvent, request=meeting_request) == [
        ("requested", one.pk),
        ("accepted", two.pk),
        ("booked", two.pk),  # accepting with a slot is two changes: the answer and the booking
        ("marked", staff.pk),
        ("unbooked", two.pk),
        ("cancelled", one.pk),
    ]


def test_a_refused_or_rolled_back_change_writes_no_row():
    user, organisation = member()
    opportunity = marketplace_services.opportunity_create(actor=user, organisation=organisation, fields=XRAY_REQUEST_EN)
    before = OpportunityEvent.objects.count()
    with pytest.raises(ValidationError):  # refused: a draft cannot be renewed
        marketplace_services.opportunity_renew(actor=user, opportunity=opportunity)

    def submit_then_fail() -> None:
        with transaction.atomic():  # done, then undone by the caller's transaction
            marketplace_services.opportunity_submit(actor=user, opportunity=opportunity)
            raise RuntimeError("the caller's next step failed")

    with pytest.raises(RuntimeError):
        submit_then_fail()
    with pytest.raises(ValidationError):  # refused by the model's validation: nothing of the edit is kept
        directory_services.organisation_update(actor=user, organisation=organisation, fields={"country": "XX"})
    assert OpportunityEvent.objects.count() == before
    assert not organisation.events.exists()
    opportunity.refresh_from_db()
    assert opportunity.status == "draft"


def test_owners_and_staff_read_the_history_on_the_object_pages_others_do_not(client):
    user, organisation = member()
    opportunity = marketplace_services.opportunity_create(
        actor=user, organisation=organisation, fields=XRAY_REQUEST_EN, submit=True
    )
    client.force_login(user)
    page = client.get(reverse("marketplace:opportunity_detail", args=[opportunity.pk])).content.decode()
    assert 'id="history"' in page
    assert "Created as a draft" in page
    assert "Sent for review" in page

    event = EventFactory(slot_days=[in_days(14)], requires_approval=False)
    mine, other = register(event, country="CN"), register(event, country="PK")
    events_services.request_create(actor=other.representatives.get(), requester=other, recipient=mine)
    client.force_login(mine.representatives.get())
    with_zh = client.get(reverse("events:history", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert with_zh.status_code == 200
    assert [row.kind for row in with_zh.context["registrations"]] == ["registered"]
    assert [row.kind for row in with_zh.context["meetings"]] == ["requested"]
    assert "已发出请求" in with_zh.content.decode()  # "Requested", in the reader's language
    client.force_login(UserFactory())
    assert client.get(reverse("events:history", args=[event.slug])).status_code == 403


def test_a_participant_never_reads_the_other_sides_rating_nor_anyones_address_in_the_history(client):
    event = EventFactory(slot_days=[in_days(14)], requires_approval=False)
    mine, other = register(event, country="CN"), register(event, country="PK")
    me, them = mine.representatives.get(), other.representatives.get()
    meeting_request = events_services.request_create(actor=them, requester=other, recipient=mine)
    # Both sides rated the meeting (rows as meeting_rate writes them: the side that rated, its outcome).
    MeetingEvent.objects.create(
        request=meeting_request, actor=them, kind="rated", changes={"participant": other.pk, "outcome": "no_interest"}
    )
    MeetingEvent.objects.create(
        request=meeting_request, actor=me, kind="rated", changes={"participant": mine.pk, "outcome": "follow_up"}
    )

    client.force_login(me)
    page = client.get(reverse("events:history", args=[event.slug]))
    rows = [(row.kind, row.actor_id) for row in page.context["meetings"]]
    assert rows == [("rated", me.pk), ("requested", them.pk)]  # their rating is theirs alone
    content = page.content.decode()
    assert them.email not in content  # the history names roles, not addresses
    assert me.email not in content
    assert "no_interest" not in content

    client.force_login(StaffFactory())
    staff_page = client.get(reverse("events:history", args=[event.slug]))
    assert sorted(row.actor_id for row in staff_page.context["meetings"] if row.kind == "rated") == sorted(
        [me.pk, them.pk]
    )
    assert them.email in staff_page.content.decode()


# --- the same history through the API: one selector decides who sees which rows and which fields -------


def _api_rows(response):
    return [(item["kind"], item["by"], item["actor_email"]) for item in response.json()["items"]]


def test_the_api_gives_an_organisations_history_as_its_page_shows_it(client):
    owner = UserFactory()
    organisation = directory_services.organisation_create(
        actor=owner, fields={"kind": "company", "name_en": "Indus Robotics", "country": "PK", "language": "en"}
    )
    staff = StaffFactory()
    directory_services.organisation_verify(actor=staff, organisation=organisation)
    directory_services.organisation_update(actor=owner, organisation=organisation, fields={"city": "Quetta"})
    path = f"/api/v1/organisations/{organisation.key}/history"

    client.force_login(owner)
    page = client.get(reverse("directory:organisation_detail", args=[organisation.key]))
    api = client.get(path)
    assert api.status_code == 200
    assert _api_rows(api) == [("updated", "you", None), ("verified", "staff", None), ("created", "you", None)]
    assert [row.kind for row in page.context["history"]] == ["updated", "verified", "created"]
    assert api.json()["items"][0]["changes"] == {"fields": ["city"]}
    assert api.json()["items"][1]["by_label"] == "Silkbridge staff"
    assert staff.email not in api.content.decode()
    assert staff.email not in page.content.decode()

    client.force_login(staff)
    assert _api_rows(client.get(path)) == [
        ("updated", "representative", owner.email),
        ("verified", "you", staff.email),
        ("created", "representative", owner.email),
    ]

    from silkbridge.accounts.tests.factories import MembershipFactory

    client.force_login(MembershipFactory(organisation=organisation, role="member").user)
    refused = client.get(path)
    assert refused.status_code == 403
    assert refused.json()["message"] == "Only the organisation's owners and staff see its history."
    client.logout()
    assert client.get(path).status_code == 401


def test_the_api_gives_a_profiles_history_to_its_organisation_and_staff_only(client):
    user, organisation = member()
    opportunity = marketplace_services.opportunity_create(
        actor=user, organisation=organisation, fields=XRAY_REQUEST_EN, submit=True
    )
    staff = StaffFactory()
    marketplace_services.opportunity_review(actor=staff, opportunity=opportunity, decision="approve")
    path = f"/api/v1/opportunities/{opportunity.pk}/history"

    client.force_login(user)
    page = client.get(reverse("marketplace:opportunity_detail", args=[opportunity.pk]))
    api = client.get(path)
    assert _api_rows(api) == [("published", "staff", None), ("submitted", "you", None), ("created", "you", None)]
    assert [row.kind for row in page.context["history"]] == ["published", "submitted", "created"]
    assert api.json()["items"][0]["changes"] == {"status": ["under_review", "published"]}

    client.force_login(staff)
    assert [item["actor_email"] for item in client.get(path).json()["items"]] == [staff.email, user.email, user.email]

    other, _other_organisation = member()
    client.force_login(other)  # sees the published profile, not its history
    assert client.get(f"/api/v1/opportunities/{opportunity.pk}").status_code == 200
    assert client.get(path).status_code == 404


def test_the_api_gives_a_participant_its_own_event_history_without_the_other_sides_rating_or_any_address(client):
    event = EventFactory(slot_days=[in_days(14)], requires_approval=False)
    mine, other = register(event, country="CN"), register(event, country="PK")
    me, them = mine.representatives.get(), other.representatives.get()
    meeting_request = events_services.request_create(actor=them, requester=other, recipient=mine)
    MeetingEvent.objects.create(
        request=meeting_request, actor=them, kind="rated", changes={"participant": other.pk, "outcome": "no_interest"}
    )
    MeetingEvent.objects.create(
        request=meeting_request, actor=me, kind="rated", changes={"participant": mine.pk, "outcome": "follow_up"}
    )
    path = f"/api/v1/events/{event.slug}/history"

    client.force_login(me)
    page = client.get(reverse("events:history", args=[event.slug]))
    api = client.get(path)
    assert api.status_code == 200
    body = api.json()
    assert [(item["kind"], item["participant"]) for item in body["registrations"]] == [("registered", mine.pk)]
    assert [(item["kind"], item["by"], item["request"]) for item in body["meetings"]] == [
        ("rated", "you", meeting_request.pk),
        ("requested", "representative", meeting_request.pk),
    ]
    assert [row.kind for row in page.context["meetings"]] == [item["kind"] for item in body["meetings"]]
    text = api.content.decode()
    assert "no_interest" not in text  # their rating is theirs alone
    assert them.email not in text
    assert me.email not in text
    assert {item["actor_email"] for item in body["registrations"] + body["meetings"]} == {None}

    client.force_login(StaffFactory())
    staff_body = client.get(path).json()
    assert sorted(item["actor_email"] for item in staff_body["meetings"] if item["kind"] == "rated") == sorted(
        [me.email, them.email]
    )
    assert len(staff_body["registrations"]) == 2

    client.force_login(UserFactory())
    refused = client.get(path)
    assert refused.status_code == 403
    assert refused.json()["message"] == "Only the event's participants and staff see its history."
