"""MoU drafting: the library's placeholders filled in both languages, every save a version, the
clause-by-clause difference, comments, and refusals that store nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from silkbridge.deals.models import ClauseComment, ClauseTemplate, Mou, MouClause, MouEvent, MouVersion
from silkbridge.deals.selectors.mou import mou_diff
from silkbridge.deals.services.mou import clause_comment, mou_draft, mou_save
from silkbridge.deals.tests.mou.factories import (
    AUTHORITY_NAME,
    AUTHORITY_NAME_UR,
    COMPANY_NAME,
    COMPANY_NAME_ZH,
    clauses_of,
    deal_with_parties,
    drafted,
    outsider,
)

pytestmark = pytest.mark.django_db

LIBRARY_KEYS = [
    "parties",
    "purpose",
    "scope",
    "obligations-party-a",
    "obligations-party-b",
    "confidentiality",
    "intellectual-property",
    "financing",
    "duration-renewal",
    "termination",
    "governing-law",
    "language",
    "signature",
]


def _clause(mou: Mou, key: str) -> MouClause:
    return mou.clauses.get(key=key)


def _snapshot(mou: Mou) -> tuple:
    mou.refresh_from_db()
    return (
        mou.version,
        mou.status,
        list(MouVersion.objects.filter(mou=mou).values_list("number", flat=True)),
        clauses_of(mou),
        MouEvent.objects.filter(mou=mou).count(),
        ClauseComment.objects.filter(mou=mou).count(),
    )


def test_the_library_is_installed_by_the_migration_in_three_languages():
    library = list(ClauseTemplate.objects.order_by("position"))
    assert [clause.key for clause in library] == LIBRARY_KEYS
    for clause in library:
        assert clause.title_en
        assert clause.title_zh
        assert clause.title_ur
        assert clause.text_en
        assert clause.text_zh
        assert clause.text_ur
    language = ClauseTemplate.objects.get(key="language")
    assert "both texts are equally authentic" in language.text_en
    assert "两种文本同等作准" in language.text_zh
    assert "یکساں طور پر مستند" in language.text_ur


def test_drafting_fills_the_placeholders_in_english_and_chinese():
    mou, people = drafted(second_language="zh", duration_years=10)

    assert mou.version == 1
    assert [clause.key for clause in mou.clauses.order_by("position")] == LIBRARY_KEYS
    parties = _clause(mou, "parties")
    # Party A is the deal's authority, although the company joined the deal first.
    assert parties.text_en == (
        f'This Memorandum of Understanding (the "Memorandum") is made between {AUTHORITY_NAME} ("Party A") '
        f'and {COMPANY_NAME} ("Party B"), each referred to as a "Party" and together as the "Parties".'
    )
    assert parties.text_other == (
        f"本谅解备忘录（以下简称“本备忘录”）由{AUTHORITY_NAME}（以下简称“甲方”）与{COMPANY_NAME_ZH}"
        "（以下简称“乙方”）签订，甲方和乙方单独称“一方”，合称“双方”。"
    )
    assert parties.title_other == "双方"
    obligations = _clause(mou, "obligations-party-b")
    assert obligations.title_en == f"Obligations of {COMPANY_NAME}"
    assert obligations.title_other == f"{COMPANY_NAME_ZH}的义务"
    duration = _clause(mou, "duration-renewal")
    assert duration.text_en.startswith(
        "This Memorandum enters into force on the date of its signature by both Parties and remains in force "
        "for 10 years."
    )
    assert duration.text_other.startswith("本备忘录自双方签字之日起生效，有效期为10年。")
    assert _clause(mou, "governing-law").text_other.startswith("本备忘录受巴基斯坦法律管辖并依其解释。")
    assert _clause(mou, "language").text_en.startswith(
        "This Memorandum is done in two originals, each in the English and Chinese languages; both texts are "
        "equally authentic."
    )
    assert _clause(mou, "language").text_other.startswith(
        "本备忘录一式两份，每份均以英文和中文写成，两种文本同等作准。"
    )
    assert "{" not in "".join(clause.text_en + clause.text_other + clause.title_other for clause in mou.clauses.all())
    version = MouVersion.objects.get(mou=mou, number=1)
    assert version.clauses == clauses_of(mou)
    assert version.saved_by == people["authority_member"]
    event = MouEvent.objects.get(mou=mou)
    assert (event.kind, event.actor, event.changes["version"]) == ("created", people["authority_member"], [None, 1])


def test_drafting_in_urdu_fills_the_urdu_names():
    mou, _people = drafted(second_language="ur", clause_keys=["parties", "purpose", "language"])

    assert [clause.key for clause in mou.clauses.order_by("position")] == ["parties", "purpose", "language"]
    assert _clause(mou, "parties").text_other == (
        f'یہ مفاہمتی یادداشت (جسے آگے "یادداشت" کہا گیا ہے) {AUTHORITY_NAME_UR} (جسے آگے "فریقِ اوّل" کہا گیا ہے) '
        f'اور {COMPANY_NAME} (جسے آگے "فریقِ دوم" کہا گیا ہے) کے درمیان طے پائی ہے، جنہیں انفرادی طور پر "فریق" '
        'اور مشترکہ طور پر "فریقین" کہا گیا ہے۔'
    )
    assert _clause(mou, "language").text_other.startswith(
        "یہ یادداشت دو اصل نسخوں میں تحریر کی گئی ہے، ہر نسخہ انگریزی اور اردو زبانوں میں ہے"
    )
    assert "the English and Urdu languages" in _clause(mou, "language").text_en


def test_every_save_is_a_version_and_the_diff_lists_exactly_the_changed_clauses():
    mou, people = drafted(second_language="zh")
    author = people["authority_member"]

    second = clauses_of(mou)
    confidentiality = next(clause for clause in second if clause["key"] == "confidentiality")
    confidentiality["text_en"] = confidentiality["text_en"].replace("for three years", "for five years")
    mou_save(actor=author, mou=mou, clauses=second, note="Five years of confidentiality")

    third = clauses_of(mou)
    termination = next(clause for clause in third if clause["key"] == "termination")
    termination["text_other"] = termination["text_other"].replace("九十（90）天", "六十（60）天")
    third = [clause for clause in third if clause["key"] != "financing"]
    third.insert(1, third.pop(third.index(next(c for c in third if c["key"] == "scope"))))  # same order: no change
    version = mou_save(actor=people["staff"], mou=mou, clauses=third, note="")

    mou.refresh_from_db()
    assert (mou.version, version.number) == (3, 3)
    assert list(MouVersion.objects.filter(mou=mou).values_list("number", "note")) == [
        (1, ""),
        (2, "Five years of confidentiality"),
        (3, ""),
    ]
    changes = mou_diff(viewer=author, mou=mou, from_number=1, to_number=3)
    assert [(change.key, change.status) for change in changes if change.status != "same"] == [
        ("confidentiality", "changed"),
        ("financing", "removed"),
        ("termination", "changed"),
    ]
    confidentiality_change = next(change for change in changes if change.key == "confidentiality")
    assert [field.name for field in confidentiality_change.fields] == ["text_en"]
    assert [
        (piece.operation, piece.text) for piece in confidentiality_change.fields[0].pieces if piece.operation != "same"
    ] == [
        ("removed", "three"),
        ("added", "five"),
    ]
    termination_change = next(change for change in changes if change.key == "termination")
    assert [field.name for field in termination_change.fields] == ["text_other"]
    assert [
        (piece.operation, piece.text) for piece in termination_change.fields[0].pieces if piece.operation != "same"
    ] == [
        ("removed", "九"),  # Chinese is compared character by character
        ("added", "六"),
        ("removed", "90"),
        ("added", "60"),
    ]
    saved = MouEvent.objects.filter(mou=mou, kind="saved").order_by("pk")
    assert [event.changes for event in saved] == [
        {"version": [1, 2], "changed": ["confidentiality"]},
        {"version": [2, 3], "removed": ["financing"], "changed": ["termination"]},
    ]


def test_reordering_adding_and_removing_clauses_is_a_version():
    mou, people = drafted(second_language="zh", clause_keys=["parties", "purpose", "scope"])
    clauses = clauses_of(mou)
    clauses.reverse()
    clauses.append(
        {
            "key": "data-protection",
            "title_en": "Data protection",
            "title_other": "数据保护",
            "text_en": "Personal data stays in Pakistan.",
            "text_other": "个人数据存储在巴基斯坦境内。",
        }
    )
    clauses = [clause for clause in clauses if clause["key"] != "purpose"]

    mou_save(actor=people["authority_member"], mou=mou, clauses=clauses)

    assert [clause.key for clause in mou.clauses.order_by("position")] == ["scope", "parties", "data-protection"]
    changes = mou_diff(viewer=people["company_member"], mou=mou, from_number=1, to_number=2)
    assert [(change.key, change.status) for change in changes] == [
        ("scope", "same"),
        ("purpose", "removed"),  # where it stood in version 1
        ("parties", "same"),
        ("data-protection", "added"),
    ]


def test_a_save_after_the_mou_left_drafting_is_refused_and_stores_nothing():
    mou, people = drafted()
    Mou.objects.filter(pk=mou.pk).update(status="vetting")
    before = _snapshot(mou)
    clauses = clauses_of(mou)
    clauses[0]["text_en"] = "Changed during vetting."

    with pytest.raises(ValidationError) as refused:
        mou_save(actor=people["staff"], mou=mou, clauses=clauses, note="too late")

    assert refused.value.message_dict == {
        "status": ["This MoU is no longer being drafted (Routing and vetting); its text cannot be changed."]
    }
    assert _snapshot(mou) == before


def test_empty_texts_are_refused_naming_the_clause_and_store_nothing():
    mou, people = drafted()
    before = _snapshot(mou)
    clauses = clauses_of(mou)
    clauses[5]["text_other"] = "   "
    clauses[7]["title_en"] = ""

    with pytest.raises(ValidationError) as refused:
        mou_save(actor=people["authority_member"], mou=mou, clauses=clauses)

    assert refused.value.message_dict == {
        "clauses": [
            "Clause 6 (confidentiality): the text in the second language is empty.",
            "Clause 8 (financing): the English title is empty.",
        ]
    }
    assert _snapshot(mou) == before


def test_a_save_over_a_newer_version_or_with_no_change_is_refused():
    mou, people = drafted()
    clauses = clauses_of(mou)
    with pytest.raises(ValidationError) as unchanged:
        mou_save(actor=people["staff"], mou=mou, clauses=clauses)
    assert unchanged.value.message_dict == {"clauses": ["Nothing has changed since version 1."]}
    clauses[0]["text_en"] += " Amended."
    mou_save(actor=people["staff"], mou=mou, clauses=clauses, base_version=1)
    before = _snapshot(mou)
    clauses[1]["text_en"] += " Also amended."

    with pytest.raises(ValidationError) as stale:
        mou_save(actor=people["authority_member"], mou=mou, clauses=clauses, base_version=1)

    assert stale.value.message_dict == {
        "base_version": ["Version 2 was saved meanwhile; open the editor again to see it."]
    }
    assert _snapshot(mou) == before


def test_only_staff_and_the_authoritys_members_draft_and_save():
    deal, people = deal_with_parties()
    with pytest.raises(PermissionDenied):
        mou_draft(
            actor=people["company_member"],
            deal=deal,
            second_language="zh",
            counterpart="foreign_private",
            title="Not mine to draft",
        )
    assert not Mou.objects.filter(deal=deal).exists()
    mou = mou_draft(
        actor=people["authority_member"],
        deal=deal,
        second_language="zh",
        counterpart="foreign_private",
        title="Drafted by the authority",
    )
    before = _snapshot(mou)
    clauses = clauses_of(mou)
    clauses[0]["text_en"] = "The company rewrites the parties."
    for actor in (people["company_member"], outsider()):
        with pytest.raises(PermissionDenied):
            mou_save(actor=actor, mou=mou, clauses=clauses)
    assert _snapshot(mou) == before


def test_drafting_refuses_unknown_clauses_and_a_deal_with_one_party():
    deal, people = deal_with_parties()
    with pytest.raises(ValidationError) as unknown:
        mou_draft(
            actor=people["authority_member"],
            deal=deal,
            second_language="zh",
            counterpart="foreign_private",
            title="x",
            clause_keys=["parties", "no-such-clause"],
        )
    assert unknown.value.message_dict == {"clause_keys": ["No such clause in the library: no-such-clause."]}
    deal.parties.filter(organisation=people["company"]).delete()
    with pytest.raises(ValidationError) as alone:
        mou_draft(
            actor=people["authority_member"], deal=deal, second_language="ur", counterpart="foreign_private", title="x"
        )
    assert alone.value.message_dict == {"deal": ["An MoU needs at least two organisations in the deal."]}
    assert not Mou.objects.filter(deal=deal).exists()


def test_any_party_member_comments_on_the_current_version_and_outsiders_may_not():
    mou, people = drafted()
    comment = clause_comment(
        actor=people["company_member"], mou=mou, clause_key="termination", text="We would prefer sixty days."
    )
    assert (comment.clause_key, comment.version, comment.author) == ("termination", 1, people["company_member"])
    assert MouEvent.objects.filter(mou=mou, kind="commented").get().changes == {"clause": "termination", "version": 1}

    before = _snapshot(mou)
    with pytest.raises(PermissionDenied):
        clause_comment(actor=outsider(), mou=mou, clause_key="termination", text="Not my MoU.")
    with pytest.raises(ValidationError) as unknown:
        clause_comment(actor=people["staff"], mou=mou, clause_key="no-such", text="Where?")
    assert unknown.value.message_dict == {"clause_key": ["This MoU has no clause no-such."]}
    assert _snapshot(mou) == before
