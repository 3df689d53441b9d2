"""`silkbridge bench …`: benchmarks that print JSON figures (see docs/benchmarks.md)."""

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.analytics.benchmarks import VIEWERS, bench_analytics
from silkbridge.datacenters.benchmarks import bench_dc
from silkbridge.directory.benchmarks import bench_search, bench_search_kept
from silkbridge.events.benchmarks import bench_schedule_apply
from silkbridge.events.engine.bench import bench_forum, bench_schedule
from silkbridge.matching.engine.bench import bench_matching
from silkbridge.zones.engine.advisor_bench import bench_relocation


class Command(BaseCommand):
    help = "Run a benchmark and print its figures as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="benchmark", required=True)
        search = subcommands.add_parser(
            "search", help="Directory search: latency, recall against a brute-force scan, the old LIKE scan."
        )
        search.add_argument("--organisations", type=int, default=5000)
        search.add_argument("--queries", type=int, default=200)
        search.add_argument(
            "--baseline-organisations", type=int, default=10_000, help="size at which the LIKE scan is timed too"
        )
        search.add_argument("--seed", type=int, default=1)
        search.add_argument(
            "--keep-data",
            action="store_true",
            help="commit the organisations (generated once, reused by later runs) and VACUUM ANALYZE: the "
            "production state; no LIKE baseline",
        )
        schedule = subcommands.add_parser("schedule", help="Events: the meeting scheduler against greedy and exact.")
        schedule.add_argument("--participants", type=int, default=3000)
        schedule.add_argument("--requests", type=int, default=25000)
        schedule.add_argument("--slots", type=int, default=16)
        schedule.add_argument("--seed", type=int, default=1)
        schedule.add_argument("--time-limit", type=float, default=30.0)
        schedule.add_argument("--exact-budget", type=float, default=60.0, help="seconds for the exact solve")
        schedule.add_argument(
            "--forum",
            action="store_true",
            help="instead: the forum set (both halves), each instance through `silkbridge schedule` in its own "
            "process against its recorded exact optimum",
        )
        apply = subcommands.add_parser(
            "schedule-apply",
            help="Events: a scheduler run's booking and notifications in the database, per meeting (old) and "
            "per participant (now), on a generated event (rolled back afterwards).",
        )
        apply.add_argument("--participants", type=int, default=1000)
        apply.add_argument("--requests", type=int, default=8000)
        apply.add_argument("--slots", type=int, default=16)
        apply.add_argument("--seed", type=int, default=1)
        apply.add_argument("--time-limit", type=float, default=10.0)
        matching = subcommands.add_parser("matching", help="Matching: top-10 latency, all matches, memory.")
        matching.add_argument("--profiles", type=int, default=100_000)
        matching.add_argument("--seed", type=int, default=7)
        matching.add_argument("--no-all", action="store_true", help="skip computing every profile's matches")
        relocation = subcommands.add_parser(
            "relocation", help="Zones: the relocation advisor ranking every zone for each request (ms per request)."
        )
        relocation.add_argument("--zones", type=int, default=100)
        relocation.add_argument("--requests", type=int, default=10_000)
        relocation.add_argument("--baseline-requests", type=int, default=1000, help="requests ranked naively too")
        relocation.add_argument("--seed", type=int, default=1)
        dc = subcommands.add_parser("dc", help="Data centers: Tier classification and Monte Carlo speed.")
        dc.add_argument("--years", type=int, default=1_000_000, help="simulated years (default 1000000)")
        dc.add_argument("--seed", type=int, default=0)
        analytics = subcommands.add_parser(
            "analytics", help="Analytics: every dashboard's figures on the current database, p50/p95 and queries."
        )
        analytics.add_argument("--repeats", type=int, default=20, help="timed calls per dashboard (default 20)")
        analytics.add_argument("--dashboard", action="append", help="only this dashboard (repeatable; default all)")
        analytics.add_argument(
            "--report", action="store_true", help="also time the monthly PDF report (last month, English): report_ms"
        )
        analytics.add_argument(
            "--viewer",
            choices=VIEWERS,
            default="staff",
            help="staff (default), member (a signed-in member of a private organisation) or visitor (signed out)",
        )
        load = subcommands.add_parser(
            "load", help="Pages under load: gunicorn and locust on a database of its own (docs/benchmarks.md)."
        )
        load.add_argument("--users", default="20,50", help="simulated users, one run per number (default 20,50)")
        load.add_argument("--duration", type=int, default=60, help="seconds per run (default 60)")
        load.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
        load.add_argument("--organisations", type=int, default=2000, help="synthetic organisations (default 2000)")
        load.add_argument("--wait", default="1,3", help="seconds a user waits between pages, min,max (default 1,3)")
        load_data = subcommands.add_parser("load-data", help="(used by `bench load`) fill this database for it")
        load_data.add_argument("--organisations", type=int, default=2000)
        load_data.add_argument("--users", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["benchmark"] == "load":
            self._load(options)
        elif options["benchmark"] == "load-data":
            self._load_data(options)
        elif options["benchmark"] == "schedule" and options["forum"]:
            if options["time_limit"] <= 0:
                raise CommandError("--time-limit must be more than 0")
            self.stdout.write(json.dumps(bench_forum(time_limit=options["time_limit"]), indent=2))
        elif options["benchmark"] == "schedule":
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
        elif options["benchmark"] == "schedule-apply":
            if min(options["participants"], options["requests"], options["slots"]) < 2 or options["time_limit"] <= 0:
                raise CommandError("--participants, --requests and --slots must be at least 2, --time-limit above 0")
            figures = bench_schedule_apply(
                participants=options["participants"],
                requests=options["requests"],
                slots=options["slots"],
                seed=options["seed"],
                time_limit=options["time_limit"],
            )
            self.stdout.write(json.dumps(figures, indent=2))
        elif options["benchmark"] == "matching":
            if options["profiles"] < 10:
                raise CommandError("--profiles must be at least 10")
            figures = bench_matching(options["profiles"], options["seed"], run_all=not options["no_all"])
            self.stdout.write(json.dumps(figures, indent=2))
        elif options["benchmark"] == "analytics":
            if options["repeats"] < 1:
                raise CommandError("--repeats must be at least 1")
            try:
                figures = bench_analytics(
                    repeats=options["repeats"],
                    dashboards=options["dashboard"],
                    report=options["report"],
                    viewer_kind=options["viewer"],
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(json.dumps(figures, indent=2))
        elif options["benchmark"] == "relocation":
            if min(options["zones"], options["requests"], options["baseline_requests"]) < 1:
                raise CommandError("--zones, --requests and --baseline-requests must be at least 1")
            figures = bench_relocation(
                zones=options["zones"],
                requests=options["requests"],
                baseline_requests=min(options["baseline_requests"], options["requests"]),
                seed=options["seed"],
            )
            self.stdout.write(json.dumps(figures, indent=2))
        elif options["benchmark"] == "dc":
            if options["years"] < 1:
                raise CommandError("--years must be at least 1")
            self.stdout.write(json.dumps(bench_dc(years=options["years"], seed=options["seed"]), indent=2))
        elif options["benchmark"] == "search":
            if min(options["organisations"], options["queries"], options["baseline_organisations"]) < 1:
                raise CommandError("--organisations, --queries and --baseline-organisations must be at least 1")
            try:
                if options["keep_data"]:
                    figures = bench_search_kept(
                        organisations=options["organisations"], queries=options["queries"], seed=options["seed"]
                    )
                else:
                    figures = bench_search(
                        organisations=options["organisations"],
                        queries=options["queries"],
                        seed=options["seed"],
                        baseline_organisations=options["baseline_organisations"],
                    )
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))

    def _load(self, options: dict[str, Any]) -> None:
        from silkbridge.site.loadtest.runner import run_load_test

        try:
            users = [int(count) for count in options["users"].split(",") if count.strip()]
            wait_min, wait_max = (float(value) for value in options["wait"].split(","))
        except ValueError as error:
            raise CommandError("--users takes numbers such as 20,50 and --wait two numbers such as 1,3") from error
        if not users or min(users) < 1 or options["duration"] < 5 or options["workers"] < 1:
            raise CommandError("--users must be at least 1, --duration at least 5 and --workers at least 1")
        if max(users) > options["organisations"] or not 0 <= wait_min <= wait_max:
            raise CommandError("--organisations must be at least the most --users, and --wait min,max with min ≤ max")
        figures = run_load_test(
            database_url=_database_url(),
            var_dir=Path(settings.VAR_DIR),
            users=users,
            duration=options["duration"],
            workers=options["workers"],
            organisations=options["organisations"],
            wait=(wait_min, wait_max),
            log=lambda message: self.stderr.write(message),
        )
        self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))

    def _load_data(self, options: dict[str, Any]) -> None:
        from silkbridge.accounts.models import User
        from silkbridge.site.loadtest.data import load_data_ensure
        from silkbridge.site.management.commands.load_demo import DEMO_STAFF_EMAIL

        if not User.objects.filter(email=DEMO_STAFF_EMAIL).exists():
            call_command("load_demo", stdout=self.stderr)
        try:
            figures = load_data_ensure(organisations=options["organisations"], members=options["users"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(figures))


def _database_url() -> str:
    """The URL the settings were read from (the load test derives its own database from it)."""
    return os.environ.get("DATABASE_URL", f"sqlite:///{Path(settings.VAR_DIR) / 'silkbridge.sqlite3'}")
