"""Start a scheduler run in a test and let the task framework do it, as a worker would."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from silkbridge.events import services
from silkbridge.events.models import Event, ScheduleRun


def schedule_run_now(*, actor: Any, event: Event, time_limit: float = 5.0, seed: int = 0) -> ScheduleRun:
    """The start queues the task when its transaction commits; inside a test's transaction the commit
    hooks are run here, and the immediate backend does the task (the same code a `db_worker` runs)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = services.schedule_run_start(actor=actor, event=event, time_limit=time_limit, seed=seed)
    return ScheduleRun.objects.select_related("run").get(pk=started.pk)
