"""Coalesced work asked for again while it runs is done again even when the run fails: a profile saved
while its match refresh failed is refreshed by a fresh run, not left stale until its next save."""

from __future__ import annotations

import pytest

from silkbridge.core.models import Run
from silkbridge.core.runs import RunFailure, run_enqueue_coalesced, run_execute

KEY = "matching.refresh:1"


class Task:
    def __init__(self) -> None:
        self.queued: list[tuple[object, ...]] = []

    def enqueue(self, *args, **kwargs):
        self.queued.append(args)


def _requeue(task):
    return lambda: run_enqueue_coalesced(kind="matching.refresh", key=KEY, task=task)


@pytest.mark.parametrize("error", [RunFailure("the index is being rebuilt"), RuntimeError("a bug")])
@pytest.mark.django_db(transaction=True)
def test_a_refresh_asked_for_while_a_run_fails_is_queued_afresh(error):
    """A save while the refresh runs sets `rerun_requested`; when that run then fails (a RunFailure or an
    error), the failed run hands the request on: a fresh run for the key is queued."""
    task = Task()
    run = run_enqueue_coalesced(kind="matching.refresh", key=KEY, task=task)

    def work(progress):
        assert run_enqueue_coalesced(kind="matching.refresh", key=KEY, task=task) is None  # folded
        assert Run.objects.get(pk=run.pk).rerun_requested
        raise error

    assert run_execute(run.pk, work, requeue=_requeue(task)) is None
    run.refresh_from_db()
    assert (run.status, run.rerun_requested) == ("failed", False)
    fresh = Run.objects.get(exclusive_key=KEY, status__in=["queued", "running"])
    assert (fresh.kind, fresh.status) == ("matching.refresh", "queued")
    assert task.queued == [(run.pk,), (fresh.pk,)]


@pytest.mark.django_db(transaction=True)
def test_a_run_that_fails_without_a_new_request_queues_nothing():
    task = Task()
    run = run_enqueue_coalesced(kind="matching.refresh", key=KEY, task=task)

    def work(progress):
        raise RunFailure("the index is being rebuilt")

    run_execute(run.pk, work, requeue=_requeue(task))
    run.refresh_from_db()
    assert run.status == "failed"
    assert not Run.objects.filter(exclusive_key=KEY, status__in=["queued", "running"]).exists()
    assert task.queued == [(run.pk,)]
