"""`silkbridge restore SRC`: replace the database and media with a backup's, after checking it whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a `silkbridge backup` archive: every member is checked against the manifest first, so a "
        "damaged archive is refused and nothing changes. Stop the web and worker processes before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="an archive written by `silkbridge backup`")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="do not ask for confirmation"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        if options["interactive"]:
            answer = input(f"This replaces the whole database and all media files with {source}. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            report = backup_restore(source=source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {source} (made {report.created_at}): {len(report.tables)} tables, "
            f"{sum(report.tables.values())} rows, {report.media_files} media files; row counts and media "
            "checksum match the manifest."
        )
