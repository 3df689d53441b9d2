"""Reads of zone fact changes. Who may propose, review and read proposals is decided here only.

- The members of a zone's organisation (Zone.organisation: its developer or authority on Silkbridge)
  propose changes to its facts and read their zone's proposals; platform staff too.
- Only platform staff approve or reject.
- Everyone, signed in or not, reads the approved changes: they are the public history of the facts.
Pages and the API read through these functions, so they cannot disagree."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.zones.facts_models import ZoneFactChange, ZoneFactStatus
from silkbridge.zones.models import Zone


def _base() -> QuerySet[ZoneFactChange]:
    return ZoneFactChange.objects.select_related("zone", "proposed_by", "decided_by")


def can_review_zone_facts(*, actor: Any) -> bool:
    return bool(getattr(actor, "is_staff", False) and getattr(actor, "is_active", False))


def can_propose_zone_facts(*, actor: Any, zone: Zone) -> bool:
    """Staff, or a member of the zone's organisation."""
    if can_review_zone_facts(actor=actor):
        return True
    return zone.organisation_id is not None and zone.organisation_id in organisation_ids_of(actor)


def zone_fact_changes_for(*, viewer: Any, zone: Zone) -> QuerySet[ZoneFactChange]:
    """Every proposal for the zone (pending, approved, rejected), for its developer's members and staff;
    nothing for anyone else."""
    if not can_propose_zone_facts(actor=viewer, zone=zone):
        return ZoneFactChange.objects.none()
    return _base().filter(zone=zone)


def zone_fact_changes_pending(*, viewer: Any) -> QuerySet[ZoneFactChange]:
    """Proposals awaiting a decision, oldest first: staff's queue (nothing for anyone else)."""
    if not can_review_zone_facts(actor=viewer):
        return ZoneFactChange.objects.none()
    return _base().filter(status=ZoneFactStatus.PROPOSED).order_by("proposed_at", "pk")


def zone_fact_history(*, zone: Zone) -> QuerySet[ZoneFactChange]:
    """The approved changes of the zone's facts, newest first: public."""
    return _base().filter(zone=zone, status=ZoneFactStatus.APPROVED).order_by("-decided_at", "-pk")


def zone_facts_approved(*, zone: Zone) -> dict[str, ZoneFactChange]:
    """For each fact, the newest approved change (its source and date stand behind the current value)."""
    latest: dict[str, ZoneFactChange] = {}
    for change in zone_fact_history(zone=zone):
        latest.setdefault(change.field, change)
    return latest
