"""The outside review's findings: each refusal a user would notice, and that no figure leaks with it."""

from __future__ import annotations

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
    assert reverse("analytics:dashboard", args=["events"]) in staff.get(
        reverse("analytics:dashboard", args=["marketplace"]), NOVEMBER
    ).content.decode()
