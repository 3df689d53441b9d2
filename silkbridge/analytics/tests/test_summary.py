"""The figures' summary (analytics.models, analytics.summary) never gives another figure than the live
count: every summarised figure computed both ways on the hand-counted fixture (a private organisation,
counts below 5) for staff, members, the private organisation's member and a signed-out visitor; and it is
used only when current (docs/analytics.md, "Summary")."""

from __future__ import annotations

import io
import zoneinfo
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from silkbridge.analytics import selectors
from silkbridge.analytics.models import SummaryGeneration
from silkbridge.analytics.summary import summary_build, summary_zones
from silkbridge.analytics.tests.fixture import NOVEMBER, build_world
from silkbridge.core.models import Run, RunStatus
from silkbridge.directory.importer import organisations_import
from silkbridge.directory.models import Organisation

pytestmark = pytest.mark.django_db

SUMMARISED = (
    "organisations_by_province",
    "organisations_by_sector",
    "organisations_by_sector_and_country",
    "matching_funnel",
    "deals_by_province_and_city",
)
RAW: dict[str, Callable[..., Any]] = {
    "organisations_by_province": selectors._province_counts,
    "organisations_by_sector": selectors._sector_counts,
    "organisations_by_sector_and_country": lambda viewer, filters: selectors._sector_counts(
        viewer, filters, by_country=True
    ),
    "matching_funnel": selectors._funnel_counts,
    "deals_by_province_and_city": selectors._deal_link_counts,
}
LIVE = override_settings(ANALYTICS_SUMMARY_MAX_AGE_SECONDS=0)


@pytest.fixture
def world() -> SimpleNamespace:
    world = build_world()
    world.visitor = AnonymousUser()
    # The fixture sets created_at with update() (around any service): the summary is built after it.
    world.generation = summary_build()[0]
    return world


def _viewers(world: SimpleNamespace) -> dict[str, Any]:
    return {
        "staff": world.staff,
        "member of a public organisation": world.outsider,
        "member of the private organisation": world.private_member,
        "member of none": world.stranger,
        "signed out": world.visitor,
    }


def _shown(figure: selectors.Figure) -> tuple[Any, ...]:
    return (figure.headers, figure.rows, figure.total, figure.previous_total, figure.change)


def _sorted_raw(raw: Any) -> Any:
    """A raw count as comparable: its dicts as they are, its lists of groups sorted."""
    return [
        sorted(part, key=str) if isinstance(part, list) and part and isinstance(part[0], tuple) else part
        for part in raw
    ]


@pytest.mark.parametrize("key", SUMMARISED)
@pytest.mark.parametrize("country", ["", "PK", "CN"])
def test_every_summarised_figure_equals_the_live_count_for_every_viewer(
    world: SimpleNamespace, key: str, country: str
) -> None:
    filters = replace(NOVEMBER, country=country)
    for name, viewer in _viewers(world).items():
        summarised = selectors.figure_get(viewer=viewer, key=key, filters=filters)
        raw = RAW[key](viewer, filters)
        with LIVE:
            live = selectors.figure_get(viewer=viewer, key=key, filters=filters)
            live_raw = RAW[key](viewer, filters)
        assert live.as_of is None
        assert _shown(summarised) == _shown(live), (key, name, country)
        # The counts before "< 5" too, so that suppression cannot hide a difference.
        assert _sorted_raw(raw[:-1]) == _sorted_raw(live_raw[:-1]), (key, name, country)
        staff_only = key in ("matching_funnel", "deals_by_province_and_city")
        from_summary = not (staff_only and viewer is not world.staff) and not (
            key == "deals_by_province_and_city" and country
        )
        assert (summarised.as_of == world.generation.as_of) is from_summary, (key, name, country)


def test_the_summary_counts_a_private_organisation_only_for_its_members_and_suppresses_small_counts(
    world: SimpleNamespace,
) -> None:
    # Organisations with a field in November: O1, O2, O3 (members-only) and O4 (private).
    totals = {name: selectors._sector_counts(viewer, NOVEMBER)[1][0] for name, viewer in _viewers(world).items()}
    assert totals == {
        "staff": 4,
        "member of a public organisation": 3,  # not O4
        "member of the private organisation": 4,  # O4 is theirs: counted live and added
        "member of none": 3,
        "signed out": 2,  # public ones only: O1, O2
    }
    by_sector = selectors.figure_get(viewer=world.outsider, key="organisations_by_sector", filters=NOVEMBER)
    assert by_sector.as_of == world.generation.as_of
    assert by_sector.rows == [["t-ai", selectors.SUPPRESSED], ["t-bio", selectors.SUPPRESSED]]
    assert by_sector.total == selectors.SUPPRESSED
    by_province = selectors.figure_get(viewer=world.outsider, key="organisations_by_province", filters=NOVEMBER)
    assert by_province.total == 7  # staff's 8 less the private O4
    staff_sector = selectors.figure_get(viewer=world.staff, key="organisations_by_sector", filters=NOVEMBER)
    assert staff_sector.rows == [["t-ai", 3], ["t-bio", 2]]


