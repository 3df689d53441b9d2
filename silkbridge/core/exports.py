"""Downloads people open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (“=HYPERLINK(…)” in a profile title) gets a
    leading apostrophe, which spreadsheets show as text; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in headers])
    writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    # The byte-order mark makes Excel read the file as UTF-8 (Chinese and Urdu names stay legible).
    return "\ufeff" + buffer.getvalue()


def csv_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(csv_text(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
