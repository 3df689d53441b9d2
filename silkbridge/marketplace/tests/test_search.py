"""Marketplace search: the directory's search module over the profiles' own index, in English,
Chinese and Urdu with the glossary, written in the transaction of every edit, and never showing
what the profile selector hides."""

from __future__ import annotations

import pytest
from django.db import transaction

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.common.text import index_document
from silkbridge.directory.models import Concept, Sector
from silkbridge.directory.search import document_terms
from silkbridge.marketplace import services
from silkbridge.marketplace.filtersets import OpportunityFilterSet
from silkbridge.marketplace.models import Opportunity, OpportunitySearchToken
from silkbridge.marketplace.selectors import opportunities_browse
from silkbridge.marketplace.tests.factories import CROP_REQUEST_UR, member, published

pytestmark = pytest.mark.django_db

IMAGING_ZH = {
    "kind": "technology_offer",
    "title": "人工智能医疗影像诊断系统",
    "description": "为医院提供胸片和CT的辅助诊断，支持技术许可。",
    "trl": 7,
    "deal_types": ["licence"],
}
CAMEL_ZH = {
    "kind": "technology_offer",
    "title": "骆驼奶巴氏杀菌设备",
    "description": "小型乳品厂使用的骆驼奶巴氏杀菌生产线，可在牧区安装。",
    "trl": 8,
    "deal_types": ["licence", "joint_venture"],
}


@pytest.fixture
def camel_milk_concept():
    terms = ["Camel milk pasteurisation", "骆驼奶巴氏杀菌", "اونٹنی کے دودھ کی پاسچرائزیشن", "camel dairy processing"]
    return Concept.objects.create(
        code="test_camel_milk",
        sector=Sector.objects.get(code="biotech.food"),
        label_en=terms[0],
        label_zh=terms[1],
        label_ur=terms[2],
        synonyms={"en": [terms[3]], "zh": [], "ur": []},
        search_document=index_document(terms),
    )


def opportunities_search(*, viewer, **filters):
    """The marketplace list as the page and the API filter it (the one FilterSet)."""
    filterset = OpportunityFilterSet(filters, queryset=opportunities_browse(viewer))
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def _titles(viewer, query):
    return sorted(opportunities_search(viewer=viewer, q=query).values_list("title", flat=True))


def test_chinese_words_find_a_profile_whatever_their_order_and_without_spaces():
    profile = published(country="CN", refresh=False, **IMAGING_ZH)
    published(country="CN", refresh=False, **CAMEL_ZH)
    reader = UserFactory()
    # The words are cut out of the compound; a substring test finds neither reordered query.
    assert _titles(reader, "医疗影像 人工智能") == [profile.title]
    assert _titles(reader, "影像诊断") == [profile.title]
    assert _titles(reader, "人工智能 骆驼") == []


def test_urdu_words_find_a_profile_written_with_other_letter_forms():
    profile = published(refresh=False, **CROP_REQUEST_UR)
    reader = UserFactory()
    # Arabic yeh (U+064A) and kaf (U+0643), as an Arabic keyboard types them; the profile has the
    # Urdu forms (U+06CC, U+06A9).
    arabic_forms = "\u0628\u064a\u0645\u0627\u0631\u064a\u0648\u06ba \u06a9\u067e\u0627\u0633"
    assert _titles(reader, arabic_forms) == [profile.title]
    assert _titles(reader, "گندم") == [profile.title]


def test_an_english_glossary_synonym_finds_a_profile_written_in_chinese(camel_milk_concept):
    camel = published(country="CN", refresh=False, **CAMEL_ZH)
    published(country="CN", refresh=False, **IMAGING_ZH)
    reader = UserFactory()
    assert _titles(reader, "camel dairy processing") == [camel.title]
    assert _titles(reader, "Camel milk pasteurisation") == [camel.title]
    assert _titles(reader, "اونٹنی کے دودھ کی پاسچرائزیشن") == [camel.title]
    # Every unit must match: the concept and a word the profile does not have.
    assert _titles(reader, "camel dairy processing blockchain") == []


