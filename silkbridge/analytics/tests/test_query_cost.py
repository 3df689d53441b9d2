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
from silkbridge.analytics.tests.fixture import NOVEMBER, _deal, at, build_world
from silkbridge.deals.models import DealEvent
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
    # the summary's generation (none here: counted live), by field, totals of both periods, the fields' names
    assert len(queries.captured_queries) == 4


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
    # Deals by stage (above); deals between provinces and cities: the summary's generation (none: live),
    # the cells and both periods' totals; MoUs signed: one query per period.
    assert deals["queries"] == 4 + 3 + 2
    assert deals["p50_ms"] <= deals["p95_ms"] <= deals["max_ms"]
    assert set(deals["figures_p50_ms"]) == {"deals_by_stage", "deals_by_province_and_city", "mous_signed"}
    with pytest.raises(CommandError, match="unknown dashboard"):
        call_command("bench", "analytics", "--dashboard", "nowhere", stdout=io.StringIO())


def test_bench_analytics_as_a_member_and_signed_out_leaves_out_the_dashboards_they_may_not_open(
    world: SimpleNamespace,
) -> None:
    for viewer in ("member", "visitor"):
        output = io.StringIO()
        call_command("bench", "analytics", "--repeats", "1", "--viewer", viewer, stdout=output)
        figures = json.loads(output.getvalue())
        assert figures["viewer"] == viewer
        assert figures["dashboards"]["overview"] == "not open to this viewer"
        assert figures["dashboards"]["events"] == "not open to this viewer"
        assert figures["dashboards"]["marketplace"]["queries"] > 0


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


def test_the_province_figures_are_a_fixed_number_of_aggregate_queries(world: SimpleNamespace) -> None:
    """The province is a CASE over the city in SQL (analytics/data/provinces.yaml), not a lookup per row."""
    counts = {}
    for key in ("organisations_by_province", "deals_by_province_and_city", "organisations_by_sector_and_country"):
        with CaptureQueriesContext(connection) as queries:
            selectors.figure_get(viewer=world.staff, key=key, filters=NOVEMBER)
        counts[key] = len(queries.captured_queries)
    # Each first asks for the summary's generation (none here: counted live).
    assert counts == {
        "organisations_by_province": 2,  # both periods in one pass
        "deals_by_province_and_city": 3,  # the cells; both periods' totals
        "organisations_by_sector_and_country": 4,  # the cells; both periods' totals; the fields' names
    }


@pytest.mark.postgres_only
def test_postgresql_takes_the_same_median_days_in_stage_as_python(world: SimpleNamespace) -> None:
    """Deals by stage takes the median in PostgreSQL (percentile_cont), not over every stay in Python:
    both ways give the same stays and medians, for odd and even numbers of stays and part days."""
    # Two more lead stays (3 d 6 h, 1 h) and one more proposal stay (1 d 12 h): lead's stays that ended
    # are 2, 4, 3.25 and 1/24 days (an even number: the mean of the middle two), proposal's 5 and 1.5.
    _deal(world, [world.o1], [("lead", at(10)), ("proposal", at(13, hour=16)), ("under_review", at(15, hour=4))])
    _deal(world, [world.o5], [("lead", at(12)), ("proposal", at(12, hour=11))])
    entries = DealEvent.objects.exclude(to_stage="").order_by()
    in_python = selectors._stay_medians(entries, in_database=False)
    in_database = selectors._stay_medians(entries, in_database=True)
    assert set(in_database) == set(in_python) == {"lead", "proposal"}
    for stage, (count, median) in in_python.items():
        assert in_database[stage][0] == count
        assert in_database[stage][1] == pytest.approx(median, abs=1e-9)
    assert in_python["lead"] == (4, 2.625)
    assert in_python["proposal"] == (2, 3.25)


# The query budget of each figure, previous period's total included: a figure is a few aggregate queries,
# whatever the number of rows (docs/benchmarks.md, "Analytics"). Per figure: (staff, live), (staff, from
# the summary), (a member of the private organisation, from the summary where it serves them): a
# summarised figure first asks for the summary's generation (one query) whether it then reads it or not;
# a member's own private organisations are counted live beside the summary's rows.
FIGURE_QUERIES = {
    "organisations_by_country": (1, 1, 2),  # both periods in one pass (member: + their organisations)
    "organisations_by_city": (1, 1, 2),
    "organisations_by_kind": (1, 1, 2),
    # generation; groups of both periods (member: + their organisations, + their private ones live)
    "organisations_by_province": (2, 2, 4),
    # generation; by field; totals of both periods; the fields' names (member: + by field and totals of
    # their private organisations live, each with their organisations)
    "organisations_by_sector": (4, 4, 8),
    "organisations_by_sector_and_country": (4, 4, 8),
    "opportunities_by_type_and_status": (1, 1, 2),
    # generation; shown, useful, interest, previous (from the summary: one sum; member: live)
    "matching_funnel": (5, 2, 6),
    "events_summary": (5, 5, None),  # requests, meetings, ratings, the events' titles; previous meetings
    "deals_by_stage": (4, 4, 8),
    # generation; cells; totals (member: live, their deals' ids read first)
    "deals_by_province_and_city": (3, 3, 6),
    "mous_signed": (2, 2, 4),  # one per period
    "assessments_by_tier": (2, 2, 2),  # one per period
    "relocation_cases_by_stage_and_zone": (2, 2, 6),  # cases by zone and stage; previous count
}


def test_every_figure_has_a_query_budget() -> None:
    assert set(FIGURE_QUERIES) == set(selectors.FIGURES)


def _queries(viewer: object, key: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        selectors.figure_get(viewer=viewer, key=key, filters=NOVEMBER)
    return len(queries.captured_queries)


@pytest.mark.parametrize("key", sorted(FIGURE_QUERIES))
def test_each_figure_keeps_its_query_budget(world: SimpleNamespace, key: str) -> None:
    from silkbridge.analytics.summary import summary_build

    staff_live, staff_summary, member = FIGURE_QUERIES[key]
    assert _queries(world.staff, key) == staff_live
    summary_build()
    assert _queries(world.staff, key) == staff_summary
    if member is not None:
        assert _queries(world.private_member, key) == member


@pytest.mark.postgres_only
def test_deals_of_a_period_are_read_from_the_created_at_index_alone(world: SimpleNamespace) -> None:
    """Deals by stage counts a period's deals by stage (and the previous period's, and their ids for the
    stages reached): created_at, track, id and stage are all in deals_deal_created. (Sequential and
    bitmap scans off, as above; PostgreSQL only.)"""
    deals = selectors._deals(world.staff, NOVEMBER)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = deals.values_list("stage").annotate(count=selectors.Count("pk")).explain()
    assert "Index Only Scan using deals_deal_created" in plan
