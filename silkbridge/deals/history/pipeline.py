"""A deal's history rows (DealEvent): who, when, from which stage to which, the note and what changed.
Called only by `deals.services.pipeline`, inside the service's transaction."""

from __future__ import annotations

from typing import Any

from silkbridge.deals.choices import DealEventKind
from silkbridge.deals.models import Deal, DealEvent


def _write(
    deal: Deal,
    actor: Any,
    kind: str,
    *,
    changes: dict[str, Any] | None = None,
    from_stage: str = "",
    to_stage: str = "",
    note: str = "",
) -> DealEvent:
    return DealEvent.objects.create(
        deal=deal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        changes=changes or {},
        from_stage=from_stage,
        to_stage=to_stage,
        note=note,
    )


def deal_created(*, deal: Deal, actor: Any, parties: list[str], cause: dict[str, str] | None = None) -> DealEvent:
    """`cause`: what started it by itself ({"cause": "proposal_approved", "proposal": ref}), if anything."""
    changes = {"origin": deal.origin, "parties": ", ".join(parties), **(cause or {})}
    return _write(deal, actor, DealEventKind.CREATED, changes=changes, to_stage=deal.stage)


def deal_stage_changed(
    *, deal: Deal, actor: Any, before: str, note: str, cause: dict[str, str] | None = None
) -> DealEvent:
    """`cause`: what another part's action moved the deal for ({"cause": "mou_sent", "mou": ref}); none
    when someone moved it on the board."""
    return _write(
        deal,
        actor,
        DealEventKind.STAGE_CHANGED,
        changes={"stage": [before, deal.stage], **(cause or {})},
        from_stage=before,
        to_stage=deal.stage,
        note=note,
    )


def deal_edited(*, deal: Deal, actor: Any, changes: dict[str, list[Any]]) -> DealEvent:
    """Each changed field with its value before and after (as text)."""
    return _write(deal, actor, DealEventKind.EDITED, changes=changes)


def deal_party_added(*, deal: Deal, actor: Any, organisation: str, role: str) -> DealEvent:
    return _write(deal, actor, DealEventKind.PARTY_ADDED, changes={"organisation": organisation, "role": role})


def deal_party_removed(*, deal: Deal, actor: Any, organisation: str) -> DealEvent:
    return _write(deal, actor, DealEventKind.PARTY_REMOVED, changes={"organisation": organisation})


def deal_next_step_set(*, deal: Deal, actor: Any, before: dict[str, str], note: str = "") -> DealEvent:
    after = {"next_step": deal.next_step, "next_step_on": str(deal.next_step_on or "")}
    changes = {name: [before[name], value] for name, value in after.items() if before[name] != value}
    return _write(deal, actor, DealEventKind.NEXT_STEP_SET, changes=changes, note=note)


def deal_document_added(*, deal: Deal, actor: Any, name: str, sha256: str) -> DealEvent:
    return _write(deal, actor, DealEventKind.DOCUMENT_ADDED, changes={"name": name, "sha256": sha256})


def deal_document_removed(*, deal: Deal, actor: Any, name: str, sha256: str) -> DealEvent:
    return _write(deal, actor, DealEventKind.DOCUMENT_REMOVED, changes={"name": name, "sha256": sha256})


def deal_reminded(*, deal_id: int, sent_to: str) -> DealEvent:
    """The daily reminder, sent by no one, to the deal's owner or (with none) to staff, and for a
    relocation case to the zone's members too: `sent_to` says which ("owner", "staff", "owner+zone",
    "staff+zone"), never an address, since the parties' members read the history too."""
    return DealEvent.objects.create(deal_id=deal_id, kind=DealEventKind.REMINDED, changes={"sent_to": sent_to})
