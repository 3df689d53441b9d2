"""`silkbridge bench search --keep-data`: the benchmark measures the state production runs in (its
organisations committed, the tables vacuumed and analysed), generating them once and reusing them."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from silkbridge.directory.benchmarks import bench_search_kept
from silkbridge.directory.loaders import concepts_load, sectors_load
from silkbridge.directory.models import Organisation, OrganisationSearchToken

# VACUUM runs outside a transaction on PostgreSQL: this test commits, and the database is flushed after.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def glossary():
    sectors_load()
    concepts_load()


def test_the_kept_benchmark_generates_its_organisations_once_and_reuses_them(glossary):
    first = bench_search_kept(organisations=60, queries=20, seed=1)
    rows = OrganisationSearchToken.objects.count()
    second = bench_search_kept(organisations=60, queries=20, seed=1)

    assert (first["generated_now"], second["generated_now"]) == (True, False)
    assert Organisation.objects.filter(key__startswith="bench-").count() == 60
    assert OrganisationSearchToken.objects.count() == rows == first["index_rows"] == second["index_rows"]
    assert (first["recall"], first["precision"], second["recall"], second["precision"]) == (1.0, 1.0, 1.0, 1.0)
    assert first["state"] == "committed, VACUUM ANALYZEd"


def test_the_kept_benchmark_refuses_another_size_than_the_one_kept(glossary):
    bench_search_kept(organisations=30, queries=10, seed=1)

    with pytest.raises(CommandError, match="holds 30 benchmark organisations, not 40"):
        call_command("bench", "search", "--organisations", "40", "--queries", "10", "--keep-data")
    assert Organisation.objects.filter(key__startswith="bench-").count() == 30
