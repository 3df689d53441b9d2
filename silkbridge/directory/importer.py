"""Bulk import of organisations from CSV (UTF-8 with or without BOM, or GB18030) and .xlsx.

Rows are numbered as a spreadsheet shows them: the header is row 1. Each row is validated and
written in its own savepoint, so a failing row leaves the database as it was before that row and
the good rows are kept; with all_or_nothing, one bad row means nothing is written. Re-importing the
same file changes nothing: rows are upserted on the organisation's natural key (the `key` column,
or country and English name when there is none).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silkbridge.core.inputs import unstorable_problem
from silkbridge.core.models import Run
from silkbridge.core.runs import Progress, RunFailure, queued_timeout, run_enqueue, stale_after
from silkbridge.core.uploads import upload_discard, upload_keep, upload_read, upload_sweep
from silkbridge.directory.choices import ImportStatus
from silkbridge.directory.hooks import organisations_bulk_changed
from silkbridge.directory.models import ImportRun
from silkbridge.directory.selectors import importer_check
from silkbridge.directory.services import OrganisationRecord, organisation_key_for, organisation_upsert

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 64 * 2**20  # an .xlsx of 20,000 rows of organisations unpacks to a few MB
MAX_ZIP_MEMBERS = 1_000
PROGRESS_EVERY = 200  # rows between two progress reports of a background import
REQUIRED_COLUMNS = ("name_en", "kind", "country")
COLUMN_ALIASES = {
    "name": "name_en",
    "english_name": "name_en",
    "local_name": "name_local",
    "founded": "founded_year",
    "technologies": "concepts",
    "size": "size_band",
    "contact": "contact_name",
}
KNOWN_COLUMNS = {
    "key",
    "kind",
    "name_en",
    "name_local",
    "language",
    "country",
    "city",
    "website",
    "size_band",
    "founded_year",
    "sectors",
    "concepts",
    "description",
    "visibility",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
}
LIST_SEPARATORS = (";", "；", "、", "|")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, encoding, size or header)."""


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class ImportResult:
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    all_or_nothing: bool = False
    import_run_id: int | None = None

    @property
    def status(self) -> str:
        if not self.errors:
            return ImportStatus.COMPLETED
        return ImportStatus.REJECTED if self.all_or_nothing else ImportStatus.COMPLETED_WITH_ERRORS

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "rows": self.rows_total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in self.errors],
            "ignored_columns": self.ignored_columns,
        }


