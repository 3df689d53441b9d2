"""Public references: the unguessable ids that confidential records show in URLs, exports and commands."""

from __future__ import annotations

import secrets
import string

_FIRST = string.ascii_letters + string.digits


def public_reference() -> str:
    """Twelve URL-safe characters (about 71 random bits), never enumerable.

    The first character is a letter or digit: a reference that began with '-' was read as an option by
    the command line and, in a CSV export, had to be guarded against formula injection ('-4IB...' came out
    as "'-4IB..."), so a user could not paste it back."""
    return secrets.choice(_FIRST) + secrets.token_urlsafe(9)[1:]
