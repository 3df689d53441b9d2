"""`silkbridge deals remind` and `silkbridge deals export`.

`remind` (daily cron, see docs/deployment.md): e-mails the owner of each deal whose next step is due
today or overdue (every member of staff for a deal without an owner), once a day, in the recipient's
language; prints {"date", "reminded", "deals": [references], "emails"} as JSON.

`export --format csv|xlsx|json [--output FILE]`: every deal as staff see it, one row per deal, with the
columns of `deals.selectors.pipeline.EXPORT_FIELDS`: reference, title, subject (code), stage (code),
stage_reason, in_stage_since (ISO 8601), days_in_stage, age_days, parties ("key: name (role)" joined
with "; "), countries (ISO 3166 codes joined with ", "), sector (code), owner (e-mail), amount (decimal
text), currency, next_step, next_step_on (YYYY-MM-DD), next_step_overdue (true/false), created_at.
JSON is {"deals": [{column: value, ...}, ...]} (next_step_overdue a boolean, the day counts integers);
CSV and XLSX have one header row of the column names. Without --output, CSV and JSON go to standard
output (XLSX needs --output).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.core.exports import csv_text, xlsx_bytes
from silkbridge.deals.selectors import pipeline as selectors
from silkbridge.deals.services import pipeline as services


class Command(BaseCommand):
    help = "Batch work on deals: daily next-step reminders, and exports."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("remind", help="E-mail owners of deals whose next step is due today or overdue.")
        export = actions.add_parser("export", help="Every deal with stage, parties, sector, owner and next step.")
        export.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
        export.add_argument("--output", help="the file to write (standard output when absent; required for xlsx)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            self.stdout.write(json.dumps(services.deals_remind(), sort_keys=True))
            return
        self._export(options["format"], options.get("output"))

    def _export(self, fmt: str, output: str | None) -> None:
        if fmt == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE")
        viewer = _StaffReader()
        records = selectors.deal_export_records(viewer=viewer, deals=selectors.deals_visible(viewer=viewer))
        headers = list(selectors.EXPORT_FIELDS)
        if fmt == "json":
            content: str | bytes = json.dumps({"deals": records}, ensure_ascii=False, indent=2) + "\n"
        elif fmt == "csv":
            content = csv_text(headers, [[_cell(record[name]) for name in headers] for record in records])
        else:
            rows = [[_cell(record[name]) for name in headers] for record in records]
            content = xlsx_bytes(headers, rows, sheet_title="deals")
        if output is None:
            self.stdout.write(str(content), ending="")
            return
        path = Path(output)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        self.stderr.write(f"{len(records)} deals written to {path}")


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _StaffReader:
    """The command line reads as platform staff: it runs on the server, for its operator."""

    is_authenticated = True
    is_staff = True
    pk = None
