"""A zone's facts page: its developer's members propose changes, staff approve or reject them.

Reads through zones.facts_selectors, writes through zones.facts_services, as the API's do. The zone
is public, so a signed-in visitor who may not propose is refused with 403 (nothing is hidden)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.forms import add_service_errors
from silkbridge.zones.facts_forms import ZoneFactProposalForm, ZoneFactRejectForm
from silkbridge.zones.facts_models import ZoneFactChange
from silkbridge.zones.facts_selectors import (
    can_propose_zone_facts,
    can_review_zone_facts,
    zone_fact_changes_for,
    zone_fact_changes_pending,
)
from silkbridge.zones.facts_services import (
    ZoneFactProposal,
    zone_fact_approve,
    zone_fact_propose,
    zone_fact_reject,
    zone_fact_value_of,
)
from silkbridge.zones.models import Zone
from silkbridge.zones.selectors import zone_get
from silkbridge.zones.views import fact_value_text


def _zone_or_404(key: str) -> Zone:
    try:
        return zone_get(key=key)
    except Zone.DoesNotExist as error:
        raise Http404(_("No such zone.")) from error


def _rows(changes: list[ZoneFactChange]) -> list[dict[str, object]]:
    return [
        {
            "change": change,
            "new": fact_value_text(change.field, change.value),
            "old": fact_value_text(change.field, change.old_value)
            if change.old_value is not None or change.status == "approved"
            else fact_value_text(change.field, zone_fact_value_of(change.zone, change.field)),
        }
        for change in changes
    ]


@login_required
def zone_facts_view(request: HttpRequest, key: str) -> HttpResponse:
    zone = _zone_or_404(key)
    if not can_propose_zone_facts(actor=request.user, zone=zone):
        raise PermissionDenied(_("Only the zone developer's members and staff propose changes to its facts."))
    form = ZoneFactProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            zone_fact_propose(
                actor=request.user,
                zone=zone,
                proposal=ZoneFactProposal(
                    field=data["field"],
                    value=data["value"],
                    source=data["source"],
                    source_date=data["source_date"],
                    note=data["note"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Change proposed. It is shown on the zone's page once staff approve it."))
            return redirect("zones:zone_facts", key=zone.key)
    changes = list(zone_fact_changes_for(viewer=request.user, zone=zone))
    context = {
        "zone": zone,
        "form": form,
        "pending": _rows([change for change in changes if change.status == "proposed"]),
        "decided": _rows([change for change in changes if change.status != "proposed"]),
        "reviewer": can_review_zone_facts(actor=request.user),
        "reject_form": ZoneFactRejectForm(),
    }
    return render(request, "zones/zone_facts.html", context, status=422 if form.errors else 200)


@login_required
def zone_fact_review_list_view(request: HttpRequest) -> HttpResponse:
    """Staff's queue: every proposal awaiting a decision, across zones."""
    if not can_review_zone_facts(actor=request.user):
        raise PermissionDenied(_("Only staff approve or reject changes to a zone's facts."))
    pending = _rows(list(zone_fact_changes_pending(viewer=request.user)))
    return render(request, "zones/zone_fact_review.html", {"pending": pending, "reject_form": ZoneFactRejectForm()})


@login_required
@require_POST
def zone_fact_decide_view(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if not can_review_zone_facts(actor=request.user):
        raise PermissionDenied(_("Only staff approve or reject changes to a zone's facts."))
    try:
        change = ZoneFactChange.objects.select_related("zone").get(pk=pk)
    except ZoneFactChange.DoesNotExist as error:
        raise Http404(_("No such change.")) from error
    try:
        if decision == "approve":
            zone_fact_approve(actor=request.user, change=change)
            messages.success(request, _("Approved: the zone's page shows the new value with its source."))
        else:
            zone_fact_reject(actor=request.user, change=change, reason=request.POST.get("reason", ""))
            messages.success(request, _("Rejected. The developer sees your reason."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    target = request.POST.get("next", "")
    if target == "queue":
        return redirect("zones:zone_fact_review")
    return redirect("zones:zone_facts", key=change.zone.key)
