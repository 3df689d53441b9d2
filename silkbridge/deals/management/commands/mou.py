"""`silkbridge mou verify FILE.pdf`: whether a PDF is an unaltered copy of an MoU sealed by this
platform, as JSON (what the verification page and `POST /api/v1/deals/verify` answer). Exits 0 for a
valid sealed copy, 1 otherwise (altered, not sealed here, not a PDF, too large, unreadable)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from silkbridge.deals import seal
from silkbridge.deals.selectors import routing as selectors


class Command(BaseCommand):
    help = "Work on MoUs from the command line."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="Verify a sealed MoU PDF; prints JSON, exits 0 when valid.")
        verify.add_argument("file", help="The PDF file to verify.")

    def handle(self, *args: Any, **options: Any) -> None:
        answer = self._verify(Path(options["file"]))
        self.stdout.write(json.dumps(answer, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        if not answer.get("valid"):
            sys.exit(1)

    def _verify(self, path: Path) -> dict[str, Any]:
        try:
            size = path.stat().st_size
            if size > settings.MOU_VERIFY_MAX_BYTES:
                raise ValidationError({"file": seal.too_large_message(settings.MOU_VERIFY_MAX_BYTES)})
            upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/pdf")
            return selectors.pdf_verify(content=seal.upload_content(upload))
        except OSError as error:
            return {"valid": False, "status": "unreadable", "message": f"{path}: {error.strerror or error}"}
        except ValidationError as error:
            return {"valid": False, "status": "not_a_pdf", "message": " ".join(error.messages)}
