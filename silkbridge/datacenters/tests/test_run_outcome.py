"""A queued assessment ends once: a run the reaper gave up while its worker was paused stays failed and
refunded, and the late worker neither stores a free assessment nor refunds the charge a second time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.core.models import Run
from silkbridge.core.runs import WORKER_STOPPED, runs_reap, stale_after
from silkbridge.datacenters.models import Assessment
from silkbridge.datacenters.tests.test_cost_limits import _bearer, _queued, _window

# A worker runs in autocommit (no outer transaction, so no savepoint around the work, and the reaper's
# verdict is committed as a reader's would be): as here.
pytestmark = pytest.mark.django_db(transaction=True)


def _work_queued_run(run, monkeypatch, *, after_reap):
    """Run the queued assessment as a worker does; while it simulates (a long GC pause, a busy
    SQLite file: no heartbeat for stale_after()), a reader reaps it."""
    from django_tasks import default_task_backend

    from silkbridge.datacenters import services

    real = services.assessment_evaluate

    def slow(**kwargs):
        long_ago = timezone.now() - stale_after() - timedelta(seconds=1)
        Run.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
        assert runs_reap() == 1  # any reader of a run page does this
        return after_reap(real, kwargs)

    monkeypatch.setattr(services, "assessment_evaluate", slow)
    queued = default_task_backend.results[-1]
    queued.task.call(*queued.args, **queued.kwargs)
    run.refresh_from_db()


def test_a_reaped_assessment_that_then_finishes_stays_failed_refunded_and_stores_nothing(client, settings, monkeypatch):
    """The user was told "the worker stopped; start it again" and got the charge back: the late worker's
    assessment is not stored (no assessment appears that the run page says failed, none is free, and
    starting it again is charged once)."""
    user = UserFactory()
    run = _queued(client, settings, _bearer(user), 5_000)
    assert _window(user) == (1, 5_000)

    _work_queued_run(run, monkeypatch, after_reap=lambda real, kwargs: real(**kwargs))

    assert (run.status, run.error, run.result, run.holds) == ("failed", WORKER_STOPPED, None, {})
    assert Assessment.objects.filter(created_by=user).count() == 0
    assert _window(user) == (0, 0)


def test_a_reaped_assessment_whose_design_is_then_refused_is_refunded_once(client, settings, monkeypatch):
    """A user with two assessments queued loses neither charge's worth of budget twice: the reaped run
    is refunded once, and the other run keeps its charge."""
    from silkbridge.datacenters.services import DesignRejected

    user = UserFactory()
    headers = _bearer(user)
    first = _queued(client, settings, headers, 3_000)
    second = _queued(client, settings, headers, 3_000)  # another charge in the same window
    assert _window(user) == (2, 6_000)

    def refused(real, kwargs):
        raise DesignRejected([{"path": "", "message": "no"}], engine_ran=False)

    _work_queued_run(second, monkeypatch, after_reap=refused)
    assert (second.status, second.error) == ("failed", WORKER_STOPPED)  # the reaper's verdict stands
    first.refresh_from_db()
    assert first.status == "queued"  # still holds its charge
    assert _window(user) == (1, 3_000)


def test_a_design_refused_before_simulating_is_refunded_by_the_run_once(client, settings, monkeypatch):
    """Without a reaper in the way, a design the engine refuses before simulating gives its charge back
    (through the run's holds, the only path that refunds) and the user sees the reason."""
    from django_tasks import default_task_backend

    from silkbridge.datacenters import services

    user = UserFactory()
    headers = _bearer(user)
    first = _queued(client, settings, headers, 3_000)
    second = _queued(client, settings, headers, 3_000)

    def refused(**kwargs):
        raise services.DesignRejected([{"path": "", "code": "x", "message": "no"}], engine_ran=False)

    monkeypatch.setattr(services, "assessment_evaluate", refused)
    queued = default_task_backend.results[-1]
    queued.task.call(*queued.args, **queued.kwargs)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.status, second.result, second.holds) == ("failed", {"engine_ran": False}, {})
    assert second.error.startswith("The design is not valid.")
    assert first.status == "queued"
    assert _window(user) == (1, 3_000)
    assert Assessment.objects.filter(created_by=user).count() == 0


def test_a_design_refused_after_simulating_keeps_its_charge(client, settings, monkeypatch):
    """The simulation ran (the costly part): the run fails with the reason and the charge stays spent."""
    from django_tasks import default_task_backend

    from silkbridge.datacenters import services

    user = UserFactory()
    run = _queued(client, settings, _bearer(user), 3_000)

    def refused(**kwargs):
        raise services.DesignRejected([{"path": "", "code": "x", "message": "no"}], engine_ran=True)

    monkeypatch.setattr(services, "assessment_evaluate", refused)
    queued = default_task_backend.results[-1]
    queued.task.call(*queued.args, **queued.kwargs)
    run.refresh_from_db()
    assert (run.status, run.result, run.holds) == ("failed", {"engine_ran": True}, {})
    assert _window(user) == (1, 3_000)
