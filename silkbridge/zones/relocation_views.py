"""Relocation request pages: my requests, file one, change it, read it, and the zones ranked for it.

Every read goes through zones.relocation_selectors and every write through zones.relocation_services,
as the API's do: a request one may not see is a 404, never a 403 that would reveal it exists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from silkbridge.core.forms import add_service_errors
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import user_organisations
from silkbridge.zones.choices import MustHave
from silkbridge.zones.models import RelocationRequest
from silkbridge.zones.relocation_forms import RelocationRequestForm
from silkbridge.zones.relocation_messages import reason_text, sector_names
from silkbridge.zones.relocation_selectors import (
    can_manage,
    relocation_request_get,
    relocation_requests_managed_by,
    relocation_requests_visible_to,
)
from silkbridge.zones.relocation_services import (
    relocation_advice,
    relocation_request_create,
    relocation_request_update,
)

PAGE_SIZE = 25


def _visible_or_404(request: HttpRequest, pk: int) -> RelocationRequest:
    try:
        return relocation_request_get(viewer=request.user, pk=pk)
    except RelocationRequest.DoesNotExist as error:
        raise Http404(_("No such relocation request.")) from error


def _managed_or_404(request: HttpRequest, pk: int) -> RelocationRequest:
    try:
        return relocation_requests_managed_by(request.user).get(pk=pk)
    except RelocationRequest.DoesNotExist as error:
        raise Http404(_("No such relocation request.")) from error


@login_required
def relocation_request_list_view(request: HttpRequest) -> HttpResponse:
    """The viewer's company's requests and those shared with the viewer's zones."""
    requests = relocation_requests_visible_to(request.user)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    own = set(
        relocation_requests_managed_by(request.user)
        .filter(pk__in=[item.pk for item in page])
        .values_list("pk", flat=True)
    )
    return render(request, "zones/relocation_list.html", {"page": page, "own": own})


@login_required
def relocation_request_create_view(request: HttpRequest) -> HttpResponse:
    organisations = user_organisations(user=request.user)
    if not organisations.exists():
        return render(request, "zones/relocation_no_organisation.html")
    form = RelocationRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            created = relocation_request_create(
                actor=request.user, organisation=form.cleaned_data["organisation"], data=form.data_for_service()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Relocation request saved. Only your company, staff and the zones you chose see it.")
            )
            return redirect("zones:relocation_detail", pk=created.pk)
    status = 422 if form.errors else 200
    return render(request, "zones/relocation_form.html", {"form": form, "creating": True}, status=status)


@login_required
def relocation_request_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    relocation_request = _managed_or_404(request, pk)
    # The company is fixed (the field is disabled); staff edit a company they are no member of.
    organisations = Organisation.objects.filter(pk=relocation_request.organisation_id)
    form = RelocationRequestForm(
        request.POST or None, organisations=organisations, initial=RelocationRequestForm.initial_for(relocation_request)
    )
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            relocation_request_update(
                actor=request.user, relocation_request=relocation_request, data=form.data_for_service()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("zones:relocation_detail", pk=relocation_request.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "creating": False, "relocation_request": relocation_request}
    return render(request, "zones/relocation_form.html", context, status=status)


@login_required
def relocation_request_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    relocation_request = _visible_or_404(request, pk)
    context = {
        "relocation_request": relocation_request,
        "manages": can_manage(viewer=request.user, relocation_request=relocation_request),
        "must_haves": ", ".join(str(MustHave(name).label) for name in relocation_request.must_haves),
    }
    return render(request, "zones/relocation_detail.html", context)


@login_required
def relocation_advice_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every zone ranked for the request, with its reasons; the company's members and staff only."""
    relocation_request = _managed_or_404(request, pk)
    try:
        ranked = relocation_advice(actor=request.user, relocation_request=relocation_request)
    except PermissionDenied as error:  # the selector above already hid it; kept for a race with a removal
        raise Http404(_("No such relocation request.")) from error
    names = sector_names()
    rows = [
        {
            "rank": number,
            "zone": item.zone,
            "advice": item.advice,
            "reasons": [(reason.effect, reason_text(reason, names)) for reason in item.advice.reasons],
        }
        for number, item in enumerate(ranked, start=1)
    ]
    return render(request, "zones/relocation_advice.html", {"relocation_request": relocation_request, "rows": rows})
