"""Backup and restore of the whole installation: the database and the uploaded media, in one archive.

The archive is a tar file holding

- `manifest.json`: the format, when and from which database it was made, the row count of every
  table, and the SHA-256 of every other member (and one digest over all media files);
- `database.sqlite3` (SQLite's online backup API, consistent while the platform runs) or
  `database.dump` (`pg_dump --format=custom`, restored with `pg_restore`);
- `media/…`: the uploaded files.

Restore unpacks into a temporary folder and checks every member against the manifest before it
changes anything, so a damaged or tampered archive is refused and leaves the installation as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

FORMAT = "silkbridge-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why (and nothing was changed)."""


@dataclass
class RestoreReport:
    vendor: str
    tables: dict[str, int]
    media_files: int
    media_digest: str
    created_at: str


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def media_digest(root: Path) -> tuple[int, str]:
    """How many files are under `root`, and one SHA-256 over their relative paths and contents."""
    digest = hashlib.sha256()
    count = 0
    for relative, path in _media_files(root):
        digest.update(f"{relative}\0{_sha256_file(path)}\n".encode())
        count += 1
    return count, digest.hexdigest()


def media_root_of_storage() -> Path:
    """The folder of the "default" storage (MEDIA_ROOT unless STORAGES gives it a location of its own).

    Media in an object store (SILKBRIDGE_STORAGE=s3) are not copied into the archive: the bucket is
    backed up by its own versioning or replication (docs/backup.md), and this command says so."""
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise BackupError(
            f"Files are kept in {type(storage).__name__}, not on this disk: back the bucket up with its own "
            "versioning or replication, and the database with pg_dump (docs/backup.md). Nothing was done."
        )
    return Path(storage.location)


def table_row_counts() -> dict[str, int]:
    """The number of rows in every table of the default database."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def _vendor() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


# --- PostgreSQL tools ---------------------------------------------------------------------------------


def _postgres_tool(name: str) -> str:
    """pg_dump or pg_restore of the server's major version (a newer server refuses an older pg_dump)."""
    connection.ensure_connection()
    major = connection.pg_version // 10_000  # type: ignore[attr-defined]
    configured = settings.PG_BIN_DIR
    candidates = [Path(configured) / name] if configured else []
    candidates += [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        f"{name} for PostgreSQL {major} was not found; install postgresql-client-{major} "
        "or set SILKBRIDGE_PG_BIN_DIR to the folder that holds it."
    )


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    options = connection.settings_dict
    arguments = ["--dbname", options["NAME"]]
    if options.get("HOST"):
        arguments += ["--host", str(options["HOST"])]
    if options.get("PORT"):
        arguments += ["--port", str(options["PORT"])]
    if options.get("USER"):
        arguments += ["--username", str(options["USER"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if options.get("PASSWORD"):
        env["PGPASSWORD"] = str(options["PASSWORD"])
    return arguments, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-2000:]}")


# --- backup -------------------------------------------------------------------------------------------


def _database_dump(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while other processes keep writing.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    arguments, env = _postgres_environment()
    _run(
        [
            _postgres_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *arguments,
            "--file",
            str(target),
        ],
        env,
    )


def backup_create(*, destination: Path) -> dict[str, Any]:
    """Write the database and media into one tar archive at `destination`; returns its manifest."""
    vendor = _vendor()
    media_root = media_root_of_storage()
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="silkbridge-backup-", dir=destination.parent) as work:
        database_file = Path(work) / DATABASE_MEMBERS[vendor]
        counts = table_row_counts()
        _database_dump(vendor, database_file)
        files = {DATABASE_MEMBERS[vendor]: _sha256_file(database_file)}
        media = list(_media_files(media_root))
        for relative, path in media:
            files[MEDIA_PREFIX + relative] = _sha256_file(path)
        count, digest = media_digest(media_root)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor]},
            "tables": counts,
            "media": {"files": count, "sha256": digest},
            "files": files,
        }
        partial = destination.with_name(destination.name + ".partial")
        # The archive holds the whole database (password hashes, sessions, contacts): owner-only, like
        # var/secret_key, from the moment it exists.
        partial.unlink(missing_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as archive:
            encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(encoded)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(encoded))
            archive.add(database_file, arcname=DATABASE_MEMBERS[vendor], recursive=False)
            for relative, path in media:
                archive.add(path, arcname=MEDIA_PREFIX + relative, recursive=False)
        partial.replace(destination)  # never leave a half-written archive under the final name
    return manifest


