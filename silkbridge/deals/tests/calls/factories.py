"""Calls for tests: a calling body's member creates and publishes them through the services; proposals
and reviews (other parts' services) are written with the ORM, as those parts would leave them."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from silkbridge.accounts.tests.factories import MembershipFactory, UserFactory
from silkbridge.deals.models import Call, Proposal, ReviewAssignment, ReviewScore
from silkbridge.deals.services import calls as services
from silkbridge.directory.tests.factories import OrganisationFactory


def anchors(label: str) -> dict[str, dict[str, str]]:
    return {
        str(level): {"en": f"{label} {level}", "zh": f"{label}{level}分", "ur": f"{label} {level} درجہ"}
        for level in range(6)
    }


RUBRIC: list[dict[str, Any]] = [
    {
        "name_en": "Technical approach",
        "name_zh": "技术方案",
        "name_ur": "تکنیکی طریقہ",
        "weight": 60,
        "anchors": anchors("approach"),
    },
    {
        "name_en": "Team and experience",
        "name_zh": "团队与经验",
        "name_ur": "ٹیم اور تجربہ",
        "weight": 40,
        "anchors": anchors("team"),
    },
]


def fields(**overrides: Any) -> dict[str, Any]:
    return {
        "title_en": "Tier-IV data center and big data platform for Islamabad",
        "title_zh": "伊斯兰堡四级数据中心和大数据平台",
        "title_ur": "اسلام آباد کے لیے ٹیئر فور ڈیٹا سینٹر اور بگ ڈیٹا پلیٹ فارم",
        "scope_en": "Design, build and operate a Tier-IV data center.",
        "scope_zh": "设计、建设和运营一座四级数据中心。",
        "scope_ur": "ٹیئر فور ڈیٹا سینٹر کا ڈیزائن، تعمیر اور انتظام۔",
        "required_documents": [{"en": "Company registration", "zh": "公司注册证明", "ur": "کمپنی کی رجسٹریشن"}],
        "deadline": (timezone.now() + timedelta(days=30))
        .astimezone(timezone.get_fixed_timezone(300))
        .replace(tzinfo=None),
        "time_zone": "Asia/Karachi",
        "contact_name": "Procurement cell",
        "contact_email": "procurement@cda.example",
        "currency": "PKR",
        **overrides,
    }


def calling_body(**organisation_fields: Any) -> tuple[Any, Any]:
    """A member of a new government body (the calling body)."""
    membership = MembershipFactory(
        user=UserFactory(), organisation=OrganisationFactory(kind="government", **organisation_fields)
    )
    return membership.user, membership.organisation


def member_of_new_company(**organisation_fields: Any) -> tuple[Any, Any]:
    membership = MembershipFactory(user=UserFactory(), organisation=OrganisationFactory(**organisation_fields))
    return membership.user, membership.organisation


def draft_call(actor: Any, issuer: Any, *, criteria: Any = RUBRIC, invited: Any = (), **overrides: Any) -> Call:
    return services.call_create(
        actor=actor, issuer=issuer, fields=fields(**overrides), criteria=criteria, invited=invited
    )


def published_call(actor: Any, issuer: Any, **overrides: Any) -> Call:
    call = draft_call(actor, issuer, **overrides)
    return services.call_publish(actor=actor, call=call)


def submit(
    call: Call,
    organisation: Any,
    *,
    price: str | None = None,
    currency: str = "",
    budget: str | None = None,
    budget_currency: str = "",
    submitted_at: datetime | None = None,
) -> Proposal:
    """A proposal submitted to the call (as the proposals part's `proposal_submit` leaves it)."""
    return Proposal.objects.create(
        call=call,
        organisation=organisation,
        title=f"Proposal of {organisation.name_en}",
        summary="What we propose.",
        status="submitted",
        version=1,
        submitted_at=submitted_at or timezone.now(),
        declared_price=Decimal(price) if price is not None else None,
        price_currency=currency,
        budget_amount=Decimal(budget) if budget is not None else None,
        budget_currency=budget_currency,
    )


def pass_deadline(call: Call, *, by: timedelta = timedelta(minutes=1)) -> Call:
    """Time passes: the deadline is now behind us."""
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - by)
    call.refresh_from_db()
    return call


def review(proposal: Proposal, scores: list[int], *, submitted: bool = True) -> ReviewAssignment:
    """A reviewer's review (as the reviews part leaves it): no conflict, a score per criterion in order."""
    now = timezone.now()
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=UserFactory(),
        conflict="none",
        declared_at=now,
        submitted_at=now if submitted else None,
    )
    for criterion, score in zip(proposal.call.criteria.order_by("position"), scores, strict=True):
        ReviewScore.objects.create(assignment=assignment, criterion=criterion, score=score, comment="")
    return assignment


def decide(proposal: Proposal, decision: str = "approve") -> None:
    Proposal.objects.filter(pk=proposal.pk).update(decision=decision, decision_reasons="Reasons.")
