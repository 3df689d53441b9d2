"""Background tasks of deals: a proposal's data-center design is assessed in a worker, never in a request."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from silkbridge.core.runs import Progress, RunFailure, run_execute


@task()
def design_assessment_task(run_id: int, *, proposal_id: int, **upload: Any) -> Any:
    """The datacenters assessment of a submitted proposal's design; when it has stored the assessment,
    the proposal is linked to it (with its design_assessed history row)."""
    from silkbridge.core.models import Run
    from silkbridge.datacenters import services as datacenters
    from silkbridge.deals.services.proposals import proposal_design_link

    def work(progress: Progress) -> dict[str, Any]:
        actor = Run.objects.select_related("created_by").get(pk=run_id).created_by
        if actor is None:
            raise RunFailure(_("The account that started the run no longer exists."))
        result = datacenters.assessment_run_execute(actor=actor, run_id=run_id, progress=progress, **upload)
        proposal_design_link(proposal_id=proposal_id, reference=result["reference"], actor=actor)
        return result

    return run_execute(run_id, work)


@task()
def mou_pdf_task(run_id: int, *, mou_id: int, number: int) -> Any:
    """Render one version of an MoU as PDF (seconds for a long bilingual text) and store it; the run's
    result links to the file."""
    from silkbridge.deals.services.mou import mou_pdf_render

    def work(progress: Progress) -> dict[str, Any]:
        return mou_pdf_render(run_id=run_id, mou_id=mou_id, number=number, progress=progress)

    return run_execute(run_id, work)


@task()
def mou_sign_task(run_id: int, *, mou_id: int) -> Any:
    """Sign an MoU: render the final PDF, seal it with the platform's key, store it and freeze the MoU.
    A refusal (the MoU changed, no sealing key, no PDF output) ends the run failed with its message, and
    the MoU stays unsigned, ready to be signed again."""
    from silkbridge.deals.services.routing import mou_sign_run

    def work(progress: Progress) -> dict[str, Any]:
        return mou_sign_run(run_id=run_id, mou_id=mou_id, progress=progress)

    return run_execute(run_id, work)
