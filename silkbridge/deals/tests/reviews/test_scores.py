"""Scores are whole numbers from 0 to 5: anything else is refused naming the criterion, and nothing of
the save is stored; submitting needs every criterion scored."""

from __future__ import annotations

import pytest

from silkbridge.deals.models import ReviewScore
from silkbridge.deals.services import reviews as services
from silkbridge.deals.tests.reviews.factories import appoint_clear, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleared():
    w = world()
    w.assignment = appoint_clear(w.chair, w.proposal, w.alice)
    return w


@pytest.mark.parametrize("bad", [6, -1, "x", "2.5", True])
def test_a_score_outside_0_to_5_is_refused_naming_the_criterion_and_nothing_is_stored(cleared, bad):
    first, second, _third = cleared.criteria
    with pytest.raises(services.ValidationError) as refused:
        services.review_save(
            actor=cleared.alice,
            assignment=cleared.assignment,
            scores={first.pk: (4, "fine"), second.pk: (bad, "bad one")},
            comment="overall",
        )
    assert refused.value.message_dict == {
        f"score_{second.pk}": ["“Team and experience”: a score is a whole number from 0 to 5."]
    }
    assert ReviewScore.objects.count() == 0
    cleared.assignment.refresh_from_db()
    assert cleared.assignment.comment == ""


def test_the_page_refuses_a_6_beside_the_criterion(cleared, client):
    first, second, _third = cleared.criteria
    client.force_login(cleared.alice)
    response = client.post(
        f"/deals/reviews/{cleared.assignment.pk}/scores/",
        {f"score_{first.pk}": "6", f"score_{second.pk}": "3", "action": "save"},
    )
    assert response.status_code == 400
    assert "“Technical approach”: a score is a whole number from 0 to 5." in response.content.decode()
    assert ReviewScore.objects.count() == 0


def test_the_api_refuses_a_minus_one_naming_the_criterion(cleared, client):
    first = cleared.criteria[0]
    client.force_login(cleared.alice)
    response = client.put(
        f"/api/v1/deals/reviews/{cleared.assignment.pk}/scores",
        {"scores": [{"criterion": first.pk, "score": -1}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": f"body.score_{first.pk}", "message": "“Technical approach”: a score is a whole number from 0 to 5."}
    ]
    assert ReviewScore.objects.count() == 0


def test_drafts_then_submit_needs_every_criterion(cleared, client):
    first, second, third = cleared.criteria
    client.force_login(cleared.alice)
    page = client.get(f"/deals/reviews/{cleared.assignment.pk}/").content.decode()
    assert "Level 3 in English" in page  # each score's anchor
    response = client.post(
        f"/deals/reviews/{cleared.assignment.pk}/scores/",
        {f"score_{first.pk}": "4", f"comment_{first.pk}": "Solid design", "action": "submit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“Team and experience”: give a score before submitting." in html
    assert "“Timeline”: give a score before submitting." in html
    cleared.assignment.refresh_from_db()
    assert cleared.assignment.submitted_at is None
    # The save before the refused submission is one transaction with it: nothing stored either.
    assert ReviewScore.objects.count() == 0
    response = client.post(
        f"/deals/reviews/{cleared.assignment.pk}/scores/",
        {f"score_{first.pk}": "4", f"comment_{first.pk}": "Solid design", "action": "save"},
    )
    assert response.status_code == 302
    assert list(ReviewScore.objects.values_list("score", "comment")) == [(4, "Solid design")]
    response = client.post(
        f"/deals/reviews/{cleared.assignment.pk}/scores/",
        {f"score_{first.pk}": "4", f"score_{second.pk}": "0", f"score_{third.pk}": "5", "action": "submit"},
    )
    assert response.status_code == 302
    cleared.assignment.refresh_from_db()
    assert cleared.assignment.submitted_at is not None


def test_the_page_shows_anchors_in_the_readers_language(cleared, client):
    cleared.alice.language = "zh-hans"
    cleared.alice.save(update_fields=["language"])
    client.force_login(cleared.alice)
    page = client.get(f"/deals/reviews/{cleared.assignment.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "第3级" in html
    assert "Technical approach（中文）" in html
