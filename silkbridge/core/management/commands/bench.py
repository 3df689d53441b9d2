"""`silkbridge bench …`: benchmarks that print JSON figures (see docs/benchmarks.md)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.datacenters.benchmarks import bench_dc
from silkbridge.directory.benchmarks import bench_search
from silkbridge.events.engine.bench import bench_schedule
from silkbridge.matching.engine.bench import bench_matching


class Command(BaseCommand):
    help = "Run a benchmark and print its figures as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="benchmark", required=True)
        search = subcommands.add_parser("search", help="Directory search: latency and cross-lingual recall.")
        search.add_argument("--organisations", type=int, default=5000)
        search.add_argument("--queries", type=int, default=200)
        search.add_argument("--seed", type=int, default=1)
        schedule = subcommands.add_parser("schedule", help="Events: the meeting scheduler against greedy and exact.")
        schedule.add_argument("--participants", type=int, default=3000)
        schedule.add_argument("--requests", type=int, default=25000)
        schedule.add_argument("--slots", type=int, default=16)
        schedule.add_argument("--seed", type=int, default=1)
        schedule.add_argument("--time-limit", type=float, default=30.0)
        schedule.add_argument("--exact-budget", type=float, default=60.0, help="seconds for the exact solve")
        matching = subcommands.add_parser("matching", help="Matching: top-10 latency, all matches, memory.")
        matching.add_argument("--profiles", type=int, default=100_000)
        matching.add_argument("--seed", type=int, default=7)
        matching.add_argument("--no-all", action="store_true", help="skip computing every profile's matches")
        dc = subcommands.add_parser("dc", help="Data centers: Tier classification and Monte Carlo speed.")
        dc.add_argument("--years", type=int, default=1_000_000, help="simulated years (default 1000000)")
        dc.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["benchmark"] == "schedule":
            if min(options["participants"], options["requests"], options["slots"]) < 1:
                raise CommandError("--participants, --requests and --slots must be at least 1")
            figures = bench_schedule(
                options["participants"],
                options["requests"],
                options["slots"],
                seed=options["seed"],
                time_limit=options["time_limit"],
                exact_budget=options["exact_budget"],
            )
            self.stdout.write(json.dumps(figures, indent=2))
        elif options["benchmark"] == "matching":
            if options["profiles"] < 10:
                raise CommandError("--profiles must be at least 10")
            figures = bench_matching(options["profiles"], options["seed"], run_all=not options["no_all"])
            self.stdout.write(json.dumps(figures, indent=2))
        elif options["benchmark"] == "dc":
            if options["years"] < 1:
                raise CommandError("--years must be at least 1")
            self.stdout.write(json.dumps(bench_dc(years=options["years"], seed=options["seed"]), indent=2))
        elif options["benchmark"] == "search":
            if options["organisations"] < 1 or options["queries"] < 1:
                raise CommandError("--organisations and --queries must be at least 1")
            try:
                figures = bench_search(
                    organisations=options["organisations"], queries=options["queries"], seed=options["seed"]
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(json.dumps(figures, indent=2))
