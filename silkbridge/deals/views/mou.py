"""MoU pages: the list, a draft from the clause library, the MoU in both languages side by side with
comments per clause and its versions, the editor, the comparison of two versions, and downloads of any
version as DOCX or PDF.

Reads go through selectors/mou.py (an MoU the viewer may not read answers 404, as if it did not
exist), writes through services/mou.py. The editor works without JavaScript: adding, removing and
moving clauses re-shows the form with the change, and only "Save" stores a version.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.forms import add_service_errors
from silkbridge.core.models import ACTIVE_RUN_STATUSES, RunStatus
from silkbridge.core.runs import run_error_display
from silkbridge.deals import documents
from silkbridge.deals.choices import MouStatus
from silkbridge.deals.forms.mou import CommentForm, CompareForm, MouDraftForm, MouEditForm, clauses_from_post
from silkbridge.deals.models import Deal, Mou, MouVersion
from silkbridge.deals.selectors import mou as selectors
from silkbridge.deals.services import mou as services
from silkbridge.deals.views.routing import route_panel_context

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _mou_or_404(request: HttpRequest, reference: str) -> Mou:
    try:
        return selectors.mou_get(viewer=request.user, reference=reference)
    except Mou.DoesNotExist as error:
        raise Http404(_("No such MoU.")) from error


def _other_language(mou: Mou) -> dict[str, str]:
    """How the page marks the second language's text: its language tag and direction."""
    if mou.second_language == "ur":
        return {"lang": "ur", "dir": "rtl", "name": "اردو"}
    return {"lang": "zh-Hans", "dir": "ltr", "name": "简体中文"}


@login_required
def mou_list_view(request: HttpRequest) -> HttpResponse:
    mous = selectors.mous_visible(viewer=request.user).order_by("-updated_at", "-pk")[:200]
    return render(request, "deals/mou/mou_list.html", {"mous": mous})


