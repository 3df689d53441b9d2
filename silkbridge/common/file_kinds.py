"""What an uploaded document (a proposal's, a message's attachment) really is, read from its bytes:
never from its name or the browser's word.

Accepted: PDF, DOCX, XLSX, PNG and JPEG. The type is recognised by its leading bytes ("magic numbers");
DOCX and XLSX are zip packages, so their central directory is read (which decompresses nothing) and
refused when it lists too many entries or promises too many uncompressed bytes (a zip bomb), before the
package's main part is looked for: `[Content_Types].xml` declaring the Word or Excel main document, and
`word/document.xml` or `xl/workbook.xml` present. The file's name must agree with what was found, so a
PDF renamed .docx is refused as clearly as a program renamed .pdf.

Plain Python with no Django, shared by deals and conversations: each service turns an `UploadRefused`
into the field's message (core.uploads.file_refusal_message).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

# Zip packages: Office files hold a few dozen parts, and text compresses about tenfold; the caller sets
# how far a package may expand (the service: ten times the upload limit).
MAX_ZIP_ENTRIES = 2_000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
DOCX = Kind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PNG = Kind("PNG", "image/png", (".png",))
JPEG = Kind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
KINDS = (PDF, DOCX, XLSX, PNG, JPEG)
ACCEPTED_EXTENSIONS = tuple(extension for kind in KINDS for extension in kind.extensions)


class UploadRefused(Exception):
    """Why a file is refused: `code` is stable, `params` fill the translated message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def _zip_kind(content: bytes, max_expanded: int) -> Kind:
    """DOCX or XLSX from a zip package's parts; refused when the archive is not a sound Office package."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UploadRefused("broken_zip") from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise UploadRefused("zip_too_many_entries", entries=len(entries), limit=MAX_ZIP_ENTRIES)
        expanded = sum(entry.file_size for entry in entries)
        if expanded > max_expanded:
            raise UploadRefused("zip_too_large_uncompressed", limit_mb=max(1, max_expanded // (1024 * 1024)))
        names = {entry.filename: entry for entry in entries}
        declared = names.get("[Content_Types].xml")
        if declared is None or declared.file_size > MAX_CONTENT_TYPES_BYTES:
            raise UploadRefused("not_office_package")
        try:
            types = archive.read(declared).decode("utf-8", errors="replace")
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, RuntimeError) as error:
            raise UploadRefused("broken_zip") from error
    if WORD_MAIN in types and "word/document.xml" in names:
        return DOCX
    if EXCEL_MAIN in types and "xl/workbook.xml" in names:
        return XLSX
    raise UploadRefused("not_office_package")


def content_kind(content: bytes, *, max_expanded: int) -> Kind:
    """The accepted type these bytes are, or UploadRefused("unknown_type")."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content, max_expanded)
    raise UploadRefused("unknown_type")


def document_check(*, name: str, content: bytes, max_expanded: int) -> Kind:
    """The document's type, read from its content, when its name says the same; UploadRefused otherwise.
    A DOCX or XLSX package may expand to `max_expanded` bytes at most."""
    if not content:
        raise UploadRefused("empty")
    extension = _extension(name)
    if extension not in ACCEPTED_EXTENSIONS:
        raise UploadRefused("extension_not_accepted", extension=extension or "—")
    kind = content_kind(content, max_expanded=max_expanded)
    if extension not in kind.extensions:
        raise UploadRefused("name_disagrees", found=kind.label, extension=extension)
    return kind
