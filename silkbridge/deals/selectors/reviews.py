"""Reads of the committee review. Who sees which part of a review is decided here and nowhere else:

- A reviewer sees their own appointments. Until they declare, only the proposal's title and submitter;
  after declaring a conflict of interest, nothing at all (the appointment answers "not found"); after
  declaring none, the proposal and the rubric.
- Blind review: a reviewer sees no other reviewer's scores or comments until their own review is
  submitted; then the others' submitted reviews (never drafts).
- Staff of the calling body (members of the call's issuer, or of the recipient of an unsolicited
  proposal, and platform staff) see every appointment, the declarations with their notes, the
  submitted reviews, the weighted scores, the spreads and the ranking — once the call's deadline has
  passed (before it, proposals are sealed).
- The submitter sees the decision, its reasons and the consolidated comments per criterion, without
  reviewer names or per-reviewer scores, once the decision has taken effect (an unsolicited
  proposal: when it is recorded; a call: when the call's decision took effect, Call.decided_at).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from silkbridge.deals.choices import ConflictStatus, ProposalEventKind, ProposalStatus
from silkbridge.deals.engine import rubric
from silkbridge.deals.history.reviews import REVIEW_EVENT_KINDS
from silkbridge.deals.models import Call, Criterion, Proposal, ProposalEvent, ReviewAssignment, ReviewScore
from silkbridge.deals.selectors.calls import call_staff_check
from silkbridge.directory.selectors import is_member, organisation_ids_of

# engine.rubric.TIE_BREAK_RULE, in the reader's language (the engine has no Django to translate it).
TIE_BREAK_RULE = gettext_lazy(
    "Equal scores are ordered by the mean score on the criterion with the highest weight (then the next "
    "highest, and so on), then by the lower price where prices were opened, then by the earlier submission."
)
# Proposals that were submitted (and not withdrawn): what a committee reviews and ranks.
REVIEWED_STATUSES = (ProposalStatus.SUBMITTED, ProposalStatus.APPROVED, ProposalStatus.REVISE, ProposalStatus.DECLINED)


# --- who is who -----------------------------------------------------------------------------------


def is_calling_body_staff(*, viewer: Any, proposal: Proposal) -> bool:
    """Staff of the body a proposal was made to: the call's (selectors.calls.call_staff_check), or for an unsolicited
    proposal the recipient organisation's members and platform staff — never a member of the submitting
    organisation (a member of both would carry the committee's reviews over to the submitter)."""
    if not getattr(viewer, "is_authenticated", False) or is_member(viewer, proposal.organisation_id):
        return False
    if proposal.call is not None:
        return call_staff_check(viewer=viewer, call=proposal.call)
    return bool(viewer.is_staff) or (proposal.recipient_id is not None and is_member(viewer, proposal.recipient_id))


def may_chair_call(*, viewer: Any, call: Call) -> bool:
    """Staff of the call's calling body who belong to none of the organisations that made a proposal to
    it: the ranking compares every proposal, so a member of one submitter sees none of it."""
    if not call_staff_check(viewer=viewer, call=call):
        return False
    return not call.proposals.filter(organisation_id__in=organisation_ids_of(viewer)).exists()


def is_open_for_review(proposal: Proposal, *, now: Any = None) -> bool:
    """Whether the proposal may be read by its committee: submitted (not a draft or withdrawn) and, for
    a call, after the call's deadline (the deadline is the rule, whether or not the opening was held)."""
    if proposal.status not in REVIEWED_STATUSES:
        return False
    if proposal.call is None:
        return True
    return (now or timezone.now()) >= proposal.call.deadline


def decision_in_effect(proposal: Proposal) -> bool:
    """A decision reaches the submitter when it takes effect: at once for an unsolicited proposal, when
    the call's decision took effect for a call (after the report and the grievance window)."""
    if not proposal.decision:
        return False
    if proposal.call is None:
        return True
    return proposal.call.decided_at is not None


# --- the reviewer -----------------------------------------------------------------------------------


def _assignments() -> QuerySet[ReviewAssignment]:
    return ReviewAssignment.objects.select_related(
        "proposal", "proposal__organisation", "proposal__call", "proposal__recipient", "reviewer"
    )


def assignments_of(*, reviewer: Any) -> QuerySet[ReviewAssignment]:
    """The reviewer's appointments, newest first (a declared conflict included): for the services and
    counts. What the reviewer is shown of them is `review_queue`."""
    if not getattr(reviewer, "is_authenticated", False):
        return ReviewAssignment.objects.none()
    return _assignments().filter(reviewer=reviewer).order_by("submitted_at", "-appointed_at", "-pk")


@dataclass(frozen=True)
class QueueEntry:
    """One line of a reviewer's queue. `proposal` is None once the reviewer declared a conflict of
    interest: the line then says only that an appointment was closed by their declaration, never the
    proposal's title, summary or organisation."""

    assignment: ReviewAssignment
    proposal: Proposal | None


def review_queue(*, reviewer: Any, limit: int = 500) -> list[QueueEntry]:
    """The reviewer's queue, as pages and API show it (see QueueEntry)."""
    return [
        QueueEntry(
            assignment=assignment,
            proposal=None if assignment.conflict == ConflictStatus.DECLARED else assignment.proposal,
        )
        for assignment in assignments_of(reviewer=reviewer)[:limit]
    ]


def assignment_get(*, viewer: Any, pk: int) -> ReviewAssignment:
    """The viewer's own appointment, unless they declared a conflict of interest (then, as for anyone
    else's, ReviewAssignment.DoesNotExist: pages and API answer 404)."""
    if not getattr(viewer, "is_authenticated", False):
        raise ReviewAssignment.DoesNotExist
    return _assignments().exclude(conflict=ConflictStatus.DECLARED).get(pk=pk, reviewer=viewer)


def has_access(assignment: ReviewAssignment) -> bool:
    """Whether the reviewer may read the proposal and score it: after declaring no conflict."""
    return assignment.conflict == ConflictStatus.NONE


def criteria_of(proposal: Proposal) -> list[Criterion]:
    """The rubric a proposal is scored on (none for an unsolicited proposal)."""
    if proposal.call_id is None:
        return []
    return list(Criterion.objects.filter(call_id=proposal.call_id).order_by("position"))


@dataclass(frozen=True)
class ScoreLine:
    criterion: Criterion
    score: int | None
    comment: str


@dataclass(frozen=True)
class Review:
    """One review as a reader may see it; `reviewer` is None where names are withheld."""

    assignment_id: int
    reviewer: Any
    lines: list[ScoreLine]
    comment: str
    weighted: Decimal | None
    submitted_at: Any


def _lines(criteria: Sequence[Criterion], scores: Sequence[ReviewScore]) -> list[ScoreLine]:
    by_criterion = {score.criterion_id: score for score in scores}
    return [
        ScoreLine(
            criterion,
            by_criterion[criterion.pk].score if criterion.pk in by_criterion else None,
            by_criterion[criterion.pk].comment if criterion.pk in by_criterion else "",
        )
        for criterion in criteria
    ]


def _weighted(criteria: Sequence[Criterion], scores: dict[int, int]) -> Decimal | None:
    if not criteria or set(scores) != {criterion.pk for criterion in criteria}:
        return None
    return rubric.weighted_score({criterion.pk: criterion.weight for criterion in criteria}, scores)


def _review(assignment: ReviewAssignment, criteria: Sequence[Criterion], *, named: bool) -> Review:
    scores = list(assignment.scores.all())
    return Review(
        assignment_id=assignment.pk,
        reviewer=assignment.reviewer if named else None,
        lines=_lines(criteria, scores),
        comment=assignment.comment,
        weighted=_weighted(criteria, {score.criterion_id: score.score for score in scores}),
        submitted_at=assignment.submitted_at,
    )


def my_review(*, assignment: ReviewAssignment) -> Review:
    """The reviewer's own review (draft or submitted), line by line in the rubric's order."""
    return _review(assignment, criteria_of(assignment.proposal), named=True)


def _submitted(proposal_ids: Sequence[int]) -> QuerySet[ReviewAssignment]:
    return (
        ReviewAssignment.objects.filter(
            proposal_id__in=proposal_ids, submitted_at__isnull=False, conflict=ConflictStatus.NONE
        )
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.order_by("criterion__position")))
        .order_by("submitted_at", "pk")
    )


