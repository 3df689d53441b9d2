"""The deal pages: "my deals", a deal with its history, starting a deal from a lead, and the staff
board with its filters, stage buttons and CSV/XLSX export.

Reads go through deals.selectors.pipeline (which decides visibility), every write through
deals.services.pipeline; a deal the viewer may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.exports import table_response
from silkbridge.core.forms import add_service_errors
from silkbridge.deals.api.pipeline import document_download
from silkbridge.deals.choices import STAGES_NEEDING_REASON, DealOrigin, DealStage, DealSubject, DealTrack, track_stages
from silkbridge.deals.filtersets import DealFilterSet
from silkbridge.deals.forms.pipeline import (
    DealDocumentForm,
    DealEditForm,
    DealStartForm,
    NextStepForm,
    PartyAddForm,
    StageForm,
)
from silkbridge.deals.models import Deal, DealDocument
from silkbridge.deals.selectors import mou as mou_selectors
from silkbridge.deals.selectors import pipeline as selectors
from silkbridge.deals.services import pipeline as services
from silkbridge.directory.models import Organisation
from silkbridge.events import visit_selectors
from silkbridge.events.visit_forms import SiteVisitPlanForm

PAGE_SIZE = 25
# A deal's reference (models.base.new_reference): 12 URL-safe characters. The pattern keeps the deal
# page from swallowing the other parts' one-segment addresses under /deals/ (calls/, proposals/...).
REFERENCE = r"(?P<reference>[A-Za-z0-9_-]{12})"


def _deal_or_404(request: HttpRequest, reference: str) -> Deal:
    try:
        return selectors.deal_get(viewer=request.user, reference=reference)
    except Deal.DoesNotExist as error:
        raise Http404(_("No such deal.")) from error


def _back(request: HttpRequest, deal: Deal) -> HttpResponse:
    """Back to the board (keeping its filters) when the form came from there, else to the deal."""
    case_board_query = request.POST.get("case_board")
    if case_board_query is not None:
        return redirect("/deals/cases/" + (f"?{case_board_query}" if case_board_query else ""))
    board_query = request.POST.get("board")
    if board_query is not None:
        url = "/deals/board/" + (f"?{board_query}" if board_query else "")
        return redirect(url) if url.startswith("/deals/board/") else redirect("deals:deal_board")
    return redirect("deals:deal_detail", reference=deal.reference)


def _flash_form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


def _flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def deal_list_view(request: HttpRequest) -> HttpResponse:
    """The deals of the viewer's organisations (every deal, for staff)."""
    filterset = DealFilterSet(request.GET, queryset=selectors.deals_visible(viewer=request.user))
    page = Paginator(filterset.qs.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deals/pipeline/deal_list.html", {"form": filterset.form, "page": page})


@login_required
def deal_board_view(request: HttpRequest) -> HttpResponse:
    selectors.board_check(viewer=request.user)
    filterset = DealFilterSet(request.GET, queryset=selectors.deals_visible(viewer=request.user))
    columns = selectors.deal_board(viewer=request.user, deals=filterset.qs)
    context = {
        "form": filterset.form,
        "columns": columns,
        "count": sum(len(column.cards) for column in columns),
        "stages": DealStage.choices,
        "reason_stages": [stage.value for stage in STAGES_NEEDING_REASON],
        "query": request.GET.urlencode(),
    }
    return render(request, "deals/pipeline/board.html", context)


def _export_headers() -> dict[str, str]:
    return {
        "reference": _("Reference"),
        "title": _("Title"),
        "subject": _("Subject"),
        "stage": _("Stage"),
        "stage_reason": _("Reason"),
        "in_stage_since": _("In this stage since"),
        "days_in_stage": _("Days in stage"),
        "age_days": _("Age (days)"),
        "parties": _("Parties"),
        "countries": _("Countries"),
        "sector": _("Sector"),
        "owner": _("Owner"),
        "amount": _("Amount"),
        "currency": _("Currency"),
        "next_step": _("Next step"),
        "next_step_on": _("Next step due"),
        "next_step_overdue": _("Overdue"),
        "created_at": _("Created at"),
    }


@login_required
def deal_board_export_view(request: HttpRequest) -> HttpResponse:
    """The board's rows (its filters applied) as CSV or XLSX: headers, stage and subject in the
    reader's language, every cell spreadsheet-safe (core.exports)."""
    selectors.board_check(viewer=request.user)
    filterset = DealFilterSet(request.GET, queryset=selectors.deals_visible(viewer=request.user))
    records = selectors.deal_export_records(viewer=request.user, deals=filterset.qs)
    stages, subjects = dict(DealStage.choices), dict(DealSubject.choices)
    headers = _export_headers()
    rows = [
        [
            str(stages[value]) if name == "stage" else str(subjects[value]) if name == "subject" else value
            for name, value in record.items()
        ]
        for record in records
    ]
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return table_response(fmt, "deals", list(headers.values()), rows, sheet_title=_("Deals"))


def _lead(request: HttpRequest) -> dict[str, Any]:
    """The lead named in the address (?interest=, ?meeting=, ?proposal=), checked as the viewer may see it."""
    query = request.GET
    if query.get("interest"):
        interest = selectors.lead_interest(viewer=request.user, interest_id=_number(query["interest"], "interest"))
        return {"origin": DealOrigin.INTEREST, "interest": interest}
    if query.get("meeting"):
        meeting = selectors.lead_meeting(viewer=request.user, meeting_id=_number(query["meeting"], "meeting"))
        return {"origin": DealOrigin.MEETING, "meeting": meeting}
    if query.get("proposal"):
        return {
            "origin": DealOrigin.PROPOSAL,
            "proposal": selectors.lead_proposal(viewer=request.user, reference=query["proposal"]),
        }
    return {"origin": DealOrigin.MANUAL}


def _number(value: str, name: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise ValidationError({name: _("Give the number of the lead.")})
    return int(value)


def _lead_sides(lead: dict[str, Any]) -> list[Organisation]:
    if "interest" in lead:
        return [lead["interest"].organisation, lead["interest"].opportunity.organisation]
    if "meeting" in lead:
        request = lead["meeting"].request
        return [request.requester.organisation, request.recipient.organisation]
    if "proposal" in lead:
        proposal = lead["proposal"]
        counterpart = proposal.recipient or (proposal.call.issuer if proposal.call is not None else None)
        return [proposal.organisation, *([counterpart] if counterpart else [])]
    return []


@login_required
def deal_start_view(request: HttpRequest) -> HttpResponse:
    """Start a deal from the lead in the address, or (staff) by hand."""
    try:
        lead = _lead(request)
    except ValidationError as error:
        return render(request, "deals/pipeline/start.html", {"lead_errors": error.messages}, status=400)
    is_staff = request.user.is_staff
    if lead["origin"] == DealOrigin.MANUAL and not is_staff:
        return render(request, "deals/pipeline/start.html", {"needs_lead": True})
    if lead["origin"] != DealOrigin.MANUAL and request.method == "GET":
        existing = selectors.deals_visible(viewer=request.user).filter(**{lead["origin"]: lead[lead["origin"]]})
        reference = existing.values_list("reference", flat=True).first()
        if reference is not None:  # a second click on "Start a deal" opens the first one
            messages.info(request, _("A deal has already started from this lead."))
            return redirect("deals:deal_detail", reference=reference)
    sides = _lead_sides(lead)
    initial = {"title": " – ".join(side.display_name for side in sides)}
    form = DealStartForm(request.POST or None, initial=initial, choose_organisations=is_staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deal = services.deal_start(
                actor=request.user,
                title=data["title"],
                subject=data["subject"],
                organisations=list(data.get("organisations") or []),
                sector=form.sector_object(),
                amount=data["amount"],
                currency=data["currency"],
                description=data["description"],
                **lead,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The deal is started at the lead stage."))
            return redirect("deals:deal_detail", reference=deal.reference)
    context = {"form": form, "lead": lead, "sides": sides}
    return render(request, "deals/pipeline/start.html", context, status=400 if form.errors else 200)


@login_required
def deal_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    deal = _deal_or_404(request, reference)
    manages = selectors.can_manage(user=request.user, deal=deal)
    parties = list(deal.parties.all())
    context: dict[str, Any] = {
        "deal": deal,
        "parties": parties,
        "manages": manages,
        "history": selectors.deal_history_rows(viewer=request.user, deal=deal),
        "days_in_stage": selectors.days_in_stage(deal),
        "is_overdue": selectors.is_overdue(deal),
    }
    if selectors.can_move_stage(user=request.user, deal=deal):
        moves = selectors.stage_moves(deal) if deal.track == DealTrack.RELOCATION else None
        context["stage_form"] = StageForm(initial={"stage": deal.stage}, choices=moves)
    if manages:
        context["edit_form"] = DealEditForm(
            initial={
                "title": deal.title,
                "description": deal.description,
                "sector": deal.sector.code if deal.sector else "",
                "amount": deal.amount,
                "currency": deal.currency,
                "owner": deal.owner_id,
            }
        )
        context["party_form"] = PartyAddForm(exclude_ids=[party.organisation_id for party in parties])
    if selectors.can_set_next_step(user=request.user, deal=deal):
        context["next_step_form"] = NextStepForm(initial={"next_step": deal.next_step, "due_on": deal.next_step_on})
    documents = list(selectors.deal_documents(viewer=request.user, deal=deal))
    context["documents"] = [
        (document, selectors.can_remove_document(user=request.user, deal=deal, document=document))
        for document in documents
    ]
    if selectors.can_add_document(user=request.user, deal=deal):
        context["document_form"] = DealDocumentForm()

    if deal.track == DealTrack.RELOCATION and deal.relocation_request_id is not None:
        # The case's site visits at delegation visits, as the request's readers may see them (events' rule).
        context["site_visits"] = list(
            visit_selectors.site_visits_for_request(
                viewer=request.user, relocation_request_id=deal.relocation_request_id, zone_id=deal.zone_id
            )
        )
        relocation_request = deal.relocation_request
        if relocation_request is not None and visit_selectors.can_plan_site_visit(
            user=request.user, zone=deal.zone, relocation_request=relocation_request
        ):
            delegations = list(visit_selectors.delegations_of(organisation_id=relocation_request.organisation_id))
            if delegations:
                context["site_visit_form"] = SiteVisitPlanForm(delegations=delegations)
    # The deal's MoUs, and the way to draft one for those who may (the MoU part's rules).
    context["mous"] = list(mou_selectors.mous_visible(viewer=request.user).filter(deal=deal).order_by("pk"))
    context["can_draft_mou"] = mou_selectors.can_draft(user=request.user, deal=deal)
    return render(request, "deals/pipeline/deal_detail.html", context)


@login_required
@require_POST
def deal_stage_view(request: HttpRequest, reference: str) -> HttpResponse:
    deal = _deal_or_404(request, reference)
    form = StageForm(request.POST, choices=track_stages(deal.track))
    if not form.is_valid():
        messages.error(request, _("Choose one of the stages."))
        return _back(request, deal)
    try:
        deal = services.deal_stage_set(
            actor=request.user, deal=deal, stage=form.cleaned_data["stage"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(
            request,
            _("“%(title)s” moved to %(stage)s.") % {"title": deal.title, "stage": deal.get_stage_display()},
        )
    return _back(request, deal)


@login_required
@require_POST
def deal_next_step_view(request: HttpRequest, reference: str) -> HttpResponse:
    deal = _deal_or_404(request, reference)
    form = NextStepForm(request.POST)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return _back(request, deal)
    try:
        services.deal_next_step_set(
            actor=request.user,
            deal=deal,
            next_step=form.cleaned_data["next_step"],
            due_on=form.cleaned_data["due_on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Next step saved."))
    return _back(request, deal)


@login_required
@require_POST
def deal_edit_view(request: HttpRequest, reference: str) -> HttpResponse:
    deal = _deal_or_404(request, reference)
    form = DealEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "description": data["description"],
            "sector": form.sector_object(),
            "amount": data["amount"],
            "currency": data["currency"],
            "owner": data["owner"],
        }
        try:
            services.deal_update(actor=request.user, deal=deal, fields=fields)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Saved."))
    else:
        _flash_form_errors(request, form)
    return _back(request, deal)


@login_required
@require_POST
def deal_party_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    deal = _deal_or_404(request, reference)
    form = PartyAddForm(request.POST, exclude_ids=[])
    if form.is_valid():
        try:
            services.deal_party_add(
                actor=request.user,
                deal=deal,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Organisation added."))
    else:
        messages.error(request, _("Choose an organisation and its role."))
    return _back(request, deal)


@login_required
@require_POST
def deal_party_remove_view(request: HttpRequest, reference: str, key: str) -> HttpResponse:
    deal = _deal_or_404(request, reference)
    party = next((party for party in deal.parties.all() if party.organisation.key == key), None)
    if party is None:
        raise Http404(_("No such organisation in this deal."))
    try:
        services.deal_party_remove(actor=request.user, deal=deal, organisation=party.organisation)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Organisation removed."))
    if not selectors.deals_visible(viewer=request.user).filter(pk=deal.pk).exists():
        return redirect("deals:deal_list")
    return _back(request, deal)


def _document_or_404(request: HttpRequest, deal: Deal, document_id: int) -> DealDocument:
    try:
        return selectors.deal_document_get(viewer=request.user, deal=deal, document_id=document_id)
    except DealDocument.DoesNotExist as error:
        raise Http404(_("No such document.")) from error


@login_required
@require_POST
def deal_document_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    deal = _deal_or_404(request, reference)
    if not selectors.can_add_document(user=request.user, deal=deal):
        raise PermissionDenied(_("Only staff, the deal's owner and its parties may add a document."))
    form = DealDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.deal_document_add(actor=request.user, deal=deal, upload=form.cleaned_data["file"])
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Document added: %(name)s.") % {"name": document.name})
    else:
        _flash_form_errors(request, form)
    return redirect("deals:deal_detail", reference=deal.reference)


@login_required
def deal_document_view(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    deal = _deal_or_404(request, reference)
    return document_download(_document_or_404(request, deal, document_id))


@login_required
@require_POST
def deal_document_remove_view(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    deal = _deal_or_404(request, reference)
    document = _document_or_404(request, deal, document_id)
    try:
        services.deal_document_remove(actor=request.user, deal=deal, document=document)
    except DealDocument.DoesNotExist as error:  # removed by a request beside this one (a double click)
        raise Http404(_("No such document.")) from error
    messages.success(request, _("Document removed: %(name)s.") % {"name": document.name})
    return redirect("deals:deal_detail", reference=deal.reference)


urlpatterns: list[URLPattern] = [
    path("", deal_list_view, name="deal_list"),
    path("board/", deal_board_view, name="deal_board"),
    path("board/export/", deal_board_export_view, name="deal_board_export"),
    path("start/", deal_start_view, name="deal_start"),
    re_path(rf"^{REFERENCE}/$", deal_detail_view, name="deal_detail"),
    re_path(rf"^{REFERENCE}/stage/$", deal_stage_view, name="deal_stage"),
    re_path(rf"^{REFERENCE}/next-step/$", deal_next_step_view, name="deal_next_step"),
    re_path(rf"^{REFERENCE}/edit/$", deal_edit_view, name="deal_edit"),
    re_path(rf"^{REFERENCE}/documents/$", deal_document_add_view, name="deal_document_add"),
    re_path(rf"^{REFERENCE}/documents/(?P<document_id>[0-9]{{1,18}})/$", deal_document_view, name="deal_document"),
    re_path(
        rf"^{REFERENCE}/documents/(?P<document_id>[0-9]{{1,18}})/remove/$",
        deal_document_remove_view,
        name="deal_document_remove",
    ),
    re_path(rf"^{REFERENCE}/parties/$", deal_party_add_view, name="deal_party_add"),
    re_path(rf"^{REFERENCE}/parties/(?P<key>[^/]+)/remove/$", deal_party_remove_view, name="deal_party_remove"),
]
