"""What another organisation's fields show through an event (issue 9, finding 1 reviewed): a private
organisation that registers shows the event its name, kind, country and sectors, but its description
stays as private as the organisation, also to the participant search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silkbridge.events import services
from silkbridge.events.tests.factories import EventFactory, in_days, register

pytestmark = pytest.mark.django_db
SECRET = "quasarwidgetsecret"


def test_participant_search_does_not_match_a_private_organisations_description(client):
    event = EventFactory(slot_days=[in_days(14)])
    looking = register(event)
    hidden = register(
        event,
        organisation_fields={"name_en": "Hidden Quasar Ltd", "visibility": "private", "description": f"{SECRET}."},
    )
    shown = register(
        event, organisation_fields={"name_en": "Shown Quasar Ltd", "visibility": "members", "description": SECRET}
    )
    for participant in (looking, hidden, shown):
        services.participant_set_status(actor=event.created_by, participant=participant, status="approved")
    client.force_login(looking.representatives.get())
    url = reverse("events:participants", args=[event.slug])
    page = client.get(url, {"q": SECRET}).content.decode()
    assert shown.organisation.display_name in page
    assert hidden.organisation.display_name not in page
    found = client.get(f"/api/v1/events/{event.slug}/participants", {"q": SECRET}).json()
    assert [item["id"] for item in found["items"]] == [shown.pk]
    # Still listed and found by its name: registering showed the event who it is.
    by_name = client.get(f"/api/v1/events/{event.slug}/participants", {"q": hidden.organisation.name_en}).json()
    assert [item["id"] for item in by_name["items"]] == [hidden.pk]