# --- restore ------------------------------------------------------------------------------------------

SAFE_NAME = re.compile(r"^[^/\\\x00][^\\\x00]*$")


def _damaged(reason: str) -> BackupError:
    return BackupError(f"The archive is damaged or not a Silkbridge backup: {reason}. Nothing was restored.")


def _unpack(source: Path, work: Path) -> dict[str, Any]:
    """Extract regular files only, then check each against the manifest; raise before any change."""
    try:
        with tarfile.open(source, "r:*") as archive:
            members = archive.getmembers()
            names = [member.name for member in members]
            if MANIFEST not in names:
                raise _damaged("it has no manifest")
            for member in members:
                parts = Path(member.name).parts
                if not member.isfile() or not SAFE_NAME.match(member.name) or ".." in parts:
                    raise _damaged(f"unexpected member {member.name!r}")
                target = work / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                extracted = archive.extractfile(member)
                assert extracted is not None
                with target.open("wb") as handle:
                    shutil.copyfileobj(extracted, handle, CHUNK)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise _damaged(f"the tar file cannot be read ({error})") from error
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _damaged("the manifest is not valid JSON") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise _damaged("the manifest is not a Silkbridge backup manifest of version 1")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise _damaged("the manifest lists no files")
    present = {name for name in names if name != MANIFEST}
    if set(files) != present:
        missing, extra = sorted(set(files) - present), sorted(present - set(files))
        raise _damaged(f"members missing {missing[:5]} or not in the manifest {extra[:5]}")
    for name, expected in files.items():
        if _sha256_file(work / name) != expected:
            raise _damaged(f"the checksum of {name} does not match the manifest")
    return manifest


def _database_load(vendor: str, dump: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            # Page-by-page copy into the live database file: it replaces the whole content at once.
            source.backup(connection.connection)
        finally:
            source.close()
        return
    arguments, env = _postgres_environment()
    tool = _postgres_tool("pg_restore")
    connection.close()  # pg_restore drops and recreates the tables; hold no connection meanwhile
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            str(dump),
        ],
        env,
    )


def _media_replace(unpacked: Path, media_root: Path) -> None:
    """Swap the media folder for the archive's: the old one is kept aside until the new one is in place."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media_root.parent))
    if unpacked.is_dir():
        shutil.copytree(unpacked, incoming, dirs_exist_ok=True)
    previous = media_root.with_name(f".{media_root.name}-before-restore")
    if previous.exists():
        shutil.rmtree(previous)
    if media_root.exists():
        media_root.rename(previous)
    incoming.rename(media_root)
    if previous.exists():
        shutil.rmtree(previous)


def backup_restore(*, source: Path) -> RestoreReport:
    """Replace the database and media with an archive's, after checking the whole archive."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    vendor = _vendor()
    media_root = media_root_of_storage()
    with tempfile.TemporaryDirectory(prefix="silkbridge-restore-") as work_name:
        work = Path(work_name)
        manifest = _unpack(source, work)
        database = manifest.get("database") or {}
        if database.get("vendor") != vendor:
            raise BackupError(
                f"The archive holds a {database.get('vendor')} database and this installation uses {vendor}; "
                "nothing was restored."
            )
        member = DATABASE_MEMBERS[vendor]
        tables = manifest.get("tables")
        if database.get("member") != member or member not in manifest["files"]:
            raise _damaged(f"it holds no {member}")
        if not isinstance(tables, dict) or not tables:
            raise _damaged("the manifest counts no table rows")
        _database_load(vendor, work / member)
        _media_replace(work / MEDIA_PREFIX.rstrip("/"), media_root)
    counts = table_row_counts()
    expected = manifest.get("tables") or {}
    differing = {
        name: (expected.get(name), counts.get(name)) for name in expected if expected[name] != counts.get(name)
    }
    if differing:
        raise BackupError(f"Restored, but row counts differ from the manifest: {differing}")
    files, digest = media_digest(media_root)
    if digest != manifest["media"]["sha256"]:
        raise BackupError("Restored, but the media checksum differs from the manifest.")
    return RestoreReport(
        vendor=vendor, tables=counts, media_files=files, media_digest=digest, created_at=manifest["created_at"]
    )
