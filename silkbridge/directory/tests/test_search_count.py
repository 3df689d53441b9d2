"""The count of a one-word query is read from the word's index rows joined to the organisations, in
index order, stopping once it has COUNT_CAP + 1 organisations: the same count and the same pages as
building the whole match set, without hashing a common word's whole range."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silkbridge.directory import search
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import organisation_list, organisation_search
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quorn_directory")]

JOIN_SQL = 'INNER JOIN "directory_organisationsearchtoken"'
# The set form of the match set (directory.search._unit_condition).
MATCH_SET_SQL = 'SELECT "document_id" FROM "directory_organisationsearchtoken" WHERE "term" >='


@pytest.fixture
def quorn_directory():
    # Seven organisations say "quorn" once; three more say "quornet", "quornish" and "quornal" too
    # (three rows each in the range of the prefix "quorn"); one is private.
    for number in range(7):
        OrganisationFactory(key=f"one-{number}", name_en=f"Aster {number}", description="Quorn kits.")
    for number in range(3):
        OrganisationFactory(
            key=f"three-{number}", name_en=f"Birch {number}", description="Quorn, quornet, quornish and quornal."
        )
    OrganisationFactory(key="hidden", name_en="Hidden Quorn", description="Quorn.", visibility="private")


def _count(query):
    with CaptureQueriesContext(connection) as queries:
        results = organisation_search(viewer=None, query=query)
        counted = (results.count(), results.is_capped)
    return counted, [captured["sql"] for captured in queries.captured_queries]


def test_a_common_word_is_counted_from_its_rows_and_says_more_beyond_the_cap(monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    (count, capped), sql = _count("quorn")
    assert (count, capped) == (5, True)
    assert any(JOIN_SQL in statement for statement in sql)


def test_below_the_cap_the_count_is_exact_and_hides_the_private_one(monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 50)
    (count, capped), sql = _count("quorn")
    assert (count, capped) == (10, False)
    assert any(JOIN_SQL in statement for statement in sql)
    keys = {organisation.key for organisation in organisation_search(viewer=None, query="quorn")}
    assert "hidden" not in keys
    assert len(keys) == 10


def test_many_rows_per_organisation_fall_back_to_the_match_set_and_count_the_same(monkeypatch):
    # With a cap of 3, the join may read 2 x 4 = 8 rows; the three organisations with four rows each in
    # the range of "quorn" fill them with three organisations or fewer, so the count cannot tell from
    # them whether there are more: it builds the set.
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    monkeypatch.setattr(search, "HEAD_ROWS_PER_MATCH", 2)
    Organisation.objects.filter(key__startswith="one-").delete()
    (count, capped), sql = _count("quornet")
    assert (count, capped) == (3, False)
    (count, capped), sql = _count("quorn")
    assert (count, capped) == (3, False)
    assert any(JOIN_SQL in statement for statement in sql)
    assert any(MATCH_SET_SQL in statement for statement in sql)


def test_pages_after_a_streamed_count_are_the_ranking_of_every_match(monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 50)
    monkeypatch.setattr(search, "SMALL_MATCH_SET", 2)
    expected = [organisation.key for organisation in organisation_list(viewer=None, query="quorn")]
    paginator = Paginator(organisation_search(viewer=None, query="quorn"), 4)
    pages = [
        [organisation.key for organisation in paginator.page(number).object_list] for number in paginator.page_range
    ]
    assert [key for page in pages for key in page] == expected
    assert len(expected) == 10
