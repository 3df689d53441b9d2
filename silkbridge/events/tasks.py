"""Background tasks of events: the scheduler runs in a worker, never in a request."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from silkbridge.core.runs import Progress, run_execute


@task()
def schedule_run_task(run_id: int) -> Any:
    from silkbridge.events import services
    from silkbridge.events.models import ScheduleRun

    def work(progress: Progress) -> dict[str, Any]:
        schedule_run = ScheduleRun.objects.select_related("event").get(run_id=run_id)
        return services.schedule_run_execute(schedule_run=schedule_run, progress=progress)

    return run_execute(run_id, work)
