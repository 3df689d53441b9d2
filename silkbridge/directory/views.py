"""Directory pages: search and filters, profiles, editing, members, verification, bulk import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.i18n import content_language
from silkbridge.core.replica import reads_from_replica
from silkbridge.directory import selectors, services
from silkbridge.directory.filtersets import OrganisationFilterSet
from silkbridge.directory.forms import ClaimDecisionForm, ClaimForm, ImportForm, MemberAddForm, OrganisationForm
from silkbridge.directory.importer import ImportFileError, import_start
from silkbridge.directory.models import Membership, Organisation, OrganisationClaim
from silkbridge.translations.selectors import reading_for

PAGE_SIZE = 20


def _add_form_errors(form: Any, error: ValidationError) -> None:
    for field_name, field_messages in error.message_dict.items():
        target = {"concepts": "technologies", "keywords": "technologies"}.get(field_name, field_name)
        for message in field_messages:
            form.add_error(target if target in form.fields else None, message)


@reads_from_replica
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilterSet(request.GET, queryset=selectors.organisations_visible(viewer=request.user))
    page = Paginator(filterset.results(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/organisation_list.html", {"form": filterset.form, "page": page})


def _visible_organisation(request: HttpRequest, key: str) -> Organisation:
    try:
        return selectors.organisation_get(viewer=request.user, key=key)
    except Organisation.DoesNotExist as error:
        raise Http404(_("No such organisation.")) from error


def organisation_detail_view(request: HttpRequest, key: str) -> HttpResponse:
    organisation = _visible_organisation(request, key)
    can_edit = selectors.organisation_can_edit(user=request.user, organisation=organisation)
    # The organisation came through its selector: its translations are as visible as it is.
    reading = reading_for(
        obj=organisation, reader_language=content_language(), show_original=request.GET.get("original") == "1"
    )
    context = {
        "organisation": organisation,
        "reading": reading if organisation.description else None,
        "description": reading.fields["description"],
        "contacts": selectors.contact_list(viewer=request.user, organisation=organisation),
        "can_edit": can_edit,
        "is_member": selectors.is_member(request.user, organisation),
        "open_claim": selectors.claim_open_for(user=request.user, organisation=organisation),
        "history": selectors.organisation_history(viewer=request.user, organisation=organisation) if can_edit else None,
    }
    return render(request, "directory/organisation_detail.html", context)


@login_required
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, initial={"visibility": "public", "country": "PK", "language": "en"})
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user,  # type: ignore[arg-type]
                fields=form.organisation_fields(),
                sector_codes=form.cleaned_data["sectors"],
                concept_terms=form.technology_terms(),
                translations=form.description_translations(),
            )
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("The organisation is created. Staff will verify it."))
            return redirect("directory:organisation_detail", key=organisation.key)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit_view(request: HttpRequest, key: str) -> HttpResponse:
    organisation = _visible_organisation(request, key)
    selectors.organisation_edit_check(viewer=request.user, organisation=organisation)  # no form for others
    initial = {name: getattr(organisation, name) for name in services.ORGANISATION_FIELDS}
    initial["sectors"] = [sector.code for sector in organisation.sectors.all()]
    initial["technologies"] = ", ".join(
        [*(concept.label_en for concept in organisation.concepts.all()), *(organisation.keywords or [])]
    )
    initial.update(OrganisationForm.translations_initial(organisation))
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.organisation_update(
                actor=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                fields=form.organisation_fields(),
                sector_codes=form.cleaned_data["sectors"],
                concept_terms=form.technology_terms(),
                translations=form.description_translations(),
            )
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            if organisation.is_verified and not updated.is_verified:
                messages.warning(
                    request,
                    _(
                        "The name, country or website changed, so the organisation is no longer marked as "
                        "verified. Staff will check it again."
                    ),
                )
            return redirect("directory:organisation_detail", key=organisation.key)
    return render(request, "directory/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_members_view(request: HttpRequest, key: str) -> HttpResponse:
    organisation = _visible_organisation(request, key)
    memberships = selectors.membership_list(viewer=request.user, organisation=organisation)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_invite(actor=request.user, organisation=organisation, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            # The same answer whether or not the address has an account.
            messages.success(
                request,
                _("An invitation is on its way to %(email)s. It is accepted by signing in with that address.")
                % {"email": form.cleaned_data["email"].lower()},
            )
            return redirect("directory:organisation_members", key=key)
    invitations = selectors.pending_invitations(viewer=request.user, organisation=organisation)
    return render(
        request,
        "directory/organisation_members.html",
        {"organisation": organisation, "memberships": memberships, "invitations": invitations, "form": form},
    )


@login_required
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation: shows what it is for, and a button (a GET changes nothing)."""
    invitation = services.membership_invitation_for_token(token=token)
    if invitation is None:
        return render(request, "directory/invitation_accept.html", {"invitation": None}, status=404)
    if request.method == "POST":
        try:
            services.membership_invitation_accept(actor=request.user, token=token)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Welcome: you are now a member of this organisation."))
            return redirect("directory:organisation_detail", key=invitation.organisation.key)
    return render(request, "directory/invitation_accept.html", {"invitation": invitation})


