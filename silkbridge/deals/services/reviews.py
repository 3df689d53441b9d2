"""Writes of the committee review: appointing reviewers, their conflict declarations, scores and reviews,
and the chair's decision.

Every service takes the actor first, checks who may do it, runs in one transaction with the rows it
changes locked, and writes a ProposalEvent (history.reviews) in that transaction; a refusal names the
field and stores nothing. E-mails leave after the commit, in each recipient's language (core.mail).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.deals.choices import ConflictStatus, Decision, ProposalStatus
from silkbridge.deals.history import reviews as history
from silkbridge.deals.models import Call, Proposal, ReviewAssignment, ReviewScore
from silkbridge.deals.selectors import reviews as selectors
from silkbridge.deals.services import pipeline
from silkbridge.directory.selectors import is_member, members_of
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.services import notify

MAX_SCORE = 5
STATUS_OF_DECISION = {
    Decision.APPROVE: ProposalStatus.APPROVED,
    Decision.REVISE: ProposalStatus.REVISE,
    Decision.DECLINE: ProposalStatus.DECLINED,
}


def _link(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(f"deals:{name}", kwargs=kwargs)


def _locked_proposal(proposal: Proposal) -> Proposal:
    """The proposal, locked, with its call (locked too: the deadline and the call's decision are read
    under the same lock as the change)."""
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=proposal.pk)
    if locked.call_id is not None:
        locked.call = Call.objects.select_for_update().get(pk=locked.call_id)
    return locked


def _require_calling_body_staff(*, actor: Any, proposal: Proposal) -> None:
    if is_member(actor, proposal.organisation_id):
        raise PermissionDenied(_("You are a member of the submitting organisation: you cannot act on its proposal."))
    if not selectors.is_calling_body_staff(viewer=actor, proposal=proposal):
        raise PermissionDenied(_("Only staff of the calling body may do this."))


def _locked_assignment(*, actor: Any, assignment: ReviewAssignment) -> ReviewAssignment:
    """The reviewer's own appointment, locked; nobody else may declare for it or score it."""
    locked = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("proposal", "proposal__call", "proposal__organisation")
        .get(pk=assignment.pk)
    )
    if locked.reviewer_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the appointed reviewer may do this."))
    return locked


# --- appointments ---------------------------------------------------------------------------------------


@transaction.atomic
def reviewer_appoint(*, actor: Any, proposal: Proposal, reviewer: Any) -> ReviewAssignment:
    """Appoint a reviewer to a submitted proposal: by its calling body's staff, after the call's deadline
    (the deadline is the rule, whether or not the opening was held), a member of the calling body or a
    platform reviewer who is not a member of the submitting organisation. The reviewer is e-mailed."""
    proposal = _locked_proposal(proposal)
    _require_calling_body_staff(actor=actor, proposal=proposal)
    # A call proposal stays "submitted" until the call's decision takes effect: the recorded decision
    # closes its committee all the same.
    if proposal.status != ProposalStatus.SUBMITTED or proposal.decision:
        raise ValidationError({"proposal": _("Reviewers are appointed to submitted proposals awaiting a decision.")})
    if proposal.call is not None and timezone.now() < proposal.call.deadline:
        raise ValidationError({"proposal": _("Reviewers can be appointed only after the call's deadline.")})
    if reviewer is None or not selectors.appointable_reviewers(proposal=proposal).filter(pk=reviewer.pk).exists():
        if reviewer is not None and is_member(reviewer, proposal.organisation_id):
            raise ValidationError(
                {"reviewer": _("A member of the submitting organisation cannot review its proposal.")}
            )
        if reviewer is not None and proposal.assignments.filter(reviewer=reviewer).exists():
            raise ValidationError({"reviewer": _("This reviewer is already appointed to the proposal.")})
        raise ValidationError({"reviewer": _("Choose a member of the calling body or a platform reviewer.")})
    assignment = ReviewAssignment(proposal=proposal, reviewer=reviewer, appointed_by=actor)
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:
        raise ValidationError({"reviewer": _("This reviewer is already appointed to the proposal.")}) from error
    history.reviewer_appointed(assignment=assignment, actor=actor)
    link = _link("review_detail", pk=assignment.pk)
    notify(
        users=[reviewer],
        kind=NotificationKind.REVIEW_ASSIGNED,
        template="deals/reviews/email/appointed.txt",
        context={"proposal": proposal, "link": link},
        url=link,
    )
    return assignment


@transaction.atomic
def reviewer_remove(*, actor: Any, assignment: ReviewAssignment) -> None:
    """Withdraw an appointment (its draft scores go with it). A submitted review stays: the chair's
    scores and the submitter's feedback rest on it."""
    proposal = _locked_proposal(assignment.proposal)
    _require_calling_body_staff(actor=actor, proposal=proposal)
    locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk, proposal=proposal)
    if locked.submitted_at is not None:
        raise ValidationError({"reviewer": _("A submitted review cannot be removed.")})
    if proposal.decision:
        raise ValidationError({"reviewer": _("The decision on this proposal is recorded.")})
    reviewer_id = locked.reviewer_id
    locked.delete()
    history.reviewer_removed(proposal=proposal, reviewer_id=reviewer_id, actor=actor)


