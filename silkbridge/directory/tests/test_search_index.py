"""The search index (directory.search): written by the services in their own transaction, rebuilt
from the documents, giving the same answers as a scan of the search text on every database, and
answered on PostgreSQL from the (term, document) index without reading every organisation."""

import pytest
from django.db import connection

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.directory.models import Concept, Organisation, OrganisationSearchToken
from silkbridge.directory.search import concept_term, rebuild_all, search_condition
from silkbridge.directory.selectors import organisation_list
from silkbridge.directory.services import organisation_update
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CORPUS = [
    ("en-agri", "en", "PK", "Fieldsense Agritech", "Crop disease detection from phone photos for wheat farmers.", []),
    ("en-robots", "en", "PK", "Karachi Robotics Works", "Industrial robots and welding automation.", []),
    ("zh-imaging", "zh", "CN", "Yingxiang Medical", "我们提供人工智能医疗影像诊断系统。", []),
    ("zh-crop", "zh", "CN", "Nongzuo Technology", "基于手机图像的作物病害识别。", []),
    ("ur-crop", "ur", "PK", "Kisan Digital", "موبائل تصاویر سے فصلوں کی بیماری کی شناخت", []),
    ("ur-cotton", "ur", "PK", "Kapas Labs", "کپاس کی پیداوار کے لیے سینسر", []),
    ("tagged-only", "en", "PK", "Quiet Company", "We sell machinery.", ["crop_disease_detection"]),
]
# The same queries and the same answers on SQLite and PostgreSQL (CI runs the suite on both).
EXPECTED = {
    "crop disease detection": {"en-agri", "zh-crop", "ur-crop", "tagged-only"},
    "作物病害识别": {"en-agri", "zh-crop", "ur-crop", "tagged-only"},
    "فصلوں کی بیماری کی شناخت": {"en-agri", "zh-crop", "ur-crop", "tagged-only"},
    "人工智能": {"zh-imaging"},
    "影像": {"zh-imaging"},
    "robot": {"en-robots"},
    "Robotics welding": {"en-robots"},
    "کپاس": {"ur-cotton"},
    "\u06a9\u067e\u0627\u0633 \u0633\u06cc\u0646\u0633\u0631": {"ur-cotton"},
    "wheat robots": set(),
    "zzzz": set(),
}


@pytest.fixture
def corpus():
    for key, language, country, name, description, concepts in CORPUS:
        OrganisationFactory(
            key=key, language=language, country=country, name_en=name, description=description, concepts=concepts
        )


def _keys(query):
    keys = set(organisation_list(viewer=None, query=query).values_list("key", flat=True))
    return {key for key in keys if key in {row[0] for row in CORPUS}}


@pytest.mark.parametrize(("query", "expected"), EXPECTED.items())
def test_the_same_queries_give_the_same_organisations_on_every_database(corpus, query, expected):
    assert _keys(query) == expected


def test_the_index_answers_as_a_scan_of_the_search_text_does(corpus):
    """Every query token begins a word of the organisation's search text (or its tag matches)."""
    for query in EXPECTED:
        found = set(organisation_list(viewer=None, query=query).values_list("pk", flat=True))
        scanned = {
            organisation.pk
            for organisation in Organisation.objects.filter(visibility="public").prefetch_related("concepts", "sectors")
            if _scan_matches(organisation, query)
        }
        assert found == scanned, query


def _scan_matches(organisation, query):
    from silkbridge.directory.search import query_units, unit_wordings

    concepts = {concept.pk for concept in organisation.concepts.all()}
    sectors = {sector.pk for sector in organisation.sectors.all()}
    for entry, tokens in query_units(query):
        tagged = entry is not None and bool(entry.concept_ids & concepts or entry.sector_ids & sectors)
        words = unit_wordings(entry, tokens)
        if not tagged and not any(all(f" {t}" in organisation.search_document for t in w) for w in words):
            return False
    return True


def test_an_edit_replaces_the_organisations_words_in_its_transaction(corpus):
    organisation = Organisation.objects.get(key="en-robots")
    organisation_update(
        actor=StaffFactory(),
        organisation=organisation,
        fields={"description": "Hydroponic greenhouses."},
        concept_terms=["crop_disease_detection"],
    )
    assert _keys("hydroponic") == {"en-robots"}
    assert _keys("welding") == set()
    assert "en-robots" in _keys("crop disease detection")
    terms = set(OrganisationSearchToken.objects.filter(document=organisation).values_list("term", flat=True))
    assert "welding" not in terms
    assert {"hydroponic", "greenhouse", concept_term(Concept.objects.get(code="crop_disease_detection").pk)} <= terms


def test_a_hidden_organisation_is_not_found_and_a_deleted_one_takes_its_rows(corpus, django_user_model):
    organisation = Organisation.objects.get(key="en-robots")
    organisation_update(actor=StaffFactory(), organisation=organisation, fields={"visibility": "private"})
    assert _keys("robot") == set()
    assert organisation_list(viewer=StaffFactory(), query="robot").filter(key="en-robots").exists()
    organisation_id = organisation.pk
    organisation.delete()
    assert not OrganisationSearchToken.objects.filter(document_id=organisation_id).exists()


def test_a_rebuild_restores_the_index_of_organisations(corpus):
    before = {query: _keys(query) for query in EXPECTED}
    OrganisationSearchToken.objects.all().delete()
    assert _keys("robot") == set()
    counts = rebuild_all()
    assert counts["organisations"] == Organisation.objects.count()
    assert counts["opportunities"] >= 0
    assert {query: _keys(query) for query in EXPECTED} == before


def test_a_query_without_words_does_not_narrow():
    assert search_condition("   的 and the ") is None


@pytest.mark.postgres
@pytest.mark.postgres_only
@pytest.mark.parametrize("query", ["crop disease detection", "作物病害识别", "فصلوں کی بیماری کی شناخت", "robot"])
def test_on_postgresql_every_wording_is_answered_from_the_term_index(corpus, query):
    sql, params = organisation_list(viewer=None, query=query)[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_organisation")
        cursor.execute("ANALYZE directory_organisationsearchtoken")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "directory_org_search_term" in plan
    assert "Seq Scan on directory_organisationsearchtoken" not in plan
    assert "Seq Scan on directory_organisation " not in plan


@pytest.mark.postgres
@pytest.mark.postgres_only
def test_on_postgresql_the_visibility_index_holds_both_columns_a_count_needs(corpus):
    # Counting the matches a visitor may see reads (visibility, id) only; an index holding both lets
    # PostgreSQL answer without reading the organisations (docs/benchmarks.md measures the gain). The
    # planner's choice on a test-sized table depends on statistics, so this checks the index itself.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'directory_org_visibility_id'")
        (definition,) = cursor.fetchone()
    assert definition.endswith("USING btree (visibility, id)")


@pytest.mark.postgres
@pytest.mark.postgres_only
@pytest.mark.parametrize("table", ["directory_organisationsearchtoken", "marketplace_opportunitysearchtoken"])
def test_on_postgresql_the_term_histogram_is_fine_enough_to_size_a_prefix_range(table):
    # With the default 100 buckets, PostgreSQL estimated a 27,000-row prefix range at 1 row at 100,000
    # organisations and chose plans for one row; 10,000 buckets size it within a few per cent
    # (directory migration 0012, docs/benchmarks.md).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'term'", [table]
        )
        (target,) = cursor.fetchone()
    assert target == 10_000