@login_required
@require_POST
def membership_remove_view(request: HttpRequest, key: str, membership_id: int) -> HttpResponse:
    organisation = _visible_organisation(request, key)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    try:
        services.membership_remove(actor=request.user, membership=membership)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member is removed."))
    return redirect("directory:organisation_members", key=key)


@login_required
@require_POST
def organisation_verify_view(request: HttpRequest, key: str) -> HttpResponse:
    organisation = _visible_organisation(request, key)
    is_verified = request.POST.get("verified") == "yes"
    services.organisation_verify(actor=request.user, organisation=organisation, is_verified=is_verified)  # type: ignore[arg-type]
    messages.success(request, _("Marked as verified.") if is_verified else _("Verification withdrawn."))
    return redirect("directory:organisation_detail", key=key)


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """The upload is checked (size, format) and stored here; a worker imports it while the staff member
    watches the run's page, which ends on the per-row report."""
    runs = selectors.import_run_list(viewer=request.user)  # staff only: the form is not shown to others
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_start(
                actor=request.user,
                upload=form.cleaned_data["file"],
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("core:run_detail", run_id=run.pk)
    status = 422 if form.errors else 200
    return render(request, "directory/import.html", {"form": form, "runs": runs[:10]}, status=status)


@login_required
def import_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.import_run_list(viewer=request.user), pk=pk)
    return render(request, "directory/import_report.html", {"report": report})


def sector_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    sector = request.GET.get("sector", "")[:40]
    concepts = selectors.concept_list(query=query, sector=sector)
    page = Paginator(concepts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/sector_list.html",
        {"sectors": selectors.sector_tree(), "page": page, "query": query, "sector": sector},
    )


@login_required
def organisation_claim_view(request: HttpRequest, key: str) -> HttpResponse:
    """Ask to join (or claim) a listed organisation: at once with an address at its domain, else decided."""
    organisation = _visible_organisation(request, key)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.organisation_claim(
                actor=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            if claim.status == "approved":
                messages.success(
                    request, _("Your e-mail address is at the organisation's domain: you are now a member.")
                )
                return redirect("directory:organisation_detail", key=key)
            messages.success(request, _("Your request is sent. You are told when it is decided."))
            return redirect("directory:claim_detail", pk=claim.pk)
    context = {
        "organisation": organisation,
        "form": form,
        "is_member": selectors.is_member(request.user, organisation),
        "open_claim": selectors.claim_open_for(user=request.user, organisation=organisation),
        "has_members": selectors.has_active_members(organisation.pk),
    }
    return render(request, "directory/claim_form.html", context, status=400 if form.errors else 200)


@login_required
def claim_queue_view(request: HttpRequest) -> HttpResponse:
    """The claims the user decides (staff: all; owners: their organisations'), and the user's own."""
    context = {
        "to_decide": selectors.claims_to_decide(viewer=request.user)[:100],
        "mine": selectors.claims_of(user=request.user)[:50],
    }
    return render(request, "directory/claim_queue.html", context)


def _claim_or_404(request: HttpRequest, pk: int) -> OrganisationClaim:
    try:
        return selectors.claim_get(viewer=request.user, pk=pk)
    except OrganisationClaim.DoesNotExist as error:
        raise Http404(_("No such request.")) from error


@login_required
def claim_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    form = ClaimDecisionForm(request.POST or None)
    decides = selectors.claims_to_decide(viewer=request.user).filter(pk=claim.pk).exists()
    if request.method == "POST" and decides and form.is_valid():
        try:
            services.organisation_claim_decide(
                actor=request.user,  # type: ignore[arg-type]
                claim=claim,
                approve=request.POST.get("action") == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_form_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision recorded; the user is told."))
            return redirect("directory:claim_queue")
    elif request.method == "POST" and not decides:
        raise PermissionDenied(_("Only staff and the organisation's owners decide on requests to join it."))
    context = {"claim": claim, "form": form if decides else None}
    return render(request, "directory/claim_detail.html", context, status=400 if form.errors else 200)


@login_required
def held_requests_view(request: HttpRequest) -> HttpResponse:
    """Staff's queue: requests and interests sent to organisations without members, newest first."""
    page = Paginator(selectors.held_requests(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/held_requests.html", {"page": page})
