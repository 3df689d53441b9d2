"""`silkbridge import organisations FILE [--all-or-nothing]`: bulk import with a per-row report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.directory.importer import ImportFileError, organisations_import


class Command(BaseCommand):
    help = "Import organisations from a CSV (UTF-8 or GB18030) or .xlsx file; re-importing changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["organisations"], help="What the file holds.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--all-or-nothing", action="store_true", help="Import nothing if any row fails.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(f"{path}: larger than {settings.IMPORT_MAX_BYTES} bytes")
        try:
            result = organisations_import(
                file_name=path.name, content=path.read_bytes(), all_or_nothing=options["all_or_nothing"]
            )
        except ImportFileError as problem:
            raise CommandError(f"{path}: {problem}") from problem
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"{result.rows_total} rows: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, {len({error.row for error in result.errors})} with errors"
            )
            for error in result.errors:
                self.stdout.write(f"row {error.row}, {error.field}: {error.message}")
            if result.ignored_columns:
                self.stdout.write(f"ignored columns: {', '.join(result.ignored_columns)}")
            if result.errors and result.all_or_nothing:
                self.stdout.write("nothing was imported (--all-or-nothing)")
        if result.errors:
            raise SystemExit(1)
