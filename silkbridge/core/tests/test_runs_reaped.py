"""A run ends once: a worker that comes back after the reaper marked its run failed (a long pause, no
heartbeat) leaves the user's "the worker stopped" verdict as it is, and stores nothing more."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from silkbridge.core.models import Run
from silkbridge.core.runs import WORKER_STOPPED, RunFailure, RunReaped, run_execute, run_still_running, runs_reap

pytestmark = pytest.mark.django_db(transaction=True)


def _reap(run_id):
    stale = timezone.now() - timedelta(hours=1)
    Run.objects.filter(pk=run_id).update(heartbeat_at=stale)
    assert runs_reap() == 1


@pytest.mark.parametrize("ending", ["result", "failure", "error"])
def test_a_late_worker_does_not_overwrite_the_reapers_verdict(ending):
    run = Run.objects.create(kind="core.test", exclusive_key="events.schedule:1")

    def work(progress):
        _reap(run.pk)
        if ending == "failure":
            raise RunFailure("the design is not valid")
        if ending == "error":
            raise RuntimeError("a bug")
        return {"placed": 3}

    assert run_execute(run.pk, work) is None
    run.refresh_from_db()
    assert (run.status, run.error, run.result, run.progress) == ("failed", WORKER_STOPPED, None, 0.0)


def test_work_that_stores_checks_its_run_is_still_running_in_the_same_transaction():
    """A reaped scheduler run no longer holds its event's key, so it must not book its plan: the check
    refuses (RunReaped) and the work's transaction stores nothing."""
    run = Run.objects.create(kind="core.test", exclusive_key="events.schedule:1")
    stored: list[str] = []

    def work(progress):
        with transaction.atomic():
            run_still_running(run.pk)  # still running: renews the heartbeat
            stored.append("first")
        _reap(run.pk)
        with transaction.atomic():
            run_still_running(run.pk)
            stored.append("second")
        return {}

    assert run_execute(run.pk, work) is None
    assert stored == ["first"]
    with pytest.raises(RunReaped):
        run_still_running(run.pk)