# --- the reviewer ---------------------------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *, actor: Any, assignment: ReviewAssignment, has_conflict: bool, note: str = ""
) -> ReviewAssignment:
    """The reviewer's declaration, made once, before anything of the proposal is shown: a conflict of
    interest (with what it is) ends their access; "none" opens the proposal for scoring."""
    assignment = _locked_assignment(actor=actor, assignment=assignment)
    if assignment.conflict != ConflictStatus.PENDING:
        raise ValidationError({"has_conflict": _("You have already made your declaration.")})
    note = (note or "").strip()
    if has_conflict and not note:
        raise ValidationError({"note": _("Say what the conflict of interest is.")})
    assignment.conflict = ConflictStatus.DECLARED if has_conflict else ConflictStatus.NONE
    assignment.conflict_note = note if has_conflict else ""
    assignment.declared_at = timezone.now()
    assignment.full_clean(exclude=["proposal", "reviewer", "appointed_by"], validate_unique=False)
    assignment.save(update_fields=["conflict", "conflict_note", "declared_at"])
    if has_conflict:
        history.conflict_declared(assignment=assignment, actor=actor)
    else:
        history.no_conflict_declared(assignment=assignment, actor=actor)
    return assignment


def _open_for_scoring(assignment: ReviewAssignment) -> None:
    if assignment.conflict != ConflictStatus.NONE:
        raise PermissionDenied(_("Declare that you have no conflict of interest before scoring."))
    if assignment.submitted_at is not None:
        raise ValidationError({"scores": _("This review is submitted and can no longer change.")})
    if assignment.proposal.decision:
        raise ValidationError({"scores": _("The decision on this proposal is recorded.")})


