"""A small world whose figures were counted by hand (the expected numbers are in test_figures.py).

November 2026 is the period; October 2026's last 30 days are the previous one. Rows are created
directly (the figures read rows, not the services' rules) and their dates set after creation.

Organisations registered in November (created 2026-11-10):
  O1 PK Lahore     company     public   sectors t-ai          (the outsider belongs to it)
  O2 PK Karachi    research    public   sectors t-ai-vision   (a sub-field of t-ai)
  O7 PK Lahore     company     public
  O8 PK Lahore     company     members
  O9 PK Islamabad  government  public
  O3 CN Shenzhen   company     members  sectors t-ai, t-bio
  O4 CN Shenzhen   company     PRIVATE  sectors t-bio
  O5 CN Beijing    investor    public
and O6 PK Lahore company public in October (the previous period), O10 in January (neither).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.analytics.selectors import FigureFilter
from silkbridge.datacenters.models import Assessment
from silkbridge.deals.models import Deal, DealEvent, DealParty
from silkbridge.directory.models import Organisation, Sector
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events.models import Meeting, MeetingRating, MeetingRequest, Participant, Slot
from silkbridge.events.tests.factories import EventFactory
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity
from silkbridge.matching.models import Match, MatchFeedback

NOVEMBER = FigureFilter(start=date(2026, 11, 1), end=date(2026, 11, 30))


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _sector(code: str, parent: Sector | None = None) -> Sector:
    return Sector.objects.create(code=code, parent=parent, name_en=code, name_zh=code, name_ur=code)


def _organisation(country: str, city: str, kind: str, visibility: str, sectors: list[str], when: datetime) -> Any:
    organisation = OrganisationFactory(country=country, city=city, kind=kind, visibility=visibility, sectors=sectors)
    Organisation.objects.filter(pk=organisation.pk).update(created_at=when)
    return organisation


def build_world() -> SimpleNamespace:
    world = SimpleNamespace()
    ai = _sector("t-ai")
    _sector("t-ai-vision", parent=ai)
    _sector("t-bio")
    nov = at(10)
    world.o1 = _organisation("PK", "Lahore", "company", "public", ["t-ai"], nov)
    _organisation("PK", "Karachi", "research", "public", ["t-ai-vision"], nov)
    _organisation("PK", "Lahore", "company", "public", [], nov)
    _organisation("PK", "Lahore", "company", "members", [], nov)
    _organisation("PK", "Islamabad", "government", "public", [], nov)
    world.o3 = _organisation("CN", "Shenzhen", "company", "members", ["t-ai", "t-bio"], nov)
    world.o4 = _organisation("CN", "Shenzhen", "company", "private", ["t-bio"], nov)
    world.o5 = _organisation("CN", "Beijing", "investor", "public", [], nov)
    _organisation("PK", "Lahore", "company", "public", [], at(15, month=10))
    _organisation("PK", "Lahore", "company", "public", [], at(5, month=1))
    world.staff = StaffFactory()
    world.outsider = MembershipFactory(organisation=world.o1).user
    world.private_member = MembershipFactory(organisation=world.o4).user
    world.stranger = UserFactory()
    _marketplace(world)
    _events(world)
    _deals(world)
    _assessments(world)
    return world


def _profile(organisation: Any, kind: str, status: str = "published") -> Opportunity:
    profile = Opportunity.objects.create(
        organisation=organisation,
        kind=kind,
        title=f"{kind} of {organisation.pk}",
        description="A profile for the analytics fixture.",
        language="en",
        status=status,
    )
    Opportunity.objects.filter(pk=profile.pk).update(created_at=at(12))
    return profile


def _marketplace(world: SimpleNamespace) -> None:
    """Profiles: O1 offer (published) and O1 offer (draft); O3 request; O4 request; O5 investment offer.
    Matches (first found 11-15): O1 offer -> O3 request, O3 request -> O1 offer, O1 offer -> O4 request,
    O4 request -> O1 offer. Feedback: useful on O1->O3 and O3->O1, not useful on O1->O4.
    Interest: O1 in O3's request (so the match O1 offer -> O3 request turned into interest)."""
    offer = _profile(world.o1, "technology_offer")
    _profile(world.o1, "technology_offer", status="draft")
    request_o3 = _profile(world.o3, "technology_request")
    request_o4 = _profile(world.o4, "technology_request")
    _profile(world.o5, "investment_offer")
    seen = at(15)
    for rank, (mine, other) in enumerate(
        [(offer, request_o3), (request_o3, offer), (offer, request_o4), (request_o4, offer)], start=1
    ):
        Match.objects.create(opportunity=mine, other=other, score=0.5, rank=rank, first_seen_at=seen, computed_at=seen)
    MatchFeedback.objects.create(opportunity=offer, other=request_o3, user=world.outsider, useful=True, family="x")
    MatchFeedback.objects.create(opportunity=request_o3, other=offer, user=world.staff, useful=True, family="x")
    MatchFeedback.objects.create(opportunity=offer, other=request_o4, user=world.outsider, useful=False, family="x")
    ExpressionOfInterest.objects.create(opportunity=request_o3, organisation=world.o1, message="Interested.")


