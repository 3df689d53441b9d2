"""A search's results a page at a time (directory.search.RankedResults): the same organisations in the
same order as ranking every match, the match set built once per page, and a count that stops at the
cap and says so on the page and in the API."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silkbridge.common.text import tokenize
from silkbridge.directory import search
from silkbridge.directory.models import Concept, Organisation
from silkbridge.directory.selectors import organisation_list, organisation_search
from silkbridge.directory.services import organisation_reindex
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zolar_directory")]

# The set form of the match set (directory.search._unit_condition): a query that builds it holds this.
MATCH_SET_SQL = 'SELECT "document_id" FROM "directory_organisationsearchtoken" WHERE "term" >='


@pytest.fixture
def zolar_directory():
    """Organisations in every tier for the query "zolar pump": the query as typed in the name, in the
    description, and both words apart, verified or not, and two that don't match."""
    rows = [
        ("name-b", "Zolar Pump Works", "Kits.", False),
        ("name-a", "Bright Zolar Pump", "Kits.", True),
        ("text-c", "Cobalt Energy", "Zolar pumps for farms.", False),
        ("text-a", "Amber Energy", "We sell zolar pumps.", True),
        ("text-b", "Birch Energy", "Off-grid zolar pumps.", True),
        ("word-b", "Cedar Power", "Zolar frames, pumping kits.", False),
        ("word-a", "Alder Power", "Pumps and zolar racks.", True),
        ("none-a", "Aspen Power", "Wind quorbines.", True),
        ("none-b", "Basalt Power", "Hydro quorbines.", False),
    ]
    for key, name, description, is_verified in rows:
        OrganisationFactory(key=key, name_en=name, description=description, is_verified=is_verified)


def _pages(results, size):
    paginator = Paginator(results, size)
    return [
        [organisation.key for organisation in paginator.page(number).object_list] for number in paginator.page_range
    ]


def test_every_page_of_a_large_match_set_is_the_ranking_of_every_match(monkeypatch):
    # A match set above SMALL_MATCH_SET walks the tiers; below, it ranks the matches by id. Both must
    # give, page by page, the order that ranking every match gives.
    expected = ["name-a", "name-b", "text-a", "text-b", "text-c", "word-a", "word-b"]
    assert [organisation.key for organisation in organisation_list(viewer=None, query="zolar pump")] == expected
    for small in (100, 2):
        monkeypatch.setattr(search, "SMALL_MATCH_SET", small)
        results = organisation_search(viewer=None, query="zolar pump")
        assert results.count() == 7
        assert _pages(results, 3) == [expected[:3], expected[3:6], expected[6:]]
        assert [organisation.key for organisation in results] == expected


def test_a_query_without_words_pages_through_every_visible_organisation_in_order(monkeypatch):
    monkeypatch.setattr(search, "SMALL_MATCH_SET", 2)
    everything = [organisation.key for organisation in organisation_list(viewer=None, query="")]
    assert {"name-a", "word-b", "none-a", "none-b"} <= set(everything)
    assert [key for page in _pages(organisation_search(viewer=None, query=""), 4) for key in page] == everything


def test_a_page_builds_the_match_set_once(monkeypatch):
    for small in (100, 2):
        monkeypatch.setattr(search, "SMALL_MATCH_SET", small)
        with CaptureQueriesContext(connection) as queries:
            page = Paginator(organisation_search(viewer=None, query="zolar pump"), 3).page(1)
            keys = [organisation.key for organisation in page.object_list]
        assert (page.paginator.count, keys) == (7, ["name-a", "name-b", "text-a"])
        assert [MATCH_SET_SQL in query["sql"] for query in queries.captured_queries].count(True) == 1


def test_the_count_stops_at_the_cap_and_the_page_and_the_api_say_so(monkeypatch, client):
    monkeypatch.setattr(search, "COUNT_CAP", 5)

    page = client.get(reverse("directory:organisation_list"), {"q": "zolar pump"})
    assert "5+ organisations" in page.content.decode()
    assert [organisation.key for organisation in page.context["page"].object_list] == [
        "name-a",
        "name-b",
        "text-a",
        "text-b",
        "text-c",
    ]
    api = client.get("/api/v1/organisations", {"q": "zolar pump", "page_size": 100}).json()
    assert (api["count"], api["count_is_capped"], api["pages"]) == (5, True, 1)
    assert [item["key"] for item in api["items"]] == ["name-a", "name-b", "text-a", "text-b", "text-c"]

    under_cap = client.get("/api/v1/organisations", {"q": "quorbines"}).json()
    assert (under_cap["count"], under_cap["count_is_capped"]) == (2, False)
    page = client.get(reverse("directory:organisation_list"), {"q": "quorbines"})
    assert "2 organisations" in page.content.decode()


def test_the_capped_count_is_translated(monkeypatch, client):
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    for language, expected in [("zh-hans", "5+ 个组织"), ("ur", "5+ ادارے")]:
        client.cookies["django_language"] = language
        page = client.get(reverse("directory:organisation_list"), {"q": "zolar pump"}, HTTP_ACCEPT_LANGUAGE=language)
        assert expected in page.content.decode(), language


