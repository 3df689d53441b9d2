"""What events answers the zones app's relocation advisor (zones.hooks), registered in apps.py."""

from __future__ import annotations

from django.db.models import Q

from silkbridge.directory.choices import Visibility
from silkbridge.events.choices import RequestStatus
from silkbridge.events.models import MeetingRequest


def event_partner_cities(*, organisation_id: int) -> dict[int, str]:
    """The city of each Pakistani organisation the company agreed to meet at an event (an accepted
    meeting request, whoever asked), by organisation; a private organisation is left out."""
    accepted = MeetingRequest.objects.filter(status=RequestStatus.ACCEPTED).filter(
        Q(requester__organisation_id=organisation_id) | Q(recipient__organisation_id=organisation_id)
    )
    partners: dict[int, str] = {}
    for request in accepted.select_related("requester__organisation", "recipient__organisation"):
        for participant in (request.requester, request.recipient):
            organisation = participant.organisation
            if (
                organisation.pk != organisation_id
                and organisation.country == "PK"
                and organisation.city
                and organisation.visibility != Visibility.PRIVATE
            ):
                partners[organisation.pk] = organisation.city
    return dict(sorted(partners.items()))
