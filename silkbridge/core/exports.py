"""Downloads people open in a spreadsheet: the one place that writes CSV and .xlsx files.

Every export goes through `csv_response`/`xlsx_response` (or `table_response`), so that a cell a
user typed ("=HYPERLINK(…)" as an organisation's name) is always shown as text and never run as a
formula: in CSV a leading apostrophe, in .xlsx a cell stored with the string type.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (“=HYPERLINK(…)” in a profile title) gets a
    leading apostrophe, which spreadsheets show as text; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    safe_name = "".join(character for character in filename if character.isprintable() and character not in '"\\')
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


def csv_text(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(str(header)) for header in headers])
    writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    # The byte-order mark makes Excel read the file as UTF-8 (Chinese and Urdu names stay legible).
    return "\ufeff" + buffer.getvalue()


def xlsx_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet_title: str) -> bytes:
    """A one-sheet workbook; every text cell is stored as a string, so Excel never evaluates it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])

    def cells(values: Sequence[Any]) -> list[Any]:
        row = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet)
                # Assigning a string that starts with "=" makes openpyxl store a formula; set the type
                # after the value so that the text is written as it is.
                cell.value = value
                cell.data_type = TYPE_STRING
                row.append(cell)
            else:
                row.append(value)
        return row

    sheet.append(cells([str(header) for header in headers]))
    for values in rows:
        sheet.append(cells(list(values)))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    return _attachment(HttpResponse(csv_text(headers, rows), content_type="text/csv; charset=utf-8"), filename)


def xlsx_response(
    filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet_title: str
) -> HttpResponse:
    content = xlsx_bytes(headers, rows, sheet_title=sheet_title)
    return _attachment(HttpResponse(content, content_type=XLSX_CONTENT_TYPE), filename)


def table_response(
    fmt: str, basename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet_title: str
) -> HttpResponse:
    """The same table as `basename.csv` or `basename.xlsx`."""
    if fmt == "xlsx":
        return xlsx_response(f"{basename}.xlsx", headers, rows, sheet_title=sheet_title)
    return csv_response(f"{basename}.csv", headers, rows)
