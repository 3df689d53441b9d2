"""Background tasks of matching (Django's task framework, run by `silkbridge db_worker`), each with its
run row. The match index and the embedding model live only here, in the worker that runs them (see
`services.in_worker`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_tasks import task

from silkbridge.core.runs import Progress, run_execute
from silkbridge.matching import services


@task()
def refresh_matches(run_id: int, opportunity_id: int) -> Any:
    """Recompute what a change to one profile can alter (kind "matching.refresh"). A save made while it
    ran is refreshed by a fresh run if this one fails."""

    def work(progress: Progress) -> dict[str, Any]:
        with services.in_worker():
            result: dict[str, Any] = dict(services.refresh(opportunity_id))
        return {**result, "url": reverse("matching:profile_matches", kwargs={"pk": opportunity_id})}

    return run_execute(run_id, work, requeue=lambda: services.refresh_after_commit(opportunity_id))


@task()
def rebuild_matches(run_id: int) -> Any:
    """Recompute every live profile's matches (kind "matching.rebuild"), after a rate changed."""

    def work(progress: Progress) -> dict[str, Any]:
        with services.in_worker():
            result: dict[str, Any] = dict(services.rebuild(progress=progress))
        return {**result, "url": reverse("matching:staff_matches")}

    return run_execute(run_id, work)
