"""Background runs: a task queued through Django's task framework claims its run, keeps it beating,
stores its result or an error fit for the user; a run whose worker died is marked failed; the run is
read through the API and its page by the one who started it and staff only."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.core.models import Run, RunStatus
from silkbridge.core.runs import (
    SERVER_ERROR,
    WORKER_STOPPED,
    RunAlreadyActive,
    run_enqueue,
    run_execute,
    runs_reap,
)
from silkbridge.core.tests import run_tasks

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def tasks_seen():
    with run_tasks.tasks_recorded() as seen:
        yield seen


@pytest.mark.django_db
def test_a_run_is_queued_after_commit_and_holds_its_result(django_capture_on_commit_callbacks, tasks_seen):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        run = run_enqueue(kind="core.test", created_by=user, task=run_tasks.add_numbers, args=(2, 3))
        assert tasks_seen["enqueued"] == []  # nothing runs before the transaction that made the row commits
    run.refresh_from_db()
    assert tasks_seen == {"enqueued": ["add_numbers"], "finished": ["add_numbers:SUCCESSFUL"]}
    assert (run.status, run.result, run.progress, run.error, run.attempts) == ("succeeded", {"sum": 5}, 1.0, "", 1)
    assert run.created_by == user
    assert run.started_at is not None
    assert run.finished_at is not None
    assert run.started_at <= run.finished_at


@pytest.mark.django_db
def test_a_crash_shows_the_user_a_plain_sentence_and_logs_the_trace(django_capture_on_commit_callbacks, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="silkbridge.core.runs"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = run_enqueue(kind="core.test", created_by=UserFactory(), task=run_tasks.crash)
    run.refresh_from_db()
    assert (run.status, run.error, run.result) == ("failed", SERVER_ERROR, None)
    assert "secret" not in run.error
    assert "internal detail: /srv/secret/path line 42" in caplog.text  # the trace is in the log
    assert "Traceback" in caplog.text


@pytest.mark.django_db
def test_a_refusal_by_the_work_is_shown_as_it_was_written(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_enqueue(kind="core.test", created_by=UserFactory(), task=run_tasks.refuse)
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "The design names no power feed.")


@pytest.mark.django_db
def test_a_run_is_claimed_once_so_two_workers_never_both_do_the_work():
    run = Run.objects.create(kind="core.test")
    calls: list[int] = []

    def work(number: int):
        def call(progress):
            calls.append(number)
            return {"n": number}

        return call

    assert run_execute(run.pk, work(1)) == {"n": 1}
    assert run_execute(run.pk, work(2)) is None  # already finished
    run.refresh_from_db()
    assert calls == [1]
    assert (run.status, run.result, run.attempts) == ("succeeded", {"n": 1}, 1)


@pytest.mark.django_db
def test_one_active_run_per_exclusive_key_held_by_the_database():
    user = UserFactory()
    first = run_enqueue(kind="core.test", created_by=user, task=run_tasks.add_numbers, args=(1, 1), exclusive_key="k")
    with pytest.raises(RunAlreadyActive):
        run_enqueue(kind="core.test", created_by=user, task=run_tasks.add_numbers, args=(1, 1), exclusive_key="k")
    assert list(Run.objects.filter(exclusive_key="k")) == [first]  # the refused start left no row
    Run.objects.filter(pk=first.pk).update(status=RunStatus.SUCCEEDED)
    second = run_enqueue(kind="core.test", created_by=user, task=run_tasks.add_numbers, args=(1, 1), exclusive_key="k")
    assert second.status == "queued"


@pytest.mark.django_db
def test_the_reaper_fails_a_run_whose_heartbeat_stopped_and_spares_a_live_one(settings):
    settings.RUN_STALE_SECONDS = 30
    now = timezone.now()
    dead = Run.objects.create(
        kind="core.test", status="running", started_at=now, heartbeat_at=now - timedelta(seconds=31)
    )
    alive = Run.objects.create(
        kind="core.test", status="running", started_at=now, heartbeat_at=now - timedelta(seconds=5)
    )
    waiting = Run.objects.create(kind="core.test")
    assert runs_reap() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    waiting.refresh_from_db()
    assert (dead.status, dead.error) == ("failed", WORKER_STOPPED)
    assert dead.finished_at is not None
    assert (alive.status, alive.error, waiting.status) == ("running", "", "queued")


@pytest.mark.django_db
def test_a_run_no_worker_took_for_too_long_is_given_up(settings):
    settings.RUN_QUEUED_TIMEOUT_SECONDS = 60
    old = Run.objects.create(kind="core.test")
    Run.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert runs_reap() == 1
    old.refresh_from_db()
    assert (old.status, old.error) == ("failed", "No worker picked up the run in time; start it again.")
    assert run_execute(old.pk, lambda progress: {"late": True}) is None  # a worker that comes late leaves it


@pytest.fixture
def _reference_data(transactional_db):
    from silkbridge.conftest import reference_data_load

    reference_data_load()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_reference_data")
def test_a_database_worker_executes_the_queued_run(settings, tasks_seen):
    """With the database backend nothing runs in the request: the run waits, queued, until a
    `db_worker` process takes its task from the database and does the work."""
    settings.TASKS = DATABASE_TASKS
    run = run_enqueue(kind="core.test", created_by=UserFactory(), task=run_tasks.add_numbers, args=(20, 22))
    run.refresh_from_db()
    assert run.status == "queued"
    assert DBTaskResult.objects.get().status == "READY"
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    run.refresh_from_db()
    assert (run.status, run.result, run.progress) == ("succeeded", {"sum": 42}, 1.0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert tasks_seen["finished"] == ["add_numbers:SUCCESSFUL"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.usefixtures("_reference_data")
def test_the_heartbeat_keeps_a_silent_run_alive_and_carries_its_progress(settings):
    """A run whose work never calls back for longer than a run may stay silent is not reaped: the
    heartbeat thread keeps it fresh, and writes the progress the work last reported.
    (PostgreSQL only: the in-memory SQLite test database turns a concurrent write into an error.)"""
    settings.RUN_HEARTBEAT_SECONDS = 0.2
    settings.RUN_STALE_SECONDS = 1.0
    run = run_enqueue(kind="core.test", created_by=UserFactory(), task=run_tasks.silent_then_report, args=(2.0,))
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert run.result == {"reaped": 0, "status": "running", "progress": 0.25, "message": "a quarter"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.usefixtures("_reference_data")
def test_a_worker_killed_mid_run_leaves_a_failed_run_and_the_next_run_on_the_key_succeeds(settings):
    """A real `silkbridge db_worker` process takes a long run and is killed (SIGKILL: no clean-up at
    all). Its run stops beating, is reaped as failed with "the worker stopped", and frees its exclusive
    key: the next run on the key is done by a new worker. (PostgreSQL only: the workers are other
    processes, which cannot reach an in-memory SQLite test database.)"""
    settings.TASKS = DATABASE_TASKS
    settings.RUN_STALE_SECONDS = 2.0
    database = settings.DATABASES["default"]
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}",
        "SILKBRIDGE_TASK_BACKEND": "database",
        "SILKBRIDGE_RUN_HEARTBEAT_SECONDS": "0.3",
    }
    worker_command = [sys.executable, "-m", "silkbridge", "db_worker", "--no-startup-delay", "--no-reload"]
    user = UserFactory()
    killed = run_enqueue(kind="core.test", created_by=user, task=run_tasks.sleep, args=(60,), exclusive_key="one")
    worker = subprocess.Popen(worker_command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if run_tasks.is_running(killed.pk):
                break
            time.sleep(0.2)
        else:
            pytest.fail("the worker did not start the run")
        time.sleep(2.5)  # beating: older than RUN_STALE_SECONDS, yet alive
        assert runs_reap() == 0
    finally:
        worker.kill()
        worker.wait(timeout=10)
    time.sleep(2.5)
    assert runs_reap() == 1
    killed.refresh_from_db()
    assert (killed.status, killed.error, killed.progress, killed.message) == ("failed", WORKER_STOPPED, 0.1, "sleeping")
    following = run_enqueue(kind="core.test", created_by=user, task=run_tasks.sleep, args=(0.1,), exclusive_key="one")
    subprocess.run([*worker_command, "--batch"], env=environment, check=True, capture_output=True, timeout=120)
    following.refresh_from_db()
    assert (following.status, following.result) == ("succeeded", {"slept": 0.1})


# --- the run resource and its page -----------------------------------------------------------------


def _finished_run(user, **fields):
    now = timezone.now()
    values = {
        "kind": "events.schedule",
        "created_by": user,
        "status": "succeeded",
        "progress": 1.0,
        "result": {"placed": 3, "url": "/events/"},
        "started_at": now,
        "heartbeat_at": now,
        "finished_at": now,
        **fields,
    }
    return Run.objects.create(**values)


@pytest.mark.django_db
def test_the_run_resource_shows_its_creator_the_result(client):
    user = UserFactory()
    run = _finished_run(user)
    client.force_login(user)
    response = client.get(f"/api/v1/runs/{run.pk}")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("id", "kind", "status", "progress", "message", "result", "error")} == {
        "id": run.pk,
        "kind": "events.schedule",
        "status": "succeeded",
        "progress": 1.0,
        "message": "",
        "result": {"placed": 3, "url": "/events/"},
        "error": "",
    }
    assert body["page_url"] == f"/runs/{run.pk}/"
    assert body["created_at"]
    assert body["started_at"]
    assert body["finished_at"]


@pytest.mark.django_db
def test_another_users_run_is_not_found_and_staff_see_every_run(client):
    run = _finished_run(UserFactory())
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/runs/{run.pk}").status_code == 404
    assert client.get(f"/runs/{run.pk}/").status_code == 404
    client.force_login(StaffFactory())
    assert client.get(f"/api/v1/runs/{run.pk}").json()["status"] == "succeeded"
    assert client.get(f"/runs/{run.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/api/v1/runs/{run.pk}").status_code == 401
    assert client.get(f"/runs/{run.pk}/")["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_reading_a_run_whose_worker_died_shows_it_failed(client, settings):
    settings.RUN_STALE_SECONDS = 30
    user = UserFactory()
    stale = timezone.now() - timedelta(minutes=5)
    run = Run.objects.create(kind="events.schedule", created_by=user, status="running", heartbeat_at=stale)
    client.force_login(user)
    body = client.get(f"/api/v1/runs/{run.pk}").json()
    assert (body["status"], body["error"]) == ("failed", WORKER_STOPPED)


@pytest.mark.django_db
def test_the_page_of_a_running_run_shows_a_progress_bar_and_polls_the_resource(client):
    user = UserFactory()
    now = timezone.now()
    run = Run.objects.create(
        kind="events.schedule", created_by=user, status="running", progress=0.4, message="Searching", heartbeat_at=now
    )
    client.force_login(user)
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert '<progress class="run-progress" max="100" value="40"' in html
    assert f'data-run-poll="/api/v1/runs/{run.pk}"' in html
    assert "Scheduler run" in html
    assert "Searching" in html
    assert "40%" in html
    assert "See the result" not in html


@pytest.mark.django_db
def test_the_page_of_a_finished_run_links_to_its_result_and_stops_polling(client):
    user = UserFactory()
    run = _finished_run(user, result={"url": "/events/"})
    client.force_login(user)
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert '<a class="button" href="/events/">See the result</a>' in html
    assert "data-run-poll" not in html


@pytest.mark.django_db
def test_a_result_link_to_another_site_is_not_shown(client):
    user = UserFactory()
    run = _finished_run(user, result={"url": "//evil.example/"})
    client.force_login(user)
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert "evil.example" not in html
    assert "The run has finished." in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction", "status_text", "error_text"),
    [
        ("zh-hans", "ltr", "失败", "工作进程在运行完成前停止了；请重新开始。"),
        ("ur", "rtl", "ناکام", "رن مکمل ہونے سے پہلے ورکر رک گیا؛ اسے دوبارہ شروع کریں۔"),
    ],
)
def test_the_page_speaks_chinese_and_urdu(client, language, direction, status_text, error_text):
    user = UserFactory(language=language)
    run = _finished_run(user, status="failed", result=None, error=WORKER_STOPPED, progress=0.3)
    client.force_login(user)
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert f'dir="{direction}"' in html
    assert status_text in html
    assert error_text in html
    assert client.get(f"/api/v1/runs/{run.pk}").json()["error"] == error_text


@pytest.mark.django_db
def test_a_run_id_that_is_no_number_is_a_documented_422(client):
    client.force_login(UserFactory())
    response = client.get("/api/v1/runs/null")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.run_id"
    assert "422" in client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/runs/{run_id}"]["get"]["responses"]
