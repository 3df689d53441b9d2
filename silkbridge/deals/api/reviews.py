"""Committee review endpoints: a reviewer's queue, declaration, scores and submission; the calling body's
appointments, scores, ranking and decision; the submitter's feedback. What the caller may not see
answers 404, as if it did not exist (a reviewer with a declared conflict included)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.accounts.models import User
from silkbridge.core.api_support import ErrorOut, auth_user
from silkbridge.deals.forms.reviews import SCORES, anchor_text
from silkbridge.deals.models import Call, Criterion, Proposal, ReviewAssignment
from silkbridge.deals.schemas.reviews import (
    ReviewAppointIn,
    ReviewAppointmentOut,
    ReviewAssignmentDetailOut,
    ReviewAssignmentOut,
    ReviewDecisionIn,
    ReviewDecisionOut,
    ReviewDeclarationIn,
    ReviewFeedbackOut,
    ReviewProposalScoresOut,
    ReviewRankingOut,
    ReviewScoresIn,
)
from silkbridge.deals.selectors import reviews as selectors
from silkbridge.deals.services import reviews as services

router = Router(tags=["deals"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- shaping ----------------------------------------------------------------------------------------------


def _proposal_ref(proposal: Proposal) -> dict[str, Any]:
    return {
        "reference": proposal.reference,
        "title": proposal.title,
        "organisation": proposal.organisation.display_name,
        "call": proposal.call.slug if proposal.call is not None else None,
    }


def _criterion(criterion: Criterion) -> dict[str, Any]:
    return {
        "id": criterion.pk,
        "position": criterion.position,
        "name": criterion.name,
        "weight": criterion.weight,
        "anchors": [{"score": value, "meaning": anchor_text(criterion, value)} for value in SCORES],
    }


def _review(review: selectors.Review) -> dict[str, Any]:
    return {
        "reviewer": review.reviewer.get_full_name() if review.reviewer is not None else None,
        "scores": [
            {"criterion": line.criterion.pk, "score": line.score, "comment": line.comment} for line in review.lines
        ],
        "comment": review.comment,
        "weighted_score": review.weighted,
        "submitted_at": review.submitted_at,
    }


def _queue_entry(entry: selectors.QueueEntry) -> dict[str, Any]:
    assignment = entry.assignment
    return {
        "id": assignment.pk,
        "proposal": None if entry.proposal is None else _proposal_ref(entry.proposal),
        "conflict": assignment.conflict,
        "appointed_at": assignment.appointed_at,
        "declared_at": assignment.declared_at,
        "submitted_at": assignment.submitted_at,
    }


def _detail(viewer: Any, assignment: ReviewAssignment) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": assignment.pk,
        "conflict": assignment.conflict,
        "proposal": _proposal_ref(assignment.proposal),
    }
    if not selectors.has_access(assignment):
        return data  # the declaration comes first: nothing of the proposal but its title and submitter
    proposal = assignment.proposal
    data["content"] = {
        "reference": proposal.reference,
        "title": proposal.title,
        "organisation": proposal.organisation.display_name,
        "summary": proposal.summary,
        "language": proposal.language,
        "budget_amount": proposal.budget_amount,
        "budget_currency": proposal.budget_currency,
        "submitted_at": proposal.submitted_at,
    }
    data["criteria"] = [_criterion(criterion) for criterion in selectors.criteria_of(proposal)]
    data["review"] = _review(selectors.my_review(assignment=assignment))
    data["others"] = [_review(other) for other in selectors.other_reviews(viewer=viewer, assignment=assignment)]
    return data


def _appointment(assignment: ReviewAssignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "reviewer": assignment.reviewer.get_full_name(),
        "reviewer_email": assignment.reviewer.email,
        "conflict": assignment.conflict,
        "conflict_note": assignment.conflict_note,
        "appointed_at": assignment.appointed_at,
        "declared_at": assignment.declared_at,
        "submitted_at": assignment.submitted_at,
    }


def _scores(scores: selectors.ProposalScores) -> dict[str, Any]:
    proposal = scores.proposal
    return {
        "proposal": _proposal_ref(proposal),
        "status": proposal.status,
        "decision": proposal.decision or None,
        "appointments": [_appointment(assignment) for assignment in scores.assignments],
        "reviews": [_review(review) for review in scores.reviews],
        "technical_score": scores.technical,
        "spreads": [
            {
                "criterion": spread.criterion.pk,
                "name": spread.criterion.name,
                "lowest": spread.lowest,
                "highest": spread.highest,
                "mean": spread.mean,
                "differs": spread.differs,
            }
            for spread in scores.spreads
        ],
    }


# --- lookups ----------------------------------------------------------------------------------------------


def _own_assignment(request: HttpRequest, pk: int) -> ReviewAssignment:
    try:
        return selectors.assignment_get(viewer=auth_user(request), pk=pk)
    except ReviewAssignment.DoesNotExist as error:
        raise Http404(_("No such review.")) from error


def _chaired(request: HttpRequest, reference: str) -> Proposal:
    try:
        return selectors.proposal_for_chair(viewer=auth_user(request), reference=reference)
    except Proposal.DoesNotExist as error:
        raise Http404(_("No such proposal.")) from error


def _fresh(pk: int) -> ReviewAssignment:
    return ReviewAssignment.objects.select_related(
        "proposal", "proposal__organisation", "proposal__call", "reviewer"
    ).get(pk=pk)


# --- the reviewer -----------------------------------------------------------------------------------------


@router.get(
    "/deals/reviews",
    response={200: list[ReviewAssignmentOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The caller's review appointments (their queue)",
)
def review_queue(request: HttpRequest) -> list[dict[str, Any]]:
    return [_queue_entry(entry) for entry in selectors.review_queue(reviewer=auth_user(request))]


@router.get(
    "/deals/reviews/{pk}",
    response={200: ReviewAssignmentDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="One appointment: the proposal after a clear declaration, others' scores after submitting",
)
def review_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(auth_user(request), _own_assignment(request, pk))


@router.post(
    "/deals/reviews/{pk}/declaration",
    response={200: ReviewAssignmentDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Declare a conflict of interest (which ends access) or none (which opens the proposal)",
)
def review_declare(request: HttpRequest, pk: int, payload: ReviewDeclarationIn) -> dict[str, Any]:
    assignment = services.conflict_declare(
        actor=auth_user(request),
        assignment=_own_assignment(request, pk),
        has_conflict=payload.has_conflict,
        note=payload.note,
    )
    if not selectors.has_access(assignment):
        # The appointment is closed by the declaration: nothing of the proposal any more (as in the queue).
        return {"id": assignment.pk, "conflict": assignment.conflict, "proposal": None}
    return _detail(auth_user(request), _fresh(pk))


@router.put(
    "/deals/reviews/{pk}/scores",
    response={200: ReviewAssignmentDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Save draft scores (0–5 per criterion, with comments) until the review is submitted",
)
def review_scores(request: HttpRequest, pk: int, payload: ReviewScoresIn) -> dict[str, Any]:
    assignment = _own_assignment(request, pk)
    if not selectors.has_access(assignment):
        raise ValidationError({"has_conflict": _("Declare that you have no conflict of interest before scoring.")})
    services.review_save(
        actor=auth_user(request),
        assignment=assignment,
        scores={item.criterion: (item.score, item.comment) for item in payload.scores},
        comment=payload.comment,
    )
    return _detail(auth_user(request), _fresh(pk))


@router.post(
    "/deals/reviews/{pk}/submit",
    response={200: ReviewAssignmentDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Submit the review (every criterion scored); it cannot change afterwards",
)
def review_submit(request: HttpRequest, pk: int) -> dict[str, Any]:
    assignment = _own_assignment(request, pk)
    if not selectors.has_access(assignment):
        raise ValidationError({"has_conflict": _("Declare that you have no conflict of interest before scoring.")})
    services.review_submit(actor=auth_user(request), assignment=assignment)
    return _detail(auth_user(request), _fresh(pk))


# --- the calling body -------------------------------------------------------------------------------------


@router.post(
    "/deals/reviews/proposals/{reference}/reviewers",
    response={201: ReviewAppointmentOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Staff of the calling body: appoint a reviewer (after the call's deadline)",
)
def reviewer_appoint(request: HttpRequest, reference: str, payload: ReviewAppointIn) -> Status:
    proposal = _chaired(request, reference)
    # Unknown addresses are refused like any address outside the pool, so that the answer reveals no account.
    reviewer = User.objects.filter(email__iexact=payload.reviewer.strip()).first()
    assignment = services.reviewer_appoint(actor=auth_user(request), proposal=proposal, reviewer=reviewer)
    return Status(201, _appointment(_fresh(assignment.pk)))


@router.delete(
    "/deals/reviews/proposals/{reference}/reviewers/{assignment_id}",
    response={204: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Staff of the calling body: withdraw an appointment whose review is not submitted",
)
def reviewer_remove(request: HttpRequest, reference: str, assignment_id: int) -> Status:
    proposal = _chaired(request, reference)
    try:
        assignment = proposal.assignments.get(pk=assignment_id)
    except ReviewAssignment.DoesNotExist as error:
        raise Http404(_("No such appointment.")) from error
    services.reviewer_remove(actor=auth_user(request), assignment=assignment)
    return Status(204, None)


@router.get(
    "/deals/reviews/proposals/{reference}/scores",
    response={200: ReviewProposalScoresOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Staff of the calling body: appointments, submitted reviews, weighted scores and spreads",
)
def proposal_scores(request: HttpRequest, reference: str) -> dict[str, Any]:
    proposal = _chaired(request, reference)
    return _scores(selectors.proposal_scores(viewer=auth_user(request), proposal=proposal))


@router.get(
    "/deals/reviews/calls/{slug}/ranking",
    response={200: ReviewRankingOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Staff of the calling body: the call's proposals ranked, with the tie-break rule",
)
def call_ranking(request: HttpRequest, slug: str) -> dict[str, Any]:
    try:
        call = selectors.call_for_chair(viewer=auth_user(request), slug=slug)
    except Call.DoesNotExist as error:
        raise Http404(_("No such call.")) from error
    ranking = selectors.call_ranking(viewer=auth_user(request), call=call)
    proposals = [{**_scores(scores), "rank": rank} for rank, scores in enumerate(ranking.ranked, start=1)]
    proposals += [{**_scores(scores), "rank": None} for scores in ranking.unscored]
    return {
        "call": call.slug,
        "is_sealed": ranking.is_sealed,
        "tie_break_rule": ranking.tie_break_rule,
        "criteria": [_criterion(criterion) for criterion in ranking.criteria],
        "proposals": proposals,
    }


@router.post(
    "/deals/reviews/proposals/{reference}/decision",
    response={200: ReviewDecisionOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The chair: approve, ask to revise and resubmit, or decline, with reasons",
)
def decision_record(request: HttpRequest, reference: str, payload: ReviewDecisionIn) -> dict[str, Any]:
    proposal = services.decision_record(
        actor=auth_user(request),
        proposal=_chaired(request, reference),
        decision=payload.decision,
        reasons=payload.reasons,
    )
    return {
        "reference": proposal.reference,
        "status": proposal.status,
        "decision": proposal.decision,
        "reasons": proposal.decision_reasons,
        "decided_at": proposal.decided_at,
        "in_effect": selectors.decision_in_effect(proposal),
    }


# --- the submitter ----------------------------------------------------------------------------------------


@router.get(
    "/deals/reviews/proposals/{reference}/feedback",
    response={200: ReviewFeedbackOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The submitter: the decision, its reasons and the reviewers' comments, without their names",
)
def proposal_feedback(request: HttpRequest, reference: str) -> dict[str, Any]:
    proposal = Proposal.objects.select_related("call", "organisation").filter(reference=reference).first()
    feedback = selectors.proposal_feedback(viewer=auth_user(request), proposal=proposal) if proposal else None
    if feedback is None:
        raise Http404(_("No feedback on this proposal."))
    return {
        "reference": feedback.proposal.reference,
        "decision": feedback.decision,
        "decision_label": feedback.decision_label,
        "reasons": feedback.reasons,
        "criteria": [{"criterion": item.criterion.name, "comments": item.comments} for item in feedback.criteria],
        "comments": feedback.comments,
    }
