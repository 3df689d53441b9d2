"""`silkbridge search_rebuild`: rewrite the search index of every kind of document (organisations,
opportunity profiles) from the documents themselves; each document in its own short transaction."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from silkbridge.directory.search import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the search index of organisations and profiles (after a bulk load or a restore)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(rebuild_all()))
