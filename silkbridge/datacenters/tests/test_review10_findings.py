"""Review of w-review10: run holds given back by the reaper while the worker still does the work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.core.models import Run
from silkbridge.core.runs import runs_reap, stale_after
from silkbridge.datacenters.models import Assessment
from silkbridge.datacenters.tests.test_cost_limits import _bearer, _queued, _small_limits, _window  # noqa: F401

pytestmark = pytest.mark.django_db


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


def test_a_reaped_assessment_that_then_succeeds_keeps_its_result_but_was_refunded(client, settings, monkeypatch):
    user = UserFactory()
    run = _queued(client, settings, _bearer(user), 5_000)
    assert _window(user) == (1, 5_000)

    _work_queued_run(run, monkeypatch, after_reap=lambda real, kwargs: real(**kwargs))

    assert run.status == "succeeded"  # the worker's outcome overwrites the reaper's verdict
    assert Assessment.objects.filter(created_by=user).count() == 1
    # The charge was given back by the reaper, yet the user got the assessment: it should still count.
    assert _window(user) == (1, 5_000), "a reaped run that then succeeded was refunded: a free assessment"


# A worker runs in autocommit (no outer transaction, so no savepoint around the work): as here.
@pytest.mark.django_db(transaction=True)
def test_a_reaped_assessment_whose_design_is_then_refused_is_refunded_twice(client, settings, monkeypatch):
    from silkbridge.datacenters.services import DesignRejected

    user = UserFactory()
    headers = _bearer(user)
    first = _queued(client, settings, headers, 3_000)
    second = _queued(client, settings, headers, 3_000)  # another charge in the same window
    assert _window(user) == (2, 6_000)

    def refused(real, kwargs):
        raise DesignRejected([{"path": "", "message": "no"}], engine_ran=False)

    _work_queued_run(second, monkeypatch, after_reap=refused)
    assert second.status == "failed"
    first.refresh_from_db()
    assert first.status == "queued"  # still holds its charge
    # One refund is right (the run did nothing); the second one takes back the other run's charge.
    assert _window(user) == (1, 3_000), "refunded by the reaper's release and again by _assess_and_store"