def test_a_summary_that_is_old_invalidated_in_another_time_zone_or_without_a_sector_is_not_read(
    world: SimpleNamespace,
) -> None:
    def as_of(filters: selectors.FigureFilter = NOVEMBER) -> Any:
        return selectors.figure_get(viewer=world.staff, key="organisations_by_sector", filters=filters).as_of

    assert as_of() == world.generation.as_of
    assert as_of(replace(NOVEMBER, sector="t-ai")) is None  # the summary has no sector filter
    assert as_of(replace(NOVEMBER, event=world.event.slug)) is None
    with timezone.override("Asia/Karachi"):  # the staff's zone: counted in it too
        assert as_of() == world.generation.as_of
    with timezone.override("America/Lima"):  # nobody's: other days than the summary's
        assert as_of() is None
    with override_settings(ANALYTICS_SUMMARY_MAX_AGE_SECONDS=60):
        SummaryGeneration.objects.update(as_of=timezone.now() - timedelta(seconds=61))
        assert as_of() is None


def test_an_import_invalidates_the_summary_and_rebuilds_it_in_a_background_run(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    today = replace(NOVEMBER, start=timezone.localdate(), end=timezone.localdate())
    before = selectors.figure_get(viewer=world.staff, key="organisations_by_province", filters=today)
    assert before.as_of == world.generation.as_of
    content = b"name_en,country,city,kind,visibility\nImported Co,PK,Lahore,company,public\n"
    with django_capture_on_commit_callbacks(execute=True):
        result = organisations_import(file_name="orgs.csv", content=content)
        assert result.created == 1
        # Until the rebuild, counted live: never the old summary.
        assert not SummaryGeneration.objects.filter(valid=True).exists()
        assert selectors.figure_get(viewer=world.staff, key="organisations_by_province", filters=NOVEMBER).as_of is None
    # The tasks run at once in the tests: the run rebuilt the summary, which now counts the new one.
    run = Run.objects.get(kind="analytics.summary")
    assert run.status == RunStatus.SUCCEEDED
    generation = SummaryGeneration.objects.get(time_zone=timezone.get_current_timezone_name())
    assert generation.valid
    assert generation.pk != world.generation.pk
    with LIVE:
        live = selectors.figure_get(viewer=world.staff, key="organisations_by_province", filters=today)
    summarised = selectors.figure_get(viewer=world.staff, key="organisations_by_province", filters=today)
    assert summarised.as_of == generation.as_of
    assert isinstance(before.total, int)
    assert summarised.total == live.total == before.total + 1  # the fixture's other rows are of today too


def test_refresh_summary_command_queues_a_run_or_builds_now(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    Organisation.objects.filter(pk=world.o5.pk).update(visibility="private")  # around the services
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("analytics", "refresh-summary", stdout=output)
    assert "queued" in output.getvalue()
    assert Run.objects.get(kind="analytics.summary").status == RunStatus.SUCCEEDED
    outsider = selectors.figure_get(viewer=world.outsider, key="organisations_by_province", filters=NOVEMBER)
    assert outsider.total == 6  # O4 and now O5 private
    call_command("analytics", "refresh-summary", "--now", stdout=output)
    assert '"rows"' in output.getvalue()
    # Older generations go: one per zone (the site's, UTC; the staff's; the members')
    assert sorted(SummaryGeneration.objects.values_list("time_zone", flat=True)) == sorted(summary_zones())


def test_the_page_says_as_of_when_a_figure_comes_from_the_summary(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.staff)
    period = {"start": "2026-11-01", "end": "2026-11-30"}
    page = client.get(reverse("analytics:overview"), period).content.decode()
    # Read in the staff's own time zone (Asia/Karachi), for which the summary is counted too.
    local = timezone.localtime(world.generation.as_of, zoneinfo.ZoneInfo(world.staff.time_zone))
    stamp = f"Figures as of {local:%H:%M}"
    # Province, focus field, focus field × country, the funnel, deals between provinces and cities.
    assert page.count(stamp) == 5
    with LIVE:
        assert "Figures as of" not in client.get(reverse("analytics:overview"), period).content.decode()
    world.staff.language = "zh-hans"
    world.staff.save(update_fields=["language"])
    chinese = client.get(reverse("analytics:overview"), period).content.decode()
    assert f"数据截至 {local:%H:%M}" in chinese


def test_the_api_gives_the_instant_a_figure_is_as_of(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.staff)
    period = {"start": "2026-11-01", "end": "2026-11-30"}
    summarised = client.get("/api/v1/analytics/figures/organisations_by_sector", period).json()
    assert summarised["as_of"] is not None
    assert summarised["rows"] == [["t-ai", 3], ["t-bio", 2]]
    assert client.get("/api/v1/analytics/figures/organisations_by_kind", period).json()["as_of"] is None
