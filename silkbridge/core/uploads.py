"""Files that a web process receives and a background worker reads (an import, a design's weather file).

A worker may run on another machine, so an upload is never handed over as a path on the web host's
disk: it is kept in the "default" storage (the local MEDIA_ROOT in one-machine installations, an
S3-compatible bucket when SILKBRIDGE_STORAGE=s3), the task gets the stored name, reads it, and discards
it when done. Names are random, so one upload can never overwrite or reveal another.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.common.file_kinds import UploadRefused
from silkbridge.core.inputs import safe_file_name

FOLDER = "uploads"


def upload_keep(*, content: bytes | File, name: str, purpose: str) -> str:
    """Store an upload for a task; returns the name to pass to the task (e.g. "uploads/directory.import/…").
    The caller checks its size and format first: nothing here parses it. A received file is streamed to
    the storage, not read into memory."""
    cleaned = safe_file_name(name, default="upload", max_length=100)
    stored = ContentFile(content) if isinstance(content, bytes) else content
    return default_storage.save(f"{FOLDER}/{purpose}/{secrets.token_urlsafe(12)}/{cleaned}", stored)


def upload_read(stored_name: str) -> bytes:
    """The bytes of a kept upload (FileNotFoundError when it was discarded)."""
    with default_storage.open(stored_name, "rb") as handle:
        data: bytes = handle.read()
    return data


def upload_discard(stored_name: str) -> None:
    """Remove a kept upload once the task has finished with it (a missing one is not an error)."""
    default_storage.delete(stored_name)


def upload_sweep(*, purpose: str, older_than: timedelta) -> int:
    """Remove the kept uploads of `purpose` stored longer ago than `older_than` (whose task never ran,
    or whose worker died before discarding them); how many. Any storage: it lists, it never globs."""
    cutoff = timezone.now() - older_than
    removed = 0
    folder = f"{FOLDER}/{purpose}"
    if not default_storage.exists(folder):
        return 0
    holders, _files = default_storage.listdir(folder)
    for holder in holders:
        _folders, names = default_storage.listdir(f"{folder}/{holder}")
        for name in names:
            stored_name = f"{folder}/{holder}/{name}"
            if default_storage.get_modified_time(stored_name) < cutoff:
                default_storage.delete(stored_name)
                removed += 1
    return removed


def file_refusal_message(refusal: UploadRefused) -> str:
    """Why a document was refused (common.file_kinds), in the reader's language, for the field's error."""
    params = refusal.params
    messages = {
        "empty": _("The file is empty."),
        "extension_not_accepted": _(
            "Files ending in %(extension)s are not accepted; send a PDF, DOCX, XLSX, PNG or JPEG file."
        ),
        "unknown_type": _("The file's content is not a PDF, DOCX, XLSX, PNG or JPEG file, whatever its name says."),
        "name_disagrees": _("The file's content is a %(found)s file, but its name ends in %(extension)s."),
        "broken_zip": _("The file is not a readable DOCX or XLSX package."),
        "not_office_package": _("The file is a zip archive, but not a Word (DOCX) or Excel (XLSX) document."),
        "zip_too_many_entries": _("The document holds %(entries)d parts; at most %(limit)d are accepted."),
        "zip_too_large_uncompressed": _("The document would expand to more than %(limit_mb)d MB; it is refused."),
    }
    return str(messages.get(refusal.code, _("The file is not accepted."))) % params
