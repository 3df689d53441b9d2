"""The deals pages: an MoU's route panel (send, approve, return, signatories, sign, the sealed PDF) and
the public verification page.

Reads go through deals.selectors.routing (an MoU the viewer may not see answers 404), writes through
deals.services.routing. The panel is a template of its own (deals/routing/_route_panel.html) so that
the MoU's page can include it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.forms import add_service_errors
from silkbridge.core.models import ACTIVE_RUN_STATUSES, RunStatus
from silkbridge.core.runs import run_error_display
from silkbridge.deals import seal
from silkbridge.deals.choices import MouStatus, RouteStepStatus
from silkbridge.deals.forms.routing import RouteApproveForm, RouteReturnForm, SignatoryForm, VerifyForm
from silkbridge.deals.models import Mou
from silkbridge.deals.selectors import routing as selectors
from silkbridge.deals.services import routing as services


def _mou_or_404(request: HttpRequest, reference: str) -> Mou:
    try:
        return selectors.mou_route_get(viewer=request.user, reference=reference)
    except Mou.DoesNotExist as error:
        raise Http404(_("No such MoU.")) from error


def route_panel_context(*, viewer: Any, mou: Mou, **forms: Any) -> dict[str, Any]:
    """What deals/routing/_route_panel.html needs (the MoU's page includes the panel with it)."""
    steps = list(selectors.route_steps(mou=mou))
    can_act = selectors.can_route(user=viewer, mou=mou)
    history = list(selectors.route_history(mou=mou))
    signed = history[-1] if history and history[-1].kind == "signed" else None
    context: dict[str, Any] = {
        "mou": mou,
        "steps": steps,
        "current_step": next((step for step in steps if step.status == RouteStepStatus.CURRENT), None),
        "returns": [event for event in history if event.kind == "step_returned"],
        "route_history": history,
        "signatories": list(selectors.signatories(mou=mou)),
        "can_act": can_act,
        "sealed_with_embedded_key": bool(signed and signed.changes.get("self_signed_embedded_key")),
        "min_signatories": services.MIN_SIGNATORIES,
        **_sign_run_context(viewer=viewer, mou=mou),
    }
    if can_act and mou.status == MouStatus.VETTING:
        context["approve_form"] = forms.get("approve_form") or RouteApproveForm()
        context["return_form"] = forms.get("return_form") or RouteReturnForm()
    if can_act and mou.status == MouStatus.READY:
        context["signatory_form"] = forms.get("signatory_form") or SignatoryForm()
    return context


def _sign_run_context(*, viewer: Any, mou: Mou) -> dict[str, Any]:
    """The MoU's latest signing run, as the panel shows it: under way (with a link to its progress page
    for whoever may open it: the one who started it, and staff), or why the last attempt failed while
    the MoU is still unsigned (signing again is the same button)."""
    run = selectors.last_sign_run(mou=mou)
    if run is None:
        return {"sign_run": None}
    mine = bool(getattr(viewer, "is_staff", False)) or run.created_by_id == getattr(viewer, "pk", None)
    return {
        "sign_run": run,
        "sign_run_active": run.status in ACTIVE_RUN_STATUSES,
        "sign_run_failed": run.status == RunStatus.FAILED and mou.status != MouStatus.SIGNED,
        "sign_run_error": run_error_display(run),
        "sign_run_url": reverse("core:run_detail", args=[run.pk]) if mine else "",
    }


@login_required
def route_view(request: HttpRequest, reference: str) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    return render(request, "deals/routing/mou_route.html", route_panel_context(viewer=request.user, mou=mou))


def _done(request: HttpRequest, mou: Mou, function: Any, success: str, **arguments: Any) -> HttpResponse:
    try:
        function(actor=request.user, mou=mou, **arguments)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("deals:mou_route", reference=mou.reference)


@login_required
@require_POST
def route_send_view(request: HttpRequest, reference: str) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    return _done(request, mou, services.mou_send, _("Sent on its route."))


@login_required
@require_POST
def route_act_view(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    form: RouteApproveForm | RouteReturnForm
    function: Any
    if action == "approve":
        form, function, done = RouteApproveForm(request.POST), services.route_step_approve, _("Approved.")
    elif action == "return":
        form, function, done = RouteReturnForm(request.POST), services.route_step_return, _("Returned to drafting.")
    else:
        raise Http404(_("No such action."))
    if form.is_valid():
        try:
            function(actor=request.user, mou=mou, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(str(error))
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("deals:mou_route", reference=mou.reference)
    mou = _mou_or_404(request, reference)
    context = route_panel_context(viewer=request.user, mou=mou, **{f"{action}_form": form})
    return render(request, "deals/routing/mou_route.html", context, status=400)


@login_required
@require_POST
def signatory_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    form = SignatoryForm(request.POST)
    if form.is_valid():
        try:
            services.signatory_add(actor=request.user, mou=mou, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("Signatory recorded."))
            return redirect("deals:mou_route", reference=mou.reference)
    context = route_panel_context(viewer=request.user, mou=mou, signatory_form=form)
    return render(request, "deals/routing/mou_route.html", context, status=400)


@login_required
@require_POST
def signatory_remove_view(request: HttpRequest, reference: str, signatory_id: int) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    return _done(request, mou, services.signatory_remove, _("Signatory removed."), signatory_id=signatory_id)


@login_required
@require_POST
def sign_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Start signing (a background run renders and seals the final PDF) and show its progress page; the
    run ends on a link back to the MoU, signed, or with the reason it could not be signed."""
    mou = _mou_or_404(request, reference)
    try:
        run = services.mou_sign_start(actor=request.user, mou=mou)
    except (ValidationError, PermissionDenied) as error:
        for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
            messages.error(request, message)
        return redirect("deals:mou_route", reference=mou.reference)
    messages.success(request, _("Signing has started: the final PDF is rendered and sealed in the background."))
    return redirect("core:run_detail", run_id=run.pk)


@login_required
def sealed_pdf_view(request: HttpRequest, reference: str) -> FileResponse:
    mou = _mou_or_404(request, reference)
    if not mou.sealed_pdf:
        raise Http404(_("This MoU has not been signed and sealed yet."))
    return FileResponse(
        mou.sealed_pdf.open("rb"),
        as_attachment=True,
        filename=f"mou-{mou.reference}-v{mou.version}-sealed.pdf",
        content_type="application/pdf",
    )


def verify_view(request: HttpRequest) -> HttpResponse:
    """Public: anyone holding a PDF may ask whether it is an unaltered copy sealed here."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = selectors.pdf_verify(content=seal.upload_content(form.cleaned_data["file"]))
            except ValidationError as error:
                add_service_errors(form, error)
        if form.errors:
            status = 422
    return render(request, "deals/routing/verify.html", {"form": form, "result": result}, status=status)


urlpatterns = [
    path("verify/", verify_view, name="verify"),
    path("mous/<str:reference>/route/", route_view, name="mou_route"),
    path("mous/<str:reference>/route/send/", route_send_view, name="mou_route_send"),
    path("mous/<str:reference>/route/<str:action>/", route_act_view, name="mou_route_act"),
    path("mous/<str:reference>/signatories/", signatory_add_view, name="mou_signatory_add"),
    path(
        "mous/<str:reference>/signatories/<int:signatory_id>/remove/",
        signatory_remove_view,
        name="mou_signatory_remove",
    ),
    path("mous/<str:reference>/sign/", sign_view, name="mou_sign"),
    path("mous/<str:reference>/sealed.pdf", sealed_pdf_view, name="mou_sealed_pdf"),
]
