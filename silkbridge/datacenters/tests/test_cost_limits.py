"""Cost controls on assessments (issue 9, finding 8): a cap per request and a budget per user per hour.

Before them, anyone signed in could ask for 1,000,000 simulated years (44 s of a web worker) as often
as they liked. The cap and the budget are settings; the tests shrink them so that each run is short.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.core.models import Run, UsageWindow
from silkbridge.core.runs import SERVER_ERROR, WORKER_STOPPED, queued_timeout, runs_reap, stale_after
from silkbridge.datacenters.models import Assessment

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "datacenters"
URL = "/api/v1/datacenters/assessments"
DESIGN = (EXAMPLES / "tier1.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.DATACENTER_MAX_YEARS = 5_000
    settings.DATACENTER_ASSESSMENTS_PER_HOUR = 3
    settings.DATACENTER_YEARS_PER_HOUR = 8_000


def _bearer(user):
    _, secret = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, headers, years, design=DESIGN):
    """POST, then let the task framework run what the request queued (a worker does, in production)."""
    body = json.dumps({"design": design, "years": years, "seed": 1})
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, body, content_type="application/json", **headers)


def test_more_years_than_the_cap_is_refused_by_the_api_naming_the_field_and_the_limit(client):
    user = UserFactory()
    response = _post(client, _bearer(user), 5_001)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "years", "message": "the number of simulated years must be between 1000 and 5000"}
    ]
    assert Assessment.objects.count() == 0
    assert UsageWindow.objects.filter(user=user, runs__gt=0).count() == 0


def test_the_hourly_budget_of_assessments_is_enforced_with_429_and_a_clear_message(client):
    user = UserFactory()
    headers = _bearer(user)
    assert [_post(client, headers, 1_000).status_code for _ in range(3)] == [202, 202, 202]
    refused = _post(client, headers, 1_000)
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "budget_exceeded"
    assert body["message"].startswith(
        "Hourly limit reached: each user may run at most 3 assessments with 8000 simulated years in total per hour. "
        "You have used 3 assessments and 3000 simulated years this hour, and this request needs 1000."
    )
    assert 1 <= int(refused["Retry-After"]) <= 3601
    assert Assessment.objects.filter(created_by=user).count() == 3
    # Another user's budget is their own.
    assert _post(client, _bearer(UserFactory()), 1_000).status_code == 202


def test_the_hourly_budget_of_simulated_years_is_enforced(client):
    user = UserFactory()
    headers = _bearer(user)
    assert _post(client, headers, 5_000).status_code == 202
    refused = _post(client, headers, 4_000)
    assert refused.status_code == 429
    assert (
        "You have used 1 assessments and 5000 simulated years this hour, and this request needs 4000."
        in (refused.json()["message"])
    )
    assert _post(client, headers, 3_000).status_code == 202  # what is left of the budget can still be used
    assert Assessment.objects.filter(created_by=user).count() == 2
    window = UsageWindow.objects.get(user=user, resource="datacenters.monte_carlo")
    assert (window.runs, window.units) == (2, 8_000)


def test_an_invalid_design_costs_nothing(client):
    user = UserFactory()
    headers = _bearer(user)
    assert [_post(client, headers, 5_000, design="name: broken").status_code for _ in range(4)] == [422] * 4
    assert _post(client, headers, 5_000).status_code == 202
    window = UsageWindow.objects.get(user=user, resource="datacenters.monte_carlo")
    assert (window.runs, window.units) == (1, 5_000)


def test_a_design_refused_only_after_its_simulation_ran_is_charged(client):
    # A NUL spelt "\u0000" in a JSON name is found in the result, after the Monte Carlo run: that run
    # was paid for, or anyone could run unlimited simulations by sending such designs.
    user = UserFactory()
    headers = _bearer(user)
    design = yaml.safe_load(DESIGN)
    design["name"] = "evil\u0000name"
    response = _post(client, headers, 5_000, design=json.dumps(design))
    assert response.status_code == 202  # the request cannot see it: the parsed name is checked after the engine
    run = client.get(f"/api/v1/runs/{response.json()['id']}", **headers).json()
    assert run["status"] == "failed"
    assert run["error"] == (
        "The design is not valid.\n"
        "design.name: The text contains a NUL character (\\x00), which cannot be stored; remove it."
    )
    assert Assessment.objects.filter(created_by=user).count() == 0
    window = UsageWindow.objects.get(user=user, resource="datacenters.monte_carlo")
    assert (window.runs, window.units) == (1, 5_000)


def test_the_budget_message_is_in_the_callers_language(client):
    headers = {**_bearer(UserFactory()), "HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    for _ in range(3):
        assert _post(client, headers, 1_000).status_code == 202
    message = _post(client, headers, 1_000).json()["message"]
    assert message.startswith("已达到每小时上限")
    assert "3" in message
    assert "8000" in message


def _upload(client, years):
    data = {"years": years, "seed": 7, "design": SimpleUploadedFile("tier1.yaml", DESIGN.encode("utf-8"))}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("datacenters:assessment_list"), data)


def test_the_form_states_the_limits_and_refuses_more_years_beside_the_field(client):
    client.force_login(UserFactory())
    page = client.get(reverse("datacenters:assessment_list")).content.decode()
    assert (
        "Between 1000 and 5000 per assessment; each user may run 3 assessments with 8000 simulated years "
        "in total per hour." in page
    )
    assert 'max="5000"' in page
    response = _upload(client, 5_001)
    html = response.content.decode()
    assert '<p class="error" id="id_years_error">At most 5000 simulated years per assessment.</p>' in html
    assert Assessment.objects.count() == 0


def test_the_form_says_when_the_hourly_budget_is_spent(client):
    client.force_login(UserFactory())
    assert [_upload(client, 4_000).status_code for _ in range(2)] == [302, 302]
    response = _upload(client, 1_000)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<div class="form-errors" role="alert"><p>Hourly limit reached: each user may run at most 3' in html
    assert Assessment.objects.count() == 2


# --- a run the machinery failed costs nothing -------------------------------------------------------------


def _queued(client, settings, headers, years):
    """POST an assessment that no worker picks up yet (the dummy backend runs nothing): charged, queued."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    response = _post(client, headers, years)
    assert response.status_code == 202
    return Run.objects.get(pk=response.json()["id"])


