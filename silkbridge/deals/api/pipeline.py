"""The deals API (pipeline): list, read, start, edit, move, next step, parties, history. A deal the caller
may not see answers 404, as if it did not exist; the rules are the services' (deals.services.pipeline)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user, filterset_qs
from silkbridge.core.schemas import HistoryEntryOut
from silkbridge.core.selectors import history_entries
from silkbridge.deals.filtersets import DealFilterSet
from silkbridge.deals.models import Deal, DealDocument
from silkbridge.deals.schemas.pipeline import (
    CaseOpenIn,
    DealDocumentOut,
    DealFilters,
    DealNextStepIn,
    DealOut,
    DealPartyIn,
    DealStageIn,
    DealStartIn,
    DealUpdateIn,
    RequestRemoveIn,
    RequestRemoveOut,
)
from silkbridge.deals.selectors import cases as case_selectors
from silkbridge.deals.selectors import pipeline as selectors
from silkbridge.deals.services import cases as case_services
from silkbridge.deals.services import pipeline as services
from silkbridge.directory.models import Organisation, Sector
from silkbridge.zones.models import RelocationRequest

router = Router(tags=["deals"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _deal(request: HttpRequest, reference: str) -> Deal:
    try:
        return selectors.deal_get(viewer=auth_user(request), reference=reference)
    except Deal.DoesNotExist as error:
        raise Http404(_("No such deal.")) from error


def _organisations(keys: list[str]) -> list[Organisation]:
    found = {organisation.key: organisation for organisation in Organisation.objects.filter(key__in=keys)}
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise ValidationError(
            {"organisations": _("Unknown organisation key: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    return [found[key] for key in dict.fromkeys(keys)]


def _sector(code: str | None) -> Sector | None:
    if not code:
        return None
    sector = Sector.objects.filter(code=code).first()
    if sector is None:
        raise ValidationError({"sector": _("Unknown sector code: %(codes)s.") % {"codes": code}})
    return sector


@router.get(
    "/deals",
    response={200: list[DealOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Deals the caller may see: every deal for staff, else the deals of the caller's organisations; "
    "deals only unless `track` asks for relocation cases (relocation) or both (all)",
)
@paginate(PagePagination)
def deal_list(request: HttpRequest, filters: Query[DealFilters]) -> QuerySet[Deal]:
    data = filters.dict(exclude_none=True)
    if "country" in data:
        data["country"] = data["country"].upper()
    filterset = DealFilterSet(data, queryset=selectors.deals_visible(viewer=auth_user(request)))
    return filterset_qs(filterset).order_by("-updated_at", "-pk")


@router.post(
    "/deals",
    response={201: DealOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Start a deal from an accepted interest, a meeting rated “cooperation possible”, a proposal, or by hand",
)
def deal_create(request: HttpRequest, payload: DealStartIn) -> Status:
    user = auth_user(request)
    lead: dict[str, Any] = {}
    if payload.interest is not None:
        lead["interest"] = selectors.lead_interest(viewer=user, interest_id=payload.interest)
    if payload.meeting is not None:
        lead["meeting"] = selectors.lead_meeting(viewer=user, meeting_id=payload.meeting)
    if payload.proposal:
        lead["proposal"] = selectors.lead_proposal(viewer=user, reference=payload.proposal)
    deal = services.deal_start(
        actor=user,
        title=payload.title,
        subject=payload.subject,
        origin=payload.origin,
        organisations=_organisations(payload.organisations),
        sector=_sector(payload.sector),
        amount=payload.amount,
        currency=payload.currency,
        description=payload.description,
        **lead,
    )
    return Status(201, _deal(request, deal.reference))


@router.post(
    "/deals/cases",
    response={201: DealOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Take a relocation request up for a zone it is shared with: a relocation case at the inquiry stage "
    "(staff and the zone's members)",
)
def case_open(request: HttpRequest, payload: CaseOpenIn) -> Status:
    user = auth_user(request)
    try:
        relocation_request = case_selectors.request_for_case(viewer=user, pk=payload.relocation_request)
    except RelocationRequest.DoesNotExist as error:
        raise Http404(_("No such relocation request.")) from error
    zone = case_selectors.zone_filter(value=payload.zone)
    if zone is None:
        raise ValidationError({"zone": _("Choose one of the zones the request is shared with.")})
    case = case_services.relocation_case_open(actor=user, relocation_request=relocation_request, zone=zone)
    return Status(201, _deal(request, case.reference))


@router.post(
    "/deals/cases/requests/{pk}/remove",
    response={200: RequestRemoveOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Delete a relocation request no zone has taken up, or withdraw one with a case (its cases move to "
    "withdrawn with the reason and are kept): the company's members and staff",
)
def request_remove(request: HttpRequest, pk: int, payload: RequestRemoveIn) -> dict[str, Any]:
    user = auth_user(request)
    try:
        relocation_request = case_selectors.request_for_case(viewer=user, pk=pk)
        withdrawn = case_services.relocation_request_remove(
            actor=user, relocation_request=relocation_request, reason=payload.reason
        )
    except RelocationRequest.DoesNotExist as error:
        raise Http404(_("No such relocation request.")) from error
    outcome = case_services.REMOVE_WITHDRAWN if withdrawn else case_services.REMOVE_DELETED
    return {"outcome": outcome, "cases": [case.reference for case in withdrawn]}


@router.get("/deals/{reference}", response={200: DealOut, **ERRORS}, auth=AUTH_REQUIRED, summary="One deal")
def deal_detail(request: HttpRequest, reference: str) -> Deal:
    return _deal(request, reference)


@router.patch(
    "/deals/{reference}",
    response={200: DealOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Edit a deal's title, description, sector, amount or owner (staff and the deal's owner)",
)
def deal_update(request: HttpRequest, reference: str, payload: DealUpdateIn) -> Deal:
    deal = _deal(request, reference)
    fields: dict[str, Any] = payload.dict(exclude_unset=True)
    if "sector" in fields:
        fields["sector"] = _sector(fields["sector"])
    if "currency" in fields:
        fields["currency"] = fields["currency"] or ""
    if "owner" in fields:
        owner_id = fields["owner"]
        owner = selectors.staff_users().filter(pk=owner_id).first() if owner_id else None
        if owner_id and owner is None:
            raise ValidationError({"owner": _("A deal's owner must be an active member of staff.")})
        fields["owner"] = owner
    services.deal_update(actor=auth_user(request), deal=deal, fields=fields)
    return _deal(request, reference)


@router.post(
    "/deals/{reference}/stage",
    response={200: DealOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Move a deal to another stage (staff and the deal's owner); a reason for declined, withdrawn, stalled",
)
def deal_stage(request: HttpRequest, reference: str, payload: DealStageIn) -> Deal:
    services.deal_stage_set(
        actor=auth_user(request), deal=_deal(request, reference), stage=str(payload.stage), note=payload.note
    )
    return _deal(request, reference)


@router.post(
    "/deals/{reference}/next-step",
    response={200: DealOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Set the next step and its date (staff, the deal's owner and the parties' members)",
)
def deal_next_step(request: HttpRequest, reference: str, payload: DealNextStepIn) -> Deal:
    services.deal_next_step_set(
        actor=auth_user(request),
        deal=_deal(request, reference),
        next_step=payload.next_step,
        due_on=payload.due_on,
        note=payload.note,
    )
    return _deal(request, reference)


@router.post(
    "/deals/{reference}/parties",
    response={200: DealOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Add an organisation to a deal (staff and the deal's owner)",
)
def deal_party_add(request: HttpRequest, reference: str, payload: DealPartyIn) -> Deal:
    deal = _deal(request, reference)
    (organisation,) = _organisations([payload.organisation])
    services.deal_party_add(actor=auth_user(request), deal=deal, organisation=organisation, role=payload.role)
    return _deal(request, reference)


@router.delete(
    "/deals/{reference}/parties/{key}",
    response={204: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Remove an organisation from a deal (staff and the deal's owner); a deal keeps two at least",
)
def deal_party_remove(request: HttpRequest, reference: str, key: str) -> Status:
    deal = _deal(request, reference)
    party = next((party for party in deal.parties.all() if party.organisation.key == key), None)
    if party is None:
        raise Http404(_("No such organisation in this deal."))
    services.deal_party_remove(actor=auth_user(request), deal=deal, organisation=party.organisation)
    return Status(204, None)


@router.get(
    "/deals/{reference}/history",
    response={200: list[HistoryEntryOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="A deal's history, newest first: who, when, from → to, note",
)
@paginate(PagePagination)
def deal_history(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    """Each row as `core.selectors.history_entries` shows it (the authors' e-mail addresses to staff
    only); a stage change's `changes.stage` is [from, to] and its note is in `changes.note`."""
    user = auth_user(request)
    rows = list(selectors.deal_history(viewer=user, deal=_deal(request, reference)))
    entries = history_entries(viewer=user, rows=rows)
    for entry, row in zip(entries, rows, strict=True):
        if row.note:
            entry["changes"] = {**entry["changes"], "note": row.note}
    return entries


