"""The committee review's pages: the reviewer's queue, the declaration (answered before anything of the
proposal is shown), the scoring form, and the chair's pages per call and per proposal.

Reads go through selectors.reviews (which decide visibility), writes through services.reviews; what the
viewer may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.forms import add_service_errors
from silkbridge.deals.forms.reviews import AppointForm, DecisionForm, DeclarationForm, ScoreForm
from silkbridge.deals.models import Call, Proposal, ReviewAssignment
from silkbridge.deals.selectors import proposals as proposal_selectors
from silkbridge.deals.selectors import reviews as selectors
from silkbridge.deals.services import reviews as services


def _assignment_or_404(request: HttpRequest, pk: int) -> ReviewAssignment:
    try:
        return selectors.assignment_get(viewer=request.user, pk=pk)
    except ReviewAssignment.DoesNotExist as error:
        raise Http404(_("No such review.")) from error


def _chaired_or_404(request: HttpRequest, reference: str) -> Proposal:
    try:
        return selectors.proposal_for_chair(viewer=request.user, reference=reference)
    except Proposal.DoesNotExist as error:
        raise Http404(_("No such proposal.")) from error


def _refusals(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
        messages.error(request, message)


# --- the reviewer -----------------------------------------------------------------------------------------


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "deals/reviews/queue.html", {"entries": selectors.review_queue(reviewer=request.user)})


def _score_page(
    request: HttpRequest, assignment: ReviewAssignment, form: ScoreForm | None = None, status: int = 200
) -> HttpResponse:
    review = selectors.my_review(assignment=assignment)
    if form is None:
        form = ScoreForm(
            criteria=selectors.criteria_of(assignment.proposal),
            scores=list(assignment.scores.all()),
            initial={"comment": assignment.comment},
        )
    context = {
        "assignment": assignment,
        "proposal": assignment.proposal,
        "review": review,
        "form": form,
        "others": selectors.other_reviews(viewer=request.user, assignment=assignment),
        "is_submitted": assignment.submitted_at is not None,
        # The design's assessment (Tier, availability, PUE) and its warnings, as on the proposal's page.
        "design_warnings": proposal_selectors.design_warnings(proposal=assignment.proposal),
    }
    return render(request, "deals/reviews/score.html", context, status=status)


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The declaration until it is made; then the scoring form (or, once submitted, the review and the
    others' submitted reviews)."""
    assignment = _assignment_or_404(request, pk)
    if not selectors.has_access(assignment):
        return render(request, "deals/reviews/declare.html", {"assignment": assignment, "form": DeclarationForm()})
    return _score_page(request, assignment)