def other_reviews(*, viewer: Any, assignment: ReviewAssignment) -> list[Review]:
    """The other reviewers' submitted reviews of the same proposal — only once the viewer submitted their
    own (blind review): before that, nothing, not even how many there are."""
    if assignment.reviewer_id != getattr(viewer, "pk", None) or assignment.submitted_at is None:
        return []
    criteria = criteria_of(assignment.proposal)
    return [
        _review(other, criteria, named=True) for other in _submitted([assignment.proposal_id]).exclude(pk=assignment.pk)
    ]


# --- the chair --------------------------------------------------------------------------------------


def proposal_for_chair(*, viewer: Any, reference: str) -> Proposal:
    """A proposal as its calling body's staff see it: submitted, and past its call's deadline;
    Proposal.DoesNotExist for anyone else and before then (a sealed proposal does not exist)."""
    proposal = Proposal.objects.select_related("organisation", "call", "call__issuer", "recipient").get(
        reference=reference
    )
    if not is_calling_body_staff(viewer=viewer, proposal=proposal) or not is_open_for_review(proposal):
        raise Proposal.DoesNotExist
    return proposal


def call_for_chair(*, viewer: Any, slug: str) -> Call:
    """A call whose calling body the viewer belongs to (or platform staff); Call.DoesNotExist otherwise."""
    call = Call.objects.select_related("issuer").get(slug=slug)
    if not may_chair_call(viewer=viewer, call=call):
        raise Call.DoesNotExist
    return call


