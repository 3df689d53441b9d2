"""`silkbridge backup DEST`: the database and the media in one tar archive with a checked manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write the database (SQLite online backup or pg_dump) and the media files into one .tar archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", help="the archive to write, e.g. backups/silkbridge-2026-05-01.tar")

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"])
        try:
            manifest = backup_create(destination=destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Wrote {destination}: {manifest['database']['vendor']} database, {len(manifest['tables'])} tables, "
            f"{rows} rows, {manifest['media']['files']} media files (media sha256 {manifest['media']['sha256'][:16]}…)."
        )
