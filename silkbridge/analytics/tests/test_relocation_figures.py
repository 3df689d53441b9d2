"""Relocation cases by stage and zone, hand-counted: four cases opened this week (three taken up by
Lahore Technopolis, one by Islamabad Technopolis) and one opened two months ago, outside the period."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory
from silkbridge.analytics import selectors
from silkbridge.analytics.selectors import SUPPRESSED, FigureFilter
from silkbridge.deals.models import Deal
from silkbridge.deals.services.cases import relocation_case_open
from silkbridge.deals.services.pipeline import deal_stage_set
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.zones.models import Zone
from silkbridge.zones.relocation_services import RelocationRequestData, relocation_request_create

pytestmark = pytest.mark.django_db

KEY = "relocation_cases_by_stage_and_zone"


def _member(organisation: Any = None) -> tuple[Any, Any]:
    membership = MembershipFactory(organisation=organisation or OrganisationFactory(country="CN"))
    return membership.user, membership.organisation


@pytest.fixture
def world() -> SimpleNamespace:
    staff = StaffFactory()
    lahore = Zone.objects.get(key="lahore-technopolis")
    islamabad = Zone.objects.get(key="islamabad-technopolis")
    lahore_user, lahore.organisation = _member(OrganisationFactory(kind="zone_developer", country="PK"))
    lahore.save(update_fields=["organisation"])
    islamabad_user, islamabad.organisation = _member(OrganisationFactory(kind="zone_developer", country="PK"))
    islamabad.save(update_fields=["organisation"])
    companies = []
    cases = []
    for shared in (
        ["lahore-technopolis"],
        ["lahore-technopolis"],
        ["lahore-technopolis", "islamabad-technopolis"],
        ["lahore-technopolis"],
    ):
        user, company = _member()
        request = relocation_request_create(
            actor=user, organisation=company, data=RelocationRequestData(title="Plan", shared_with=shared)
        )
        companies.append(user)
        cases.append(relocation_case_open(actor=staff, relocation_request=request, zone=lahore))
        if "islamabad-technopolis" in shared:
            cases.append(relocation_case_open(actor=islamabad_user, relocation_request=request, zone=islamabad))
    # Lahore's cases: two at inquiry, one moved to advisory, one opened two months ago (outside the period).
    deal_stage_set(actor=lahore_user, deal=cases[1], stage="advisory")
    Deal.objects.filter(pk=cases[-1].pk).update(created_at=timezone.now() - timedelta(days=60))
    # The page and the API count days in the viewer's zone (Karachi, UTC+5), the selector called here in
    # the server's (UTC): from 19:00 UTC this week's cases fall on tomorrow's date in Karachi, so the
    # period runs to tomorrow, and holds them on either clock.
    today = timezone.localdate()
    return SimpleNamespace(
        staff=staff,
        lahore_user=lahore_user,
        islamabad_user=islamabad_user,
        company_user=companies[0],
        outsider=_member()[0],
        week=FigureFilter(start=today - timedelta(days=6), end=today + timedelta(days=1)),
    )


def _figure(viewer: object, filters: FigureFilter) -> selectors.Figure:
    return selectors.figure_get(viewer=viewer, key=KEY, filters=filters)


def test_staff_read_every_case_by_zone_and_stage(world: SimpleNamespace) -> None:
    figure = _figure(world.staff, world.week)
    assert figure.headers[1:8] == [
        "Inquiry",
        "Advisory",
        "Site visit",
        "Licence application",
        "Licence granted",
        "Operating",
        "Declined",
    ]
    # Zone, inquiry, advisory, site visit, licence application, granted, operating, declined, withdrawn, stalled, total.
    assert figure.rows == [
        ["Islamabad Technopolis", 1, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ["Lahore Technopolis", 2, 1, 0, 0, 0, 0, 0, 0, 0, 3],
    ]
    assert figure.total == 4
    assert figure.previous_total == 0  # the case opened two months ago is in neither week
    assert "relocation_cases" not in selectors.MISSING_FIGURES


def test_a_zone_counts_only_its_own_cases_suppressed_below_five(world: SimpleNamespace) -> None:
    lahore = _figure(world.lahore_user, world.week)
    assert lahore.rows == [["Lahore Technopolis", SUPPRESSED, SUPPRESSED, 0, 0, 0, 0, 0, 0, 0, SUPPRESSED]]
    islamabad = _figure(world.islamabad_user, world.week)
    assert [row[0] for row in islamabad.rows] == ["Islamabad Technopolis"]
    outsider = _figure(world.outsider, world.week)
    assert (outsider.rows, outsider.total) == ([], 0)


def test_the_zones_dashboard_page_api_and_download(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.staff)
    query = {"start": world.week.start.isoformat(), "end": world.week.end.isoformat()}
    page = client.get("/analytics/zones/", query)
    assert page.status_code == 200
    assert "Relocation cases by stage and zone" in page.content.decode()
    body = client.get("/api/v1/analytics/dashboards/zones", query).json()
    assert [figure["key"] for figure in body["figures"]] == [KEY]
    assert body["figures"][0]["total"] == 4
    download = client.get(f"/analytics/figures/{KEY}.csv", query).content.decode("utf-8-sig")
    assert "Lahore Technopolis,2,1,0,0,0,0,0,0,0,3" in download
    lahore = Client()
    lahore.force_login(world.lahore_user)
    assert lahore.get("/api/v1/analytics/dashboards/zones", query).json()["figures"][0]["total"] == SUPPRESSED
