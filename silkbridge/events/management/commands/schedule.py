"""`silkbridge schedule INSTANCE.json --output PLAN.json [--time-limit SECONDS] [--seed N]`.

The instance and plan formats are documented in docs/events.md. Invalid input exits with status 1
and one line per problem on standard error, each naming the place and the reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.events.engine.instance import InstanceError
from silkbridge.events.engine.scheduler import schedule_json


class Command(BaseCommand):
    help = "Place accepted meeting requests in slots and tables (B2B meeting scheduler)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help="the instance, JSON")
        parser.add_argument("--output", help="where to write the plan (default: standard output)")
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["time_limit"] <= 3600:
            raise CommandError("--time-limit must be between 0 and 3600 seconds")
        path = Path(options["instance"])
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError as error:
            raise CommandError(f"{path}: no such file") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ) from error
        try:
            plan = schedule_json(data, time_limit=options["time_limit"], seed=options["seed"])
        except InstanceError as error:
            for message in error.messages:
                self.stderr.write(f"error: {message}")
            raise CommandError(f"{path}: {len(error.messages)} problem(s); no plan written") from error
        text = json.dumps(plan, ensure_ascii=False, indent=2)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(
                f"{len(plan['meetings'])} meetings, objective {plan['objective']}, "
                f"upper bound {plan['upper_bound']}, {plan['idle_gaps']} idle gaps, {plan['seconds']:.2f} s"
            )
        else:
            self.stdout.write(text)
