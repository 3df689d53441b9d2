"""Review of w-review10: the mail maker indirection, coalesced reruns."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_the_mail_task_imports_any_module_named_in_its_arguments():
    """`mail_make_send(maker=...)` imports the module of whatever path the task row names before it checks
    the mark: a task row (or a future caller passing user input) makes the worker import arbitrary modules."""
    import sys

    from silkbridge.core.mail import mail_make_send

    sys.modules.pop("this", None)
    with pytest.raises(ValueError, match="not marked @mail_message"):
        mail_make_send.call(maker="this.s", arguments={})
    assert "this" not in sys.modules, "the worker imported (and ran) the module `this` to look up the maker"


@pytest.mark.django_db(transaction=True)
def test_a_refresh_asked_for_while_a_run_fails_is_lost():
    """A save while the refresh runs sets `rerun_requested`; when that run then fails (a RunFailure or
    an error), the request is dropped: nothing is queued for the change, and the profile's matches stay
    stale until the next save."""
    from silkbridge.core.models import Run
    from silkbridge.core.runs import RunFailure, run_enqueue_coalesced, run_execute

    queued = []

    class Task:
        def enqueue(self, *args, **kwargs):
            queued.append(args)

    key = "matching.refresh:1"
    run = run_enqueue_coalesced(kind="matching.refresh", key=key, task=Task())

    def work(progress):
        assert run_enqueue_coalesced(kind="matching.refresh", key=key, task=Task()) is None  # folded
        assert Run.objects.get(pk=run.pk).rerun_requested
        raise RunFailure("the index is being rebuilt")

    run_execute(run.pk, work)
    assert Run.objects.get(pk=run.pk).status == "failed"
    active = Run.objects.filter(exclusive_key=key, status__in=["queued", "running"])
    assert active.exists() or len(queued) > 1, "the change saved during the failed run is never refreshed"
