"""The event history shows staff the latest rows: a large event (thousands of registration changes)
keeps its newest changes on the page and in the API, whatever the organisations are called."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.events.models import ParticipantEvent
from silkbridge.events.selectors import HISTORY_LIMIT
from silkbridge.events.tests.factories import EventFactory, in_days, register

pytestmark = pytest.mark.django_db


def test_the_newest_registration_change_is_shown_though_its_organisation_sorts_last(client):
    """Staff opened the history to see what just happened: the registration that changed last (of
    "Zulu Robotics", after 250 older changes of "Alpha Systems") is listed, and the oldest are the ones cut."""
    event = EventFactory(slot_days=[in_days(14)], requires_approval=False)
    alpha = register(event, organisation_fields={"name_en": "Alpha Systems"})
    zulu = register(event, organisation_fields={"name_en": "Zulu Robotics"})
    long_ago = timezone.now() - timedelta(days=30)
    ParticipantEvent.objects.filter(participant__event=event).update(created_at=long_ago)
    older = ParticipantEvent.objects.bulk_create(
        ParticipantEvent(participant=alpha, kind="registered", changes={"n": number}) for number in range(250)
    )
    for number, row in enumerate(older):
        row.created_at = long_ago + timedelta(minutes=number + 1)
    ParticipantEvent.objects.bulk_update(older, ["created_at"])
    newest = ParticipantEvent.objects.create(participant=zulu, kind="status_changed", changes={})

    client.force_login(StaffFactory())
    body = client.get(f"/api/v1/events/{event.slug}/history").json()
    page = client.get(reverse("events:history", args=[event.slug]))

    rows = list(page.context["registrations"])
    assert len(rows) == len(body["registrations"]) == HISTORY_LIMIT == 200
    assert {row.pk for row in rows} == {newest.pk, *(row.pk for row in older[-199:])}
    # Still grouped by organisation (Alpha's newest first), the newest change among them.
    assert (rows[0].pk, rows[-1].pk) == (older[-1].pk, newest.pk)
    assert [(item["organisation"], item["kind"]) for item in body["registrations"]][-1] == (
        "Zulu Robotics",
        "status_changed",
    )
    assert [item["participant"] for item in body["registrations"]] == [row.participant_id for row in rows]
