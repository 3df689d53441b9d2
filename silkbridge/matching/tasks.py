"""Background tasks of matching (Django's task framework). The match index and the embedding model
live only here, in the worker that runs them (see `services.in_worker`)."""

from __future__ import annotations

from django_tasks import task

from silkbridge.matching import services


@task()
def refresh_matches(opportunity_id: int) -> dict[str, int]:
    with services.in_worker():
        return services.refresh(opportunity_id)


@task()
def rebuild_matches() -> dict[str, int]:
    with services.in_worker():
        return services.rebuild()
