"""Helpers the deals models share."""

from __future__ import annotations

import secrets


def new_reference() -> str:
    """An unguessable public reference: proposals and MoUs are confidential, so their ids in URLs must not
    be enumerable."""
    return secrets.token_urlsafe(9)
