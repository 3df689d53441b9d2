"""Background tasks of analytics: the monthly PDF report is made in a worker, never in a request."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from silkbridge.core.runs import Progress, run_execute


@task()
def monthly_report_task(run_id: int, *, month: str, language: str) -> Any:
    """Render one month's report in one language and store it; the run's result links to the file."""
    from silkbridge.analytics.report_runs import report_render

    def work(progress: Progress) -> dict[str, Any]:
        return report_render(run_id=run_id, month=month, language=language, progress=progress)

    return run_execute(run_id, work)


@task()
def summary_refresh_task(run_id: int) -> Any:
    """Rebuild the figures' summary (analytics.summary) and make it the current one."""
    from silkbridge.analytics.summary import summary_refresh_run

    return run_execute(run_id, summary_refresh_run)
