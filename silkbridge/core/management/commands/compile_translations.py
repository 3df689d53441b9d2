"""`silkbridge compile_translations`: .po catalogues to .mo files, in pure Python (no GNU gettext needed)."""

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogues under LOCALE_PATHS (only those that changed)."

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(mo_path))
                self.stdout.write(f"compiled {po_path.relative_to(locale_path)} ({catalogue.percent_translated()}%)")
