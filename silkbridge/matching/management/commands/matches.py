"""`silkbridge matches rebuild|refresh ID|refit [--dry-run]|digest`: batch work on stored matches.

Each prints its figures as one JSON object. `digest` is meant for a daily cron: it sends only to
users whose last digest is a week old.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from silkbridge.matching import digest, refit, services


class Command(BaseCommand):
    help = "Recompute, refit or mail the matches of the marketplace's profiles."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("rebuild", help="Recompute the matches of every live profile.")
        refresh = actions.add_parser("refresh", help="Recompute what a change to one profile can alter.")
        refresh.add_argument("profile", type=int, help="the profile's id")
        fit = actions.add_parser(
            "refit", help="Refit the score weights from feedback; apply them only if held-out pairs rank better."
        )
        fit.add_argument("--dry-run", action="store_true", help="report, change nothing")
        actions.add_parser("digest", help="Send the weekly e-mail of new matches where it is due.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        with services.in_worker():  # a command is a worker: it may build the index and load the model
            if action == "rebuild":
                result: dict[str, Any] = services.rebuild()
            elif action == "refresh":
                result = services.refresh(options["profile"])
            elif action == "refit":
                result = refit.refit(apply=not options["dry_run"])
            else:
                result = digest.digest_send()
        self.stdout.write(json.dumps(result, sort_keys=True, ensure_ascii=False))
