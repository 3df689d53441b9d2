"""The outside review's findings: each refusal a user would notice, and that no figure leaks with it."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from silkbridge.analytics.tests.fixture import build_world

pytestmark = pytest.mark.django_db
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


@pytest.fixture
def world() -> SimpleNamespace:
    return build_world()


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_event_managers_read_the_events_figure(world: SimpleNamespace) -> None:
    member = client_for(world.outsider)
    page = member.get(reverse("analytics:dashboard", args=["events"]), NOVEMBER)
    assert page.status_code == 403
    assert world.event.title not in page.content.decode()
    for file_format in ("csv", "xlsx"):
        download = member.get(reverse("analytics:figure_download", args=["events_summary", file_format]), NOVEMBER)
        assert download.status_code == 403
    assert member.get("/api/v1/analytics/figures/events_summary", NOVEMBER).status_code == 403
    assert member.get("/api/v1/analytics/dashboards/events", NOVEMBER).status_code == 403
    marketplace = member.get(reverse("analytics:dashboard", args=["marketplace"]), NOVEMBER).content.decode()
    assert reverse("analytics:dashboard", args=["events"]) not in marketplace
    staff = client_for(world.staff)
    assert staff.get(reverse("analytics:dashboard", args=["events"]), NOVEMBER).status_code == 200
    csv_text = staff.get(reverse("analytics:figure_download", args=["events_summary", "csv"]), NOVEMBER)
    assert csv_text.content.decode("utf-8-sig").splitlines()[1] == f"{world.event.title},5,3,1,0.75,3,1,1,2,1"
    assert staff.get("/api/v1/analytics/figures/events_summary", NOVEMBER).json()["total"] == 3
    assert (
        reverse("analytics:dashboard", args=["events"])
        in staff.get(reverse("analytics:dashboard", args=["marketplace"]), NOVEMBER).content.decode()
    )


def test_a_filter_that_leaves_fewer_than_five_visible_organisations_is_refused(world: SimpleNamespace) -> None:
    from silkbridge.directory.tests.factories import OrganisationFactory

    # Visible to O1's member: one Sri Lankan organisation (and a private one it may not see); t-ai O1, O2,
    # O3; at the event O1, O3, O5 (O4 is private).
    OrganisationFactory(country="LK", visibility="public")
    for _number in range(4):
        OrganisationFactory(country="LK", visibility="private")
    member = client_for(world.outsider)
    url = reverse("analytics:dashboard", args=["marketplace"])
    message = "Fewer than 5 organisations you may see match this filter; widen it."
    for name, value in (("country", "LK"), ("sector", "t-ai"), ("event", world.event.slug)):
        page = member.get(url, {**NOVEMBER, name: value})
        assert page.status_code == 400
        assert page.context["form"].errors == {name: [message]}
        assert page.context["figures"] == []
        api = member.get("/api/v1/analytics/dashboards/marketplace", {**NOVEMBER, name: value})
        assert api.status_code == 422
        assert api.json()["errors"] == [{"field": f"query.{name}", "message": message}]
        assert "figures" not in api.json()
    # Pakistan: O1, O2, O7, O8, O9 and the two outside the period (and any seeded ones), so the figure shows.
    assert member.get(url, {**NOVEMBER, "country": "PK"}).status_code == 200
    assert client_for(world.staff).get(url, {**NOVEMBER, "country": "LK"}).status_code == 200


def test_the_event_filter_reads_only_events_the_viewer_may_see(world: SimpleNamespace) -> None:
    from silkbridge.analytics import selectors
    from silkbridge.analytics.tests.fixture import NOVEMBER as NOVEMBER_FILTER
    from silkbridge.events.models import Event

    Event.objects.filter(pk=world.event.pk).update(is_published=False)
    message = "No event you may see has this short name."
    member = client_for(world.private_member)
    for slug in (world.event.slug, "no-such-event"):
        api = member.get("/api/v1/analytics/dashboards/deals", {**NOVEMBER, "event": slug})
        assert api.status_code == 422
        assert api.json()["errors"] == [{"field": "query.event", "message": message}]
    # The selectors themselves never count a draft event's participants for a member.
    draft = replace(NOVEMBER_FILTER, event=world.event.slug)
    assert selectors.figure_get(viewer=world.private_member, key="organisations_by_country", filters=draft).total == 0
    assert selectors.figure_get(viewer=world.staff, key="organisations_by_country", filters=draft).total == 4


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"start": "0001-01-01", "end": "0001-01-03"}, "range"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "range"),
        ({"start": "1900-01-01"}, "range"),
        ({"start": "2030-01-01"}, "range"),
        ({"start": "2001-01-01"}, "The period may be at most ten years long."),
        ({"start": "2027-06-01"}, "The period must end on or after its first day."),
    ],
)
def test_extreme_dates_are_a_clear_error_never_a_500(
    world: SimpleNamespace, query: dict[str, str], reason: str
) -> None:
    from django.utils import timezone

    from silkbridge.analytics.forms import FIRST_DAY, last_day

    message = reason
    if reason == "range":
        message = f"Use a day from {FIRST_DAY:%Y-%m-%d} to {last_day(timezone.localdate()):%Y-%m-%d}."
    staff = client_for(world.staff)
    page = staff.get(reverse("analytics:dashboard", args=["deals"]), query)
    assert page.status_code == 400
    assert page.context["form"].errors["start"] == [message]  # (and "end" too where it is out of range)
    api = staff.get("/api/v1/analytics/figures/deals_by_stage", query)
    assert api.status_code == 422
    assert api.json()["errors"][0] == {"field": "query.start", "message": message}
    for file_format in ("csv", "xlsx"):
        download = staff.get(reverse("analytics:figure_download", args=["deals_by_stage", file_format]), query)
        assert download.status_code == 400
        assert download.content.decode().startswith(f"From: {message}\n")


def test_the_country_filter_does_not_count_a_private_counterparty(world: SimpleNamespace) -> None:
    from silkbridge.analytics import selectors
    from silkbridge.analytics.tests.fixture import NOVEMBER as NOVEMBER_FILTER

    # O4 (private, China) is no organisation the outsider may see, so it is outside any filtered scope.
    scope = selectors._organisations_in(replace(NOVEMBER_FILTER, country="CN"), world.outsider)
    assert scope is not None
    assert world.o4.pk not in set(scope.values_list("pk", flat=True))
    assert world.o4.pk in set(
        selectors._organisations_in(replace(NOVEMBER_FILTER, country="CN"), world.staff).values_list("pk", flat=True)
    )


def test_an_unknown_sector_is_named_not_read_as_zero(world: SimpleNamespace) -> None:
    staff = client_for(world.staff)
    page = staff.get(reverse("analytics:dashboard", args=["deals"]), {**NOVEMBER, "sector": "no-such-field"})
    assert page.status_code == 400
    assert page.context["form"].errors == {"sector": ["No focus field has this code."]}
    api = staff.get("/api/v1/analytics/figures/deals_by_stage", {**NOVEMBER, "sector": "no-such-field"})
    assert (api.status_code, api.json()["errors"]) == (
        422,
        [{"field": "query.sector", "message": "No focus field has this code."}],
    )
