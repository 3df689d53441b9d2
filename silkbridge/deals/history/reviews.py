"""The committee review's rows of a proposal's history (ProposalEvent): appointments, declarations,
reviews and the decision. They name reviewers (as the row's actor, and by id in `changes`), so the
submitter never reads them through the review selectors; a conflict's note is for calling-body staff
only (see selectors.reviews.review_events)."""

from __future__ import annotations

from typing import Any

from silkbridge.deals.choices import ProposalEventKind
from silkbridge.deals.models import Proposal, ProposalEvent, ReviewAssignment

# The kinds this part writes: a proposal history shown to the submitter leaves them out (they name
# reviewers), except the decision, which the submitter learns when it takes effect.
REVIEW_EVENT_KINDS = frozenset(
    {
        ProposalEventKind.REVIEWER_APPOINTED,
        ProposalEventKind.REVIEWER_REMOVED,
        ProposalEventKind.CONFLICT_DECLARED,
        ProposalEventKind.NO_CONFLICT_DECLARED,
        ProposalEventKind.REVIEW_SAVED,
        ProposalEventKind.REVIEW_SUBMITTED,
    }
)


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


def reviewer_appointed(*, assignment: ReviewAssignment, actor: Any) -> ProposalEvent:
    return _write(
        assignment.proposal, actor, ProposalEventKind.REVIEWER_APPOINTED, {"reviewer": assignment.reviewer_id}
    )


def reviewer_removed(*, proposal: Proposal, reviewer_id: int, actor: Any) -> ProposalEvent:
    return _write(proposal, actor, ProposalEventKind.REVIEWER_REMOVED, {"reviewer": reviewer_id})


def conflict_declared(*, assignment: ReviewAssignment, actor: Any) -> ProposalEvent:
    """The declared conflict, with what it is as the row's note (calling-body staff only read it)."""
    return _write(
        assignment.proposal,
        actor,
        ProposalEventKind.CONFLICT_DECLARED,
        {"conflict": ["pending", assignment.conflict]},
        note=assignment.conflict_note,
    )


def no_conflict_declared(*, assignment: ReviewAssignment, actor: Any) -> ProposalEvent:
    return _write(assignment.proposal, actor, ProposalEventKind.NO_CONFLICT_DECLARED, {"conflict": ["pending", "none"]})


def review_saved(*, assignment: ReviewAssignment, actor: Any, criteria: list[int]) -> ProposalEvent:
    """A draft saved: which criteria it touched (no scores: the history is no back door to a blind review)."""
    return _write(assignment.proposal, actor, ProposalEventKind.REVIEW_SAVED, {"criteria": sorted(criteria)})


def review_submitted(*, assignment: ReviewAssignment, actor: Any) -> ProposalEvent:
    return _write(assignment.proposal, actor, ProposalEventKind.REVIEW_SUBMITTED)


def decision_recorded(*, proposal: Proposal, actor: Any, before: str) -> ProposalEvent:
    """The chair's decision; the status only where it changed (an unsolicited proposal: at once)."""
    changes: dict[str, Any] = {"decision": proposal.decision}
    if before != proposal.status:
        changes["status"] = [before, proposal.status]
    return _write(proposal, actor, ProposalEventKind.DECIDED, changes)


def decision_in_effect(*, proposal: Proposal, actor: Any, before: str) -> ProposalEvent:
    """A call proposal's recorded decision took effect with its call's decision: its status changed."""
    return _write(
        proposal,
        actor,
        ProposalEventKind.DECISION_IN_EFFECT,
        {"status": [before, proposal.status], "decision": proposal.decision},
    )