def _window(user):
    window = UsageWindow.objects.get(user=user, resource="datacenters.monte_carlo")
    return (window.runs, window.units)


def test_an_assessment_whose_worker_was_killed_is_refunded(client, settings):
    user = UserFactory()
    headers = _bearer(user)
    run = _queued(client, settings, headers, 5_000)
    assert _window(user) == (1, 5_000)
    assert _post(client, headers, 4_000).status_code == 429  # the charge holds while the run may still run

    long_ago = timezone.now() - stale_after() - timedelta(seconds=1)
    Run.objects.filter(pk=run.pk).update(status="running", started_at=long_ago, heartbeat_at=long_ago)
    assert runs_reap() == 1
    run.refresh_from_db()
    assert (run.status, run.error, run.holds) == ("failed", WORKER_STOPPED, {})
    assert _window(user) == (0, 0)
    assert runs_reap() == 0
    assert _window(user) == (0, 0)  # given back once
    assert _post(client, headers, 5_000).status_code == 202  # the whole budget again


def test_an_assessment_no_worker_picked_up_is_refunded(client, settings):
    user = UserFactory()
    run = _queued(client, settings, _bearer(user), 3_000)
    Run.objects.filter(pk=run.pk).update(created_at=timezone.now() - queued_timeout() - timedelta(seconds=1))
    runs_reap()
    assert _window(user) == (0, 0)


def test_an_assessment_that_fails_on_a_server_error_is_refunded(client, monkeypatch):
    from silkbridge.datacenters import services

    def broken(**kwargs):
        raise OSError("the disk is full")

    monkeypatch.setattr(services, "_assessment_store", broken)
    user = UserFactory()
    headers = _bearer(user)
    response = _post(client, headers, 5_000)
    run = Run.objects.get(pk=response.json()["id"])
    assert (run.status, run.error) == ("failed", SERVER_ERROR)
    assert Assessment.objects.count() == 0
    assert _window(user) == (0, 0)


def test_a_successful_assessment_keeps_its_charge(client):
    user = UserFactory()
    response = _post(client, _bearer(user), 5_000)
    run = Run.objects.get(pk=response.json()["id"])
    assert (run.status, run.holds) == ("succeeded", {})
    assert _window(user) == (1, 5_000)
