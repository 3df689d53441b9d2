"""`silkbridge demo …`: fictional data for trying the platform. `demo scale` fills a database at size
(silkbridge.site.scale); `demo staff-login` shows the demo staff sign-in again (or resets its password);
`silkbridge load_demo` loads the small hand-written demo."""

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from silkbridge.accounts.services import demo_staff_ensure
from silkbridge.site.management.commands.load_demo import DEMO_STAFF_EMAIL, demo_password
from silkbridge.site.scale import ScaleRefused, ScaleSize, scale_fill


class Command(BaseCommand):
    help = "Fill the database with fictional demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="demo", required=True)
        scale = subcommands.add_parser(
            "scale",
            help="Fictional organisations, profiles, matches, events, deals, MoUs and assessments of realistic "
            "shape, at the size given (all marked as demo data). Refuses a database that already holds them, "
            "or that holds data that is not demo data (unless --force).",
        )
        scale.add_argument("--organisations", type=int, default=100_000)
        scale.add_argument("--profiles", type=int, default=300_000)
        scale.add_argument("--events", type=int, default=20)
        scale.add_argument("--participants-per-event", type=int, default=3000)
        scale.add_argument("--seed", type=int, default=1, help="the same seed gives the same data (default 1)")
        scale.add_argument(
            "--force", action="store_true", help="add the demo data even beside data that is not demo data"
        )

        staff_login = subcommands.add_parser(
            "staff-login",
            help="Show the demo staff account's e-mail and password again (the account is made if missing).",
        )
        staff_login.add_argument("--reset", action="store_true", help="give the demo staff account a new password")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"] == "staff-login":
            self._staff_login(reset=options["reset"])
            return
        size = ScaleSize(
            organisations=options["organisations"],
            profiles=options["profiles"],
            events=options["events"],
            participants_per_event=options["participants_per_event"],
            seed=options["seed"],
        )
        started = time.perf_counter()

        def progress(line: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {line}")
            self.stdout.flush()

        try:
            counts = scale_fill(size=size, force=options["force"], progress=progress)
        except ScaleRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Done in %(seconds)s s. Everything created is fictional demo data (marked “demo data”).")
            % {"seconds": f"{time.perf_counter() - started:.1f}"}
        )
        self.stdout.write(json.dumps({"seconds": round(time.perf_counter() - started, 1), "rows": counts}, indent=2))

    def _staff_login(self, *, reset: bool) -> None:
        password = demo_password(reset=reset)
        demo_staff_ensure(email=DEMO_STAFF_EMAIL, password=password)
        self.stdout.write(
            _("The demo staff account's new password:") if reset else _("The demo staff account's sign-in:")
        )
        self.stdout.write(f"  e-mail:   {DEMO_STAFF_EMAIL}")
        self.stdout.write(f"  password: {password}")
