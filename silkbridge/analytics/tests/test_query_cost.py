"""What keeps the dashboards fast at a hundred thousand organisations (docs/benchmarks.md, "Analytics"):
the figures' queries, not their values (test_figures.py holds those)."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silkbridge.analytics import selectors
from silkbridge.analytics.tests.fixture import NOVEMBER, build_world
from silkbridge.marketplace.models import Opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SimpleNamespace:
    return build_world()


def test_deals_by_stage_counts_the_previous_period_without_computing_the_figure_twice(world: SimpleNamespace) -> None:
    with CaptureQueriesContext(connection) as queries:
        deals = selectors.figure_get(viewer=world.staff, key="deals_by_stage", filters=NOVEMBER)
    # now by stage, stages reached, stays (window), the previous period's deals: 4, not 2 × 3.
    assert len(queries.captured_queries) == 4
    previous = selectors.deals_by_stage(viewer=world.staff, filters=NOVEMBER.previous())
    assert deals.previous_total == previous.total


def test_relocation_cases_by_stage_and_zone_is_one_grouped_query_and_one_count(world: SimpleNamespace) -> None:
    with CaptureQueriesContext(connection) as queries:
        selectors.figure_get(viewer=world.staff, key="relocation_cases_by_stage_and_zone", filters=NOVEMBER)
    # The cases by zone and stage (names included), the previous period's count: 2, whatever the zones.
    assert len(queries.captured_queries) == 2


def test_organisations_by_focus_field_reads_only_this_periods_organisations_per_field(world: SimpleNamespace) -> None:
    with CaptureQueriesContext(connection) as queries:
        selectors.figure_get(viewer=world.staff, key="organisations_by_sector", filters=NOVEMBER)
    by_field = queries.captured_queries[0]["sql"]
    first, _after = NOVEMBER.previous().bounds()
    # The rows by field never scan the previous period's organisations (they count only in the total).
    assert first.strftime("%Y-%m-%d") not in by_field
    assert len(queries.captured_queries) == 3  # by field, totals of both periods, the fields' names


@pytest.mark.postgres_only
def test_organisations_of_a_period_are_read_from_the_created_at_index_alone(world: SimpleNamespace) -> None:
    """The organisation figures need created_at, id, country, city, kind and visibility: all in the index
    directory_org_created_at, so PostgreSQL can answer from it without reading the rows. (The tiny
    test table would be scanned; sequential and bitmap scans are switched off to see that the index
    covers the query. PostgreSQL only: SQLite has no index-only plan to show.)"""
    queryset = selectors._organisations(world.staff, NOVEMBER.with_previous()).values_list("country", "city", "kind")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = queryset.annotate(count=selectors.Count("pk")).explain()
    assert "Index Only Scan using directory_org_created_at" in plan


def test_bench_analytics_prints_each_dashboards_timings_and_query_count(world: SimpleNamespace) -> None:
    output = io.StringIO()
    call_command("bench", "analytics", "--repeats", "2", "--dashboard", "deals", stdout=output)
    figures = json.loads(output.getvalue())
    assert figures["viewer"] == "staff"
    assert figures["repeats"] == 2
    assert list(figures["dashboards"]) == ["deals"]
    deals = figures["dashboards"]["deals"]
    assert deals["queries"] == 4 + 2  # deals by stage (above); MoUs signed: one query per period
    assert deals["p50_ms"] <= deals["p95_ms"] <= deals["max_ms"]
    assert set(deals["figures_p50_ms"]) == {"deals_by_stage", "mous_signed"}
    with pytest.raises(CommandError, match="unknown dashboard"):
        call_command("bench", "analytics", "--dashboard", "nowhere", stdout=io.StringIO())


@pytest.mark.postgres_only
def test_profiles_of_a_period_are_read_from_the_created_at_index_alone(world: SimpleNamespace) -> None:
    """Profiles by type and status (staff) need created_at, kind, status and id: all in the index
    marketplace_created_kind. (Sequential and bitmap scans off, as above; PostgreSQL only.)"""
    profiles = Opportunity.objects.filter(NOVEMBER.with_previous().period_q("created_at")).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = profiles.values_list("kind", "status").annotate(count=selectors.Count("pk")).explain()
    assert "Index Only Scan using marketplace_created_kind" in plan
