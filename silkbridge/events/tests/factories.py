"""Events for tests: an event whose registration is open now, slots cut by the service, and registrations.

`EventFactory(slot_days=[...])` cuts slots through `services.slots_generate`, as staff would;
`register(event, ...)` creates a member of a new organisation and registers it through the service,
so a test starts from the same rows the pages and the API leave behind.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import factory
from django.utils import timezone

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events import services
from silkbridge.events.models import Event, Participant


def in_days(days: int) -> date:
    """A calendar day relative to today (slots in the future unless a test needs them past)."""
    return timezone.now().date() + timedelta(days=days)


class EventFactory(factory.django.DjangoModelFactory):
    """A published event in Asia/Karachi with registration open now; pass `slot_days` to cut slots.

    Slot options: `slot_start` (09:00), `slot_end` (17:00), `slot_minutes` (30), `slot_tables` (None),
    `slot_breaks` (()), all in the event's time zone.
    """

    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda number: f"test-event-{number}")
    title = factory.Sequence(lambda number: f"Test matchmaking event {number}")
    description = "Two days of one-to-one meetings between technology companies."
    kind = "virtual"
    time_zone = "Asia/Karachi"
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    created_by = factory.SubFactory(StaffFactory)

    @factory.post_generation
    def slot_days(self, create: bool, days: list[date] | None, **kwargs: Any) -> None:
        if not create or not days:
            return
        services.slots_generate(actor=self.created_by, event=self, days=days, **self._slot_params)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Event:
        slot_params = {
            "day_start": kwargs.pop("slot_start", time(9, 0)),
            "day_end": kwargs.pop("slot_end", time(17, 0)),
            "minutes": kwargs.pop("slot_minutes", 30),
            "tables": kwargs.pop("slot_tables", None),
            "breaks": kwargs.pop("slot_breaks", ()),
        }
        event = super()._create(model_class, *args, **kwargs)
        event._slot_params = slot_params
        return event


def representative(*, country: str = "PK", user: Any = None, **organisation_fields: Any) -> tuple[Any, Any]:
    """A user (new unless given) who belongs to a new organisation in `country`: (user, organisation)."""
    membership = MembershipFactory(
        user=user or UserFactory(), organisation=OrganisationFactory(country=country, **organisation_fields)
    )
    return membership.user, membership.organisation


def register(
    event: Event,
    *,
    user: Any = None,
    country: str = "PK",
    time_zone: str = "Asia/Karachi",
    organisation: Any = None,
    organisation_fields: dict[str, Any] | None = None,
    **fields: Any,
) -> Participant:
    """Register a new organisation (or `organisation`, which `user` must belong to) through the service.

    `fields` go to `services.participant_register` (slot_ids, interests, interpreter_needed, max_meetings).
    """
    if organisation is None:
        user, organisation = representative(country=country, user=user, **(organisation_fields or {}))
    elif user is None:
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation)
    return services.participant_register(
        actor=user, event=event, organisation=organisation, time_zone=time_zone, **fields
    )