@dataclass(frozen=True)
class CriterionSpread:
    criterion: Criterion
    lowest: int
    highest: int
    mean: Decimal
    differs: bool


@dataclass
class ProposalScores:
    """What the chair sees of one proposal: every appointment (declarations and their notes included),
    each submitted review with its weighted score, the mean (technical score) and the spreads."""

    proposal: Proposal
    criteria: list[Criterion]
    assignments: list[ReviewAssignment]
    reviews: list[Review]
    technical: Decimal | None
    spreads: list[CriterionSpread] = field(default_factory=list)

    @property
    def flagged(self) -> list[CriterionSpread]:
        return [spread for spread in self.spreads if spread.differs]


def _scores_of(proposal: Proposal, criteria: list[Criterion], submitted: list[ReviewAssignment]) -> ProposalScores:
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    reviews = [_review(assignment, criteria, named=True) for assignment in submitted]
    complete = [
        {score.criterion_id: score.score for score in assignment.scores.all()}
        for assignment in submitted
        if criteria and {score.criterion_id for score in assignment.scores.all()} == set(weights)
    ]
    by_pk = {criterion.pk: criterion for criterion in criteria}
    means = rubric.criterion_means(weights, complete)
    spreads = [
        CriterionSpread(by_pk[spread.criterion], spread.lowest, spread.highest, means[spread.criterion], spread.differs)
        for spread in rubric.spreads(weights, complete)
    ]
    return ProposalScores(
        proposal=proposal,
        criteria=criteria,
        assignments=list(proposal.assignments.select_related("reviewer").order_by("appointed_at", "pk")),
        reviews=reviews,
        technical=rubric.technical_score(weights, complete) if weights else None,
        spreads=spreads,
    )


def proposal_scores(*, viewer: Any, proposal: Proposal) -> ProposalScores:
    """The chair's view of one proposal; PermissionError for anyone but its calling body's staff, and
    Proposal.DoesNotExist while it is sealed."""
    if not is_calling_body_staff(viewer=viewer, proposal=proposal):
        raise PermissionError
    if not is_open_for_review(proposal):
        raise Proposal.DoesNotExist
    return _scores_of(proposal, criteria_of(proposal), list(_submitted([proposal.pk])))


@dataclass
class Ranking:
    """The chair's ranking of a call: scored proposals best first (ties broken by TIE_BREAK_RULE), then
    the proposals without a submitted review yet. `is_sealed` before the deadline, with nothing in it."""

    call: Call
    criteria: list[Criterion]
    ranked: list[ProposalScores]
    unscored: list[ProposalScores]
    is_sealed: bool
    tie_break_rule: str = ""


def call_ranking(*, viewer: Any, call: Call) -> Ranking:
    """Per proposal of the call, the weighted score of each submitted review, the mean and the spreads,
    and the ranking. PermissionError for anyone but the call's staff (see may_chair_call)."""
    if not may_chair_call(viewer=viewer, call=call):
        raise PermissionError
    criteria = list(call.criteria.order_by("position"))
    if timezone.now() < call.deadline:
        return Ranking(call, criteria, [], [], is_sealed=True, tie_break_rule=str(TIE_BREAK_RULE))
    proposals = list(
        call.proposals.filter(status__in=REVIEWED_STATUSES).select_related("organisation", "call").order_by("pk")
    )
    submitted: dict[int, list[ReviewAssignment]] = {proposal.pk: [] for proposal in proposals}
    for assignment in _submitted(list(submitted)):
        submitted[assignment.proposal_id].append(assignment)
    scored = {proposal.pk: _scores_of(proposal, criteria, submitted[proposal.pk]) for proposal in proposals}
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    candidates = [
        rubric.Candidate(
            proposal=proposal.pk,
            technical=scores.technical,
            criterion_means={spread.criterion.pk: spread.mean for spread in scores.spreads},
            submitted_at=proposal.submitted_at,
        )
        for proposal in proposals
        if (scores := scored[proposal.pk]).technical is not None and proposal.submitted_at is not None
    ]
    ranked = [scored[candidate.proposal] for candidate in rubric.rank(candidates, weights)]
    ranked_ids = {scores.proposal.pk for scores in ranked}
    unscored = [scored[proposal.pk] for proposal in proposals if proposal.pk not in ranked_ids]
    return Ranking(call, criteria, ranked, unscored, is_sealed=False, tie_break_rule=str(TIE_BREAK_RULE))


