"""A profile's history: one function per kind of state change, called by marketplace.services inside
the service's transaction, so that a change and its history row are stored together or not at all
(Saleor's `events.py`)."""

from __future__ import annotations

from typing import Any

from silkbridge.marketplace.choices import OpportunityEventKind
from silkbridge.marketplace.models import Opportunity, OpportunityEvent


def _write(opportunity: Opportunity, actor: Any, kind: str, changes: dict[str, Any] | None = None) -> OpportunityEvent:
    return OpportunityEvent.objects.create(
        opportunity=opportunity,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        changes=changes or {},
    )


def _status(before: str, after: str) -> dict[str, Any]:
    return {"status": [before, after]} if before != after else {}


def opportunity_created(*, opportunity: Opportunity, actor: Any) -> OpportunityEvent:
    return _write(opportunity, actor, OpportunityEventKind.CREATED)


def opportunity_edited(*, opportunity: Opportunity, actor: Any, fields: list[str], before: str) -> OpportunityEvent:
    """Which fields the edit gave, and the status change when an owner's edit sent it back to review."""
    return _write(
        opportunity,
        actor,
        OpportunityEventKind.EDITED,
        {"fields": sorted(fields), **_status(before, opportunity.status)},
    )


def opportunity_submitted(*, opportunity: Opportunity, actor: Any, before: str) -> OpportunityEvent:
    return _write(opportunity, actor, OpportunityEventKind.SUBMITTED, _status(before, opportunity.status))


def opportunity_reviewed(*, opportunity: Opportunity, actor: Any, published: bool, before: str) -> OpportunityEvent:
    kind = OpportunityEventKind.PUBLISHED if published else OpportunityEventKind.CHANGES_REQUESTED
    return _write(opportunity, actor, kind, _status(before, opportunity.status))


def opportunity_closed(*, opportunity: Opportunity, actor: Any, before: str) -> OpportunityEvent:
    return _write(opportunity, actor, OpportunityEventKind.CLOSED, _status(before, opportunity.status))


def opportunity_renewed(*, opportunity: Opportunity, actor: Any, before: str) -> OpportunityEvent:
    changes = {**_status(before, opportunity.status), "expires_on": str(opportunity.expires_on)}
    return _write(opportunity, actor, OpportunityEventKind.RENEWED, changes)


def opportunity_expired(*, opportunity_id: int) -> OpportunityEvent:
    """The nightly expiry, done by no one."""
    return OpportunityEvent.objects.create(
        opportunity_id=opportunity_id, kind=OpportunityEventKind.EXPIRED, changes={"status": ["published", "expired"]}
    )
