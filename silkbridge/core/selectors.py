"""Reads of the plumbing floor: who may see a background run, and what a history row shows its reader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy

from silkbridge.core.models import HistoryRow, Run
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


# Who made a change, as a reader who is not staff may learn it: never an e-mail address.
HISTORY_ACTOR_LABELS = {
    "you": gettext_lazy("you"),
    "staff": gettext_lazy("Silkbridge staff"),
    "representative": gettext_lazy("a representative"),
    "system": gettext_lazy("the system"),
}


def history_actor(*, viewer: Any, row: HistoryRow) -> dict[str, str | None]:
    """Who made the change, as the viewer may see it: `by` (you, staff, representative, system), its
    label in the reader's language, and the actor's e-mail address for staff only. The page and the
    API both show a history row's author through this, so that neither can show more than the other."""
    actor = row.actor
    if actor is None:
        by = "system"
    elif actor.pk == getattr(viewer, "pk", None):
        by = "you"
    elif actor.is_staff:
        by = "staff"
    else:
        by = "representative"
    email = actor.email if actor is not None and getattr(viewer, "is_staff", False) else None
    return {"by": by, "by_label": str(HISTORY_ACTOR_LABELS[by]), "actor_email": email}


def history_entries(*, viewer: Any, rows: Iterable[HistoryRow]) -> list[dict[str, Any]]:
    """History rows (already chosen by their app's selector, which decides who sees which rows) as the
    viewer may read them: what happened, when, who (see `history_actor`) and what changed."""
    return [
        {
            "id": row.pk,
            "kind": row.kind,  # type: ignore[attr-defined]
            "kind_label": row.get_kind_display(),  # type: ignore[attr-defined]
            "created_at": row.created_at,
            **history_actor(viewer=viewer, row=row),
            "changes": row.changes,
        }
        for row in rows
    ]
