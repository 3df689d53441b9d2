"""`silkbridge incentives calc INPUT.json`: the incentive calculator from the command line.

Prints the year-by-year table of each regime and then the whole result as JSON (the API's shape).
The input is read with a size limit and checked for depth before it is parsed (see the engine)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.zones.engine.incentives import LINES, MAX_DOCUMENT_BYTES, IncentiveError
from silkbridge.zones.incentives_messages import incentive_error_text
from silkbridge.zones.incentives_services import incentives_run_text

HEADINGS = ("year", *LINES, "total_pkr", "total_cny", "total_usd")


def _read(path: str) -> str:
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror})") from error
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CommandError(f"{path}: the document is larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: not UTF-8 text ({error.reason})") from error


class Command(BaseCommand):
    help = "Incentive calculator: taxes and duties outside a zone, in an STZ and in a CPEC SEZ (indicative)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        calc = subcommands.add_parser("calc", help="calculate from an input JSON file (see docs/incentives.md)")
        calc.add_argument("input", help="the projections, a JSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        text = _read(options["input"])
        try:
            result = incentives_run_text(text=text)
        except IncentiveError as error:
            raise CommandError(f"{options['input']}: {incentive_error_text(error)}; nothing calculated") from error
        self._table(result)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _table(self, result: dict[str, Any]) -> None:
        write = self.stdout.write
        write("Indicative figures, not tax advice. Amounts in PKR unless marked.")
        for regime, data in result["regimes"].items():
            write(f"\n{regime}")
            write("  ".join(f"{heading:>14}" for heading in HEADINGS))
            for year in data["years"]:
                write("  ".join(f"{year[heading]!s:>14}" for heading in HEADINGS))
            totals = data["totals"]
            write(f"total: {totals['PKR']} PKR = {totals['CNY']} CNY = {totals['USD']} USD")
            npv = data["npv"]
            write(
                f"net present value at {result['discount_rate_percent']} %: "
                f"{npv['PKR']} PKR = {npv['CNY']} CNY = {npv['USD']} USD"
            )
