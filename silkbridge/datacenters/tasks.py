"""Background tasks of data centres: the Monte Carlo assessment runs in a worker, never in a request."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from silkbridge.core.runs import Progress, RunFailure, run_execute


@task()
def assessment_task(run_id: int, **upload: Any) -> Any:
    from silkbridge.core.models import Run
    from silkbridge.datacenters import services

    def work(progress: Progress) -> dict[str, Any]:
        actor = Run.objects.select_related("created_by").get(pk=run_id).created_by
        if actor is None:
            raise RunFailure(_("The account that started the run no longer exists."))
        return services.assessment_run_execute(actor=actor, run_id=run_id, progress=progress, **upload)

    return run_execute(run_id, work)
