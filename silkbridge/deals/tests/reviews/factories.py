"""A call with a rubric, submitted proposals and the people around them, made with the ORM directly
(the calls and proposals services are other parts of the deals app)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from silkbridge.accounts.tests.factories import MembershipFactory, UserFactory
from silkbridge.deals.choices import CallStatus, ProposalStatus
from silkbridge.deals.models import Call, Criterion, Proposal
from silkbridge.deals.services import reviews as services
from silkbridge.directory.tests.factories import OrganisationFactory

ANCHORS = {
    str(score): {"en": f"Level {score} in English", "zh": f"第{score}级", "ur": f"درجہ {score}"} for score in range(6)
}
# The worked example's rubric: (name, weight).
RUBRIC = (("Technical approach", 50), ("Team and experience", 30), ("Timeline", 20))


def member_of(organisation: Any, **fields: Any) -> Any:
    user = UserFactory(**fields)
    MembershipFactory(user=user, organisation=organisation, role="member")
    return user


def make_call(*, issuer: Any = None, deadline_in: timedelta = timedelta(days=-1), **fields: Any) -> Call:
    """A published call of `issuer` whose deadline passed a day ago (by default), with the rubric."""
    issuer = issuer or OrganisationFactory(kind="government", name_en="Capital Development Authority (test)")
    now = timezone.now()
    call = Call.objects.create(
        slug=fields.pop("slug", f"call-{Call.objects.count() + 1}-{issuer.pk}"),
        issuer=issuer,
        title_en=fields.pop("title_en", "Tier-IV data center and big data platform"),
        scope_en="Design, build and operate.",
        deadline=now + deadline_in,
        contact_name="Procurement cell",
        contact_email="procurement@cda.example",
        status=CallStatus.PUBLISHED,
        published_at=now - timedelta(days=30),
        **fields,
    )
    for position, (name, weight) in enumerate(RUBRIC, start=1):
        Criterion.objects.create(
            call=call, position=position, name_en=name, name_zh=f"{name}（中文）", weight=weight, anchors=ANCHORS
        )
    return call


def make_proposal(
    *, call: Call | None = None, recipient: Any = None, organisation: Any = None, **fields: Any
) -> Proposal:
    organisation = organisation or OrganisationFactory(country="CN")
    submitted_at = fields.pop("submitted_at", timezone.now() - timedelta(days=2))
    return Proposal.objects.create(
        call=call,
        recipient=recipient,
        organisation=organisation,
        title=fields.pop("title", f"Proposal of {organisation.name_en}"),
        summary=fields.pop("summary", "A secret summary of the proposal."),
        status=ProposalStatus.SUBMITTED,
        submitted_at=submitted_at,
        version=1,
        **fields,
    )


def world(**call_fields: Any) -> SimpleNamespace:
    """A call past its deadline, its chair (a member of the issuer), two reviewers of the issuer, and
    one submitted proposal whose submitter has a member."""
    w = SimpleNamespace()
    w.call = make_call(**call_fields)
    w.chair = member_of(w.call.issuer, full_name="Chair Person")
    w.alice = member_of(w.call.issuer, full_name="Alice Reviewer", email="alice.reviewer@cda.example")
    w.bob = member_of(w.call.issuer, full_name="Bob Reviewer", email="bob.reviewer@cda.example")
    w.submitter_organisation = OrganisationFactory(country="CN", name_en="Dragon Cloud Test Ltd")
    w.submitter = member_of(w.submitter_organisation, full_name="Li Submitter")
    w.proposal = make_proposal(call=w.call, organisation=w.submitter_organisation)
    w.criteria = list(w.call.criteria.order_by("position"))
    return w


def appoint_clear(chair: Any, proposal: Proposal, reviewer: Any) -> Any:
    assignment = services.reviewer_appoint(actor=chair, proposal=proposal, reviewer=reviewer)
    return services.conflict_declare(actor=reviewer, assignment=assignment, has_conflict=False)


def review(chair: Any, proposal: Proposal, reviewer: Any, scores: dict[Any, int], comment: str = "") -> Any:
    """Appoint, declare none, score (criterion → score, each with a comment) and submit."""
    assignment = appoint_clear(chair, proposal, reviewer)
    services.review_save(
        actor=reviewer,
        assignment=assignment,
        scores={
            criterion.pk: (score, f"{comment} on {criterion.name_en}".strip()) for criterion, score in scores.items()
        },
    )
    return services.review_submit(actor=reviewer, assignment=assignment)
