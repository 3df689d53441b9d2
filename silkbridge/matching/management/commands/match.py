"""`silkbridge match PROFILES.jsonl --top K --output MATCHES.jsonl`, or `--truth TRUTH.json` for metrics.

Thin wrapper around `silkbridge.matching.engine.cli.match_main`; the formats are in README.md. A
malformed line is reported with its number and skipped; the exit status is 1 when any line was bad
and 2 when the input could not be used at all.
"""

from __future__ import annotations

import io
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from silkbridge.matching.engine.cli import eval_main, match_main


class Command(BaseCommand):
    help = "Top-k complementary profiles for every profile of a JSONL file, or metrics against a truth file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("profiles", help="profiles, one JSON object per line")
        parser.add_argument("--top", type=int, default=10, help="matches per profile (default 10)")
        parser.add_argument("--output", help="where to write the matches (default: standard output)")
        parser.add_argument("--truth", help="a JSON object mapping a profile id to its correct counterpart")
        parser.add_argument("--language", choices=("en", "zh", "ur"), default="en", help="language of the reasons")
        parser.add_argument("--split", help="with --baselines: a JSON object whose held_out lists held-out queries")
        parser.add_argument(
            "--baselines", action="store_true", help="with --truth: also TF-IDF and engine-without-glossary baselines"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["top"] < 1:
            self.stderr.write("error: --top must be at least 1")
            sys.exit(2)
        # The engine writes JSON in many small pieces; Django's OutputWrapper would end each piece with a
        # newline, so collect the output and hand it over in one piece.
        out, err = io.StringIO(), io.StringIO()
        if options["baselines"] and options["truth"]:
            code = eval_main(options["profiles"], options["truth"], split=options["split"], stdout=out, stderr=err)
        else:
            code = match_main(
                options["profiles"],
                top=options["top"],
                output=options["output"],
                truth=options["truth"],
                language=options["language"],
                stdout=out,
                stderr=err,
            )
        self.stdout.write(out.getvalue(), ending="")
        self.stderr.write(err.getvalue(), ending="")
        if code:
            sys.exit(code)
