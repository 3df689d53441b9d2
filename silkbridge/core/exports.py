"""Downloads people open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse


def csv_text(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in headers])
    writer.writerows(rows)
    # The byte-order mark makes Excel read the file as UTF-8 (Chinese and Urdu names stay legible).
    return "\ufeff" + buffer.getvalue()


def csv_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(csv_text(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
