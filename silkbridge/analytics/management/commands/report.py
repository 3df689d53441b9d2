"""`silkbridge report monthly --month YYYY-MM --lang en|zh-hans|ur --output FILE.pdf`: the monthly
report as a PDF file. `silkbridge report send-monthly [--month YYYY-MM] [--force]`: mail it (the month
before, by default) to SILKBRIDGE_REPORT_RECIPIENTS; for cron on the 1st of each month; a second run
for the same month sends only to addresses that have not had it. Both read the figures as staff."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.analytics import report, report_runs


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"--{name}: {' '.join(texts)}" for name, texts in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Make the monthly analytics report as PDF, or mail it to the configured list."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        monthly = actions.add_parser("monthly", help="Write one month's report as a PDF file.")
        monthly.add_argument("--month", required=True, help="the calendar month, YYYY-MM")
        monthly.add_argument("--lang", default="en", help="the report's language: en, zh-hans or ur (default en)")
        monthly.add_argument("--output", required=True, help="the PDF file to write")
        send = actions.add_parser(
            "send-monthly", help="Mail the report of the month before (or --month) to SILKBRIDGE_REPORT_RECIPIENTS."
        )
        send.add_argument("--month", help="the calendar month, YYYY-MM (default: the month before this one)")
        send.add_argument("--force", action="store_true", help="send again to addresses that have had it")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "monthly":
            self._monthly(options)
        else:
            self._send(options)

    def _monthly(self, options: dict[str, Any]) -> None:
        try:
            month = report.month_parse(options["month"])
            language = report.language_check(options["lang"].lower())
        except ValidationError as error:
            raise CommandError(_messages(error).replace("--language", "--lang")) from error
        output = Path(options["output"])
        directory = output.parent if str(output.parent) else Path(".")
        if output.is_dir() or not directory.is_dir() or not os.access(directory, os.W_OK):
            raise CommandError(f"--output: cannot write {output} (not a writable file in an existing folder)")
        try:
            content = report.report_pdf(actor=report_runs.report_reader(), month=month, language=language)
        except report.PdfUnavailable as error:
            raise CommandError("PDF output needs the Pango library: run “make pdf” as root.") from error
        # Written beside the target and renamed: an interrupted run leaves no half-written report.
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".report-", suffix=".pdf")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(
            json.dumps({"month": f"{month:%Y-%m}", "language": language, "output": str(output), "bytes": len(content)})
        )

    def _send(self, options: dict[str, Any]) -> None:
        try:
            month = report.month_parse(options["month"]) if options["month"] else None
            summary = report_runs.report_send_monthly(month=month, force=options["force"])
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(summary, ensure_ascii=False, sort_keys=True))
        if summary["status"] != "succeeded" or summary["failed"]:
            sys.exit(1)