def _whole_score(value: Any) -> int | None:
    """A score as a whole number, or None where it is not one (a bool, 2.5, "x")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _clean_scores(
    criteria: Mapping[int, Any], scores: Mapping[Any, tuple[Any, str]]
) -> tuple[dict[int, tuple[int, str]], list[int]]:
    """(criterion → (score, comment) to store, criteria whose draft score is cleared); every refusal
    at once, each naming its criterion."""
    errors: dict[str, str] = {}
    keep: dict[int, tuple[int, str]] = {}
    clear: list[int] = []
    for key, pair in scores.items():
        criterion_id = _whole_score(key)
        if criterion_id is None or criterion_id not in criteria:
            errors["scores"] = _("Score only the criteria of this call's rubric.")
            continue
        value, comment = pair
        comment = (comment or "").strip()
        name = criteria[criterion_id].name
        if len(comment) > 4_000:
            errors[f"comment_{criterion_id}"] = _("“%(criterion)s”: a comment is at most 4,000 characters.") % {
                "criterion": name
            }
        if value is None or value == "":
            if comment:
                errors[f"score_{criterion_id}"] = _("“%(criterion)s”: give a score with the comment.") % {
                    "criterion": name
                }
            clear.append(criterion_id)
            continue
        score = _whole_score(value)
        if score is None or not 0 <= score <= MAX_SCORE:
            errors[f"score_{criterion_id}"] = _("“%(criterion)s”: a score is a whole number from 0 to 5.") % {
                "criterion": name
            }
            continue
        keep[criterion_id] = (score, comment)
    if errors:
        raise ValidationError(errors)
    return keep, clear


@transaction.atomic
def review_save(
    *,
    actor: Any,
    assignment: ReviewAssignment,
    scores: Mapping[Any, tuple[Any, str]],
    comment: str | None = None,
) -> ReviewAssignment:
    """Save a draft: `scores` maps criterion ids to (score, comment), each score a whole number from
    0 to 5 (an empty score clears that criterion's draft); `comment` is the overall comment. Only the
    reviewer, after declaring no conflict, until the review is submitted. A refusal stores nothing."""
    assignment = _locked_assignment(actor=actor, assignment=assignment)
    _open_for_scoring(assignment)
    criteria = {criterion.pk: criterion for criterion in selectors.criteria_of(assignment.proposal)}
    keep, clear = _clean_scores(criteria, scores)
    if comment is not None:
        comment = comment.strip()
        if len(comment) > 4_000:
            raise ValidationError({"comment": _("A comment is at most 4,000 characters.")})
        assignment.comment = comment
        assignment.save(update_fields=["comment"])
    assignment.scores.filter(criterion_id__in=clear).delete()
    for criterion_id, (score, text) in keep.items():
        row, _created = ReviewScore.objects.get_or_create(
            assignment=assignment, criterion_id=criterion_id, defaults={"score": score, "comment": text}
        )
        if not _created and (row.score, row.comment) != (score, text):
            row.score, row.comment = score, text
            row.full_clean(exclude=["assignment", "criterion"], validate_unique=False)
            row.save(update_fields=["score", "comment", "updated_at"])
    history.review_saved(assignment=assignment, actor=actor, criteria=[*keep, *clear])
    return assignment


@transaction.atomic
def review_submit(*, actor: Any, assignment: ReviewAssignment) -> ReviewAssignment:
    """Submit the review: every criterion scored (for an unsolicited proposal, which has no rubric, an
    overall comment written). It is frozen from then on, and the reviewer sees the others' submitted
    reviews."""
    assignment = _locked_assignment(actor=actor, assignment=assignment)
    _open_for_scoring(assignment)
    criteria = selectors.criteria_of(assignment.proposal)
    scored = set(assignment.scores.values_list("criterion_id", flat=True))
    missing = {
        f"score_{criterion.pk}": _("“%(criterion)s”: give a score before submitting.") % {"criterion": criterion.name}
        for criterion in criteria
        if criterion.pk not in scored
    }
    if missing:
        raise ValidationError(missing)
    if not criteria and not assignment.comment.strip():
        raise ValidationError({"comment": _("Write your comments on the proposal before submitting.")})
    assignment.submitted_at = timezone.now()
    assignment.full_clean(exclude=["proposal", "reviewer", "appointed_by"], validate_unique=False)
    assignment.save(update_fields=["submitted_at"])
    history.review_submitted(assignment=assignment, actor=actor)
    return assignment


# --- the chair ------------------------------------------------------------------------------------------


@transaction.atomic
def decision_record(*, actor: Any, proposal: Proposal, decision: str, reasons: str) -> Proposal:
    """The chair's decision (approve, revise and resubmit, decline) with its reasons, after at least one
    submitted review. An unsolicited proposal's submitter is told at once; a call's submitters are told
    when the call's decision takes effect (calls.call_decide then calls `decision_take_effect`)."""
    proposal = _locked_proposal(proposal)
    _require_calling_body_staff(actor=actor, proposal=proposal)
    if not selectors.is_open_for_review(proposal):
        raise ValidationError({"decision": _("This proposal cannot be decided yet.")})
    if proposal.status != ProposalStatus.SUBMITTED or proposal.decision:
        raise ValidationError({"decision": _("A decision on this proposal is already recorded.")})
    if proposal.call is not None and proposal.call.report_published_at is not None:
        raise ValidationError({"decision": _("The evaluation report is published: decisions can no longer change.")})
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose approve, revise and resubmit, or decline.")})
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    if not proposal.assignments.filter(submitted_at__isnull=False).exists():
        raise ValidationError({"decision": _("At least one review must be submitted before a decision.")})
    before = proposal.status
    proposal.decision = decision
    proposal.decision_reasons = reasons
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    if proposal.call_id is None:
        # An unsolicited proposal's decision takes effect at once. A call proposal keeps the status
        # "submitted" until the call's decision takes effect (decision_take_effect): its status is read
        # by the lists, the API, exports and the pipeline, which must not tell the decision before then.
        proposal.status = STATUS_OF_DECISION[Decision(decision)]
    proposal.full_clean(
        exclude=["call", "recipient", "organisation", "created_by", "assessment", "decided_by"], validate_unique=False
    )
    proposal.save(update_fields=["decision", "decision_reasons", "decided_by", "decided_at", "status", "updated_at"])
    history.decision_recorded(proposal=proposal, actor=actor, before=before)
    if proposal.call_id is None:
        decision_take_effect(actor=actor, proposal=proposal)
    return proposal


def decision_take_effect(*, actor: Any, proposal: Proposal) -> None:
    """The recorded decision takes effect (an unsolicited proposal's when it is recorded, a call's
    proposals' when the call is decided, from `calls.call_decide`, inside its transaction): a call
    proposal's status becomes approved, revise or declined now (with its history row), the submitter is
    told (decision_notify), and an approval starts the proposal's deal at the stage "approved" (or moves
    the deal already started from it there), recorded with `actor` as who did it."""
    if proposal.call_id is not None:
        proposal = Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
        status = STATUS_OF_DECISION[Decision(proposal.decision)]
        if proposal.status != status:
            before = proposal.status
            proposal.status = status
            proposal.save(update_fields=["status", "updated_at"])
            history.decision_in_effect(proposal=proposal, actor=actor, before=before)
    decision_notify(proposal=proposal)
    if proposal.status == ProposalStatus.APPROVED:
        pipeline.deal_follow_proposal(actor=actor, proposal=proposal)


def decision_notify(*, proposal: Proposal) -> None:
    """E-mail the submitting organisation's members the decision, its reasons and the consolidated
    comments (no reviewer names, no per-reviewer scores), each in their own language, once the
    transaction commits. For a call proposal, call it when the call's decision has taken effect
    (Call.decided_at saved); before then it refuses, so that no decision leaks early."""
    proposal = Proposal.objects.select_related("call", "organisation").get(pk=proposal.pk)
    if not selectors.decision_in_effect(proposal):
        raise ValidationError({"decision": _("The decision on this proposal has not taken effect.")})
    notify(
        users=members_of(proposal.organisation_id),
        kind=NotificationKind.PROPOSAL_DECISION,
        template="deals/reviews/email/decision.txt",
        context={"feedback": selectors.feedback_of(proposal), "proposal": proposal},
        url=_link("proposal_detail", reference=proposal.reference),
    )
