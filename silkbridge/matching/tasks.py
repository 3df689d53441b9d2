"""Background tasks of matching (Django's task framework; run in-process by the embedded default)."""

from __future__ import annotations

from django_tasks import task

from silkbridge.matching import services


@task()
def refresh_matches(opportunity_id: int) -> dict[str, int]:
    return services.refresh(opportunity_id)


@task()
def rebuild_matches() -> dict[str, int]:
    return services.rebuild()