def _events(world: SimpleNamespace) -> None:
    """One event; participants O1, O3, O4, O5. Requests (sent 11-18): R1 O1->O3 accepted, R2 O3->O5
    accepted, R3 O1->O4 declined, R4 O5->O1 pending, R5 O4->O5 accepted. Meetings (slots on 11-20):
    M1 (R1) checked in, M2 (R2) no-show, M3 (R5) scheduled. Ratings of M1: O1 "cooperation possible"
    (a lead), O3 "informative"."""
    event = EventFactory(created_by=world.staff)
    world.event = event
    first = Slot.objects.create(event=event, starts_at=at(20, 9), minutes=30)
    second = Slot.objects.create(event=event, starts_at=at(20, 11), minutes=30)
    participants = {
        key: Participant.objects.create(event=event, organisation=getattr(world, key), status="approved")
        for key in ("o1", "o3", "o4", "o5")
    }

    def request(requester: str, recipient: str, status: str) -> MeetingRequest:
        made = MeetingRequest.objects.create(
            event=event,
            requester=participants[requester],
            recipient=participants[recipient],
            status=status,
            decline_reason="not_relevant" if status == "declined" else "",
            created_by=world.staff,
        )
        MeetingRequest.objects.filter(pk=made.pk).update(created_at=at(18))
        return made

    r1 = request("o1", "o3", "accepted")
    r2 = request("o3", "o5", "accepted")
    request("o1", "o4", "declined")
    request("o5", "o1", "pending")
    r5 = request("o4", "o5", "accepted")
    m1 = Meeting.objects.create(event=event, request=r1, slot=first, status="checked_in")
    Meeting.objects.create(event=event, request=r2, slot=second, status="no_show")
    Meeting.objects.create(event=event, request=r5, slot=first, status="scheduled")
    for participant, outcome in ((participants["o1"], "cooperation_possible"), (participants["o3"], "informative")):
        rating = MeetingRating.objects.create(meeting=m1, participant=participant, outcome=outcome)
        MeetingRating.objects.filter(pk=rating.pk).update(created_at=at(21))


def _deal(world: SimpleNamespace, parties: list[Any], stages: list[tuple[str, datetime]]) -> Deal:
    deal = Deal.objects.create(title="Fixture deal", subject="licence", stage=stages[-1][0])
    Deal.objects.filter(pk=deal.pk).update(created_at=stages[0][1])
    for organisation in parties:
        DealParty.objects.create(deal=deal, organisation=organisation)
    before = ""
    for stage, when in stages:
        entry = DealEvent.objects.create(
            deal=deal, kind="created" if not before else "stage_changed", from_stage=before, to_stage=stage
        )
        DealEvent.objects.filter(pk=entry.pk).update(created_at=when)
        before = stage
    return deal


def _deals(world: SimpleNamespace) -> None:
    """D1 (O1, O3): lead 11-01, proposal 11-03, under review 11-08. D2 (O5, O3): lead 11-02, proposal
    11-06. D3 (O4, O1): lead 11-05. Stays that ended: lead 2 and 4 days, proposal 5 days."""
    _deal(world, [world.o1, world.o3], [("lead", at(1)), ("proposal", at(3)), ("under_review", at(8))])
    _deal(world, [world.o5, world.o3], [("lead", at(2)), ("proposal", at(6))])
    _deal(world, [world.o4, world.o1], [("lead", at(5))])


def _assessments(world: SimpleNamespace) -> None:
    """By staff, 11-25: claimed 3 met 2, claimed 3 met 3, none claimed met 1."""
    for claimed, met in ((3, 2), (3, 3), (None, 1)):
        assessment = Assessment.objects.create(
            name="Fixture design",
            file_name="design.yaml",
            design_text="{}",
            created_by=world.staff,
            tier=met,
            claimed_tier=claimed,
            availability=0.999,
            downtime_minutes=500.0,
            years=10,
            seed=1,
            result={},
        )
        Assessment.objects.filter(pk=assessment.pk).update(created_at=at(25) + timedelta(minutes=met))
