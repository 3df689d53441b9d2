"""The background run resource: poll it after an endpoint answered 202."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from silkbridge.core import selectors
from silkbridge.core.api_support import ErrorOut, auth_user
from silkbridge.core.models import Run
from silkbridge.core.schemas import RunOut

router = Router(tags=["runs"])


@router.get(
    "/runs/{run_id}",
    response={200: RunOut, 404: ErrorOut, 422: ErrorOut},
    summary="A background run: its status, progress and result",
)
def run_detail(request: HttpRequest, run_id: int) -> Run:
    """Endpoints that start long work (a scheduler run, an assessment, an import) answer 202 with this
    resource; poll it until `status` is `succeeded` (read `result`) or `failed` (read `error`). Only
    the user who started the run and staff can read it; anyone else gets 404."""
    try:
        return selectors.run_get(viewer=auth_user(request), run_id=run_id)
    except Run.DoesNotExist as error:
        raise Http404(_("No such run.")) from error