def test_an_english_word_finds_words_it_begins_and_filters_still_apply():
    owner, organisation = member()
    profile = published(
        organisation,
        owner,
        refresh=False,
        kind="technology_request",
        title="Hydroponic greenhouses for Sindh",
        description="We look for hydroponics suppliers.",
        deal_types=["licence"],
    )
    reader = UserFactory()
    assert _titles(reader, "hydro") == [profile.title]
    assert _titles(reader, "greenhouse") == [profile.title]
    assert list(opportunities_search(viewer=reader, q="hydro", kind="technology_offer")) == []


def test_an_edit_replaces_the_words_in_its_own_transaction():
    owner, organisation = member()
    profile = published(organisation, owner, refresh=False, **IMAGING_ZH)
    staff, reader = StaffFactory(), UserFactory()
    services.opportunity_update(actor=staff, opportunity=profile, fields={"title": "Solar pumps for orchards"})
    # No on-commit hook has run (the test's transaction never commits): the rows are already there.
    assert _titles(reader, "orchard") == ["Solar pumps for orchards"]
    assert _titles(reader, "诊断系统") == []
    profile.refresh_from_db()
    expected = document_terms(
        [profile.title, profile.summary, profile.description],
        concept_ids=profile.concepts.values_list("pk", flat=True),
        sector_ids=profile.sectors.values_list("pk", flat=True),
    )
    # (the labels of its technologies and sectors are rows too)
    assert expected <= set(OpportunitySearchToken.objects.filter(document=profile).values_list("term", flat=True))


def test_an_edit_that_is_rolled_back_leaves_the_index_as_it_was():
    owner, organisation = member()
    profile = published(organisation, owner, refresh=False, **IMAGING_ZH)
    staff, reader = StaffFactory(), UserFactory()
    rows_before = sorted(OpportunitySearchToken.objects.filter(document=profile).values_list("term", flat=True))

    def edit_then_fail() -> None:
        with transaction.atomic():
            services.opportunity_update(actor=staff, opportunity=profile, fields={"title": "Solar pumps for orchards"})
            raise RuntimeError("the request failed after the edit")

    with pytest.raises(RuntimeError):
        edit_then_fail()
    assert _titles(reader, "orchard") == []
    assert _titles(reader, "影像诊断") == [profile.title]
    assert sorted(OpportunitySearchToken.objects.filter(document=profile).values_list("term", flat=True)) == rows_before


def test_an_owners_edit_sends_the_profile_back_to_review_and_out_of_everyone_elses_search():
    owner, organisation = member()
    profile = published(organisation, owner, refresh=False, **IMAGING_ZH)
    reader = UserFactory()
    services.opportunity_update(actor=owner, opportunity=profile, fields={"title": "人工智能病理切片分析"})
    assert Opportunity.objects.get(pk=profile.pk).status == "under_review"
    assert _titles(reader, "病理") == []
    assert _titles(reader, "人工智能") == []


def test_a_closed_or_private_profile_is_never_found_by_others():
    owner, organisation = member()
    closed = published(organisation, owner, refresh=False, **IMAGING_ZH)
    private = published(organisation, owner, refresh=False, **{**CAMEL_ZH, "visibility": "private"})
    reader = UserFactory()
    assert _titles(reader, "骆驼奶") == []
    assert _titles(None, "骆驼奶") == []
    services.opportunity_close(actor=owner, opportunity=closed)
    assert _titles(reader, "影像诊断") == []
    assert _titles(None, "影像诊断") == []
    assert Opportunity.objects.filter(pk=private.pk, visibility="private", status="published").exists()


def test_a_deleted_profile_takes_its_rows_with_it():
    profile = published(country="CN", refresh=False, **IMAGING_ZH)
    assert OpportunitySearchToken.objects.filter(document_id=profile.pk).count() > 5
    profile_id = profile.pk
    profile.delete()
    assert OpportunitySearchToken.objects.filter(document_id=profile_id).count() == 0
    assert _titles(UserFactory(), "影像诊断") == []
