"""Reads from a PostgreSQL read replica, where one is configured and a page asks for it.

With `DATABASE_REPLICA_URL` set, settings add a second database alias, "replica". Nothing goes there by
default: a read goes to the replica only inside `replica_reads()` (or a view decorated with
`reads_from_replica`), and never inside a transaction, so a service that reads what it is about to
write, or a page that reads right after its own write in the same atomic block, always sees the
primary. Pages that only list and search (the directory, the marketplace list) opt in: a replica a
second behind is fine for them, and they are most of the read load. Writes and migrations always go to
the primary."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)

F = TypeVar("F", bound=Callable[..., Any])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Send this block's reads to the replica (when there is one and no transaction is open)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view: F) -> F:
    """A view (page or API handler) whose reads may come from the replica."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ReplicaRouter:
    """Django's database router for the rule above."""

    def db_for_read(self, *model: Any, **_hints: Any) -> str | None:
        if not (_reading_from_replica.get() and replica_configured()):
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # read-your-writes: a transaction on the primary sees its own rows
        return REPLICA

    def db_for_write(self, *model: Any, **_hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, *objects: Any, **_hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, *labels: Any, **_hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
