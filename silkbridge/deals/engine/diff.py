"""Differences between two versions of a text or a record, with no Django: what a reviewer reads when a
proposal is resubmitted, and what a drafter reads between two versions of an MoU, clause by clause."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

# Words, runs of Chinese characters one by one, and the spaces and punctuation between them.
_PIECES = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|\w+|\s+|[^\w\s]", re.UNICODE)

Operation = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Piece:
    operation: Operation
    text: str


def text_diff(before: str, after: str) -> list[Piece]:
    """The words removed and added between two texts (Chinese by character), in reading order, with
    neighbouring pieces of one kind joined."""
    old = _PIECES.findall(before or "")
    new = _PIECES.findall(after or "")
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(pieces, "same", "".join(old[i1:i2]))
            continue
        if i2 > i1:
            _append(pieces, "removed", "".join(old[i1:i2]))
        if j2 > j1:
            _append(pieces, "added", "".join(new[j1:j2]))
    return pieces


def _append(pieces: list[Piece], operation: Operation, text: str) -> None:
    if pieces and pieces[-1].operation == operation:
        pieces[-1] = Piece(operation, pieces[-1].text + text)
    elif text:
        pieces.append(Piece(operation, text))


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any
    after: Any
    pieces: list[Piece] = field(default_factory=list)  # for text fields: the words that changed


def record_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """Every field whose value differs (in the order of `after`, then fields only `before` had); text
    values carry their word-level difference."""
    names = list(after) + [name for name in before if name not in after]
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        pieces = text_diff(old, new) if isinstance(old, str) and isinstance(new, str) else []
        changes.append(FieldChange(name, old, new, pieces))
    return changes


ClauseStatus = Literal["same", "changed", "added", "removed"]


@dataclass(frozen=True)
class ClauseChange:
    key: str
    status: ClauseStatus
    fields: list[FieldChange]


def clauses_diff(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> list[ClauseChange]:
    """Two versions of a document made of clauses keyed by "key": each clause once, in the newer order
    (removed clauses where they stood), with the fields that changed."""
    old = {clause["key"]: clause for clause in before}
    new = {clause["key"]: clause for clause in after}
    changes: list[ClauseChange] = []
    for clause in after:
        key = clause["key"]
        if key not in old:
            changes.append(ClauseChange(key, "added", record_diff({}, _body(clause))))
            continue
        fields = record_diff(_body(old[key]), _body(clause))
        changes.append(ClauseChange(key, "changed" if fields else "same", fields))
    for index, clause in enumerate(before):
        key = clause["key"]
        if key not in new:
            changes.insert(min(index, len(changes)), ClauseChange(key, "removed", record_diff(_body(clause), {})))
    return changes


def _body(clause: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in clause.items() if name not in {"key", "position"}}
