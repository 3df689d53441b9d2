"""Tasks used by the tests of the background-run plumbing (a worker imports them by their path)."""

from __future__ import annotations

import time
from typing import Any

from django_tasks import task

from silkbridge.core.models import Run, RunStatus
from silkbridge.core.runs import Progress, RunFailure, run_execute, runs_reap


@task()
def add_numbers(run_id: int, first: int, second: int) -> Any:
    def work(progress: Progress) -> dict[str, int]:
        progress(0.5, "adding")
        return {"sum": first + second}

    return run_execute(run_id, work)


@task()
def crash(run_id: int) -> Any:
    def work(progress: Progress) -> None:
        raise ValueError("internal detail: /srv/secret/path line 42")

    return run_execute(run_id, work)


@task()
def refuse(run_id: int) -> Any:
    def work(progress: Progress) -> None:
        raise RunFailure("The design names no power feed.")

    return run_execute(run_id, work)


@task()
def silent_then_report(run_id: int, seconds: float) -> Any:
    """Works without calling back for longer than a run may stay silent, then reaps and reports what the
    database says about itself: only the heartbeat thread can have kept it alive."""

    def work(progress: Progress) -> dict[str, Any]:
        progress(0.25, "a quarter")
        time.sleep(seconds)
        reaped = runs_reap()
        run = Run.objects.get(pk=run_id)
        return {"reaped": reaped, "status": run.status, "progress": run.progress, "message": run.message}

    return run_execute(run_id, work)


def is_running(run_id: int) -> bool:
    return Run.objects.filter(pk=run_id, status=RunStatus.RUNNING).exists()
