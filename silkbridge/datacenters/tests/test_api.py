"""The assessment API: stored and uploaded assessments, validation, errors with places, confidentiality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.core.tests import run_tasks
from silkbridge.datacenters.models import Assessment

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "datacenters"
URL = "/api/v1/datacenters/assessments"


def _bearer(user=None):
    _, secret = api_token_create(user=user or UserFactory(), name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, body, headers):
    """POST, then let the task framework run what the request queued (a worker does, in production)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def _assessed(client, response, headers):
    """The assessment made by the background run that a 202 answer started."""
    assert response.status_code == 202, response.content
    run = client.get(f"/api/v1/runs/{response.json()['id']}", **headers).json()
    assert (run["kind"], run["status"], run["error"]) == ("datacenters.assessment", "succeeded", "")
    return client.get(f"{URL}/{run['result']['reference']}", **headers).json()


def test_a_design_posted_as_json_answers_at_once_and_a_task_assesses_and_stores_it(client):
    headers = _bearer()
    design = (EXAMPLES / "tier4.yaml").read_text(encoding="utf-8")
    with run_tasks.tasks_recorded() as tasks, TestCase.captureOnCommitCallbacks() as after_commit:
        response = client.post(
            URL,
            json.dumps({"design": design, "file_name": "tier4.yaml", "years": 2000, "seed": 3}),
            content_type="application/json",
            **headers,
        )
    assert response.status_code == 202, response.content
    run = response.json()
    assert (run["kind"], run["status"], run["result"]) == ("datacenters.assessment", "queued", None)
    assert Assessment.objects.count() == 0  # the request ran no engine and stored nothing
    assert tasks["enqueued"] == []
    with run_tasks.tasks_recorded() as tasks:
        for callback in after_commit:  # committed: the task is queued, and runs
            callback()
    assert tasks == {"enqueued": ["assessment_task"], "finished": ["assessment_task:SUCCESSFUL"]}
    run = client.get(f"/api/v1/runs/{run['id']}", **headers).json()
    assessment = Assessment.objects.get()
    assert run["status"] == "succeeded"
    assert run["result"] == {
        "reference": assessment.reference,
        "tier": 4,
        "url": f"/datacenters/{assessment.reference}/",
    }
    body = client.get(f"{URL}/{assessment.reference}", **headers).json()
    assert body["tier"] == 4
    assert body["result"]["tier"] == 4
    assert set(body["result"]["availability"]) >= {"analytical", "simulated", "interval", "downtime_minutes_per_year"}
    assert body["pue"] == body["result"]["pue"]
    assert body["years"] == 2000


def test_the_same_seed_gives_the_same_figures(client):
    headers = _bearer()
    design = (EXAMPLES / "tier2.yaml").read_text(encoding="utf-8")
    first = _assessed(client, _post(client, {"design": design, "years": 2000, "seed": 11}, headers), headers)
    second = _assessed(client, _post(client, {"design": design, "years": 2000, "seed": 11}, headers), headers)
    assert first["result"]["availability"] == second["result"]["availability"]


def test_an_uploaded_file_is_assessed(client):
    upload = SimpleUploadedFile("tier1.yaml", (EXAMPLES / "tier1.yaml").read_bytes())
    headers = _bearer()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"{URL}/upload", {"design": upload, "years": 1000}, **headers)
    assert _assessed(client, response, headers)["tier"] == 1


def test_an_invalid_design_answers_422_naming_every_place_and_stores_nothing(client):
    design = "name: Broken\nit_load_kw: 0\npower:\n  ups:\n    - id: UPS-A\n      modules: 0\n"
    response = _post(client, {"design": design, "years": 1000}, _bearer())
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_design"
    fields = {error["field"] for error in body["errors"]}
    assert {"it_load_kw", "power.ups[0].modules"} <= fields
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"design": ""},
        {"design": "name: x", "years": 10},
        {"design": "name: x", "seed": -1},
        {"years": 1000},
        {"design": "[1, 2"},
        {"design": "- just\n- a list\n"},
        {"design": "name: x\nit_load_kw: .nan\n"},
        {"design": "a: &a [*a, *a]\n"},
    ],
)
def test_bad_payloads_get_422_never_500(client, payload):
    response = _post(client, payload, _bearer())
    assert response.status_code == 422, response.content
    assert response.json()["errors"]


def test_validate_reports_errors_and_warnings_without_storing(client):
    headers = _bearer()
    valid = client.post(
        "/api/v1/datacenters/validate",
        json.dumps({"design": (EXAMPLES / "tier3.yaml").read_text(encoding="utf-8")}),
        content_type="application/json",
        **headers,
    ).json()
    assert valid["valid"] is True
    assert valid["errors"] == []
    invalid = client.post(
        "/api/v1/datacenters/validate",
        json.dumps({"design": "name: x\nit_load_kw: -1\n"}),
        content_type="application/json",
        **headers,
    ).json()
    assert invalid["valid"] is False
    assert any(error["path"] == "it_load_kw" for error in invalid["errors"])
    assert Assessment.objects.count() == 0


def test_assessments_are_confidential_in_the_api(client):
    owner = UserFactory()
    design = (EXAMPLES / "tier1.yaml").read_text(encoding="utf-8")
    owner_headers = _bearer(owner)
    reference = _assessed(client, _post(client, {"design": design, "years": 1000}, owner_headers), owner_headers)[
        "reference"
    ]
    stranger = _bearer()
    assert client.get(f"{URL}/{reference}", **stranger).status_code == 404
    assert client.get(URL, **stranger).json()["count"] == 0
    assert client.delete(f"{URL}/{reference}", **stranger).status_code == 404
    reviewer = _bearer(UserFactory(role="reviewer"))
    assert client.get(f"{URL}/{reference}", **reviewer).status_code == 200
    assert client.delete(f"{URL}/{reference}", **reviewer).status_code == 403
    assert client.get(URL).status_code == 401
    assert client.delete(f"{URL}/{reference}", **_bearer(owner)).status_code == 204
    assert Assessment.objects.count() == 0
