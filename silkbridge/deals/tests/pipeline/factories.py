"""Deals for tests: leads made as the marketplace and events leave them, and deals started through the
service, so a test starts from the rows the pages and the API leave behind."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.deals.models import Deal
from silkbridge.deals.services import pipeline as services
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events.models import Booking, Meeting, MeetingRating, MeetingRequest
from silkbridge.events.tests.factories import EventFactory, in_days, register
from silkbridge.marketplace.models import ExpressionOfInterest
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, published


def member(*, country: str = "PK", language: str = "en", organisation: Any = None) -> tuple[Any, Any]:
    """A user (pages and e-mails in `language`) who belongs to `organisation` or to a new one."""
    membership = MembershipFactory(
        user=UserFactory(language=language), organisation=organisation or OrganisationFactory(country=country)
    )
    return membership.user, membership.organisation


def accepted_interest(*, status: str = "accepted") -> tuple[ExpressionOfInterest, Any, Any]:
    """An expression of interest from a Pakistani organisation in a Chinese profile, answered:
    (interest, a member of the interested organisation, a member of the profile's owner)."""
    owner, owner_organisation = member(country="CN")
    opportunity = published(owner_organisation, owner, refresh=False, **XRAY_OFFER_ZH)
    sender, sender_organisation = member(country="PK")
    interest = ExpressionOfInterest.objects.create(
        opportunity=opportunity,
        organisation=sender_organisation,
        created_by=sender,
        message="We would like to license it.",
        status=status,
        answered_by=owner if status != "pending" else None,
        answered_at=timezone.now() if status != "pending" else None,
    )
    return interest, sender, owner


def rated_meeting(*, outcome: str = "cooperation_possible") -> tuple[Meeting, Any, Any]:
    """A meeting yesterday between a Chinese and a Pakistani organisation, rated `outcome` by the
    requester: (meeting, the requester's representative, the recipient's representative)."""
    event = EventFactory(slot_days=[in_days(-1)], slot_start=time(10, 0), slot_end=time(10, 30))
    requester_user, recipient_user = UserFactory(), UserFactory()
    requester = register(event, user=requester_user, country="CN")
    recipient = register(event, user=recipient_user, country="PK")
    request = MeetingRequest.objects.create(
        event=event, requester=requester, recipient=recipient, created_by=requester_user, status="accepted"
    )
    slot = event.slots.order_by("starts_at").first()
    meeting = Meeting.objects.create(event=event, request=request, slot=slot)
    Booking.objects.bulk_create(
        [Booking(meeting=meeting, participant=side, slot=slot) for side in (requester, recipient)]
    )
    MeetingRating.objects.create(meeting=meeting, participant=requester, outcome=outcome)
    return meeting, requester_user, recipient_user


def manual_deal(*organisations: Any, staff: Any = None, **fields: Any) -> Deal:
    """A deal entered by hand by staff (who become its owner) between the organisations given (two
    new ones by default)."""
    organisations = organisations or (OrganisationFactory(country="CN"), OrganisationFactory(country="PK"))
    values = {"title": "Tier-IV data center for Islamabad", "subject": "data_center", **fields}
    return services.deal_start(
        actor=staff or StaffFactory(), organisations=list(organisations), origin="manual", **values
    )


def age(deal: Deal, *, days_in_stage: int = 0, days_old: int = 0) -> Deal:
    """Move a deal's clock back (its stage since and its creation), as time passing would."""
    now = timezone.now()
    Deal.objects.filter(pk=deal.pk).update(
        stage_changed_at=now - timedelta(days=days_in_stage), created_at=now - timedelta(days=days_old)
    )
    deal.refresh_from_db()
    return deal