@login_required
@require_POST
def declare_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request, pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            assignment = services.conflict_declare(
                actor=request.user,
                assignment=assignment,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if selectors.has_access(assignment):
                messages.success(request, _("Thank you. You may now read and score the proposal."))
                return redirect("deals:review_detail", pk=assignment.pk)
            messages.success(
                request, _("Your declaration is recorded. You no longer have access to this proposal; thank you.")
            )
            return redirect("deals:review_queue")
    return render(request, "deals/reviews/declare.html", {"assignment": assignment, "form": form}, status=400)


@login_required
@require_POST
def score_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft; with action=submit, save it and submit the review."""
    assignment = _assignment_or_404(request, pk)
    if not selectors.has_access(assignment):
        return redirect("deals:review_detail", pk=assignment.pk)
    form = ScoreForm(request.POST, criteria=selectors.criteria_of(assignment.proposal))
    if form.is_valid():
        try:
            # One transaction: a refused submission does not leave half of it saved as a draft.
            with transaction.atomic():
                services.review_save(
                    actor=request.user,
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
                if request.POST.get("action") == "submit":
                    services.review_submit(actor=request.user, assignment=assignment)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            _refusals(request, error)
            return redirect("deals:review_detail", pk=assignment.pk)
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("Review submitted. You can now see the other reviewers' submitted scores."))
            else:
                messages.success(request, _("Draft saved. Submit the review when every criterion is scored."))
            return redirect("deals:review_detail", pk=assignment.pk)
    assignment.refresh_from_db()
    return _score_page(request, assignment, form=form, status=400)


# --- the chair --------------------------------------------------------------------------------------------


@login_required
def chair_call_view(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        call = selectors.call_for_chair(viewer=request.user, slug=slug)
    except Call.DoesNotExist as error:
        raise Http404(_("No such call.")) from error
    ranking = selectors.call_ranking(viewer=request.user, call=call)
    return render(
        request,
        "deals/reviews/chair_call.html",
        {"call": call, "ranking": ranking, "decision_form": DecisionForm()},
    )


def _chair_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    appoint_form: AppointForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "proposal": proposal,
        "scores": selectors.proposal_scores(viewer=request.user, proposal=proposal),
        "events": selectors.review_events(viewer=request.user, proposal=proposal),
        "appoint_form": appoint_form or AppointForm(reviewers=selectors.appointable_reviewers(proposal=proposal)),
        "decision_form": decision_form or DecisionForm(),
        "feedback": selectors.proposal_feedback(viewer=request.user, proposal=proposal),
    }
    return render(request, "deals/reviews/chair_proposal.html", context, status=status)


@login_required
def chair_proposal_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _chair_page(request, _chaired_or_404(request, reference))


@login_required
@require_POST
def appoint_view(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _chaired_or_404(request, reference)
    form = AppointForm(request.POST, reviewers=selectors.appointable_reviewers(proposal=proposal))
    if form.is_valid():
        try:
            services.reviewer_appoint(actor=request.user, proposal=proposal, reviewer=form.cleaned_data["reviewer"])
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Reviewer appointed; they are told by e-mail."))
            return redirect("deals:review_proposal", reference=proposal.reference)
    return _chair_page(request, proposal, appoint_form=form, status=400)


@login_required
@require_POST
def remove_view(request: HttpRequest, reference: str, assignment_id: int) -> HttpResponse:
    proposal = _chaired_or_404(request, reference)
    try:
        assignment = proposal.assignments.get(pk=assignment_id)
    except ReviewAssignment.DoesNotExist as error:
        raise Http404(_("No such appointment.")) from error
    try:
        services.reviewer_remove(actor=request.user, assignment=assignment)
    except (ValidationError, PermissionDenied) as error:
        _refusals(request, error)
    else:
        messages.success(request, _("Appointment withdrawn."))
    return redirect("deals:review_proposal", reference=proposal.reference)


@login_required
@require_POST
def decide_view(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _chaired_or_404(request, reference)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(
                actor=request.user,
                proposal=proposal,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if proposal.call_id is None:
                messages.success(request, _("Decision recorded; the submitter is told by e-mail."))
            else:
                messages.success(
                    request, _("Decision recorded; the submitter is told when the call's decision takes effect.")
                )
            if request.POST.get("next") == "call" and proposal.call is not None:
                return redirect("deals:review_chair", slug=proposal.call.slug)
            return redirect("deals:review_proposal", reference=proposal.reference)
    return _chair_page(request, proposal, decision_form=form, status=400)


urlpatterns = [
    path("reviews/", queue_view, name="review_queue"),
    path("reviews/<int:pk>/", detail_view, name="review_detail"),
    path("reviews/<int:pk>/declare/", declare_view, name="review_declare"),
    path("reviews/<int:pk>/scores/", score_view, name="review_scores"),
    path("reviews/calls/<slug:slug>/", chair_call_view, name="review_chair"),
    path("reviews/proposals/<str:reference>/", chair_proposal_view, name="review_proposal"),
    path("reviews/proposals/<str:reference>/appoint/", appoint_view, name="review_appoint"),
    path("reviews/proposals/<str:reference>/reviewers/<int:assignment_id>/remove/", remove_view, name="review_remove"),
    path("reviews/proposals/<str:reference>/decide/", decide_view, name="review_decide"),
]
