"""What the organiser's scheduler run sends to the engine and writes back."""

import pytest

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.events import services
from silkbridge.events.models import Meeting
from silkbridge.events.tests.factories import EventFactory, in_days, register
from silkbridge.events.tests.scheduling import schedule_run_now

pytestmark = pytest.mark.django_db


def _accepted(event, requester, recipient):
    meeting_request = services.request_create(
        actor=requester.representatives.first(), requester=requester, recipient=recipient
    )
    return services.request_answer(
        actor=recipient.representatives.first(), meeting_request=meeting_request, accept=True
    )


def test_must_meet_weighs_three_and_placed_meetings_go_to_the_engine_as_fixed():
    event = EventFactory(slot_days=[in_days(20)])
    china, pakistan, other = register(event, country="CN"), register(event), register(event)
    first, second = _accepted(event, pakistan, china), _accepted(event, other, china)
    services.preference_set(actor=china.representatives.first(), participant=china, target=pakistan, level="must")
    instance = services.schedule_instance(event)
    weights = {entry["id"]: entry["weight"] for entry in instance["requests"]}
    assert weights == {f"r{first.pk}": 3.0, f"r{second.pk}": 1.0}
    assert instance["fixed"] == []

    run = schedule_run_now(actor=StaffFactory(), event=event, time_limit=5, seed=0)
    assert run.placed == 2
    placed = {meeting.request_id: meeting.slot_id for meeting in Meeting.objects.filter(event=event)}
    fixed = services.schedule_instance(event)["fixed"]
    assert sorted(entry["request"] for entry in fixed) == sorted(f"r{pk}" for pk in placed)

    again = schedule_run_now(actor=StaffFactory(), event=event, time_limit=5, seed=1)
    assert again.placed == 0
    assert {m.request_id: m.slot_id for m in Meeting.objects.filter(event=event)} == placed


def test_a_reserved_short_name_is_refused_whatever_the_entry_point():
    from django.core.exceptions import ValidationError

    from silkbridge.events.models import Event

    with pytest.raises(ValidationError) as error:
        services.event_create(
            actor=StaffFactory(),
            fields={
                "slug": "new",
                "title": "x",
                "registration_opens_at": in_days(-1),
                "registration_closes_at": in_days(1),
            },
        )
    assert "slug" in error.value.message_dict
    assert not Event.objects.filter(slug="new").exists()
