"""The deals API: an MoU's approval route, its signatories, signing, the sealed PDF, and the public
verification of a sealed PDF. An MoU the caller may not see answers 404, as if it did not exist."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from silkbridge.accounts.api_auth import AUTH_OPTIONAL, AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, auth_user
from silkbridge.core.schemas import RunOut
from silkbridge.deals import seal
from silkbridge.deals.models import Mou
from silkbridge.deals.schemas.routing import (
    RouteOut,
    SignatoryIn,
    SignatoryOut,
    StepActionIn,
    VerificationOut,
)
from silkbridge.deals.selectors import routing as selectors
from silkbridge.deals.services import routing as services

router = Router(tags=["deals"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _mou(request: HttpRequest, reference: str) -> Mou:
    try:
        return selectors.mou_route_get(viewer=auth_user(request), reference=reference)
    except Mou.DoesNotExist as error:
        raise Http404(_("No such MoU.")) from error


def _route(request: HttpRequest, mou: Mou) -> dict[str, Any]:
    steps = list(selectors.route_steps(mou=mou))
    current = next((step for step in steps if step.status == "current"), None)
    return {
        "reference": mou.reference,
        "title": mou.title,
        "status": mou.status,
        "version": mou.version,
        "counterpart": mou.counterpart,
        "route": mou.route.name if mou.route else None,
        "current_office": str(current.name) if current else None,
        "steps": steps,
        "history": list(selectors.route_history(mou=mou)),
        "can_act": selectors.can_route(user=auth_user(request), mou=mou),
    }


def _fresh(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _route(request, _mou(request, reference))


@router.get(
    "/deals/mous/{reference}/route",
    response={200: RouteOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="An MoU's approval route: its offices, the current one, who acted when, and the returns",
)
def route_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _fresh(request, reference)


@router.post(
    "/deals/mous/{reference}/route/send",
    response={200: RouteOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Send a draft on its route (after a return, it resumes at the office that returned it)",
)
def route_send(request: HttpRequest, reference: str) -> dict[str, Any]:
    services.mou_send(actor=auth_user(request), mou=_mou(request, reference))
    return _fresh(request, reference)


@router.post(
    "/deals/mous/{reference}/route/approve",
    response={200: RouteOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The current office approves (after the last one, the MoU is cleared for signature)",
)
def route_approve(request: HttpRequest, reference: str, payload: StepActionIn) -> dict[str, Any]:
    services.route_step_approve(actor=auth_user(request), mou=_mou(request, reference), note=payload.note)
    return _fresh(request, reference)


@router.post(
    "/deals/mous/{reference}/route/return",
    response={200: RouteOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The current office returns the draft with a note (the MoU goes back to drafting)",
)
def route_return(request: HttpRequest, reference: str, payload: StepActionIn) -> dict[str, Any]:
    services.route_step_return(actor=auth_user(request), mou=_mou(request, reference), note=payload.note)
    return _fresh(request, reference)


@router.get(
    "/deals/mous/{reference}/signatories",
    response={200: list[SignatoryOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Who signed the MoU for each side",
)
def signatory_list(request: HttpRequest, reference: str) -> Any:
    return list(selectors.signatories(mou=_mou(request, reference)))


@router.post(
    "/deals/mous/{reference}/signatories",
    response={201: SignatoryOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Record a signatory (name, title, organisation, date, place) of an MoU cleared for signature",
)
def signatory_create(request: HttpRequest, reference: str, payload: SignatoryIn) -> Status:
    signatory = services.signatory_add(actor=auth_user(request), mou=_mou(request, reference), **payload.dict())
    return Status(201, signatory)


@router.post(
    "/deals/mous/{reference}/sign",
    response={202: RunOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Sign: a background run renders the final PDF, seals it with the platform's key and freezes the MoU",
    description=(
        "Needs the MoU cleared by its route and at least two signatories (refused with 422 otherwise, and nothing "
        "is queued). Answers 202 with the background run (kind `deals.mou_sign`): poll `GET /api/v1/runs/{id}` "
        "until it has succeeded (its `result` holds `sealed_sha256`, `sealed_at` and the MoU's page `url`; the "
        "sealed PDF is then at `/api/v1/deals/mous/{reference}/sealed.pdf`) or failed (its `error` says why; the "
        "MoU stays unsigned and can be signed again). A signed MoU can no longer change."
    ),
)
def mou_sign(request: HttpRequest, reference: str) -> Status:
    return Status(202, services.mou_sign_start(actor=auth_user(request), mou=_mou(request, reference)))


@router.get(
    "/deals/mous/{reference}/sealed.pdf",
    response={200: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The sealed PDF of a signed MoU (members of its parties and platform staff)",
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}, "description": "The sealed PDF"}}},
)
def mou_sealed_pdf(request: HttpRequest, reference: str) -> FileResponse:
    mou = _mou(request, reference)
    if not mou.sealed_pdf:
        raise Http404(_("This MoU has not been signed and sealed yet."))
    return FileResponse(
        mou.sealed_pdf.open("rb"),
        as_attachment=True,
        filename=f"mou-{mou.reference}-v{mou.version}-sealed.pdf",
        content_type="application/pdf",
    )


@router.post(
    "/deals/verify",
    response={200: VerificationOut, **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="Verify a PDF: is it an unaltered copy of an MoU sealed by this platform?",
    description=(
        "Multipart upload of `file`. Answers which MoU, version and when it was sealed for an unaltered sealed "
        "copy; `altered` when the seal no longer covers the file as it is; `not_sealed` for any other PDF. "
        "A file that is not a PDF, or larger than SILKBRIDGE_MOU_VERIFY_MAX_BYTES, is refused with 422."
    ),
)
def verify(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    return selectors.pdf_verify(content=seal.upload_content(file))
