"""The hourly budget is counted atomically: concurrent charges never spend more than the budget.

On PostgreSQL (CI's second pass) twelve threads, each with its own connection, charge one user's
budget of five runs at once; on SQLite the same charges run one after another.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.core.budgets import Budget, BudgetExceeded, usage_charge, usage_refund
from silkbridge.core.models import UsageWindow

pytestmark = pytest.mark.django_db(transaction=True)
BUDGET = Budget(resource="tests.race", max_runs=5, max_units=1_000, runs_label="runs", units_label="units")


@pytest.fixture(autouse=True)
def _reload_reference_data():
    """A transactional test empties every table when it ends; put back what the other tests read."""
    yield
    from silkbridge.conftest import reference_data_load

    reference_data_load()


def _race(user, attempts: int, units: int) -> list[str]:
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(attempts) if connection.vendor == "postgresql" else None

    def charge() -> None:
        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            usage_charge(user=user, budget=BUDGET, units=units)
            outcome = "charged"
        except BudgetExceeded:
            outcome = "refused"
        finally:
            if barrier is not None:
                connections.close_all()
        with lock:
            outcomes.append(outcome)

    if barrier is None:
        for _ in range(attempts):
            charge()
    else:
        threads = [threading.Thread(target=charge) for _ in range(attempts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    return sorted(outcomes)


def test_concurrent_charges_never_exceed_the_number_of_runs():
    user = UserFactory()
    assert _race(user, 12, 10) == ["charged"] * 5 + ["refused"] * 7
    window = UsageWindow.objects.get(user=user, resource="tests.race")
    assert (window.runs, window.units) == (5, 50)


def test_concurrent_charges_never_exceed_the_units():
    user = UserFactory()
    assert _race(user, 8, 300) == ["charged"] * 3 + ["refused"] * 5
    window = UsageWindow.objects.get(user=user, resource="tests.race")
    assert (window.runs, window.units) == (3, 900)


def test_a_refund_gives_the_run_and_units_back():
    user = UserFactory()
    charge = usage_charge(user=user, budget=BUDGET, units=400)
    usage_refund(charge=charge)
    window = UsageWindow.objects.get(user=user, resource="tests.race")
    assert (window.runs, window.units) == (0, 0)
