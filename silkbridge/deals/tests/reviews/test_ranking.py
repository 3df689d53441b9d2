"""The chair's view of a call, worked by hand: each review's weighted score, the mean, the spread per
criterion flagged at 2 points, and the ranking with its tie-break (rubric: Technical approach 50,
Team and experience 30, Timeline 20; a weighted score is Σ score × weight over 5 × 100, out of 100)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.deals.engine import rubric
from silkbridge.deals.selectors import reviews as selectors
from silkbridge.deals.tests.reviews.factories import make_proposal, member_of, review, world
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    """P1: 4/3/5 → 78.00 and 2/3/4 → 54.00, mean 66.00 (approach 2 to 4: flagged).
    P2: 3/4/3 → 66.00 and 4/3/2 → 66.00, mean 66.00 — tied with P1, but its mean on the heaviest
    criterion is 3.50 against P1's 3.00, so it ranks above.
    P3: 5/5/5 → 100.00 and 1/5/5 → 60.00, mean 80.00 (approach 1 to 5: flagged).
    P4: submitted, no review yet."""
    w = world()
    approach, team, timeline = w.criteria
    now = timezone.now()
    w.p1 = w.proposal
    w.p2 = make_proposal(call=w.call, title="Second proposal", submitted_at=now - timedelta(days=3))
    w.p3 = make_proposal(call=w.call, title="Third proposal", submitted_at=now - timedelta(days=4))
    w.p4 = make_proposal(call=w.call, title="Fourth proposal")
    sheets = {
        w.p1: ({approach: 4, team: 3, timeline: 5}, {approach: 2, team: 3, timeline: 4}),
        w.p2: ({approach: 3, team: 4, timeline: 3}, {approach: 4, team: 3, timeline: 2}),
        w.p3: ({approach: 5, team: 5, timeline: 5}, {approach: 1, team: 5, timeline: 5}),
    }
    for proposal, (first, second) in sheets.items():
        review(w.chair, proposal, w.alice, first, comment="Alice")
        review(w.chair, proposal, w.bob, second, comment="Bob")
    return w


def test_the_ranking_and_spreads_are_exact(scored):
    ranking = selectors.call_ranking(viewer=scored.chair, call=scored.call)
    assert not ranking.is_sealed
    assert [entry.proposal for entry in ranking.ranked] == [scored.p3, scored.p2, scored.p1]
    assert [entry.technical for entry in ranking.ranked] == [Decimal("80.00"), Decimal("66.00"), Decimal("66.00")]
    assert [[review.weighted for review in entry.reviews] for entry in ranking.ranked] == [
        [Decimal("100.00"), Decimal("60.00")],
        [Decimal("66.00"), Decimal("66.00")],
        [Decimal("78.00"), Decimal("54.00")],
    ]
    p3, p2, p1 = ranking.ranked
    assert [(s.criterion.name_en, s.lowest, s.highest, s.mean, s.differs) for s in p1.spreads] == [
        ("Technical approach", 2, 4, Decimal("3.00"), True),
        ("Team and experience", 3, 3, Decimal("3.00"), False),
        ("Timeline", 4, 5, Decimal("4.50"), False),
    ]
    assert [s.differs for s in p2.spreads] == [False, False, False]
    assert [(s.lowest, s.highest, s.differs) for s in p3.spreads] == [(1, 5, True), (5, 5, False), (5, 5, False)]
    assert [entry.proposal for entry in ranking.unscored] == [scored.p4]
    assert ranking.tie_break_rule.startswith("Equal scores are ordered by the mean score on the criterion")


def test_the_api_ranking_says_the_same(scored, client):
    client.force_login(scored.chair)
    data = client.get(f"/api/v1/deals/reviews/calls/{scored.call.slug}/ranking").json()
    assert [(item["rank"], item["proposal"]["title"], item["technical_score"]) for item in data["proposals"]] == [
        (1, "Third proposal", "80.00"),
        (2, "Second proposal", "66.00"),
        (3, scored.p1.title, "66.00"),
        (None, "Fourth proposal", None),
    ]
    assert [spread["differs"] for spread in data["proposals"][2]["spreads"]] == [True, False, False]
    assert [review["weighted_score"] for review in data["proposals"][2]["reviews"]] == ["78.00", "54.00"]
    assert data["tie_break_rule"] == rubric.TIE_BREAK_RULE  # the engine's rule, in English for this reader


def test_the_chair_page_shows_ranking_flags_and_rule(scored, client):
    client.force_login(scored.chair)
    html = client.get(f"/deals/reviews/calls/{scored.call.slug}/").content.decode()
    assert html.index("Third proposal") < html.index("Second proposal") < html.index(scored.p1.title)
    assert "Equal scores are ordered by the mean score" in html
    assert html.count('class="spread-differs"') == 2
    assert "78.00 / 100" in html


def test_only_the_calling_body_sees_it(scored, client):
    outsider = UserFactory()
    other_body = member_of(OrganisationFactory())
    for user in (outsider, other_body, scored.submitter):
        client.force_login(user)
        assert client.get(f"/deals/reviews/calls/{scored.call.slug}/").status_code == 404
        assert client.get(f"/api/v1/deals/reviews/calls/{scored.call.slug}/ranking").status_code == 404
    client.force_login(UserFactory(role="staff"))
    assert client.get(f"/api/v1/deals/reviews/calls/{scored.call.slug}/ranking").status_code == 200


def test_before_the_deadline_the_ranking_is_sealed(client):
    w = world(deadline_in=timedelta(hours=2))
    client.force_login(w.chair)
    data = client.get(f"/api/v1/deals/reviews/calls/{w.call.slug}/ranking").json()
    assert data["is_sealed"] is True
    assert data["proposals"] == []
    assert client.get(f"/deals/reviews/proposals/{w.proposal.reference}/").status_code == 404
    assert w.proposal.title not in client.get(f"/deals/reviews/calls/{w.call.slug}/").content.decode()
