"""`silkbridge analytics refresh-summary [--now]`: rebuild the figures' summary (docs/analytics.md,
"Summary"). Without --now it starts a background run (kind `analytics.summary`, one at a time) for the
worker, as cron does every 10 minutes; with --now it builds here and says how many rows and how long."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from silkbridge.analytics.summary import summary_build, summary_figures, summary_refresh_start


class Command(BaseCommand):
    help = "Analytics upkeep: rebuild the figures' summary."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        refresh = actions.add_parser("refresh-summary", help="Rebuild the figures' summary (a background run).")
        refresh.add_argument("--now", action="store_true", help="build it in this process and wait for it")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(json.dumps(summary_figures(summary_build())))
            return
        run = summary_refresh_start()
        self.stdout.write(f"run {run.pk} queued" if run is not None else "a refresh is already under way: folded in")
