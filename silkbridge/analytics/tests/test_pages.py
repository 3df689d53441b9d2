"""The dashboards and downloads: who may open them, what they show, and a query count that does not
grow with the data."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from silkbridge.analytics.tests.fixture import build_world
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events.models import Participant

pytestmark = pytest.mark.django_db
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
# Overview: every figure twice (this period and the previous one), each one aggregate query and at most
# a few for labels and visibility, plus the session and the user.
OVERVIEW_QUERY_BUDGET = 60


@pytest.fixture
def world() -> SimpleNamespace:
    return build_world()


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_overview_is_for_staff_with_every_figure_its_table_and_downloads(world: SimpleNamespace) -> None:
    response = client_for(world.staff).get(reverse("analytics:overview"), NOVEMBER)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="analytics-chart-data"' in page  # the charts' data, for static/analytics/charts.js
    assert "Show data" in page
    assert '<th scope="row"><bdi>Pakistan</bdi></th><td>5</td>' in page
    assert "not recorded yet" not in page  # relocation cases are counted now (the zones dashboard)
    assert reverse("analytics:figure_download", args=["deals_by_stage", "xlsx"]) in page
    assert client_for(world.outsider).get(reverse("analytics:overview")).status_code == 403


def test_a_member_sees_a_domain_dashboard_with_small_counts_suppressed(world: SimpleNamespace) -> None:
    response = client_for(world.outsider).get(reverse("analytics:dashboard", args=["marketplace"]), NOVEMBER)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<th scope="row"><bdi>China</bdi></th><td>&lt; 5</td>' in page
    assert client_for(world.outsider).get(reverse("analytics:dashboard", args=["overview"])).status_code == 404


def test_a_bad_filter_is_named_and_the_default_period_shown(world: SimpleNamespace) -> None:
    response = client_for(world.staff).get(
        reverse("analytics:dashboard", args=["events"]), {"start": "2026-11-30", "end": "2026-11-01", "country": "XX"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "country": ["Use an ISO 3166-1 country code such as PK or CN."],
        "end": ["The period must end on or after its first day."],
    }


def test_csv_and_xlsx_carry_the_figures_table(world: SimpleNamespace) -> None:
    staff = client_for(world.staff)
    url = reverse("analytics:figure_download", args=["organisations_by_country", "csv"])
    csv_text = staff.get(url, NOVEMBER).content.decode("utf-8-sig")
    assert csv_text.splitlines() == ["Group,Organisations", "Pakistan,5", "China,3"]
    url = reverse("analytics:figure_download", args=["events_summary", "xlsx"])
    sheet = load_workbook(io.BytesIO(staff.get(url, NOVEMBER).content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1] == [world.event.title, 5, 3, 1, 0.75, 3, 1, 1, 2, 1]
    outsider_csv = client_for(world.outsider).get(
        reverse("analytics:figure_download", args=["organisations_by_country", "csv"]), NOVEMBER
    )
    assert outsider_csv.content.decode("utf-8-sig").splitlines()[2] == "China,< 5"


def test_the_query_count_does_not_grow_with_the_data(world: SimpleNamespace, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = client_for(world.staff)
    with django_assert_max_num_queries(OVERVIEW_QUERY_BUDGET) as small:
        staff.get(reverse("analytics:overview"), NOVEMBER)
    for number in range(40):
        organisation = OrganisationFactory(
            country="CN" if number % 2 else "PK", city=f"City {number}", sectors=["t-bio"]
        )
        Participant.objects.create(event=world.event, organisation=organisation, status="approved")
    with django_assert_max_num_queries(len(small.captured_queries)):
        staff.get(reverse("analytics:overview"), {"start": "2026-01-01", "end": "2030-12-31"})


def test_the_api_serves_the_same_figures_with_the_same_suppression(world: SimpleNamespace) -> None:
    url = "/api/v1/analytics/dashboards/marketplace"
    body = client_for(world.outsider).get(url, NOVEMBER).json()
    assert (body["start"], body["end"], body["previous_start"], body["previous_end"]) == (
        "2026-11-01",
        "2026-11-30",
        "2026-10-02",
        "2026-10-31",
    )
    by_country = body["figures"][0]
    assert by_country["key"] == "organisations_by_country"
    assert by_country["rows"] == [["Pakistan", 5], ["China", "< 5"]]
    assert (by_country["total"], by_country["previous_total"], by_country["change"]) == (7, "< 5", None)
    staff_figure = client_for(world.staff).get("/api/v1/analytics/figures/deals_by_stage", NOVEMBER).json()
    assert staff_figure["rows"][0] == ["Lead", 1, 3, 0.6667, 3.0]
    refused = client_for(world.outsider).get("/api/v1/analytics/dashboards/overview")
    assert refused.status_code == 403
    invalid = client_for(world.staff).get("/api/v1/analytics/figures/mous_signed", {"country": "XX"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"] == [
        {"field": "query.country", "message": "Use an ISO 3166-1 country code such as PK or CN."}
    ]


def test_every_dashboard_keeps_to_the_content_security_policy(world: SimpleNamespace) -> None:
    from silkbridge.core.tests.test_content_security_policy import InlineCodeFinder

    staff = client_for(world.staff)
    for name in ("marketplace", "events", "deals", "datacenters", "zones"):
        response = staff.get(reverse("analytics:dashboard", args=[name]), NOVEMBER)
        finder = InlineCodeFinder(None)
        finder.feed(response.content.decode())
        assert (name, finder.problems) == (name, [])
