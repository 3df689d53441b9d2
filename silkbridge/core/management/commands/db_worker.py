"""`silkbridge db_worker`: django-tasks-db's worker, which also reaps the runs of workers that died.

It replaces the command of the same name from django_tasks_db (this app comes first in INSTALLED_APPS)
and takes the same options (`--batch`, `--queue-name`, `--interval`, ...). A worker killed mid-run
leaves its run "running" with a heartbeat that no longer moves; every live worker marks such runs
failed when it starts and then every half of RUN_STALE_SECONDS (readers of a run reap too).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from silkbridge.core.runs import runs_reap

logger = logging.getLogger(__name__)


def _reap_every(interval: float, stopped: threading.Event) -> None:
    try:
        while not stopped.wait(interval):
            try:
                runs_reap()
            except Exception:  # the database away for a moment: try again at the next round
                logger.warning("Reaping background runs failed", exc_info=True)
    finally:
        connection.close()


class Command(DatabaseWorkerCommand):
    help = "Run a background worker; it also marks failed the runs whose worker stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        runs_reap()
        stopped = threading.Event()
        interval = max(1.0, settings.RUN_STALE_SECONDS / 2)
        reaper = threading.Thread(target=_reap_every, args=(interval, stopped), name="run-reaper", daemon=True)
        reaper.start()
        try:
            super().handle(*args, **options)
        finally:
            stopped.set()
            reaper.join(timeout=5)
