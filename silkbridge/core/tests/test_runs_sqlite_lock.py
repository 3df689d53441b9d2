"""Embedded mode on a real SQLite file: while a worker's long import holds the database's write lock,
the run page's read (`run_get`, which reaps first) and the run's heartbeat neither hang for the busy
timeout nor fail with "database is locked"; the reader sees the run as last stored.

The check runs in a child process on its own SQLite file, since the test database may be PostgreSQL
or an in-memory SQLite that another connection cannot lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = r"""
import json, os, sqlite3, sys, time
from datetime import timedelta
import django

django.setup()
from django.db import connection
from django.utils import timezone
from silkbridge.accounts.models import User
from silkbridge.core.models import Run
from silkbridge.core.runs import _Heartbeat
from silkbridge.core.selectors import run_get

with connection.schema_editor() as editor:
    editor.create_model(User)  # only the tables the run page reads: no full migrate in a test
    editor.create_model(Run)
now = timezone.now()
run = Run.objects.create(
    kind="directory.import", status="running", progress=0.4, message="8000 of 20000 rows",
    started_at=now - timedelta(minutes=5), heartbeat_at=now - timedelta(minutes=2),  # silent: the lock
)
connection.close()

# The worker's import: one long transaction holding the write lock of the whole file.
importer = sqlite3.connect(sys.argv[1], timeout=0)
importer.execute("BEGIN IMMEDIATE")
importer.execute("UPDATE core_run SET message = 'uncommitted' WHERE id = ?", (run.pk,))

class Staff:
    is_authenticated = True
    is_staff = True

started = time.monotonic()
seen = run_get(viewer=Staff(), run_id=run.pk)
read_seconds = time.monotonic() - started

heartbeat = _Heartbeat(run.pk)
heartbeat.report(0.45, "9000 of 20000 rows")
started = time.monotonic()
heartbeat.flush()  # skipped: the lock is held
beat_seconds = time.monotonic() - started

importer.rollback()
heartbeat.flush()  # the next beat lands once the lock is free
after = Run.objects.get(pk=run.pk)
print(json.dumps({
    "seen": [seen.status, seen.progress, seen.message],
    "read_seconds": read_seconds,
    "beat_seconds": beat_seconds,
    "after": [after.status, after.progress, after.message],
}))
"""


def test_a_locked_sqlite_file_neither_hangs_nor_breaks_the_run_page_or_the_heartbeat(tmp_path):
    database = tmp_path / "embedded.sqlite3"
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
        "DJANGO_SECRET_KEY": "test-only-key-for-the-sqlite-lock-check",
        "SILKBRIDGE_MODE": "embedded",
    }
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(database)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-600:]
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    # The last stored state, not a 500 after the 20 s busy timeout.
    assert outcome["seen"] == ["running", 0.4, "8000 of 20000 rows"]
    assert outcome["read_seconds"] < 3
    assert outcome["beat_seconds"] < 3
    assert outcome["after"] == ["running", 0.45, "9000 of 20000 rows"]