def decode_text(content: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, GB18030 as Chinese Excel saves CSV."""
    if b"\x00" in content[:4096]:
        raise ImportFileError(_("The file is binary, not a CSV text file."))
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file is neither UTF-8 nor GB18030 text.")) from error


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


class _Table:
    """Rows kept while a file streams in: blank rows are skipped but counted in the numbering, and
    the file is refused as soon as it passes the row limit, so a huge file costs no more than that."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, list[str]]] = []

    def add(self, number: int, row: list[str]) -> None:
        if _blank(row):
            return
        if len(self.rows) > MAX_ROWS:  # the header plus MAX_ROWS data rows are allowed
            raise ImportFileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
        self.rows.append((number, row))


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    table = _Table()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            table.add(number, row)
    except csv.Error as error:
        row_number = number + 1  # the row being read when the reader gave up
        if "field larger than field limit" in str(error):
            message = _("Row %(row)d has a cell longer than %(limit)d characters; shorten it.") % {
                "row": row_number,
                "limit": csv.field_size_limit(),
            }
        else:
            message = _("Row %(row)d is not valid CSV.") % {"row": row_number}
        raise ImportFileError(message) from error
    return table.rows


def _check_zip(content: bytes) -> None:
    """A zip bomb is refused on the sizes its directory declares (Python's zipfile never inflates a
    member past its declared size), before any XML is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        if len(members) > MAX_ZIP_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                _("The workbook unpacks to more than %(size)d MB; save it again or split it.")
                % {"size": MAX_UNPACKED_BYTES // 2**20}
            )
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_sheet_cells(archive, member.filename)
    except (zipfile.BadZipFile, OSError, ValueError, ElementTree.ParseError) as error:
        raise ImportFileError(_("The file is not a readable .xlsx workbook.")) from error


def _column_number(reference: str) -> int:
    number = 0
    for letter in reference:
        if not letter.isalpha():
            break
        number = number * 26 + ord(letter.upper()) - 64
    return number


def _check_sheet_cells(archive: zipfile.ZipFile, member: str) -> None:
    """Count the rows and find the widest cell with a value as the sheet's XML streams by, and stop
    at the limit: openpyxl itself walks a whole sheet that declares no dimension before it gives
    the first row, and pads to the last row and column it finds."""
    rows = 0
    with archive.open(member) as source:
        for _event, element in ElementTree.iterparse(source, events=("end",)):
            tag = element.tag.rpartition("}")[2]
            if tag == "c" and len(element) and _column_number(element.get("r", "")) > MAX_COLUMNS:
                raise ImportFileError(
                    _("Column %(column)s has a value; at most %(max)d columns are read.")
                    % {"column": "".join(filter(str.isalpha, element.get("r", ""))), "max": MAX_COLUMNS}
                )
            if tag == "row":
                rows = max(rows + 1, int(element.get("r") or 0))
                if rows > MAX_ROWS * 2:
                    raise ImportFileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
                element.clear()


def _check_declared_size(sheet: Any) -> None:
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_ROWS + 1:
        raise ImportFileError(
            _("The sheet declares %(rows)d rows; at most %(max)d can be imported at once; split it.")
            % {"rows": rows, "max": MAX_ROWS}
        )
    if columns > MAX_COLUMNS:
        raise ImportFileError(
            _(
                "The sheet declares %(columns)d columns; at most %(max)d are read. Delete the columns "
                "after the last one you use and save it again."
            )
            % {"columns": columns, "max": MAX_COLUMNS}
        )


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_zip(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as error:
        raise ImportFileError(_("The file is not a readable .xlsx workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        _check_declared_size(sheet)
        table = _Table()
        # Streamed, and never wider than MAX_COLUMNS: openpyxl would otherwise pad every row to the
        # widest one, and a single cell in column XFD makes that 16,384 cells a row.
        cells = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, row in enumerate(cells, start=1):
            if number > MAX_ROWS * 2:  # blank rows cost time too
                raise ImportFileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
            table.add(number, ["" if cell is None else str(cell).strip() for cell in row])
    except (KeyError, ValueError, SyntaxError, IndexError) as error:
        raise ImportFileError(_("The file is not a readable .xlsx workbook.")) from error
    finally:
        workbook.close()
    return table.rows


def upload_check(*, file_name: str, head: bytes) -> None:
    """What can be told of a file from its name and first bytes, before it is stored or parsed: a
    workbook is a zip, a CSV is text. The request checks this; the worker reads the rest."""
    is_zip = head.startswith(b"PK\x03\x04")
    if file_name.lower().endswith(".xlsx") or is_zip:
        if not is_zip:
            raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
        return
    if not file_name.lower().endswith((".csv", ".txt", ".tsv")):
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if b"\x00" in head[:4096]:
        raise ImportFileError(_("The file is binary, not a CSV text file."))


def read_table(*, file_name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """The file's non-blank rows, each with its number as a spreadsheet shows it, header first,
    read by content (not only by its name), within the row, column and size limits."""
    upload_check(file_name=file_name, head=content[:4096])
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content)
    return _csv_rows(content)


def _header(raw: list[str]) -> tuple[list[str], list[str]]:
    names = []
    for cell in raw:
        name = cell.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_")
        names.append(COLUMN_ALIASES.get(name, name))
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise ImportFileError(
            _("The header row lacks the required column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    ignored = [name for name in names if name and name not in KNOWN_COLUMNS]
    return names, ignored


def _split_list(value: str) -> list[str]:
    for separator in LIST_SEPARATORS:
        value = value.replace(separator, ",")
    return [item.strip() for item in value.replace("，", ",").split(",") if item.strip()]


def _record_from_row(row: dict[str, str], row_number: int) -> tuple[OrganisationRecord | None, list[RowError]]:
    errors = [
        RowError(row_number, column, problem)
        for column, value in row.items()
        if (problem := unstorable_problem(value)) is not None
    ]
    if errors:
        return None, errors
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            errors.append(RowError(row_number, column, _("This field is required.")))
    founded: int | None = None
    if row.get("founded_year"):
        try:
            founded = int(float(row["founded_year"]))
        except ValueError:
            errors.append(RowError(row_number, "founded_year", _("Enter a year such as 2016.")))
    if errors:
        return None, errors
    country = row["country"].strip().upper()
    fields = {
        "kind": row["kind"].strip().lower(),
        "name_en": row["name_en"].strip(),
        "name_local": row.get("name_local", "").strip(),
        "language": (row.get("language") or "en").strip().lower(),
        "country": country,
        "city": row.get("city", "").strip(),
        "website": row.get("website", "").strip(),
        "size_band": row.get("size_band", "").strip(),
        "founded_year": founded,
        "description": row.get("description", "").strip(),
        "visibility": (row.get("visibility") or "public").strip().lower(),
    }
    contacts = []
    if row.get("contact_name"):
        contacts.append(
            {
                "name": row["contact_name"].strip(),
                "role": row.get("contact_role", "").strip(),
                "email": row.get("contact_email", "").strip(),
                "phone": row.get("contact_phone", "").strip(),
            }
        )
    key = row.get("key", "").strip().lower() or organisation_key_for(country=country, name_en=row["name_en"].strip())
    record = OrganisationRecord(
        key=key,
        fields=fields,
        sector_codes=_split_list(row.get("sectors", "")),
        concept_terms=_split_list(row.get("concepts", "")),
        contacts=contacts,
    )
    return record, []


def _errors_from_validation(error: ValidationError, row_number: int) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(row_number, "row" if name == "__all__" else name, " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    return [RowError(row_number, "row", " ".join(error.messages))]


def _import_rows(
    rows: list[tuple[int, dict[str, str]]], result: ImportResult, progress: Progress | None = None
) -> None:
    first_row_of_key: dict[str, int] = {}
    for done, (row_number, row) in enumerate(rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            message = ngettext("%(done)d of %(total)d row", "%(done)d of %(total)d rows", len(rows))
            progress(done / max(1, len(rows)), message % {"done": done, "total": len(rows)})
        record, errors = _record_from_row(row, row_number)
        if record is not None and record.key in first_row_of_key:
            errors = [
                RowError(
                    row_number,
                    "key",
                    _("The same organisation is already on row %(row)d.") % {"row": first_row_of_key[record.key]},
                )
            ]
        if errors or record is None:
            result.errors.extend(errors)
            continue
        first_row_of_key[record.key] = row_number
        try:
            with transaction.atomic():
                _organisation, outcome = organisation_upsert(record=record)
        except ValidationError as error:
            result.errors.extend(_errors_from_validation(error, row_number))
            continue
        except IntegrityError:
            result.errors.append(RowError(row_number, "row", _("This row conflicts with data already stored.")))
            continue
        except (DatabaseError, ValueError):
            # Whatever the database refuses stays this row's error: the row's savepoint is rolled
            # back, the import goes on, and the report is written.
            logger.exception("Import row %d refused by the database", row_number)
            result.errors.append(RowError(row_number, "row", _("The database refused this row; check its values.")))
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)


class _RollBack(Exception):
    pass


def organisations_import(
    *,
    file_name: str,
    content: bytes,
    all_or_nothing: bool = False,
    actor: Any = None,
    progress: Progress | None = None,
    run_id: int | None = None,
) -> ImportResult:
    """Import organisations from a CSV or .xlsx file and record the run with its per-row report
    (linked to the background run `run_id` that did it, if any)."""
    table = read_table(file_name=file_name, content=content)
    if not table or table[0][0] != 1:
        raise ImportFileError(_("The file is empty: it has no header row."))
    header, ignored = _header(table[0][1])
    rows = [
        (number, {name: (row[index] if index < len(row) else "") for index, name in enumerate(header) if name})
        for number, row in table[1:]
    ]
    result = ImportResult(rows_total=len(rows), ignored_columns=ignored, all_or_nothing=all_or_nothing)
    if all_or_nothing:
        try:
            with transaction.atomic():
                _import_rows(rows, result, progress)
                if result.errors:
                    raise _RollBack
        except _RollBack:
            result.created = result.updated = result.unchanged = 0
    else:
        _import_rows(rows, result, progress)
    import_run = ImportRun.objects.create(
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        file_name=file_name[:255],
        all_or_nothing=all_or_nothing,
        status=result.status,
        rows_total=result.rows_total,
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
        errors=[error.as_dict() for error in result.errors],
        ignored_columns=result.ignored_columns,
        run_id=run_id,
    )
    result.import_run_id = import_run.pk
    if result.created or result.updated:
        # Counts kept elsewhere (the analytics summary) do not see rows written around the services.
        organisations_bulk_changed.fire()
    return result


# --- in the background ------------------------------------------------------------------------------


IMPORT_UPLOADS = "directory.import"  # where `import_start` keeps uploads for the worker (core.uploads)


def import_start(*, actor: Any, upload: UploadedFile, all_or_nothing: bool = False) -> Run:
    """Check an uploaded file's size and format, store it, and queue its import for a worker; the run
    to watch. Nothing is parsed in the request: a 20,000-row workbook takes a worker a while."""
    importer_check(viewer=actor)
    file_name = (upload.name or "")[:255]
    if (upload.size or 0) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(size)d MB.") % {"size": settings.IMPORT_MAX_BYTES // 2**20})
    upload.seek(0)
    upload_check(file_name=file_name, head=upload.read(4096))
    upload.seek(0)
    # Uploads whose run never started or whose worker died, kept longer than a run can wait, go first.
    upload_sweep(purpose=IMPORT_UPLOADS, older_than=queued_timeout() + stale_after())
    stored_name = upload_keep(content=upload, name=file_name, purpose=IMPORT_UPLOADS)
    from silkbridge.directory.tasks import organisations_import_task

    return run_enqueue(
        kind="directory.import",
        created_by=actor,
        task=organisations_import_task,
        kwargs={
            "stored_name": stored_name,
            "file_name": file_name,
            "all_or_nothing": all_or_nothing,
            "actor_id": actor.pk,
        },
        holds={"upload": stored_name},
    )


def import_run_ended(run: Run) -> None:
    """An import run ended however (or was reaped before its worker read the file): its upload goes."""
    if run.kind == "directory.import" and run.holds.get("upload"):
        upload_discard(run.holds["upload"])


def stored_file_import(
    *, run_id: int, stored_name: str, file_name: str, all_or_nothing: bool, actor_id: int | None, progress: Progress
) -> dict[str, Any]:
    """The worker's side of `import_start`: import the stored file in one transaction (a run that fails
    or whose worker stops midway writes no organisation), then delete the file. The per-row report is
    the ImportRun; the run's result points to it."""
    from silkbridge.accounts.models import User

    try:
        content = upload_read(stored_name)
        with transaction.atomic():
            result = organisations_import(
                file_name=file_name,
                content=content,
                all_or_nothing=all_or_nothing,
                actor=User.objects.filter(pk=actor_id).first() if actor_id is not None else None,
                progress=progress,
                run_id=run_id,
            )
    except ImportFileError as error:
        raise RunFailure(str(error)) from error
    finally:
        upload_discard(stored_name)
    return {
        "import_run": result.import_run_id,
        "url": reverse("directory:import_report", kwargs={"pk": result.import_run_id}),
    }