def document_download(document: DealDocument) -> FileResponse:
    """A deal's document as a download that no browser renders in place (pages and API alike)."""
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _document(request: HttpRequest, deal: Deal, document_id: int) -> DealDocument:
    try:
        return selectors.deal_document_get(viewer=auth_user(request), deal=deal, document_id=document_id)
    except DealDocument.DoesNotExist as error:
        raise Http404(_("No such document.")) from error


@router.get(
    "/deals/{reference}/documents",
    response={200: list[DealDocumentOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="A deal's or relocation case's documents (whoever sees the deal)",
)
def deal_document_list(request: HttpRequest, reference: str) -> list[DealDocument]:
    return list(selectors.deal_documents(viewer=auth_user(request), deal=_deal(request, reference)))


@router.post(
    "/deals/{reference}/documents",
    response={201: DealDocumentOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Add a document (PDF, DOCX, XLSX, PNG, JPEG; its type read from its content) to a deal or case "
    "(staff, the deal's owner and its parties' members)",
)
def deal_document_add(request: HttpRequest, reference: str, file: File[UploadedFile]) -> Status:
    deal = _deal(request, reference)
    document = services.deal_document_add(actor=auth_user(request), deal=deal, upload=file)
    return Status(201, _document(request, deal, document.pk))


@router.get(
    "/deals/{reference}/documents/{document_id}",
    response={200: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Download a deal's document (as an attachment)",
)
def deal_document_download(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    return document_download(_document(request, _deal(request, reference), document_id))


@router.delete(
    "/deals/{reference}/documents/{document_id}",
    response={204: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Remove a document (staff, the deal's owner, or whoever added it)",
)
def deal_document_remove(request: HttpRequest, reference: str, document_id: int) -> Status:
    deal = _deal(request, reference)
    try:
        services.deal_document_remove(
            actor=auth_user(request), deal=deal, document=_document(request, deal, document_id)
        )
    except DealDocument.DoesNotExist as error:  # removed by a request beside this one
        raise Http404(_("No such document.")) from error
    return Status(204, None)
