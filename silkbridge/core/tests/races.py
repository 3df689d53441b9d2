"""Race several writes against each other, for the concurrency tests of every app.

On PostgreSQL each attempt runs in its own thread with its own database connection, all released at
once by a barrier, so the services' locks and constraints are what decides the winner. SQLite
serialises writers with one lock per database (and the in-memory test database turns a wait into an
error), so there the attempts run one after the other: the rules checked are the same, the
interleaving is not. Tests that use this carry `@pytest.mark.postgres` and a transactional database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections

WON = "won"


def race(*attempts: Callable[[], Any]) -> list[str]:
    """Run the attempts at once; for each, in order, WON or the messages of its ValidationError.

    Anything else an attempt raises (a deadlock, an IntegrityError that the service let through) is
    re-raised, so the test fails on it instead of counting it as a refusal.
    """
    outcomes: list[str] = [""] * len(attempts)
    errors: list[BaseException] = []
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(len(attempts))

    def attempt(index: int) -> None:
        try:
            if concurrent:
                barrier.wait(timeout=10)
            attempts[index]()
            outcomes[index] = WON
        except ValidationError as error:
            outcomes[index] = " ".join(error.messages)
        except BaseException as error:  # handed to the main thread, which re-raises it
            errors.append(error)
        finally:
            if concurrent:
                connections.close_all()

    if not concurrent:
        for index in range(len(attempts)):
            attempt(index)
    else:
        threads = [threading.Thread(target=attempt, args=(index,)) for index in range(len(attempts))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    if errors:
        raise errors[0]
    return outcomes
