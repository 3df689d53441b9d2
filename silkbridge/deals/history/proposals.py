"""A proposal's history (ProposalEvent rows), written by services.proposals inside the service's
transaction. Who may read which rows is the proposal selector's business."""

from __future__ import annotations

from typing import Any

from silkbridge.deals.choices import ProposalEventKind
from silkbridge.deals.models import Proposal, ProposalEvent


def _write(
    proposal: Proposal, actor: Any, kind: str, changes: dict[str, Any] | None = None, note: str = ""
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        changes=changes or {},
        note=note,
    )


def _status(before: str, after: str) -> dict[str, Any]:
    return {"status": [before, after]} if before != after else {}


def proposal_created(*, proposal: Proposal, actor: Any) -> ProposalEvent:
    return _write(proposal, actor, ProposalEventKind.CREATED)


def proposal_edited(*, proposal: Proposal, actor: Any, fields: list[str]) -> ProposalEvent:
    """Which fields changed (not their values: a draft's history is read by the submitter only, but the
    values are in the versions anyway)."""
    return _write(proposal, actor, ProposalEventKind.EDITED, {"fields": sorted(fields)})


def proposal_document_added(*, proposal: Proposal, actor: Any, name: str, sha256: str, envelope: str) -> ProposalEvent:
    return _write(
        proposal, actor, ProposalEventKind.DOCUMENT_ADDED, {"document": name, "sha256": sha256, "envelope": envelope}
    )


def proposal_document_removed(*, proposal: Proposal, actor: Any, name: str, sha256: str) -> ProposalEvent:
    return _write(proposal, actor, ProposalEventKind.DOCUMENT_REMOVED, {"document": name, "sha256": sha256})


def proposal_submitted(*, proposal: Proposal, actor: Any, before: str) -> ProposalEvent:
    return _write(
        proposal,
        actor,
        ProposalEventKind.SUBMITTED,
        {**_status(before, proposal.status), "version": proposal.version},
    )


def proposal_withdrawn(*, proposal: Proposal, actor: Any, before: str) -> ProposalEvent:
    return _write(proposal, actor, ProposalEventKind.WITHDRAWN, _status(before, proposal.status))


def proposal_design_assessed(
    *, proposal: Proposal, actor: Any, reference: str, tier: int, claimed_tier: int | None
) -> ProposalEvent:
    return _write(
        proposal,
        actor,
        ProposalEventKind.DESIGN_ASSESSED,
        {"assessment": reference, "tier": tier, "claimed_tier": claimed_tier},
    )
