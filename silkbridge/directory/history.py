"""An organisation's history: one function per kind of change, called by directory.services inside
the service's transaction, so that a change and its history row are stored together or not at all
(Saleor's `events.py`)."""

from __future__ import annotations

from typing import Any

from silkbridge.directory.choices import OrganisationEventKind
from silkbridge.directory.models import Organisation, OrganisationEvent


def _write(
    organisation: Organisation, actor: Any, kind: str, changes: dict[str, Any] | None = None
) -> OrganisationEvent:
    return OrganisationEvent.objects.create(
        organisation=organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        changes=changes or {},
    )


def organisation_created(*, organisation: Organisation, actor: Any) -> OrganisationEvent:
    return _write(organisation, actor, OrganisationEventKind.CREATED)


def organisation_updated(*, organisation: Organisation, actor: Any, fields: list[str]) -> OrganisationEvent:
    """Details changed that do not identify the organisation (description, city, sectors...): which ones."""
    return _write(organisation, actor, OrganisationEventKind.UPDATED, {"fields": sorted(fields)})


def organisation_identity_changed(
    *, organisation: Organisation, actor: Any, changes: dict[str, list[Any]], cleared: bool
) -> OrganisationEvent:
    kind = OrganisationEventKind.VERIFICATION_CLEARED if cleared else OrganisationEventKind.IDENTITY_CHANGED
    return _write(organisation, actor, kind, changes)


def organisation_verified(*, organisation: Organisation, actor: Any, is_verified: bool) -> OrganisationEvent:
    kind = OrganisationEventKind.VERIFIED if is_verified else OrganisationEventKind.VERIFICATION_WITHDRAWN
    return _write(organisation, actor, kind)


def organisation_imported(*, organisation: Organisation, outcome: str) -> OrganisationEvent:
    return _write(organisation, None, OrganisationEventKind.IMPORTED, {"outcome": outcome})
