"""Per-process state: a web request reads stored matches and never builds the match index or loads the
embedding model (only a worker does), and the glossary that matching uses is the database's."""

from __future__ import annotations

import pytest
from django_tasks import default_task_backend

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory
from silkbridge.core.models import Run
from silkbridge.directory.models import Concept
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, XRAY_REQUEST_EN, draft, member, published
from silkbridge.matching import selectors, services, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """Tasks are queued for a worker and not run, as in production: what a request does is all there is."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = default_task_backend
    backend.clear()
    return backend


def _queued_calls(backend) -> list[tuple[str, list]]:
    return [(result.task.name, list(result.args)) for result in backend.results]


def test_outside_a_worker_the_index_and_the_model_are_refused():
    request = published(**XRAY_REQUEST_EN)
    services.reset_index()
    with pytest.raises(services.WorkerOnlyError):
        services.refresh(request.pk)
    with pytest.raises(services.WorkerOnlyError):
        services.rebuild()
    with pytest.raises(services.WorkerOnlyError):
        services.embedder()
    assert services._STATE.index is None


def test_approval_and_a_new_rate_queue_work_and_pages_and_api_read_stored_matches(
    client, queued, django_capture_on_commit_callbacks
):
    request = published(**XRAY_REQUEST_EN)  # matched by the worker's task, as in production
    owner, organisation = member(country="CN")
    offer = draft(organisation, owner, **XRAY_OFFER_ZH)
    offer.status = "under_review"
    offer.save(update_fields=["status"])
    services.reset_index()  # a fresh web process holds no index
    staff = StaffFactory()
    client.login(email=staff.email, password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"/marketplace/{offer.pk}/review/", {"decision": "approve", "comment": ""})
    assert approved.status_code == 302
    assert Opportunity.objects.get(pk=offer.pk).status == "published"
    with django_capture_on_commit_callbacks(execute=True):
        rate = client.post("/matches/rates/", {"currency": "PKR", "units_per_usd": "280", "valid_from": "2026-01-01"})
    assert rate.status_code == 302
    refresh_run = Run.objects.filter(kind="matching.refresh").latest("pk")  # the approval's
    rebuild_run = Run.objects.get(kind="matching.rebuild", status="queued", created_by=staff)
    assert _queued_calls(queued) == [
        ("mail_send", []),  # the owner is told of the approval by a task too
        ("refresh_matches", [refresh_run.pk, offer.pk]),
        ("rebuild_matches", [rebuild_run.pk]),
    ]
    assert services._STATE.index is None  # the request built nothing (a build would raise WorkerOnlyError)
    assert not request.matches.filter(other=offer).exists()  # nothing computed until a worker runs

    tasks.refresh_matches.call(refresh_run.pk, offer.pk)  # the worker
    refresh_run.refresh_from_db()
    assert refresh_run.status == "succeeded"
    services.reset_index()  # back in the web process

    page = client.get(f"/matches/profile/{request.pk}/")
    api = client.get(f"/api/v1/opportunities/{request.pk}/matches")
    everything = client.get("/matches/all/")
    assert page.status_code == api.status_code == everything.status_code == 200
    assert XRAY_OFFER_ZH["title"] in page.content.decode()
    assert api.json()[0]["other"]["title"] == XRAY_OFFER_ZH["title"]
    assert services._STATE.index is None


def test_an_admin_edit_of_a_synonym_reaches_matching():
    text = "Zorblax radiography for district hospitals"
    assert "tuberculosis_xray_screening" not in services.suggest_terms(text=text, language="en")["concepts"]
    assert "tuberculosis_xray_screening" not in selectors.glossary().extract(text).concepts

    concept = Concept.objects.get(code="tuberculosis_xray_screening")
    concept.synonyms = {**concept.synonyms, "en": [*concept.synonyms["en"], "zorblax radiography"]}
    concept.save()  # what the admin's change form does

    assert selectors.glossary().extract(text).concepts == {"tuberculosis_xray_screening": "zorblax radiography"}
    assert "tuberculosis_xray_screening" in services.suggest_terms(text=text, language="en")["concepts"]
    # The worker's index follows the edit too: a profile in the new wording carries the concept.
    request = published(kind="technology_request", title=text, description="Zorblax radiography, on premises.")
    with services.in_worker():
        index = services._synced_index()
    assert "tuberculosis_xray_screening" in index.features_of(str(request.pk)).concept_weights


def test_a_new_rate_rebuilds_every_list_in_a_run_that_staff_see(client, django_capture_on_commit_callbacks):
    published(**XRAY_REQUEST_EN)
    published(country="CN", **XRAY_OFFER_ZH)
    staff = StaffFactory()
    client.login(email=staff.email, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/matches/rates/", {"currency": "PKR", "units_per_usd": "280", "valid_from": "2026-01-01"})
    run = Run.objects.get(kind="matching.rebuild")
    assert (run.status, run.created_by, run.progress) == ("succeeded", staff, 1.0)
    assert run.result == {"profiles": 2, "matches": 2, "url": "/matches/all/"}
    rates_page = client.get("/matches/rates/").content.decode()
    assert f'href="/runs/{run.pk}/"' in rates_page
    assert f'href="/runs/{run.pk}/"' in client.get("/matches/all/").content.decode()
