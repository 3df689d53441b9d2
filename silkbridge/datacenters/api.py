"""Data-center assessment endpoints: assess a design (stored or dry run), validate, list, read, delete."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.core.api_support import ErrorItem, ErrorOut, PagePagination, auth_user
from silkbridge.core.schemas import RunOut
from silkbridge.datacenters import report, selectors, services
from silkbridge.datacenters.engine.parse import design_load
from silkbridge.datacenters.models import Assessment
from silkbridge.datacenters.schemas import AssessmentDetailOut, AssessmentIn, AssessmentOut, ValidateIn, ValidationOut

router = Router(tags=["datacenters"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Assessing is metered: 429 when the caller's hourly budget of assessments or simulated years is spent.
CREATE_ERRORS: dict[int, type] = {**ERRORS, 429: ErrorOut}


def _rejected(error: services.DesignRejected) -> Status:
    errors = [
        ErrorItem(field=issue["path"] or "design", message=issue["message"])
        for issue in report.describe_issues(error.issues)
    ]
    return Status(422, ErrorOut(code="invalid_design", message=_("The design is not valid."), errors=errors))


def _start(request: HttpRequest, design: services.UploadedText, weather: Any, years: int, seed: int) -> Status:
    try:
        run = services.assessment_start(
            actor=auth_user(request), design=design, weather=weather, years=years, seed=seed
        )
    except services.DesignRejected as error:
        return _rejected(error)
    return Status(202, run)


@router.post(
    "/datacenters/assessments",
    response={202: RunOut, **CREATE_ERRORS},
    auth=AUTH_REQUIRED,
    summary="Assess a design in a worker and store the assessment",
)
def assessment_create(request: HttpRequest, payload: AssessmentIn) -> Status:
    """Checks the design at once: an invalid one answers 422 with every error, each naming its place in
    the document, and nothing is stored or queued. A valid one answers 202 with the background run
    (kind `datacenters.assessment`) that runs the Tier classification, the availability model and the
    energy estimate; poll `GET /api/v1/runs/{id}` until it has succeeded: its `result` holds the stored
    assessment's `reference` (read it at `/api/v1/datacenters/assessments/{reference}`).
    `years` is capped per request (SILKBRIDGE_DATACENTER_MAX_YEARS, 200,000 by default), and each user
    has an hourly budget of assessments and simulated years: past it, 429 with `Retry-After`."""
    design = services.UploadedText(name=payload.file_name, content=payload.design.encode("utf-8"))
    return _start(request, design, None, payload.years, payload.seed)


@router.post(
    "/datacenters/assessments/upload",
    response={202: RunOut, **CREATE_ERRORS},
    auth=AUTH_REQUIRED,
    summary="Assess an uploaded design file (with an optional EPW weather file) in a worker",
)
def assessment_upload(
    request: HttpRequest,
    design: File[UploadedFile],
    weather: File[UploadedFile | None] = None,
    years: Form[int] = 100_000,
    seed: Form[int] = 1,
) -> Status:
    design_upload = services.UploadedText.read(
        design, limit=settings.DATACENTER_DESIGN_MAX_BYTES, default_name="design.yaml"
    )
    weather_upload = None
    if weather is not None:
        weather_upload = services.UploadedText.read(
            weather, limit=settings.DATACENTER_EPW_MAX_BYTES, default_name="weather.epw"
        )
    return _start(request, design_upload, weather_upload, years, seed)


@router.post(
    "/datacenters/validate",
    response={200: ValidationOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Check a design document without assessing it",
)
def design_validate(request: HttpRequest, payload: ValidateIn) -> dict[str, Any]:
    parsed = design_load(payload.design)

    def issues(items: list[Any]) -> list[dict[str, str]]:
        described = report.describe_issues(
            [{"path": item.path, "code": item.code, "params": item.params, "message": item.message} for item in items]
        )
        return [{**entry, "code": item.code} for entry, item in zip(described, items, strict=True)]

    return {"valid": not parsed.errors, "errors": issues(parsed.errors), "warnings": issues(parsed.warnings)}


@router.get(
    "/datacenters/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Assessments the caller may see",
)
@paginate(PagePagination)
def assessment_list(request: HttpRequest) -> QuerySet[Assessment]:
    """Your own assessments; reviewers and staff see all."""
    return selectors.assessment_list(viewer=auth_user(request))


def _visible(request: HttpRequest, reference: str) -> Assessment:
    try:
        return selectors.assessment_get(viewer=auth_user(request), reference=reference)
    except Assessment.DoesNotExist as error:
        raise Http404(_("No such assessment.")) from error


@router.get(
    "/datacenters/assessments/{reference}",
    response={200: AssessmentDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="One assessment with its whole result",
)
def assessment_detail(request: HttpRequest, reference: str) -> Assessment:
    return _visible(request, reference)


@router.delete(
    "/datacenters/assessments/{reference}",
    response={204: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Delete an assessment (its uploader or staff)",
)
def assessment_delete(request: HttpRequest, reference: str) -> Status:
    services.assessment_delete(actor=auth_user(request), assessment=_visible(request, reference))
    return Status(204, None)
