"""`silkbridge backup` / `silkbridge restore`: a round trip gives back every table's rows and the media.

The test runs on whichever database the suite uses (CI runs it on SQLite and on PostgreSQL, where it
goes through pg_dump and pg_restore). It changes the data after the backup, restores, and compares
every table's row count and one checksum over all media files with what they were when backed up.
"""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from silkbridge.accounts.models import User
from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.core.backup import DATABASE_MEMBERS, media_digest, table_row_counts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reload_reference_data():
    """A transactional test empties every table when it ends; put back what the other tests read."""
    yield
    from silkbridge.conftest import reference_data_load

    reference_data_load()


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "datacenters" / "weather").mkdir(parents=True)
    (root / "datacenters" / "weather" / "karachi.epw").write_text("LOCATION,Karachi,PAK\n" * 200)
    (root / "proposals" / "deck.pdf").parent.mkdir()
    (root / "proposals" / "deck.pdf").write_bytes(bytes(range(256)) * 64)
    settings.MEDIA_ROOT = root
    return root


def test_a_round_trip_gives_back_every_tables_rows_and_the_media(tmp_path, media):
    kept = UserFactory(email="kept@example.org")
    archive = tmp_path / "backups" / "silkbridge.tar"
    counts, (files, digest) = table_row_counts(), media_digest(media)
    assert counts["accounts_user"] >= 1
    assert files == 2

    call_command("backup", str(archive))
    assert archive.stat().st_mode & 0o777 == 0o600  # the whole database: for the owner only
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
        names = sorted(opened.getnames())
    assert manifest["tables"] == counts
    assert manifest["media"] == {"files": 2, "sha256": digest}
    assert names[-2:] == ["media/datacenters/weather/karachi.epw", "media/proposals/deck.pdf"]

    # Everything changes after the backup: rows added and removed, media replaced.
    User.objects.filter(pk=kept.pk).delete()
    UserFactory(email="later@example.org")
    (media / "proposals" / "deck.pdf").write_bytes(b"overwritten")
    (media / "new.txt").write_text("added after the backup")
    assert media_digest(media)[1] != digest

    call_command("restore", str(archive), interactive=False)
    assert table_row_counts() == counts
    assert media_digest(media) == (2, digest)
    assert User.objects.filter(email="kept@example.org").exists()
    assert not User.objects.filter(email="later@example.org").exists()


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "not a tar", "member added", "database left out"])
def test_a_damaged_archive_is_refused_and_nothing_changes(tmp_path, media, damage):
    archive = tmp_path / "silkbridge.tar"
    call_command("backup", str(archive))
    data = bytearray(archive.read_bytes())
    if damage == "flipped byte":
        # Inside the database member (after the manifest's header and body blocks).
        data[len(data) // 2] ^= 0xFF
        archive.write_bytes(bytes(data))
    elif damage == "truncated":
        archive.write_bytes(bytes(data[: len(data) // 2]))
    elif damage == "not a tar":
        archive.write_text("name: d\n")
    elif damage == "database left out":
        # A manifest that lists nothing and an archive without a database: every listed file checks out,
        # but restoring it would replace the database with an empty one.
        database = {"vendor": connection.vendor, "member": DATABASE_MEMBERS[connection.vendor]}
        manifest = json.dumps(
            {"format": "silkbridge-backup", "version": 1, "database": database, "files": {}, "tables": {}}
        ).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        archive.unlink()
        with tarfile.open(archive, "w") as opened:
            opened.addfile(info, io.BytesIO(manifest))
    else:
        extra = tmp_path / "extra.txt"
        extra.write_text("slipped in")
        with tarfile.open(archive, "a") as opened:
            opened.add(extra, arcname="media/extra.txt")
    UserFactory(email="after@example.org")
    counts, media_state = table_row_counts(), media_digest(media)

    with pytest.raises(CommandError) as raised:
        call_command("restore", str(archive), interactive=False)
    assert "The archive is damaged or not a Silkbridge backup" in str(raised.value)
    assert "Nothing was restored." in str(raised.value)
    assert table_row_counts() == counts
    assert media_digest(media) == media_state
    assert User.objects.filter(email="after@example.org").exists()