@pytest.mark.postgres
@pytest.mark.postgres_only
def test_on_postgresql_the_ranking_has_its_order_index_and_substring_indexes():
    # The tiers read "the query in a name / in the description" from trigram indexes on the very
    # expressions Django's icontains compares, and walk the order within a tier on one index.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'directory_organisation' "
            "AND indexname IN ('directory_org_rank_order', 'directory_org_name_en_trgm', "
            "'directory_org_name_local_trgm', 'directory_org_description_trgm')"
        )
        definitions = {name: definition.split(" USING ")[1] for name, definition in cursor.fetchall()}
    assert definitions == {
        "directory_org_rank_order": "btree (is_verified DESC, name_en, id, name_local, visibility)",
        "directory_org_name_en_trgm": "gin (upper((name_en)::text) gin_trgm_ops)",
        "directory_org_name_local_trgm": "gin (upper((name_local)::text) gin_trgm_ops)",
        "directory_org_description_trgm": "gin (upper(description) gin_trgm_ops)",
    }


def test_a_glossary_unit_reads_no_wording_that_another_wording_implies():
    # A document with every word of "data quality management" has those of "data quality": the
    # longer wording adds nothing to the match set, so the query does not read it; nor "data" beside
    # "database" in one wording.
    terms = {"Data quality management", "Data quality", "database data", "Zolar"}
    entry = search.LexiconEntry(terms=terms, wordings={tuple(tokenize(term)) for term in terms})
    assert search._wording_words(entry, ["data", "quality"]) == [["data", "quality"], ["database"], ["zolar"]]
    OrganisationFactory(key="dq", name_en="Dq Labs", description="Data quality management for banks.")
    OrganisationFactory(key="db", name_en="Db Labs", description="A database of quality data.")
    OrganisationFactory(key="other", name_en="Other Labs", description="Data management.")
    condition = search._unit_condition(search.OrganisationSearchToken, entry, ["data", "quality"])
    keys = set(Organisation.objects.filter(condition, key__in=["dq", "db", "other"]).values_list("key", flat=True))
    assert keys == {"dq", "db"}


def test_a_large_match_set_is_probed_per_document_and_a_short_query_is_no_trigram_search(monkeypatch):
    # The tier walk tests each organisation it passes with a scalar subquery on its (document, term)
    # rows: PostgreSQL turns an EXISTS into a hash of the word's whole range. A query under three
    # characters compares names with STRPOS, which the trigram indexes do not answer (they would
    # return every organisation to recheck), and ranks exactly as icontains does.
    OrganisationFactory(key="short-name", name_en="Zo Pumps", description="Zolar kits.", is_verified=False)
    OrganisationFactory(key="short-text", name_en="Amber Kits", description="Zo zolar pumps.", is_verified=True)
    monkeypatch.setattr(search, "SMALL_MATCH_SET", 2)
    for query, expected in [
        ("zo", ["name-a", "ref-stza", "short-name", "name-b", "word-a", "text-a", "short-text", "text-b"]),
        ("zolar pump", ["name-a", "name-b", "text-a", "short-text", "text-b", "text-c", "word-a"]),
    ]:
        with CaptureQueriesContext(connection) as queries:
            page = Paginator(organisation_search(viewer=None, query=query), 20).page(1)
            keys = [organisation.key for organisation in page.object_list]
        assert keys[: len(expected)] == expected
        assert keys == [organisation.key for organisation in organisation_list(viewer=None, query=query)]
        walks = [
            captured["sql"]
            for captured in queries.captured_queries
            if "ORDER BY" in captured["sql"] and "LIMIT" in captured["sql"]
        ]
        assert walks
        assert not any("EXISTS" in sql for sql in walks)
        if len(query) < 3:
            assert not any("LIKE" in sql for sql in walks)
        else:
            # The name and description tiers test the query as typed; a later tier excludes the
            # members of the earlier ones (read to their end) by id instead of testing them again.
            assert "LIKE" in walks[0]
            assert "LIKE" not in walks[-1]
            assert 'NOT ("directory_organisation"."id" IN' in walks[-1]


@pytest.mark.postgres
@pytest.mark.postgres_only
def test_on_postgresql_a_tier_walk_probes_each_tag_through_the_document_term_index(monkeypatch):
    # "term IN (tag, tag)" in a probe was a filter over all of a document's rows (about 110 each at
    # 100,000 organisations); one "term = tag" probe per tag is a condition of the (document, term)
    # index, a few microseconds.
    concept = Concept.objects.get(code="crop_disease_detection")
    for number in range(4):
        organisation = OrganisationFactory(key=f"tag-{number}", name_en=f"Tag Labs {number}", description="Kits.")
        organisation.concepts.add(concept)
        organisation_reindex(organisation=organisation)
    monkeypatch.setattr(search, "SMALL_MATCH_SET", 2)
    with CaptureQueriesContext(connection) as queries:
        list(Paginator(organisation_search(viewer=None, query=concept.label_en), 20).page(1).object_list)
    walks = [captured["sql"] for captured in queries.captured_queries if "ORDER BY" in captured["sql"]]
    assert walks
    tag = search.concept_term(concept.pk)
    assert any(f"\"term\" = '{tag}'" in sql for sql in walks)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_organisationsearchtoken")
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in walks:
            assert '"term" IN (' not in sql
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "(term)::text = ANY" not in plan, plan
