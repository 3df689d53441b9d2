"""`silkbridge db_worker`: django-tasks-db's worker, which also reaps the runs of workers that died and
prunes finished task rows.

It replaces the command of the same name from django_tasks_db (this app comes first in INSTALLED_APPS)
and takes the same options (`--batch`, `--queue-name`, `--interval`, ...). A worker killed mid-run
leaves its run "running" with a heartbeat that no longer moves; every live worker marks such runs
failed when it starts and then every half of RUN_STALE_SECONDS (readers of a run reap too).

The task table keeps every task's arguments (an e-mail's address and text) until its row is deleted,
and django-tasks-db never deletes one by itself: each worker deletes the rows of tasks finished more
than TASK_RESULTS_KEPT ago when it starts and then hourly (the daily job runs django-tasks-db's
`prune_db_task_results` too, for when no worker runs). The outcome users see is in the runs.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.models import DBTaskResult

from silkbridge.core.runs import runs_reap

logger = logging.getLogger(__name__)

TASK_RESULTS_KEPT = timedelta(days=1)
PRUNE_EVERY_SECONDS = 3600.0


def task_results_prune() -> int:
    """Delete the task rows finished more than TASK_RESULTS_KEPT ago; how many were deleted."""
    finished = DBTaskResult.objects.finished().filter(finished_at__lte=timezone.now() - TASK_RESULTS_KEPT)
    deleted, _by_model = finished.delete()
    return deleted


def _reap_every(interval: float, stopped: threading.Event) -> None:
    pruned_at = time.monotonic()
    try:
        while not stopped.wait(interval):
            try:
                runs_reap()
                if time.monotonic() - pruned_at >= PRUNE_EVERY_SECONDS:
                    pruned_at = time.monotonic()
                    task_results_prune()
            except Exception:  # the database away for a moment: try again at the next round
                logger.warning("Reaping background runs failed", exc_info=True)
    finally:
        connection.close()


class Command(DatabaseWorkerCommand):
    help = "Run a background worker; it also marks failed the runs whose worker stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        runs_reap()
        task_results_prune()
        stopped = threading.Event()
        interval = max(1.0, settings.RUN_STALE_SECONDS / 2)
        reaper = threading.Thread(target=_reap_every, args=(interval, stopped), name="run-reaper", daemon=True)
        reaper.start()
        try:
            super().handle(*args, **options)
        finally:
            stopped.set()
            reaper.join(timeout=5)
