"""Helpers the deals models share."""

from __future__ import annotations

from silkbridge.core.references import public_reference


def new_reference() -> str:
    """An unguessable public reference: proposals and MoUs are confidential, so their ids in URLs must not
    be enumerable."""
    return public_reference()
