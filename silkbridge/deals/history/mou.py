"""An MoU's history rows for drafting: drafted, each saved version, each comment on a clause."""

from __future__ import annotations

from typing import Any

from silkbridge.deals.choices import MouEventKind
from silkbridge.deals.models import Mou, MouEvent


def _write(mou: Mou, actor: Any, kind: str, changes: dict[str, Any], note: str = "") -> MouEvent:
    return MouEvent.objects.create(
        mou=mou,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        changes=changes,
        note=note,
    )


def mou_drafted(*, mou: Mou, actor: Any, clause_keys: list[str], duration_years: int) -> MouEvent:
    """Version 1, its languages and clauses, and the duration its placeholders were filled with (clauses
    added from the library later are filled with the same)."""
    changes = {
        "version": [None, 1],
        "second_language": mou.second_language,
        "clauses": clause_keys,
        "duration_years": duration_years,
    }
    return _write(mou, actor, MouEventKind.CREATED, changes)


def mou_saved(
    *, mou: Mou, actor: Any, before: int, added: list[str], removed: list[str], changed: list[str], note: str
) -> MouEvent:
    """The version step, and which clauses the save added, removed or changed (by key)."""
    changes: dict[str, Any] = {"version": [before, mou.version]}
    for name, keys in (("added", added), ("removed", removed), ("changed", changed)):
        if keys:
            changes[name] = keys
    return _write(mou, actor, MouEventKind.SAVED, changes, note)


def clause_commented(*, mou: Mou, actor: Any, clause_key: str, version: int) -> MouEvent:
    return _write(mou, actor, MouEventKind.COMMENTED, {"clause": clause_key, "version": version})
