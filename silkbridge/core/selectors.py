"""Reads of the plumbing floor: who may see a background run."""

from __future__ import annotations

from typing import Any

from silkbridge.core.models import Run
from silkbridge.core.runs import runs_reap


def run_get(*, viewer: Any, run_id: int) -> Run:
    """A run its viewer may see: the one who started it, or staff. Run.DoesNotExist otherwise (a 404,
    so that other users cannot even learn that the run exists). Reaps dead runs first, so a reader
    never sees a run "running" whose worker is gone."""
    if not getattr(viewer, "is_authenticated", False):
        raise Run.DoesNotExist
    runs_reap()
    runs = Run.objects.all() if viewer.is_staff else Run.objects.filter(created_by=viewer)
    return runs.get(pk=run_id)
