"""The embedded mode's signing key: random per installation, made on first start, kept under var/.

Plain Python (settings import it before Django is set up). Production sets DJANGO_SECRET_KEY instead
and never reaches this module.

The key is written to a private temporary file first and then hard-linked to its final name:
`link()` fails when the name exists (the same guarantee as O_CREAT|O_EXCL) and the file it publishes
is already complete, so two processes starting together can never read a half-written key, and
both end up with the winner's key.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

KEY_FILE_NAME = "secret_key"
KEY_BYTES = 48  # 384 random bits, written as 64 URL-safe characters
MIN_KEY_LENGTH = 50  # what Django's own check (security.W009) asks for


class SecretKeyError(RuntimeError):
    """The key file exists but cannot be used (unreadable, empty or too short)."""


def installation_secret_key(var_dir: Path) -> str:
    """The installation's key from `var_dir/secret_key`, created (mode 0600) if it does not exist."""
    path = Path(var_dir) / KEY_FILE_NAME
    if not path.exists():
        _create(path)
    return _read(path)


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file with O_EXCL and mode 0600: nobody else can read the key at any point.
    descriptor, temporary_name = tempfile.mkstemp(prefix=".secret_key.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(KEY_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # If another process started at the same moment and won, its key is the installation's.
        with contextlib.suppress(FileExistsError):
            os.link(temporary_name, path)
    finally:
        os.unlink(temporary_name)


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        # Copied or restored with loose permissions: take them back to the owner alone.
        path.chmod(0o600)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise SecretKeyError(
            f"{path} holds no usable key (fewer than {MIN_KEY_LENGTH} characters). "
            "Delete it to have a new one made (signed links and sessions already issued stop working), "
            "or set DJANGO_SECRET_KEY."
        )
    return key
