"""`silkbridge opportunities expire`: mark profiles past their expiry date as expired (daily cron).

Pages already hide a profile the day after it expires; this sets the status the owner sees, and
refreshes the matches that listed it.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from silkbridge.marketplace import services


class Command(BaseCommand):
    help = "Batch work on opportunity profiles."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("expire", help="Mark published profiles past their expiry date as expired.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps({"expired": services.opportunities_expire()}))
