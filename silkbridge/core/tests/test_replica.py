"""A read replica serves the list pages' reads; writes, transactions and other pages use the primary
(issue 10, section 4: scaling out).

Each case starts the platform in a fresh interpreter with DATABASE_URL and DATABASE_REPLICA_URL set,
the way a deployment does. The "replica" is a copy of the primary's file taken before a later write,
which is what a lagging replica looks like: a row written after the copy is on the primary only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.long

SCRIPT = """
import django
django.setup()
from django.db import transaction
from django.test import Client
from silkbridge.core.replica import replica_reads
from silkbridge.directory.models import Organisation

Organisation.objects.filter(key="late-arrival").delete()
Organisation.objects.create(key="late-arrival", kind="company", name_en="Late Arrival Robotics", language="en",
                            country="PK", city="Lahore", visibility="public")
with replica_reads():
    print("replica", Organisation.objects.filter(key="late-arrival").count())
    with transaction.atomic():
        print("replica-in-transaction", Organisation.objects.filter(key="late-arrival").count())
print("primary", Organisation.objects.filter(key="late-arrival").count())
client = Client(SERVER_NAME="localhost")
print("list-page", b"Late Arrival Robotics" in client.get("/directory/").content)
print("detail-page", client.get("/directory/late-arrival/").status_code)
"""


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
        "SILKBRIDGE_VAR_DIR": str(tmp_path),
        "SILKBRIDGE_ENV_FILE": str(tmp_path / "absent.env"),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        **extra,
    }


def _run(arguments: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A primary freshly migrated by `silkbridge migrate`, once for the module (the migration is most of
    each case's time); every case starts from its own copy of the file."""
    folder = tmp_path_factory.mktemp("migrated")
    _run(["-m", "silkbridge", "migrate", "--no-input", "-v", "0"], _environment(folder))
    return folder / "primary.sqlite3"


def test_the_directory_list_reads_the_replica_while_writes_and_transactions_use_the_primary(tmp_path, migrated):
    shutil.copyfile(migrated, tmp_path / "primary.sqlite3")
    shutil.copyfile(tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3")  # the replica, a moment behind
    with_replica = _environment(tmp_path, DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'replica.sqlite3'}")

    lines = dict(line.split(" ", 1) for line in _run(["-c", SCRIPT], with_replica).split("\n") if line)

    assert lines == {
        "replica": "0",  # written after the copy: not on the replica yet
        "replica-in-transaction": "1",  # a transaction reads its own database, the primary
        "primary": "1",
        "list-page": "False",  # the directory list reads the replica
        "detail-page": "200",  # other pages read the primary
    }


def test_without_a_replica_every_read_goes_to_the_primary(tmp_path, migrated):
    shutil.copyfile(migrated, tmp_path / "primary.sqlite3")
    env = _environment(tmp_path)

    lines = dict(line.split(" ", 1) for line in _run(["-c", SCRIPT], env).split("\n") if line)

    assert lines == {
        "replica": "1",
        "replica-in-transaction": "1",
        "primary": "1",
        "list-page": "True",
        "detail-page": "200",
    }
