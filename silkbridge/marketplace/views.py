"""Marketplace pages: browse, publish and review profiles, express interest and answer.

Reads go through marketplace.selectors (which decide visibility), every write through
marketplace.services; a profile the viewer may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.forms import add_service_errors
from silkbridge.core.i18n import content_language
from silkbridge.core.replica import reads_from_replica
from silkbridge.directory.selectors import NO_MEMBERS_NOTE, has_active_members, organisation_ids_of, user_organisations
from silkbridge.marketplace import selectors, services
from silkbridge.marketplace.choices import InterestStatus, OpportunityStatus
from silkbridge.marketplace.filtersets import InterestFilterSet, OpportunityFilterSet
from silkbridge.marketplace.forms import (
    DeclineInterestForm,
    InterestForm,
    OpportunityForm,
    ReviewForm,
)
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity
from silkbridge.translations.choices import LANGUAGE_NAMES
from silkbridge.translations.selectors import author_translations_of, reading_for

PAGE_SIZE = 25


def _opportunity_or_404(request: HttpRequest, pk: int) -> Opportunity:
    try:
        return selectors.opportunity_get(viewer=request.user, pk=pk)
    except Opportunity.DoesNotExist as error:
        raise Http404(_("No such profile.")) from error


def _managed_or_404(request: HttpRequest, pk: int) -> Opportunity:
    opportunity = _opportunity_or_404(request, pk)
    if not selectors.can_manage(user=request.user, opportunity=opportunity):
        raise Http404(_("No such profile."))
    return opportunity


def _interest_or_404(request: HttpRequest, pk: int) -> ExpressionOfInterest:
    try:
        return selectors.interest_get(viewer=request.user, pk=pk)
    except ExpressionOfInterest.DoesNotExist as error:
        raise Http404(_("No such expression of interest.")) from error


def _profile_errors(form: OpportunityForm, error: ValidationError) -> None:
    """The service names technologies `concepts`; the form calls that field `technologies`."""
    if hasattr(error, "error_dict") and "concepts" in error.error_dict:
        error.error_dict["technologies"] = error.error_dict.pop("concepts")
    add_service_errors(form, error)


@reads_from_replica
def opportunity_list_view(request: HttpRequest) -> HttpResponse:
    filterset = OpportunityFilterSet(request.GET, queryset=selectors.opportunities_browse(request.user))
    page = Paginator(filterset.qs.prefetch_related("sectors"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketplace/opportunity_list.html", {"form": filterset.form, "page": page})


@login_required
def opportunity_create_view(request: HttpRequest) -> HttpResponse:
    organisations = user_organisations(user=request.user)
    if not organisations.exists():
        return render(request, "marketplace/no_organisation.html", status=200)
    form = OpportunityForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                fields=form.service_fields(),
                submit=request.POST.get("action") == "submit",
            )
        except ValidationError as error:
            _profile_errors(form, error)
        else:
            if opportunity.status == OpportunityStatus.UNDER_REVIEW:
                messages.success(
                    request, _("Your profile is waiting for staff review; you are told when it is published.")
                )
            else:
                messages.success(
                    request, _("Draft saved. Check the suggested sectors and technologies, then send it for review.")
                )
            return redirect("marketplace:opportunity_detail", pk=opportunity.pk)
    return render(request, "marketplace/opportunity_form.html", {"form": form, "creating": True})


@login_required
def opportunity_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed_or_404(request, pk)
    organisations = selectors.organisations_acting_for(actor=request.user).filter(pk=opportunity.organisation_id)
    form = OpportunityForm(
        request.POST or None, organisations=organisations, initial=OpportunityForm.initial_for(opportunity)
    )
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_update(
                actor=request.user, opportunity=opportunity, fields=form.service_fields()
            )
        except ValidationError as error:
            _profile_errors(form, error)
        else:
            if opportunity.status == OpportunityStatus.UNDER_REVIEW:
                messages.success(request, _("Saved. The changes go to staff review before they are shown again."))
            else:
                messages.success(request, _("Saved."))
            return redirect("marketplace:opportunity_detail", pk=opportunity.pk)
    return render(
        request, "marketplace/opportunity_form.html", {"form": form, "creating": False, "opportunity": opportunity}
    )


def opportunity_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_or_404(request, pk)
    manages = selectors.can_manage(user=request.user, opportunity=opportunity)
    # The profile came through its selector: its translations are as visible as it is.
    reading = reading_for(
        obj=opportunity, reader_language=content_language(), show_original=request.GET.get("original") == "1"
    )
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "reading": reading,
        "text": reading.fields,
        "manages": manages,
        "sectors": opportunity.sectors.all(),
        "concepts": opportunity.concepts.all(),
    }
    if manages:
        context["review_comments"] = opportunity.review_comments.select_related("author")
        context["interests"] = opportunity.interests.select_related("organisation")
        context["history"] = selectors.opportunity_history(viewer=request.user, opportunity=opportunity)
    if selectors.can_review(user=request.user) and opportunity.status == OpportunityStatus.UNDER_REVIEW:
        context["review_form"] = ReviewForm()
        # The author's own translations replace the text for readers of their language: reviewed with it.
        context["author_translations"] = [
            {
                "language": language,
                "language_name": LANGUAGE_NAMES[language],
                "field": getattr(Opportunity._meta.get_field(name), "verbose_name", name),
                "text": text,
            }
            for language, texts in author_translations_of(obj=opportunity).items()
            for name, text in texts.items()
        ]
    if request.user.is_authenticated and selectors.is_open_to(viewer=request.user, opportunity=opportunity):
        own_ids = organisation_ids_of(request.user)
        context["sent"] = opportunity.interests.filter(organisation_id__in=own_ids).first()
        others = user_organisations(user=request.user).exclude(pk=opportunity.organisation_id)
        others = others.exclude(interests_sent__opportunity=opportunity)
        if others.exists():
            context["interest_form"] = InterestForm(organisations=others)
            context["owner_without_members"] = not has_active_members(opportunity.organisation_id)
    return render(request, "marketplace/opportunity_detail.html", context)


@login_required
@require_POST
def opportunity_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    opportunity = _managed_or_404(request, pk)
    actions = {
        "submit": (services.opportunity_submit, _("Sent for review; you are told when it is published.")),
        "close": (services.opportunity_close, _("The profile is closed and no longer shown to others.")),
        "renew": (services.opportunity_renew, _("Renewed for another year.")),
    }
    if action == "delete":
        try:
            services.opportunity_draft_delete(actor=request.user, opportunity=opportunity)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("marketplace:opportunity_detail", pk=opportunity.pk)
        messages.success(request, _("The draft is deleted."))
        return redirect("marketplace:mine")
    if action not in actions:
        raise Http404(_("No such action."))
    function, done = actions[action]
    try:
        function(actor=request.user, opportunity=opportunity)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("marketplace:opportunity_detail", pk=opportunity.pk)


@login_required
@require_POST
def opportunity_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        opportunity = selectors.opportunity_for_review(viewer=request.user, pk=pk)
    except Opportunity.DoesNotExist as error:
        raise Http404(_("No such profile.")) from error
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review = services.opportunity_review(
                actor=request.user,
                opportunity=opportunity,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Review saved: %(decision)s.") % {"decision": review.get_decision_display()})
            return redirect("marketplace:review_queue")
    context = {
        "opportunity": opportunity,
        "manages": True,
        "review_form": form,
        "sectors": opportunity.sectors.all(),
        "concepts": opportunity.concepts.all(),
        "review_comments": opportunity.review_comments.select_related("author"),
    }
    return render(request, "marketplace/opportunity_detail.html", context, status=400)


@login_required
def review_queue_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.review_queue(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketplace/review_queue.html", {"page": page})


@login_required
def mine_view(request: HttpRequest) -> HttpResponse:
    interests = selectors.interests_of_user(user=request.user)
    status = {"status": request.GET.get("status", "")}
    received = InterestFilterSet({**status, "direction": "received"}, queryset=interests)
    sent = InterestFilterSet({**status, "direction": "sent"}, queryset=interests)
    context = {
        "opportunities": selectors.opportunities_of_user(user=request.user),
        "form": received.form,
        "received": received.qs[:50],
        "sent": sent.qs[:50],
        "has_organisation": user_organisations(user=request.user).exists(),
    }
    return render(request, "marketplace/mine.html", context)


@login_required
@require_POST
def interest_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity_or_404(request, pk)
    organisations = user_organisations(user=request.user).exclude(pk=opportunity.organisation_id)
    form = InterestForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            interest = services.interest_express(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                opportunity=opportunity,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if has_active_members(opportunity.organisation_id):
                messages.success(request, _("Sent. The owner is told and answers here."))
            else:
                messages.warning(request, str(NO_MEMBERS_NOTE))
            return redirect("marketplace:interest_detail", pk=interest.pk)
    context = {
        "opportunity": opportunity,
        "manages": False,
        "interest_form": form,
        "sectors": opportunity.sectors.all(),
        "concepts": opportunity.concepts.all(),
    }
    return render(request, "marketplace/opportunity_detail.html", context, status=400)


@login_required
def interest_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    interest = _interest_or_404(request, pk)
    own_ids = organisation_ids_of(request.user)
    is_owner = interest.opportunity.organisation_id in own_ids
    # The interest came through its selector (its two organisations and staff): so do its translations.
    reading = reading_for(
        obj=interest, reader_language=content_language(), show_original=request.GET.get("original") == "1"
    )
    context = {
        "interest": interest,
        "reading": reading,
        "message": reading.fields["message"],
        "is_owner": is_owner,
        "is_sender": interest.organisation_id in own_ids,
        "owner_without_members": not getattr(interest, "owner_has_members", True),
        "contacts": selectors.interest_contacts(interest=interest),
        "decline_form": DeclineInterestForm() if is_owner and interest.status == InterestStatus.PENDING else None,
    }
    return render(request, "marketplace/interest_detail.html", context)


@login_required
@require_POST
def interest_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    interest = _interest_or_404(request, pk)
    accept = request.POST.get("action") == "accept"
    form = DeclineInterestForm(request.POST if not accept else None)
    if accept or form.is_valid():
        try:
            services.interest_answer(
                actor=request.user,
                interest=interest,
                accept=accept,
                reason="" if accept else form.cleaned_data["reason"],
                note="" if accept else form.cleaned_data["note"],
            )
        except ValidationError as error:
            if accept:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("marketplace:interest_detail", pk=interest.pk)
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Accepted: you can now see each other's contacts.") if accept else _("Declined.")
            )
            return redirect("marketplace:interest_detail", pk=interest.pk)
    context = {
        "interest": interest,
        "is_owner": True,
        "is_sender": False,
        "contacts": None,
        "decline_form": form,
    }
    return render(request, "marketplace/interest_detail.html", context, status=400)


@login_required
@require_POST
def interest_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    interest = _interest_or_404(request, pk)
    try:
        services.interest_withdraw(actor=request.user, interest=interest)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Withdrawn."))
    return redirect("marketplace:interest_detail", pk=interest.pk)
