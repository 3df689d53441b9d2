"""Cost controls on scheduler runs (issue 9, finding 8): the time limit is capped and metered per user."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.core.budgets import BudgetExceeded
from silkbridge.events.models import ScheduleRun
from silkbridge.events.tests.factories import EventFactory, in_days
from silkbridge.events.tests.scheduling import schedule_run_now

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.SCHEDULER_MAX_TIME_LIMIT = 10
    settings.SCHEDULER_RUNS_PER_HOUR = 2
    settings.SCHEDULER_SECONDS_PER_HOUR = 12


def test_a_time_limit_above_the_cap_is_refused_naming_the_field():
    event = EventFactory(slot_days=[in_days(20)])
    with pytest.raises(ValidationError) as raised:
        schedule_run_now(actor=StaffFactory(), event=event, time_limit=11, seed=0)
    assert raised.value.message_dict == {"time_limit": ["The time limit must be between 1 and 10 seconds."]}
    assert ScheduleRun.objects.count() == 0


def test_the_api_refuses_a_time_limit_above_the_cap_and_a_spent_budget(client):
    staff = StaffFactory()
    event = EventFactory(slot_days=[in_days(20)])
    _, secret = api_token_create(user=staff, name="tests")
    url = f"/api/v1/events/{event.slug}/schedule"

    def post(seconds):
        body = json.dumps({"time_limit": seconds, "seed": 0})
        with TestCase.captureOnCommitCallbacks(execute=True):  # the run is done before the next one starts
            return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")

    too_long = post(11)
    assert too_long.status_code == 422
    assert too_long.json()["errors"] == [
        {"field": "body.time_limit", "message": "The time limit must be between 1 and 10 seconds."}
    ]
    assert [post(1).status_code, post(10).status_code] == [202, 202]
    refused = post(1)
    assert refused.status_code == 429
    assert refused.json()["message"].startswith(
        "Hourly limit reached: each user may run at most 2 scheduler runs with 12 seconds of search in total per "
        "hour. You have used 2 scheduler runs and 11 seconds of search this hour, and this request needs 1."
    )
    assert ScheduleRun.objects.filter(event=event).count() == 2


def test_the_budget_counts_seconds_as_well_as_runs():
    staff, event = StaffFactory(), EventFactory(slot_days=[in_days(20)])
    schedule_run_now(actor=staff, event=event, time_limit=10, seed=0)
    with pytest.raises(BudgetExceeded):
        schedule_run_now(actor=staff, event=event, time_limit=3, seed=0)
    assert ScheduleRun.objects.filter(event=event).count() == 1


def test_the_form_states_the_cap_and_refuses_more(client):
    staff = StaffFactory()
    client.force_login(staff)
    event = EventFactory(slot_days=[in_days(20)])
    page = client.get(reverse("events:manage", kwargs={"slug": event.slug})).content.decode()
    assert "At most 10 seconds per run; each user may start 2 runs with 12 seconds of search in total per hour." in page
    response = client.post(
        reverse("events:schedule_run", kwargs={"slug": event.slug}), {"time_limit": "11", "seed": "0"}
    )
    assert response.status_code == 422
    assert '<p class="error" id="id_time_limit_error">At most 10 seconds per run.</p>' in response.content.decode()
    assert ScheduleRun.objects.count() == 0
