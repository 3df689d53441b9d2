"""The deals pages: proposals (my organisations' proposals, the draft form and its documents, submit and
withdraw, the proposal page with its versions and the difference from the last one, document downloads).

Reads go through selectors.proposals, writes through services.proposals; a proposal the viewer may not
read answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.forms import add_service_errors
from silkbridge.deals.api.proposals import document_response
from silkbridge.deals.choices import ProposalStatus
from silkbridge.deals.forms.proposals import DocumentForm, ProposalForm
from silkbridge.deals.models import Call, Proposal, ProposalDocument
from silkbridge.deals.selectors import proposals as selectors
from silkbridge.deals.selectors import reviews as review_selectors
from silkbridge.deals.services import proposals as services
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import user_organisations


def _proposal_or_404(request: HttpRequest, reference: str) -> Proposal:
    try:
        return selectors.proposal_get(viewer=request.user, reference=reference)
    except Proposal.DoesNotExist as error:
        raise Http404(_("No such proposal.")) from error


def _form_errors(form: ProposalForm, error: ValidationError) -> None:
    """The service names the design `design_text`; the form calls it `design`."""
    if hasattr(error, "error_dict") and "design_text" in error.error_dict:
        error.error_dict["design"] = error.error_dict.pop("design_text")
    add_service_errors(form, error)


@login_required
def proposal_list_view(request: HttpRequest) -> HttpResponse:
    organisations = list(user_organisations(user=request.user))
    proposals = selectors.proposals_of_user(viewer=request.user).order_by("organisation_id", "-updated_at")
    return render(
        request, "deals/proposals/proposal_list.html", {"organisations": organisations, "proposals": proposals}
    )


@login_required
def proposal_create_view(request: HttpRequest) -> HttpResponse:
    organisations = user_organisations(user=request.user)
    call = Call.objects.filter(slug=request.GET.get("call", "")).first()
    recipient = Organisation.objects.filter(key=request.GET.get("to", "")).first() if call is None else None
    if call is None and recipient is None:
        raise Http404(_("Choose a call to answer, or an organisation to send the proposal to."))
    form = ProposalForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                fields=form.service_fields(design_limit=settings.DATACENTER_DESIGN_MAX_BYTES),
                call=call,
                recipient=recipient,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Only your organisation sees it until you submit it."))
            return redirect("deals:proposal_detail", reference=proposal.reference)
    return render(
        request,
        "deals/proposals/proposal_form.html",
        {"form": form, "creating": True, "call": call, "recipient": recipient},
    )


@login_required
def proposal_edit_view(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _proposal_or_404(request, reference)
    if not selectors.is_submitter(viewer=request.user, proposal=proposal):
        raise Http404(_("No such proposal."))
    organisations = user_organisations(user=request.user).filter(pk=proposal.organisation_id)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial=ProposalForm.initial_for(proposal),
    )
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(
                actor=request.user,
                proposal=proposal,
                fields=form.service_fields(design_limit=settings.DATACENTER_DESIGN_MAX_BYTES),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("deals:proposal_detail", reference=proposal.reference)
    return render(
        request,
        "deals/proposals/proposal_form.html",
        {"form": form, "creating": False, "proposal": proposal, "call": proposal.call, "recipient": proposal.recipient},
    )


@login_required  # a proposal is never public: visitors sign in first
def proposal_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _proposal_or_404(request, reference)
    view = selectors.proposal_view(viewer=request.user, proposal=proposal)
    context: dict[str, Any] = {
        "proposal": proposal,
        "view": view,
        "fields": view.fields,
        "budget": selectors.budget_converted(fields=view.fields, proposal=proposal),
        "design_warnings": selectors.design_warnings(proposal=proposal),
        "versions": selectors.proposal_versions(viewer=request.user, proposal=proposal),
        "diff": selectors.proposal_diff(viewer=request.user, proposal=proposal),
        "editable": view.is_submitter and proposal.status in selectors.EDITABLE_STATUSES,
    }
    if view.is_submitter:
        context["history"] = selectors.proposal_history(viewer=request.user, proposal=proposal)
        context["document_form"] = DocumentForm()
    elif review_selectors.is_calling_body_staff(viewer=request.user, proposal=proposal):
        context["history"] = review_selectors.review_events(viewer=request.user, proposal=proposal)
    # The decision, its reasons and the consolidated comments, once in effect (deals/reviews/_feedback.html).
    context["feedback"] = review_selectors.proposal_feedback(viewer=request.user, proposal=proposal)
    # A call proposal's status changes only when the call's decision takes effect (services.reviews).
    context["status_shown"] = ProposalStatus(proposal.status)
    # Withdrawal ends at a call's deadline, so the button never tells a decision recorded after it.
    context["can_withdraw"] = proposal.status == ProposalStatus.SUBMITTED and (
        proposal.call is None or timezone.now() < proposal.call.deadline
    )
    # A draft never submitted can be deleted (services.proposal_draft_delete says why the others cannot).
    context["can_delete"] = view.is_submitter and proposal.status == ProposalStatus.DRAFT and not proposal.version
    return render(request, "deals/proposals/proposal_detail.html", context)


def _field_messages(request: HttpRequest, form: DocumentForm, errors: dict[str, list[str]]) -> None:
    """Each refusal as a message that names the field ("Document: the file is larger than 20 MB.")."""
    for name, field_errors in errors.items():
        label = form.fields[name].label if name in form.fields else name
        for message in field_errors:
            messages.error(request, f"{label}: {message}")


@login_required
@require_POST
def proposal_document_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _proposal_or_404(request, reference)
    selectors.submitter_check(viewer=request.user, proposal=proposal)  # before the form: readers get a 403
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.proposal_document_add(
                actor=request.user,
                proposal=proposal,
                upload=form.cleaned_data["file"],
                envelope=form.cleaned_data["envelope"],
            )
        except ValidationError as error:
            _field_messages(request, form, error.message_dict)
        else:
            messages.success(request, _("Document added: %(name)s.") % {"name": document.name})
    else:
        _field_messages(request, form, {name: [str(error) for error in errors] for name, errors in form.errors.items()})
    return redirect("deals:proposal_detail", reference=proposal.reference)


@login_required
@require_POST
def proposal_document_remove_view(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, reference)
    try:
        document = selectors.proposal_document_get(viewer=request.user, proposal=proposal, document_id=document_id)
    except ProposalDocument.DoesNotExist as error:
        raise Http404(_("No such document.")) from error
    try:
        services.proposal_document_remove(actor=request.user, proposal=proposal, document=document)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Document removed: %(name)s.") % {"name": document.name})
    return redirect("deals:proposal_detail", reference=proposal.reference)


@login_required
def proposal_document_view(request: HttpRequest, reference: str, document_id: int) -> HttpResponseBase:
    return document_response(
        viewer=request.user, proposal=_proposal_or_404(request, reference), document_id=document_id
    )


@login_required
@require_POST
def proposal_action_view(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    proposal = _proposal_or_404(request, reference)
    if action == "delete":
        try:
            services.proposal_draft_delete(actor=request.user, proposal=proposal)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("deals:proposal_detail", reference=proposal.reference)
        messages.success(request, _("The draft is deleted."))
        return redirect("deals:proposal_list")
    actions = {
        "submit": (services.proposal_submit, _("Submitted. Your proposal is sealed until the call's deadline.")),
        "withdraw": (services.proposal_withdraw, _("Withdrawn.")),
    }
    if action not in actions:
        raise Http404(_("No such action."))
    service, done = actions[action]
    try:
        service(actor=request.user, proposal=proposal)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("deals:proposal_detail", reference=proposal.reference)


urlpatterns: list[URLPattern] = [
    path("proposals/", proposal_list_view, name="proposal_list"),
    path("proposals/new/", proposal_create_view, name="proposal_create"),
    path("proposals/<str:reference>/", proposal_detail_view, name="proposal_detail"),
    path("proposals/<str:reference>/edit/", proposal_edit_view, name="proposal_edit"),
    path("proposals/<str:reference>/documents/", proposal_document_add_view, name="proposal_document_add"),
    path(
        "proposals/<str:reference>/documents/<int:document_id>/",
        proposal_document_view,
        name="proposal_document",
    ),
    path(
        "proposals/<str:reference>/documents/<int:document_id>/remove/",
        proposal_document_remove_view,
        name="proposal_document_remove",
    ),
    path("proposals/<str:reference>/<str:action>/", proposal_action_view, name="proposal_action"),
]