@login_required
def mou_new_view(request: HttpRequest, deal: str) -> HttpResponse:
    try:
        found = selectors.deal_for_drafting(viewer=request.user, reference=deal)
    except Deal.DoesNotExist as error:
        raise Http404(_("No such deal.")) from error
    library = list(selectors.library_clauses())
    form = MouDraftForm(request.POST or None, library=library, initial={"title": found.title})
    if request.method == "POST" and form.is_valid():
        try:
            mou = services.mou_draft(actor=request.user, deal=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Version 1 of the MoU is drafted from the clause library."))
            return redirect("deals:mou_detail", reference=mou.reference)
    elif request.method != "POST" and not selectors.can_draft(user=request.user, deal=found):
        form.add_error(None, _("Only platform staff and members of the deal's authority may draft and change its MoU."))
    return render(request, "deals/mou/mou_new.html", {"form": form, "deal": found})


@login_required
def mou_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    comments = selectors.comments_by_clause(viewer=request.user, mou=mou)
    clauses = [
        {"clause": clause, "comments": comments.get(clause.key, [])} for clause in mou.clauses.order_by("position")
    ]
    versions = list(selectors.mou_versions(viewer=request.user, mou=mou))
    numbers = [version.number for version in versions]
    compare = CompareForm(
        numbers=sorted(numbers),
        initial={"from_number": min(numbers, default=1), "to_number": max(numbers, default=1)},
    )
    context: dict[str, Any] = {
        "mou": mou,
        "clauses": clauses,
        "versions": versions,
        "compare_form": compare,
        "other": _other_language(mou),
        "can_edit": mou.status == MouStatus.DRAFTING and selectors.can_draft(user=request.user, deal=mou.deal),
        "can_comment": mou.status != MouStatus.SIGNED and selectors.can_comment(user=request.user, mou=mou),
        "history": selectors.mou_history(viewer=request.user, mou=mou)[:100],
    }
    # The route, signatories and seal (deals/routing/_route_panel.html); its keys are its own.
    context.update(route_panel_context(viewer=request.user, mou=mou))
    return render(request, "deals/mou/mou_detail.html", context)


@login_required
@require_POST
def mou_comment_view(request: HttpRequest, reference: str) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.clause_comment(
                actor=request.user, mou=mou, clause_key=form.cleaned_data["clause_key"], text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your comment is added to the clause."))
    else:
        for field_errors in form.errors.values():
            for problem in field_errors:
                messages.error(request, str(problem))
    anchor = f"#clause-{form.cleaned_data['clause_key']}" if "clause_key" in form.cleaned_data else ""
    return redirect(f"{mou_url(mou)}{anchor}")


def mou_url(mou: Mou) -> str:
    return reverse("deals:mou_detail", kwargs={"reference": mou.reference})


def _apply_action(mou: Mou, clauses: list[dict[str, str]], action: str, add_key: str) -> str | None:
    """Change the unsaved list of clauses as the pressed button says; an error message, or None."""
    verb, _sep, argument = action.partition(":")
    if verb in {"remove", "up", "down"}:
        try:
            index = int(argument)
        except ValueError:
            return _("No such clause.")
        if not 0 <= index < len(clauses):
            return _("No such clause.")
        if verb == "remove":
            clauses.pop(index)
        else:
            other = index - 1 if verb == "up" else index + 1
            if 0 <= other < len(clauses):
                clauses[index], clauses[other] = clauses[other], clauses[index]
        return None
    if verb == "add":
        keys = {clause["key"] for clause in clauses}
        if add_key == "_blank":
            number = len(clauses) + 1
            while f"clause-{number}" in keys:
                number += 1
            clauses.append(
                {"key": f"clause-{number}", "title_en": "", "title_other": "", "text_en": "", "text_other": ""}
            )
            return None
        if add_key in keys:
            return _("This clause is already in the MoU.")
        added = services.library_clauses_for(mou=mou, keys=[add_key])
        if not added:
            return _("No such clause in the library.")
        clauses.extend(added)
        return None
    return _("Unknown action.")


@login_required
def mou_edit_view(request: HttpRequest, reference: str) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    if not selectors.can_draft(user=request.user, deal=mou.deal):
        raise PermissionDenied(
            _("Only platform staff and members of the deal's authority may draft and change its MoU.")
        )
    if mou.status != MouStatus.DRAFTING:
        messages.error(request, _("This MoU is no longer being drafted; its text cannot be changed."))
        return redirect("deals:mou_detail", reference=mou.reference)
    if request.method == "POST":
        form = MouEditForm(request.POST)
        clauses = clauses_from_post(request.POST)
        action = request.POST.get("action", "save")
        if action != "save":
            problem = _apply_action(mou, clauses, action, request.POST.get("add_key", ""))
            if problem:
                messages.error(request, problem)
            form = MouEditForm(
                initial={"note": request.POST.get("note", ""), "base_version": request.POST.get("base_version")}
            )
        elif form.is_valid():
            try:
                version = services.mou_save(
                    actor=request.user,
                    mou=mou,
                    clauses=clauses,
                    note=form.cleaned_data["note"],
                    base_version=form.cleaned_data["base_version"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Version %(number)s is saved.") % {"number": version.number})
                return redirect("deals:mou_detail", reference=mou.reference)
    else:
        form = MouEditForm(initial={"base_version": mou.version})
        clauses = [
            {name: getattr(clause, name) for name in services.CLAUSE_FIELDS}
            for clause in mou.clauses.order_by("position")
        ]
    present = {clause["key"] for clause in clauses}
    library = [template for template in selectors.library_clauses() if template.key not in present]
    context = {"mou": mou, "form": form, "clauses": clauses, "library": library, "other": _other_language(mou)}
    return render(request, "deals/mou/mou_edit.html", context)


@login_required
def mou_compare_view(request: HttpRequest, reference: str) -> HttpResponse:
    mou = _mou_or_404(request, reference)
    numbers = sorted(version.number for version in selectors.mou_versions(viewer=request.user, mou=mou))
    form = CompareForm(request.GET or None, numbers=numbers)
    changes = None
    if form.is_valid():
        try:
            changes = selectors.mou_diff(
                viewer=request.user,
                mou=mou,
                from_number=form.cleaned_data["from_number"],
                to_number=form.cleaned_data["to_number"],
            )
        except MouVersion.DoesNotExist as error:
            raise Http404(_("This MoU has no such version.")) from error
    titles = {clause.key: clause.title_en for clause in mou.clauses.all()}
    rows = [{"change": change, "title": _change_title(change, titles)} for change in changes or []]
    context = {"mou": mou, "form": form, "rows": rows, "other": _other_language(mou), "compared": changes is not None}
    return render(
        request, "deals/mou/mou_compare.html", context, status=200 if form.is_valid() or not request.GET else 422
    )


def _change_title(change: Any, titles: dict[str, str]) -> str:
    for field in change.fields:
        if field.name == "title_en":
            return str(field.after or field.before or change.key)
    return titles.get(change.key, change.key)


@login_required
def mou_download_view(request: HttpRequest, reference: str, number: int, fmt: str) -> HttpResponse:
    """A version as DOCX, made in the request (a fraction of a second). The PDF takes seconds: it is made
    by a background run (`mou_pdf_view`)."""
    mou = _mou_or_404(request, reference)
    if fmt != "docx":
        raise Http404(_("No such format."))
    try:
        version = selectors.mou_version_get(viewer=request.user, mou=mou, number=number)
    except MouVersion.DoesNotExist as error:
        raise Http404(_("This MoU has no version %(number)s.") % {"number": number}) from error
    response = HttpResponse(documents.mou_docx(mou=mou, version=version), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mou-{mou.reference}-v{number}.docx"'
    return response


@login_required
def mou_pdf_view(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """A version's PDF: the latest one made (to download), the one being made (with a link to its
    progress), and the button that has a PDF made by a background run (POST; the progress page follows)."""
    mou = _mou_or_404(request, reference)
    try:
        version = selectors.mou_version_get(viewer=request.user, mou=mou, number=number)
    except MouVersion.DoesNotExist as error:
        raise Http404(_("This MoU has no version %(number)s.") % {"number": number}) from error
    if request.method == "POST":
        try:
            run = services.mou_pdf_start(actor=request.user, mou=mou, number=number)
        except (ValidationError, PermissionDenied) as error:
            for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
                messages.error(request, message)
            return redirect("deals:mou_pdf", reference=mou.reference, number=number)
        return redirect("core:run_detail", run_id=run.pk)
    runs = list(selectors.pdf_runs(mou=mou, number=number)[:1])
    latest = runs[0] if runs else None
    mine = latest is not None and (request.user.is_staff or latest.created_by_id == request.user.pk)
    context = {
        "mou": mou,
        "version": version,
        "made": selectors.pdf_made(mou=mou, number=number),
        "latest": latest,
        "latest_is_active": latest is not None and latest.status in ACTIVE_RUN_STATUSES,
        "latest_error": run_error_display(latest) if latest is not None and latest.status == RunStatus.FAILED else "",
        "latest_url": reverse("core:run_detail", args=[latest.pk]) if mine and latest is not None else "",
    }
    return render(request, "deals/mou/mou_pdf.html", context)


@login_required
def mou_pdf_file_view(request: HttpRequest, reference: str, number: int, run_id: int) -> FileResponse:
    """The PDF of a version that a background run made, for whoever may read the MoU."""
    mou = _mou_or_404(request, reference)
    run = selectors.pdf_made(mou=mou, number=number, run_id=run_id)
    if run is None or not default_storage.exists(run.result["file"]):
        raise Http404(_("This PDF is not available; make it again from the MoU's page."))
    return FileResponse(
        default_storage.open(run.result["file"], "rb"),
        as_attachment=True,
        filename=f"mou-{mou.reference}-v{number}.pdf",
        content_type="application/pdf",
    )


urlpatterns = [
    path("mous/", mou_list_view, name="mou_list"),
    path("mous/new/<str:deal>/", mou_new_view, name="mou_new"),
    path("mous/<str:reference>/", mou_detail_view, name="mou_detail"),
    path("mous/<str:reference>/edit/", mou_edit_view, name="mou_edit"),
    path("mous/<str:reference>/compare/", mou_compare_view, name="mou_compare"),
    path("mous/<str:reference>/comment/", mou_comment_view, name="mou_comment"),
    path("mous/<str:reference>/versions/<int:number>/pdf/", mou_pdf_view, name="mou_pdf"),
    path("mous/<str:reference>/versions/<int:number>/pdf/<int:run_id>.pdf", mou_pdf_file_view, name="mou_pdf_file"),
    path("mous/<str:reference>/versions/<int:number>/<str:fmt>/", mou_download_view, name="mou_download"),
]
