"""Relocation case pages: take a relocation request up for a zone, and the board of cases (the zone
authority's, a company's, staff's: each sees the cases `deals_visible` lets them) with its CSV/XLSX export.
A case's own page is the deal page (deals.views.pipeline), which moves it as its track allows.

Reads go through deals.selectors.cases, the write through deals.services.cases; a request the viewer may
not see answers 404, as on the request's own page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from silkbridge.core.exports import table_response
from silkbridge.deals.choices import STAGES_NEEDING_REASON, DealSubject, RelocationStage
from silkbridge.deals.models import Deal
from silkbridge.deals.selectors import cases as selectors
from silkbridge.deals.services import cases as services
from silkbridge.deals.views.pipeline import _export_headers
from silkbridge.zones.models import RelocationRequest
from silkbridge.zones.relocation_selectors import can_manage


def _request_or_404(request: HttpRequest, pk: int) -> RelocationRequest:
    try:
        return selectors.request_for_case(viewer=request.user, pk=pk)
    except RelocationRequest.DoesNotExist as error:
        raise Http404(_("No such relocation request.")) from error


@login_required
def case_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the request up: choose the zone (those the viewer acts for that the request is shared with)."""
    relocation_request = _request_or_404(request, pk)
    zones = selectors.case_zones_for(viewer=request.user, relocation_request=relocation_request)
    errors: list[str] = []
    if request.method == "POST":
        zone = next((zone for zone in zones if zone.key == request.POST.get("zone")), None)
        if zone is None:
            errors.append(_("Choose one of the zones the request is shared with."))
        else:
            try:
                case = services.relocation_case_open(
                    actor=request.user, relocation_request=relocation_request, zone=zone
                )
            except (ValidationError, PermissionDenied) as error:
                errors.extend(error.messages if isinstance(error, ValidationError) else [str(error)])
            else:
                messages.success(request, _("The request is taken up: its case starts at the inquiry stage."))
                return redirect("deals:deal_detail", reference=case.reference)
    context = {
        "relocation_request": relocation_request,
        "zones": zones,
        "cases": list(selectors.cases_of_request(viewer=request.user, relocation_request=relocation_request)),
        "errors": errors,
    }
    return render(request, "deals/cases/open.html", context, status=400 if errors else 200)


def _filtered(request: HttpRequest) -> QuerySet[Deal]:
    cases = selectors.cases_visible(viewer=request.user)
    zone = selectors.zone_filter(value=request.GET.get("zone", ""))
    return cases.filter(zone=zone) if zone is not None else cases


@login_required
def case_board_view(request: HttpRequest) -> HttpResponse:
    try:
        cases = _filtered(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("deals:case_board")
    columns = selectors.case_board(viewer=request.user, cases=cases)
    context = {
        "columns": columns,
        "count": sum(len(column.cards) for column in columns),
        "zones": selectors.board_zones(viewer=request.user),
        "zone": request.GET.get("zone", ""),
        "query": request.GET.urlencode(),
        "reason_stages": [stage.value for stage in STAGES_NEEDING_REASON],
    }
    return render(request, "deals/cases/board.html", context)


@login_required
def case_board_export_view(request: HttpRequest) -> HttpResponse:
    """The board's cases (its zone filter applied) as CSV or XLSX, stage and subject in the reader's language."""
    try:
        cases = _filtered(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("deals:case_board")
    records = selectors.case_export_records(viewer=request.user, cases=cases)
    stages, subjects = dict(RelocationStage.choices), dict(DealSubject.choices)
    headers = [_("Zone"), _("Relocation request"), *_export_headers().values()]
    rows = [
        [
            str(stages[value]) if name == "stage" else str(subjects[value]) if name == "subject" else value
            for name, value in record.items()
        ]
        for record in records
    ]
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return table_response(fmt, "relocation-cases", headers, rows, sheet_title=_("Relocation cases"))


@login_required
def request_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete the company's request (no zone has taken it up) or withdraw it (the cases keep the record):
    the company's members and staff; a zone it is shared with gets a 403, anyone else a 404."""
    relocation_request = _request_or_404(request, pk)
    if not can_manage(viewer=request.user, relocation_request=relocation_request):
        raise PermissionDenied(_("Only the company's members and staff may delete or withdraw a request."))
    cases = list(selectors.cases_of_request(viewer=request.user, relocation_request=relocation_request))
    errors: list[str] = []
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            withdrawn = services.relocation_request_remove(
                actor=request.user, relocation_request=relocation_request, reason=reason
            )
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            if not withdrawn:
                messages.success(request, _("The relocation request is deleted."))
                return redirect("zones:relocation_list")
            messages.success(
                request, _("The relocation request is withdrawn: its cases are closed and their record is kept.")
            )
            return redirect("zones:relocation_detail", pk=relocation_request.pk)
    context = {"relocation_request": relocation_request, "cases": cases, "errors": errors, "reason": reason}
    return render(request, "deals/cases/remove.html", context, status=400 if errors else 200)


urlpatterns: list[URLPattern] = [
    path("cases/", case_board_view, name="case_board"),
    path("cases/export/", case_board_export_view, name="case_board_export"),
    path("cases/take-up/<int:pk>/", case_open_view, name="case_open"),
    path("cases/requests/<int:pk>/remove/", request_remove_view, name="request_remove"),
]
