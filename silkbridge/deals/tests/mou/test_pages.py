"""The MoU pages: both languages side by side, the editor (add, remove, reorder, save with a note),
the comparison of two versions, comments, and the pages in Urdu (right to left) and Chinese."""

from __future__ import annotations

import pytest
from django.test import Client

from silkbridge.deals.models import ClauseComment, Mou, MouVersion
from silkbridge.deals.services.mou import mou_save
from silkbridge.deals.tests.mou.factories import clauses_of, deal_with_parties, drafted

pytestmark = pytest.mark.django_db


def _client(user, language: str = "en") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _editor_post(mou: Mou, clauses: list[dict[str, str]], **extra: str) -> dict[str, str]:
    data = {"clause_count": str(len(clauses)), "base_version": str(mou.version), "note": ""}
    for index, clause in enumerate(clauses):
        for name, value in clause.items():
            data[f"clause-{index}-{name}"] = value
    data.update(extra)
    return data


def _posted_clauses(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The clause keys the re-shown editor carries, in order."""
    import re

    return re.findall(r'name="clause-\d+-key" value="([^"]+)"', response.content.decode())


def test_the_mou_page_shows_both_texts_side_by_side_and_right_to_left_for_urdu():
    mou, people = drafted(second_language="ur", clause_keys=["parties", "language"])

    html = _client(people["company_member"], "ur").get(f"/deals/mous/{mou.reference}/").content.decode()

    assert '<html lang="ur" dir="rtl">' in html  # the whole page is right to left
    assert '<div lang="en" dir="ltr"><h3>1. Parties</h3>' in html
    assert '<div lang="ur" dir="rtl"><h3>1. فریقین</h3>' in html
    assert "یہ مفاہمتی یادداشت" in html
    assert "deals/mou.css" in html
    assert f"/deals/mous/{mou.reference}/versions/1/docx/" in html
    assert "Edit the text" not in html
    assert "متن میں ترمیم" not in html


def test_the_editor_reorders_adds_and_removes_clauses_then_saves_a_version_with_a_note():
    mou, people = drafted(second_language="ur", clause_keys=["parties", "purpose", "scope"])
    client = _client(people["authority_member"])
    url = f"/deals/mous/{mou.reference}/edit/"

    editor = client.get(url).content.decode()
    assert 'lang="ur" dir="rtl">' in editor
    assert "<textarea" in editor
    clauses = clauses_of(mou)
    moved = client.post(url, _editor_post(mou, clauses, action="up:2"))
    assert _posted_clauses(moved) == ["parties", "scope", "purpose"]
    clauses = [clauses[0], clauses[2], clauses[1]]
    removed = client.post(url, _editor_post(mou, clauses, action="remove:0"))
    assert _posted_clauses(removed) == ["scope", "purpose"]
    added = client.post(url, _editor_post(mou, clauses[1:], action="add", add_key="financing"))
    assert _posted_clauses(added) == ["scope", "purpose", "financing"]
    assert "یہ یادداشت کسی فریق پر کوئی مالی ذمہ داری عائد نہیں کرتی۔" in added.content.decode()
    assert MouVersion.objects.filter(mou=mou).count() == 1  # nothing stored until "Save"

    final = [
        *clauses[1:],
        {
            "key": "financing",
            "title_en": "Financing",
            "title_other": "مالی انتظامات",
            "text_en": "Each Party bears its own costs.",
            "text_other": "ہر فریق اپنے اخراجات خود برداشت کرے گا۔",
        },
    ]
    saved = client.post(url, _editor_post(mou, final, action="save", note="Financing added"))

    assert saved.status_code == 302
    version = MouVersion.objects.get(mou=mou, number=2)
    assert [clause["key"] for clause in version.clauses] == ["scope", "purpose", "financing"]
    assert (version.note, version.saved_by) == ("Financing added", people["authority_member"])


def test_the_editor_shows_an_empty_text_beside_the_form_and_stores_nothing():
    mou, people = drafted(second_language="zh", clause_keys=["parties"])
    clauses = clauses_of(mou)
    clauses[0]["text_other"] = ""

    response = _client(people["staff"]).post(
        f"/deals/mous/{mou.reference}/edit/", _editor_post(mou, clauses, action="save")
    )

    assert response.status_code == 200
    assert "Clause 1 (parties): the text in the second language is empty." in response.content.decode()
    assert MouVersion.objects.filter(mou=mou).count() == 1


def test_a_party_member_without_authority_may_not_open_the_editor():
    mou, people = drafted(second_language="zh", clause_keys=["parties"])
    assert _client(people["company_member"]).get(f"/deals/mous/{mou.reference}/edit/").status_code == 403


def test_the_comparison_marks_the_words_changed_in_each_language():
    mou, people = drafted(second_language="zh", clause_keys=["parties", "termination", "financing"])
    clauses = clauses_of(mou)
    clauses[1]["text_en"] = clauses[1]["text_en"].replace("ninety (90)", "sixty (60)")
    mou_save(actor=people["staff"], mou=mou, clauses=clauses)
    clauses[2]["text_other"] = clauses[2]["text_other"].replace("费用", "开支")
    mou_save(actor=people["staff"], mou=mou, clauses=clauses)

    html = (
        _client(people["company_member"], "zh-hans")
        .get(f"/deals/mous/{mou.reference}/compare/", {"from_number": 1, "to_number": 3})
        .content.decode()
    )

    assert "<del>ninety</del>" in html
    assert "<ins>sixty</ins>" in html
    assert "<del>费用</del><ins>开支</ins>" in html
    assert html.count('class="status badge"') == 3


def test_a_party_member_comments_on_a_clause_from_the_page():
    mou, people = drafted(second_language="zh", clause_keys=["parties", "termination"])
    client = _client(people["company_member"])

    response = client.post(
        f"/deals/mous/{mou.reference}/comment/", {"clause_key": "termination", "text": "Sixty days, please."}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#clause-termination")
    comment = ClauseComment.objects.get(mou=mou)
    assert (comment.clause_key, comment.version, comment.text) == ("termination", 1, "Sixty days, please.")
    assert "Sixty days, please." in client.get(f"/deals/mous/{mou.reference}/").content.decode()


def test_drafting_from_the_deal_page_form():
    deal, people = deal_with_parties()
    client = _client(people["authority_member"], "zh-hans")

    form = client.get(f"/deals/mous/new/{deal.reference}/").content.decode()
    assert 'name="clause_keys"' in form
    response = client.post(
        f"/deals/mous/new/{deal.reference}/",
        {
            "title": "谅解备忘录：伊斯兰堡数据中心",
            "second_language": "zh",
            "counterpart": "foreign_private",
            "duration_years": "3",
            "clause_keys": ["parties", "duration-renewal"],
        },
    )

    mou = Mou.objects.get(deal=deal)
    assert response.status_code == 302
    assert response["Location"] == f"/deals/mous/{mou.reference}/"
    assert mou.clauses.get(key="duration-renewal").text_other.startswith("本备忘录自双方签字之日起生效，有效期为3年。")


@pytest.mark.parametrize("language", ["en", "zh-hans", "ur"])
def test_the_pages_render_in_each_language(language):
    mou, people = drafted(second_language="zh", clause_keys=["parties", "termination"])
    clauses = clauses_of(mou)
    clauses[1]["text_en"] += " Amended."
    mou_save(actor=people["staff"], mou=mou, clauses=clauses)
    client = _client(people["authority_member"], language)
    for url in (
        "/deals/mous/",
        f"/deals/mous/{mou.reference}/",
        f"/deals/mous/{mou.reference}/edit/",
        f"/deals/mous/{mou.reference}/compare/?from_number=1&to_number=2",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Traceback" not in response.content.decode()
