"""Blind review: a reviewer sees nothing of another reviewer's scores or comments until their own review
is submitted; afterwards the others' submitted reviews (never drafts) — on the page and in the API."""

from __future__ import annotations

import pytest

from silkbridge.deals.services import reviews as services
from silkbridge.deals.tests.reviews.factories import appoint_clear, world

pytestmark = pytest.mark.django_db


def test_reviewer_b_sees_nothing_of_a_before_submitting_and_a_after(client):
    w = world()
    first, second, third = w.criteria
    a = appoint_clear(w.chair, w.proposal, w.alice)
    b = appoint_clear(w.chair, w.proposal, w.bob)
    services.review_save(
        actor=w.alice,
        assignment=a,
        scores={first.pk: (4, "Alpha-comment-approach"), second.pk: (2, "Alpha-comment-team"), third.pk: (5, "")},
        comment="Alpha overall view",
    )
    services.review_submit(actor=w.alice, assignment=a)
    services.review_save(actor=w.bob, assignment=b, scores={first.pk: (1, "Bravo draft comment")})

    client.force_login(w.bob)
    before = client.get(f"/deals/reviews/{b.pk}/").content.decode()
    assert "Alpha-comment-approach" not in before
    assert "Alpha overall view" not in before
    assert "Alice Reviewer" not in before
    api_before = client.get(f"/api/v1/deals/reviews/{b.pk}").json()
    assert api_before["others"] == []
    assert "Alpha" not in str(api_before)

    # A, having submitted, sees no draft of B's.
    client.force_login(w.alice)
    alice_view = client.get(f"/deals/reviews/{a.pk}/").content.decode()
    assert "Bravo draft comment" not in alice_view
    assert client.get(f"/api/v1/deals/reviews/{a.pk}").json()["others"] == []

    client.force_login(w.bob)
    response = client.put(
        f"/api/v1/deals/reviews/{b.pk}/scores",
        {
            "scores": [
                {"criterion": first.pk, "score": 1, "comment": "Bravo final"},
                {"criterion": second.pk, "score": 3},
                {"criterion": third.pk, "score": 3},
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.post(f"/api/v1/deals/reviews/{b.pk}/submit").status_code == 200

    after = client.get(f"/deals/reviews/{b.pk}/").content.decode()
    assert "Alpha-comment-approach" in after
    assert "Alice Reviewer" in after
    others = client.get(f"/api/v1/deals/reviews/{b.pk}").json()["others"]
    assert len(others) == 1
    assert others[0]["reviewer"] == "Alice Reviewer"
    assert [line["score"] for line in others[0]["scores"]] == [4, 2, 5]
    # 4×50 + 2×30 + 5×20 = 360 of 500
    assert others[0]["weighted_score"] == "72.00"


def test_a_submitted_review_is_frozen():
    w = world()
    first, _second, _third = w.criteria
    a = appoint_clear(w.chair, w.proposal, w.alice)
    services.review_save(actor=w.alice, assignment=a, scores={c.pk: (3, "") for c in w.criteria})
    services.review_submit(actor=w.alice, assignment=a)
    with pytest.raises(services.ValidationError):
        services.review_save(actor=w.alice, assignment=a, scores={first.pk: (5, "changed")})
    with pytest.raises(services.ValidationError):
        services.review_submit(actor=w.alice, assignment=a)
    assert list(a.scores.order_by("criterion__position").values_list("score", "comment")) == [(3, "")] * 3