def appointable_reviewers(*, proposal: Proposal) -> QuerySet[Any]:
    """Whom the calling body may appoint: active members of the calling body and platform reviewers and
    staff — never a member of the submitting organisation (a conflict by construction)."""
    from silkbridge.accounts.models import User

    body_id = proposal.call.issuer_id if proposal.call is not None else proposal.recipient_id
    return (
        User.objects.filter(is_active=True)
        .filter(_pool_q(body_id))
        .exclude(memberships__organisation_id=proposal.organisation_id)
        .exclude(deal_review_assignments__proposal=proposal)
        .distinct()
        .order_by("full_name", "email")
    )


def _pool_q(body_id: int | None) -> Q:
    return Q(memberships__organisation_id=body_id) | Q(role__in=("reviewer", "staff")) | Q(is_superuser=True)


def review_events(*, viewer: Any, proposal: Proposal) -> list[ProposalEvent]:
    """The review rows of a proposal's history for its calling body's staff (a conflict's note
    included); nothing for anyone else, the submitter included (the rows name reviewers)."""
    if not is_calling_body_staff(viewer=viewer, proposal=proposal) or not is_open_for_review(proposal):
        return []
    kinds = {*REVIEW_EVENT_KINDS, ProposalEventKind.DECIDED, ProposalEventKind.DECISION_IN_EFFECT}
    return list(proposal.events.filter(kind__in=kinds).select_related("actor").order_by("-created_at", "-pk"))


# --- the submitter --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionFeedback:
    criterion: Criterion
    comments: list[str]


@dataclass(frozen=True)
class Feedback:
    """What the submitter learns: the decision, its reasons, and the reviewers' comments gathered per
    criterion — no names, no per-reviewer scores."""

    proposal: Proposal
    decision: str
    reasons: str
    criteria: list[CriterionFeedback]
    comments: list[str]

    @property
    def decision_label(self) -> str:
        """In the reader's language at the time it is read (an e-mail is rendered per recipient)."""
        return str(self.proposal.get_decision_display())


def can_read_feedback(*, viewer: Any, proposal: Proposal) -> bool:
    """Members of the submitting organisation, and the calling body's staff."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    return is_member(viewer, proposal.organisation_id) or is_calling_body_staff(viewer=viewer, proposal=proposal)


def feedback_of(proposal: Proposal) -> Feedback:
    """The consolidated feedback, whoever asks (the e-mail uses it: check `decision_in_effect` first).
    Each criterion's comments are sorted, so that their order does not tie comments across criteria
    to one reviewer."""
    criteria = criteria_of(proposal)
    submitted = list(_submitted([proposal.pk]))
    comments: dict[int, list[str]] = {criterion.pk: [] for criterion in criteria}
    for assignment in submitted:
        for score in assignment.scores.all():
            if score.comment.strip() and score.criterion_id in comments:
                comments[score.criterion_id].append(score.comment.strip())
    overall = sorted(assignment.comment.strip() for assignment in submitted if assignment.comment.strip())
    return Feedback(
        proposal=proposal,
        decision=proposal.decision,
        reasons=proposal.decision_reasons,
        criteria=[CriterionFeedback(criterion, sorted(comments[criterion.pk])) for criterion in criteria],
        comments=overall,
    )


def proposal_feedback(*, viewer: Any, proposal: Proposal) -> Feedback | None:
    """The submitter's feedback once the decision has taken effect; None before, and for anyone who is
    neither of the submitting organisation nor the calling body's staff."""
    if not can_read_feedback(viewer=viewer, proposal=proposal) or not decision_in_effect(proposal):
        return None
    return feedback_of(proposal)
