"""`silkbridge events remind SLUG`: e-mail reminders for an event; `silkbridge events meeting-reminders`:
remind both sides of each meeting 30 minutes before it (run every 5 minutes from cron). Each prints its
counts as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.events import services
from silkbridge.events.models import Event


class Command(BaseCommand):
    help = "Batch work on matchmaking events."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        remind = subcommands.add_parser(
            "remind", help="Remind recipients of unanswered requests and approved participants without a meeting."
        )
        remind.add_argument("slug", help="the event's short name")
        subcommands.add_parser(
            "meeting-reminders",
            help="Remind both sides of every meeting starting in the next 30 minutes (once each; run every 5 minutes).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "meeting-reminders":
            counts = services.meeting_reminders_send()
        else:
            try:
                event = Event.objects.get(slug=options["slug"])
            except Event.DoesNotExist as error:
                raise CommandError(f"{options['slug']}: no such event") from error
            counts = services.reminders_send(event=event)
        self.stdout.write(json.dumps(counts, sort_keys=True))
