"""Bulk imports run in a worker: the request checks and stores the upload and queues a run; the worker
imports in one transaction, reports progress, and fails with a message staff can act on."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.core.models import Run
from silkbridge.directory.importer import stored_file_import
from silkbridge.directory.models import ImportRun, Organisation
from silkbridge.directory.tests.test_import import GOOD_ROWS, _csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _post(client, content: bytes, name: str = "orgs.csv", **fields):
    client.force_login(StaffFactory())
    return client.post(reverse("directory:import"), {"file": SimpleUploadedFile(name, content), **fields})


def test_the_request_stores_the_file_and_queues_the_import(client, settings, media, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    organisations = Organisation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _csv(*GOOD_ROWS).encode(), all_or_nothing="on")
    run = Run.objects.get()
    assert response.status_code == 302
    assert (run.kind, run.status, run.created_by.is_staff) == ("directory.import", "queued", True)
    [queued] = default_task_backend.results
    assert queued.task.name == "organisations_import_task"
    assert queued.args == [run.pk]
    assert queued.kwargs["file_name"] == "orgs.csv"
    assert queued.kwargs["all_or_nothing"] is True
    assert queued.kwargs["stored_name"].startswith("uploads/directory.import/")  # core.uploads: a random folder
    assert queued.kwargs["stored_name"].endswith("/orgs.csv")
    with default_storage.open(queued.kwargs["stored_name"], "rb") as stored:
        assert stored.read() == _csv(*GOOD_ROWS).encode()
    assert Organisation.objects.count() == organisations  # nothing imported in the request


def test_a_failed_import_ends_failed_with_a_clear_message_and_writes_nothing(
    client, media, django_capture_on_commit_callbacks
):
    organisations = Organisation.objects.count()
    no_country = _csv("cn-x,Tianchi Agri AI,,company", header="key,name_en,name_local,kind")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, no_country.encode())
    run = Run.objects.get()
    assert response.status_code == 302
    assert run.status == "failed"
    assert run.error == "The header row lacks the required column(s): country."
    assert run.result is None
    assert Organisation.objects.count() == organisations
    assert not ImportRun.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]  # the stored upload is removed
    assert "The header row lacks the required column(s): country." in client.get(response["Location"]).content.decode()


def test_an_import_stopped_midway_writes_no_organisation(media):
    rows = [f"pk-many-{number},Company {number},,company,PK,Lahore,,,,,," for number in range(250)]
    stored_name = default_storage.save("imports/many.upload", SimpleUploadedFile("many.csv", _csv(*rows).encode()))
    organisations = Organisation.objects.count()
    reports: list[float] = []

    def progress(fraction: float, message: str = "") -> None:
        reports.append(fraction)
        if fraction > 0:  # after 200 rows were written: the worker is stopped here
            raise SystemExit("worker stopped")

    with pytest.raises(SystemExit):
        stored_file_import(
            run_id=None,  # type: ignore[arg-type]
            stored_name=stored_name,
            file_name="many.csv",
            all_or_nothing=False,
            actor_id=None,
            progress=progress,
        )
    assert reports == [0.0, 0.8]
    assert Organisation.objects.count() == organisations
    assert not ImportRun.objects.exists()


def test_a_bad_upload_is_refused_in_the_request_and_nothing_is_stored_or_queued(client, media):
    response = _post(client, b"%PDF-1.7", name="orgs.pdf")
    assert response.status_code == 422
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert not Run.objects.exists()
    assert not any(media.rglob("*"))


# --- a stored upload never outlives its run --------------------------------------------------------------


def _stored_files(media):
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


@pytest.fixture
def queued_import(client, settings, media, django_capture_on_commit_callbacks):
    """An import stored and queued, that no worker has picked up (the dummy backend runs nothing)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _csv(*GOOD_ROWS).encode())
    run = Run.objects.get()
    assert _stored_files(media) == [run.holds["upload"]]
    return run


def test_an_import_no_worker_picks_up_is_given_up_and_its_file_deleted(queued_import, media):
    from silkbridge.core.runs import queued_timeout, runs_reap

    assert runs_reap() == 0  # still within its time: kept
    assert len(_stored_files(media)) == 1
    Run.objects.filter(pk=queued_import.pk).update(created_at=timezone.now() - queued_timeout() - timedelta(seconds=1))
    assert runs_reap() == 1
    queued_import.refresh_from_db()
    assert (queued_import.status, queued_import.error, queued_import.holds) == (
        "failed",
        "No worker picked up the run in time; start it again.",
        {},
    )
    assert _stored_files(media) == []


def test_an_import_whose_worker_died_is_reaped_and_its_file_deleted(queued_import, media):
    from silkbridge.core.runs import runs_reap, stale_after

    long_ago = timezone.now() - stale_after() - timedelta(seconds=1)
    Run.objects.filter(pk=queued_import.pk).update(status="running", started_at=long_ago, heartbeat_at=long_ago)
    assert runs_reap() == 1
    queued_import.refresh_from_db()
    assert (queued_import.status, queued_import.error) == (
        "failed",
        "The worker stopped before the run finished; start it again.",
    )
    assert _stored_files(media) == []


def test_an_import_run_that_succeeds_leaves_no_file_behind(client, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _csv(*GOOD_ROWS).encode())
    run = Run.objects.get()
    assert (run.status, run.holds) == ("succeeded", {})
    assert _stored_files(media) == []


def test_the_next_import_sweeps_uploads_older_than_a_run_can_wait(client, settings, media, queued_import):
    from silkbridge.core.runs import queued_timeout, stale_after

    # A leftover from a run row that is gone (e.g. deleted with its user), older than any run waits.
    leftover = media / "uploads" / "directory.import" / "gone" / "orgs.csv"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"key,name_en")
    old = (timezone.now() - queued_timeout() - stale_after() - timedelta(minutes=1)).timestamp()
    os.utime(leftover, (old, old))
    recent = queued_import.holds["upload"]

    _post(client, _csv(*GOOD_ROWS).encode())
    newest = Run.objects.order_by("-pk").first()
    assert _stored_files(media) == sorted([recent, newest.holds["upload"]])  # the leftover alone is swept
