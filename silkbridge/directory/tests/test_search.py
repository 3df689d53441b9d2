"""Directory search: Chinese segmentation, cross-lingual concepts, filters; pages and API agree."""

import pytest
from django.urls import reverse

from silkbridge.common.text import index_document
from silkbridge.directory.models import Concept, Sector
from silkbridge.directory.selectors import organisation_list
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


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


def _keys(queryset):
    return {organisation.key for organisation in queryset}


def test_a_chinese_word_finds_a_description_where_it_is_part_of_a_compound(django_user_model):
    OrganisationFactory(
        key="cn-imaging",
        country="CN",
        language="zh",
        name_en="Imaging Co",
        description="我们提供人工智能医疗影像诊断系统。",
    )
    OrganisationFactory(key="cn-cement", country="CN", language="zh", name_en="Cement Co", description="水泥生产。")
    found = _keys(organisation_list(viewer=None, query="人工智能"))
    assert "cn-imaging" in found
    assert "cn-cement" not in found
    assert "cn-imaging" in _keys(organisation_list(viewer=None, query="医疗影像"))


def test_the_query_as_typed_ranks_above_a_hit_found_only_through_another_language(camel_milk_concept):
    OrganisationFactory(
        key="aa-english",
        name_en="Aardvark Dairy",
        description="Camel dairy processing for export.",
        is_verified=True,
    )
    OrganisationFactory(
        key="zz-chinese",
        country="CN",
        language="zh",
        name_en="Zebra Dairy",
        description="我们做骆驼奶巴氏杀菌设备。",
        is_verified=False,
    )
    ranked = [organisation.key for organisation in organisation_list(viewer=None, query="骆驼奶巴氏杀菌")]
    assert ranked[:2] == ["zz-chinese", "aa-english"]


def test_a_concept_named_in_any_language_finds_organisations_tagged_with_it(camel_milk_concept):
    OrganisationFactory(
        key="cn-camel",
        country="CN",
        language="zh",
        name_en="Dairy Tech",
        description="新疆乳品加工企业。",
        concepts=["test_camel_milk"],
    )
    OrganisationFactory(key="pk-unrelated", description="Cement and steel trading.")
    for query in [
        "camel milk pasteurisation",
        "Camel dairy processing",
        "骆驼奶巴氏杀菌",
        "اونٹنی کے دودھ کی پاسچرائزیشن",
    ]:
        found = _keys(organisation_list(viewer=None, query=query))
        assert "cn-camel" in found, query
        assert "pk-unrelated" not in found, query


def test_a_synonym_in_the_text_matches_without_tagging(camel_milk_concept):
    OrganisationFactory(key="pk-dairy", description="We want 骆驼奶巴氏杀菌 equipment for Cholistan herders.")
    assert "pk-dairy" in _keys(organisation_list(viewer=None, query="camel milk pasteurisation"))


def test_every_word_of_the_query_must_match():
    OrganisationFactory(key="pk-solar-lahore", city="Lahore", description="Solar inverters.")
    OrganisationFactory(key="pk-solar-karachi", city="Karachi", description="Solar inverters.")
    assert _keys(organisation_list(viewer=None, query="solar karachi")) >= {"pk-solar-karachi"}
    assert "pk-solar-lahore" not in _keys(organisation_list(viewer=None, query="solar karachi"))


def test_name_matches_come_first():
    OrganisationFactory(key="pk-a", name_en="Aardvark Robotics", description="We build robots.")
    OrganisationFactory(key="pk-z", name_en="Zeta Robots", description="Robots and more.")
    results = list(organisation_list(viewer=None, query="zeta"))
    assert results[0].key == "pk-z"


def test_filters_by_kind_country_sector_and_verification():
    OrganisationFactory(key="cn-fund", kind="investor", country="CN", is_verified=True, sectors=["fintech.payments"])
    OrganisationFactory(key="pk-fund", kind="investor", country="PK", is_verified=False, sectors=["ai.cv"])
    assert "cn-fund" in _keys(organisation_list(viewer=None, kind="investor", country="CN"))
    assert "pk-fund" not in _keys(organisation_list(viewer=None, kind="investor", country="CN"))
    by_field = _keys(organisation_list(viewer=None, sector="fintech"))
    assert "cn-fund" in by_field
    assert "pk-fund" not in by_field
    assert "pk-fund" in _keys(organisation_list(viewer=None, verified=False, kind="investor"))
    assert "pk-fund" not in _keys(organisation_list(viewer=None, verified=True, kind="investor"))


def test_a_query_of_only_punctuation_or_stop_words_returns_everything_visible():
    everything = organisation_list(viewer=None).count()
    assert organisation_list(viewer=None, query="  ?!  the ").count() == everything


def test_the_page_and_the_api_return_the_same_organisations(client):
    OrganisationFactory(key="cn-ai-1", country="CN", language="zh", name_en="A1", description="人工智能医疗影像")
    query = "人工智能"
    page = client.get(reverse("directory:organisation_list"), {"q": query})
    page_keys = {organisation.key for organisation in page.context["page"].paginator.object_list}
    api = client.get("/api/v1/organisations", {"q": query, "page_size": 100}).json()
    assert api["count"] == len(page_keys)
    assert {item["key"] for item in api["items"]} == page_keys
    assert "cn-ai-1" in page_keys


@pytest.mark.parametrize(
    ("query", "expected_country"),
    [("人工智能医疗影像", "CN"), ("crop disease detection", None), ("مصنوعی ذہانت", None)],
)
def test_demo_data_answers_queries_in_three_languages(client, query, expected_country):
    response = client.get("/api/v1/organisations", {"q": query, "page_size": 100}).json()
    assert response["count"] >= 1, query
    if expected_country:
        assert any(item["country"] == expected_country for item in response["items"])
