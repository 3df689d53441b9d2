"""The technology fields' type-ahead (issue 13): the glossary searched in English, Chinese and Urdu,
synonyms included, labelled in the reader's language; an unknown word comes back as a free keyword
with the concepts nearest to it, never as an error."""

from __future__ import annotations

import pytest

from silkbridge.accounts.tests.factories import PASSWORD
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.tests.factories import XRAY_REQUEST_EN, member
from silkbridge.matching import selectors

pytestmark = pytest.mark.django_db
URL = "/api/v1/glossary/suggestions"


def _codes(rows):
    return [row["code"] for row in rows]


def test_a_chinese_query_finds_the_concept_with_its_english_label_for_an_english_reader(client):
    answer = client.get(URL, {"q": "人脸", "language": "en"})
    assert answer.status_code == 200
    body = answer.json()
    first = body["concepts"][0]
    assert first["code"] == "face_recognition"
    assert first["label"] == "Face recognition"
    assert first["matched"] == "人脸识别"
    assert first["matched_language"] == "zh"
    assert body["free_keyword"] == "人脸"  # a prefix only: the person may still want their own word


def test_an_urdu_synonym_finds_its_concept_labelled_in_urdu_and_counts_as_exact(client):
    body = client.get(URL, {"q": "او سی آر", "language": "ur"}).json()
    assert body["concepts"][0]["code"] == "optical_character_recognition"
    assert body["concepts"][0]["label"] == "آپٹیکل کریکٹر ریکگنیشن"
    assert body["free_keyword"] is None
    assert body["nearest"] == []


def test_the_readers_language_comes_from_the_page_when_not_asked(client):
    client.cookies["django_language"] = "zh-hans"
    body = client.get(URL, {"q": "face recognition"}).json()
    assert body["language"] == "zh"
    assert body["concepts"][0]["label"] == "人脸识别"


def test_an_unknown_word_comes_back_as_a_free_keyword_with_the_nearest_concepts(client):
    body = client.get(URL, {"q": "tractr", "language": "en"}).json()
    assert body["concepts"] == []
    assert body["free_keyword"] == "tractr"
    assert "autonomous_tractor" in _codes(body["nearest"])
    assert all(0 < row["score"] < 1 for row in body["nearest"])


def test_a_word_like_no_concept_is_still_offered_as_a_free_keyword(client):
    body = client.get(URL, {"q": "qqqxxzz", "language": "en"}).json()
    assert body == {"query": "qqqxxzz", "language": "en", "concepts": [], "free_keyword": "qqqxxzz", "nearest": []}


def test_an_over_long_query_is_refused_naming_the_field(client):
    answer = client.get(URL, {"q": "a" * 101})
    assert answer.status_code == 422
    assert [error["field"] for error in answer.json()["errors"]] == ["query.q"]
    with pytest.raises(Exception, match="at most 100"):
        selectors.glossary_suggestions(text="a" * 101, language="en")


def test_the_result_count_is_bounded(client):
    assert len(client.get(URL, {"q": "a", "limit": 5}).json()["concepts"]) == 5
    assert client.get(URL, {"q": "a", "limit": 500}).status_code == 422


def test_the_opportunity_form_saved_through_the_widget_stores_the_concepts(client):
    """The widget submits the chosen labels, comma-separated, in the field the form always had: a
    concept chosen from a Chinese query (by its English label) and one from an Urdu synonym."""
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    form = client.get("/marketplace/new/").content.decode()
    assert 'data-suggest-url="/api/v1/glossary/suggestions"' in form
    chosen = [
        client.get(URL, {"q": "人脸", "language": "en"}).json()["concepts"][0]["label"],
        client.get(URL, {"q": "او سی آر", "language": "en"}).json()["concepts"][0]["label"],
    ]
    response = client.post(
        "/marketplace/new/",
        {
            "organisation": organisation.pk,
            "kind": XRAY_REQUEST_EN["kind"],
            "title": XRAY_REQUEST_EN["title"],
            "description": XRAY_REQUEST_EN["description"],
            "technologies": ", ".join(chosen),
            "visibility": "public",
            "action": "draft",
        },
    )
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert sorted(opportunity.concepts.values_list("code", flat=True)) == [
        "face_recognition",
        "optical_character_recognition",
    ]
    assert opportunity.keywords == []


def test_a_free_keyword_chosen_in_the_form_is_kept_beside_the_concepts_never_refused(client):
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    keyword = client.get(URL, {"q": "tractr", "language": "en"}).json()["free_keyword"]
    response = client.post(
        "/marketplace/new/",
        {
            "organisation": organisation.pk,
            "kind": XRAY_REQUEST_EN["kind"],
            "title": XRAY_REQUEST_EN["title"],
            "description": XRAY_REQUEST_EN["description"],
            "technologies": f"人脸识别, {keyword}",
            "visibility": "public",
            "action": "draft",
        },
    )
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert list(opportunity.concepts.values_list("code", flat=True)) == ["face_recognition"]
    assert opportunity.keywords == ["tractr"]
    detail = client.get(f"/marketplace/{opportunity.pk}/").content.decode()
    assert "<bdi>tractr</bdi>" in detail
    edit_form = client.get(f"/marketplace/{opportunity.pk}/edit/").content.decode()
    assert 'value="Face recognition, tractr"' in edit_form


def test_the_api_takes_free_keywords_explicitly_and_bounds_them(client):
    """The API keeps `concepts` strict (a client learns of a typo) and takes free keywords by name."""
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    body = {"organisation": organisation.key, **XRAY_REQUEST_EN, "concepts": ["人脸识别"], "keywords": ["tractr"]}
    created = client.post("/api/v1/opportunities", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["keywords"] == ["tractr"]
    assert created.json()["concepts"] == ["face_recognition"]
    too_long = {**body, "keywords": ["k" * 101]}
    refused = client.post("/api/v1/opportunities", too_long, content_type="application/json")
    assert refused.status_code == 422
    assert "body.keywords" in [error["field"] for error in refused.json()["errors"]]
    assert Opportunity.objects.count() == 1
