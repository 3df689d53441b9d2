"""`silkbridge schedule INSTANCE.json --output PLAN.json [--time-limit S] [--work-limit S] [--seed N]`.

The work is done by ``silkbridge.events.engine.cli`` (no Django needed); ``silkbridge schedule`` on the
command line runs it without starting Django at all, and this command serves ``call_command``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.events.engine import cli


class Command(BaseCommand):
    help = "Place accepted meeting requests in slots and tables (B2B meeting scheduler)."

    def add_arguments(self, parser: CommandParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cli.run(options, stdout=self.stdout, stderr=self.stderr)  # type: ignore[arg-type]
        except cli.UsageError as error:
            raise CommandError(str(error)) from error
