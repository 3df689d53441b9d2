"""MoU endpoints: draft from the clause library, read, save a new version, list versions, compare two
versions clause by clause, comment on clauses, and download any version as DOCX or PDF. An MoU the
caller may not read answers 404, as if it did not exist (selectors/mou.py decides)."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user
from silkbridge.core.schemas import RunOut
from silkbridge.deals import documents
from silkbridge.deals.models import ClauseTemplate, Deal, Mou, MouVersion
from silkbridge.deals.schemas.mou import (
    CommentIn,
    CommentOut,
    DiffOut,
    LibraryClauseOut,
    MouDraftIn,
    MouOut,
    MouSaveIn,
    MouSummaryOut,
    VersionDetailOut,
    VersionOut,
)
from silkbridge.deals.selectors import mou as selectors
from silkbridge.deals.services import mou as services

router = Router(tags=["deals"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _binary(content_type: str, description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def _mou(request: HttpRequest, reference: str) -> Mou:
    try:
        return selectors.mou_get(viewer=auth_user(request), reference=reference)
    except Mou.DoesNotExist as error:
        raise Http404(_("No such MoU.")) from error


def _version(request: HttpRequest, mou: Mou, number: int) -> MouVersion:
    try:
        return selectors.mou_version_get(viewer=auth_user(request), mou=mou, number=number)
    except MouVersion.DoesNotExist as error:
        raise Http404(_("This MoU has no version %(number)s.") % {"number": number}) from error


def _fresh(request: HttpRequest, reference: str) -> Mou:
    return _mou(request, reference)


@router.get(
    "/deals/clauses",
    response={200: list[LibraryClauseOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The clause library: model clauses in English, Chinese and Urdu (not legal advice)",
)
def clause_library(request: HttpRequest) -> QuerySet[ClauseTemplate]:
    return selectors.library_clauses()


@router.get(
    "/deals/mous",
    response={200: list[MouSummaryOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="MoUs of the deals the caller's organisations take part in (staff: all)",
)
@paginate(PagePagination)
def mou_list(request: HttpRequest) -> QuerySet[Mou]:
    return selectors.mous_visible(viewer=auth_user(request))


@router.post(
    "/deals/mous",
    response={201: MouOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Draft an MoU for a deal from the clause library (version 1)",
)
def mou_draft(request: HttpRequest, payload: MouDraftIn) -> Status:
    try:
        deal = selectors.deal_for_drafting(viewer=auth_user(request), reference=payload.deal)
    except Deal.DoesNotExist as error:
        raise Http404(_("No such deal.")) from error
    mou = services.mou_draft(
        actor=auth_user(request),
        deal=deal,
        second_language=payload.second_language,
        counterpart=payload.counterpart,
        title=payload.title,
        clause_keys=payload.clause_keys,
        duration_years=payload.duration_years,
    )
    return Status(201, _fresh(request, mou.reference))


@router.get("/deals/mous/{reference}", response={200: MouOut, **ERRORS}, auth=AUTH_REQUIRED, summary="One MoU")
def mou_detail(request: HttpRequest, reference: str) -> Mou:
    return _mou(request, reference)


@router.get(
    "/deals/mous/{reference}/versions",
    response={200: list[VersionOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Every saved version of an MoU, newest first",
)
def mou_version_list(request: HttpRequest, reference: str) -> QuerySet[MouVersion]:
    return selectors.mou_versions(viewer=auth_user(request), mou=_mou(request, reference))


@router.post(
    "/deals/mous/{reference}/versions",
    response={201: VersionDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Save the MoU's clauses as a new version (while it is being drafted)",
)
def mou_save(request: HttpRequest, reference: str, payload: MouSaveIn) -> Status:
    version = services.mou_save(
        actor=auth_user(request),
        mou=_mou(request, reference),
        clauses=[clause.dict() for clause in payload.clauses],
        note=payload.note,
        base_version=payload.base_version,
    )
    return Status(201, version)


@router.get(
    "/deals/mous/{reference}/versions/{number}",
    response={200: VersionDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="One saved version with its clauses",
)
def mou_version_detail(request: HttpRequest, reference: str, number: int) -> MouVersion:
    return _version(request, _mou(request, reference), number)


class DiffQuery(Schema):
    from_number: int = 1
    to_number: int = 1


@router.get(
    "/deals/mous/{reference}/diff",
    response={200: DiffOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Clause by clause, what changed between two versions (added, removed, changed, same)",
)
def mou_diff(request: HttpRequest, reference: str, query: Query[DiffQuery]) -> dict[str, Any]:
    mou = _mou(request, reference)
    try:
        changes = selectors.mou_diff(
            viewer=auth_user(request), mou=mou, from_number=query.from_number, to_number=query.to_number
        )
    except MouVersion.DoesNotExist as error:
        raise Http404(_("This MoU has no such version.")) from error
    return {"from_number": query.from_number, "to_number": query.to_number, "clauses": changes}


@router.get(
    "/deals/mous/{reference}/comments",
    response={200: list[CommentOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Comments on the MoU's clauses, oldest first",
)
def mou_comment_list(request: HttpRequest, reference: str) -> QuerySet[Any]:
    return selectors.mou_comments(viewer=auth_user(request), mou=_mou(request, reference))


@router.post(
    "/deals/mous/{reference}/comments",
    response={201: CommentOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Comment on one clause of the current version (members of the deal's organisations, staff)",
)
def mou_comment(request: HttpRequest, reference: str, payload: CommentIn) -> Status:
    comment = services.clause_comment(
        actor=auth_user(request), mou=_mou(request, reference), clause_key=payload.clause_key, text=payload.text
    )
    return Status(201, comment)


@router.get(
    "/deals/mous/{reference}/versions/{number}/docx",
    response={**ERRORS},
    auth=AUTH_REQUIRED,
    summary="One version as a Word document (English and the second language side by side)",
    openapi_extra=_binary(DOCX_TYPE, "The DOCX file"),
)
def mou_docx(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    mou = _mou(request, reference)
    content = documents.mou_docx(mou=mou, version=_version(request, mou, number))
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mou-{mou.reference}-v{number}.docx"'
    return response


@router.post(
    "/deals/mous/{reference}/versions/{number}/pdf",
    response={202: RunOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Have one version made as PDF by a background run",
    description=(
        "Answers 202 with the background run (kind `deals.mou_pdf`); poll `GET /api/v1/runs/{id}` until it has "
        "succeeded, then download the PDF with `GET` on this address (or the page address in the run's `result.url`). "
        "A PDF of the same version already being made answers 422 (follow that run)."
    ),
)
def mou_pdf_make(request: HttpRequest, reference: str, number: int) -> Status:
    mou = _mou(request, reference)
    _version(request, mou, number)
    return Status(202, services.mou_pdf_start(actor=auth_user(request), mou=mou, number=number))


@router.get(
    "/deals/mous/{reference}/versions/{number}/pdf",
    response={**ERRORS},
    auth=AUTH_REQUIRED,
    summary="The PDF of one version made last (both texts side by side, version and page on every page)",
    description="404 until a PDF of the version has been made (`POST` on this address).",
    openapi_extra=_binary("application/pdf", "The PDF file"),
)
def mou_pdf(request: HttpRequest, reference: str, number: int) -> Any:
    mou = _mou(request, reference)
    _version(request, mou, number)
    run = selectors.pdf_made(mou=mou, number=number)
    if run is None or not default_storage.exists(run.result["file"]):
        raise Http404(_("No PDF of this version has been made yet; POST to this address to make one."))
    return FileResponse(
        default_storage.open(run.result["file"], "rb"),
        as_attachment=True,
        filename=f"mou-{mou.reference}-v{number}.pdf",
        content_type="application/pdf",
    )
