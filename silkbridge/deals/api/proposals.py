"""The deals API: proposals. A proposal the caller may not read answers 404, as if it did not exist (a
sealed proposal, before its call's deadline, to everyone but the submitter's members)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user
from silkbridge.deals.choices import Envelope
from silkbridge.deals.models import Call, Proposal, ProposalDocument
from silkbridge.deals.schemas.proposals import (
    DiffOut,
    DocumentOut,
    ProposalFields,
    ProposalIn,
    ProposalListOut,
    ProposalOut,
    VersionOut,
)
from silkbridge.deals.selectors import proposals as selectors
from silkbridge.deals.services import proposals as services
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import user_organisations

router = Router(tags=["deals"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _proposal(request: HttpRequest, reference: str) -> Proposal:
    try:
        return selectors.proposal_get(viewer=auth_user(request), reference=reference)
    except Proposal.DoesNotExist as error:
        raise Http404(_("No such proposal.")) from error


def _organisation_ref(organisation: Organisation | None) -> dict[str, str] | None:
    return None if organisation is None else {"key": organisation.key, "name": organisation.display_name}


def _call_ref(call: Call | None) -> dict[str, Any] | None:
    return None if call is None else {"slug": call.slug, "title": call.title, "deadline": call.deadline}


def _document_out(proposal: Proposal, document: ProposalDocument) -> dict[str, Any]:
    url = reverse("deals:proposal_document", kwargs={"reference": proposal.reference, "document_id": document.pk})
    return {
        "id": document.pk,
        "name": document.name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "envelope": document.envelope,
        "uploaded_at": document.uploaded_at,
        "download_url": url,
    }


def proposal_out(*, viewer: Any, proposal: Proposal) -> dict[str, Any]:
    """The proposal as the viewer may read it (`selectors.proposal_view`), as the API shows it."""
    view = selectors.proposal_view(viewer=viewer, proposal=proposal)
    fields = view.fields
    budget = selectors.budget_converted(fields=fields, proposal=proposal)
    assessment = proposal.assessment
    design = None
    if assessment is not None:
        design = {
            "assessment": assessment.reference,
            "tier": assessment.tier,
            "claimed_tier": assessment.claimed_tier or proposal.claimed_tier,
            "availability": assessment.availability,
            "pue": assessment.pue,
            "warnings": selectors.design_warnings(proposal=proposal),
        }
    return {
        "reference": proposal.reference,
        "organisation": _organisation_ref(proposal.organisation),
        "call": _call_ref(proposal.call),
        "recipient": _organisation_ref(proposal.recipient),
        "status": proposal.status,
        "version": proposal.version,
        "shown_version": view.version_number,
        "submitted_at": proposal.submitted_at,
        "title": fields["title"],
        "summary": fields["summary"],
        "language": fields["language"],
        "budget": None if budget is None else budget.__dict__,
        "declared_price": fields["declared_price"],
        "price_currency": fields["price_currency"] if view.sees_financial else None,
        "timeline": fields["timeline"] or [],
        "team": fields["team"] or [],
        "claimed_tier": fields["claimed_tier"],
        "design_name": fields["design_name"] or "",
        "design": design,
        "documents": [_document_out(proposal, document) for document in view.documents],
        "decision": view.decision,
        "decision_reasons": view.decision_reasons,
    }


def _list_out(proposal: Proposal) -> dict[str, Any]:
    return {
        "reference": proposal.reference,
        "organisation": _organisation_ref(proposal.organisation),
        "call": _call_ref(proposal.call),
        "recipient": _organisation_ref(proposal.recipient),
        "status": proposal.status,
        "version": proposal.version,
        "submitted_at": proposal.submitted_at,
    }


@router.get(
    "/deals/proposals",
    response={200: list[ProposalListOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Proposals the caller may read: their organisations' (drafts included), and those opened to them",
)
@paginate(PagePagination)
def proposal_list(request: HttpRequest) -> list[dict[str, Any]]:
    proposals: QuerySet[Proposal] = selectors.proposals_visible(viewer=auth_user(request)).order_by("-updated_at")
    return [_list_out(proposal) for proposal in proposals[:1000]]


@router.post(
    "/deals/proposals",
    response={201: ProposalOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Start a draft proposal to a call (`call`) or to an organisation (`recipient`)",
)
def proposal_create(request: HttpRequest, payload: ProposalIn) -> Status:
    user = auth_user(request)
    try:
        organisation = user_organisations(user=user).get(key=payload.organisation)
    except Organisation.DoesNotExist as error:
        raise ValidationError({"organisation": _("You are not a member of an organisation with this key.")}) from error
    call = recipient = None
    if payload.call:
        call = Call.objects.filter(slug=payload.call).first()
        if call is None:
            raise ValidationError({"call": _("No call has this address.")})
    if payload.recipient:
        recipient = Organisation.objects.filter(key=payload.recipient).first()
        if recipient is None:
            raise ValidationError({"recipient": _("No organisation has this key.")})
    fields = payload.dict(exclude_unset=True, exclude={"organisation", "call", "recipient"})
    proposal = services.proposal_create(
        actor=user, organisation=organisation, fields=fields, call=call, recipient=recipient
    )
    return Status(201, proposal_out(viewer=user, proposal=_proposal(request, proposal.reference)))


@router.get(
    "/deals/proposals/{reference}", response={200: ProposalOut, **ERRORS}, auth=AUTH_REQUIRED, summary="One proposal"
)
def proposal_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return proposal_out(viewer=auth_user(request), proposal=_proposal(request, reference))


@router.patch(
    "/deals/proposals/{reference}",
    response={200: ProposalOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Change a draft (or a proposal returned for revision)",
)
def proposal_update(request: HttpRequest, reference: str, payload: ProposalFields) -> dict[str, Any]:
    user = auth_user(request)
    services.proposal_update(
        actor=user, proposal=_proposal(request, reference), fields=payload.dict(exclude_unset=True)
    )
    return proposal_out(viewer=user, proposal=_proposal(request, reference))


@router.post(
    "/deals/proposals/{reference}/documents",
    response={201: DocumentOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Add a document (PDF, DOCX, XLSX, PNG, JPEG; its type read from its content) to the draft",
)
def proposal_document_add(
    request: HttpRequest, reference: str, file: File[UploadedFile], envelope: Form[Envelope] = Envelope.TECHNICAL
) -> Status:
    proposal = _proposal(request, reference)
    document = services.proposal_document_add(
        actor=auth_user(request), proposal=proposal, upload=file, envelope=envelope
    )
    return Status(201, _document_out(proposal, document))


@router.delete(
    "/deals/proposals/{reference}/documents/{document_id}",
    response={204: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Take a document out of the draft",
)
def proposal_document_remove(request: HttpRequest, reference: str, document_id: int) -> Status:
    user = auth_user(request)
    proposal = _proposal(request, reference)
    try:
        document = selectors.proposal_document_get(viewer=user, proposal=proposal, document_id=document_id)
    except ProposalDocument.DoesNotExist as error:
        raise Http404(_("No such document.")) from error
    services.proposal_document_remove(actor=user, proposal=proposal, document=document)
    return Status(204, None)


@router.get(
    "/deals/proposals/{reference}/documents/{document_id}",
    response={200: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Download a document (as an attachment)",
)
def proposal_document_download(request: HttpRequest, reference: str, document_id: int) -> HttpResponseBase:
    return document_response(viewer=auth_user(request), proposal=_proposal(request, reference), document_id=document_id)


def document_response(*, viewer: Any, proposal: Proposal, document_id: int) -> FileResponse:
    """A document the selector lets the viewer read, as a download that no browser renders in place."""
    try:
        document = selectors.proposal_document_get(viewer=viewer, proposal=proposal, document_id=document_id)
    except ProposalDocument.DoesNotExist as error:
        raise Http404(_("No such document.")) from error
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/deals/proposals/{reference}/submit",
    response={200: ProposalOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Submit: freeze a new version (refused after the call's deadline)",
)
def proposal_submit(request: HttpRequest, reference: str) -> dict[str, Any]:
    user = auth_user(request)
    services.proposal_submit(actor=user, proposal=_proposal(request, reference))
    return proposal_out(viewer=user, proposal=_proposal(request, reference))


@router.post(
    "/deals/proposals/{reference}/withdraw",
    response={200: ProposalOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Withdraw a submitted proposal before the call's deadline",
)
def proposal_withdraw(request: HttpRequest, reference: str) -> dict[str, Any]:
    user = auth_user(request)
    services.proposal_withdraw(actor=user, proposal=_proposal(request, reference))
    return proposal_out(viewer=user, proposal=_proposal(request, reference))


@router.get(
    "/deals/proposals/{reference}/versions",
    response={200: list[VersionOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The submitted versions, oldest first",
)
def proposal_versions(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    user = auth_user(request)
    proposal = _proposal(request, reference)
    return [
        {
            "number": version.number,
            "submitted_at": version.submitted_at,
            "content": selectors.version_content_visible(viewer=user, proposal=proposal, content=version.content),
        }
        for version in selectors.proposal_versions(viewer=user, proposal=proposal)
    ]


@router.get(
    "/deals/proposals/{reference}/diff",
    response={200: DiffOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="What a version (the last, by default) changed against the one before",
)
def proposal_diff(request: HttpRequest, reference: str, number: int | None = None) -> Any:
    user = auth_user(request)
    diff = selectors.proposal_diff(viewer=user, proposal=_proposal(request, reference), number=number)
    if diff is None:
        raise Http404(_("There is no earlier version to compare with."))
    return diff
