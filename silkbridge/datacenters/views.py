"""Data-center assessment pages: upload and list, the report (HTML and PDF), downloads."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.budgets import BudgetExceeded
from silkbridge.core.inputs import safe_file_name
from silkbridge.datacenters import report, selectors, services
from silkbridge.datacenters.forms import AssessmentForm
from silkbridge.datacenters.models import Assessment

EXAMPLE_NAME = re.compile(r"^tier[1-4]\.yaml$")


def _visible(request: HttpRequest, reference: str) -> Assessment:
    try:
        return selectors.assessment_get(viewer=request.user, reference=reference)
    except Assessment.DoesNotExist as error:
        raise Http404(_("No such assessment.")) from error


@login_required
def assessment_list_view(request: HttpRequest) -> HttpResponse:
    form = AssessmentForm(request.POST or None, request.FILES or None)
    issues: list[dict[str, str]] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            run = services.assessment_start(
                actor=request.user,
                design=form.design_upload(),
                weather=form.weather_upload(),
                years=form.cleaned_data["years"],
                seed=form.cleaned_data["seed"],
            )
        except services.DesignRejected as error:
            issues = report.describe_issues(error.issues)
            status = 422
        except BudgetExceeded as error:
            form.add_error(None, error.message)
            status = 429
        else:  # the engines run in a worker; the run's page shows the progress, then links to the report
            return redirect("core:run_detail", run_id=run.pk)
    page = Paginator(selectors.assessment_list(viewer=request.user), 20).get_page(request.GET.get("page"))
    examples = [f"tier{tier}.yaml" for tier in range(1, 5)]
    context = {"form": form, "issues": issues, "page": page, "examples": examples}
    if status == 200 and form.errors:
        status = 422
    return render(request, "datacenters/assessment_list.html", context, status=status)


@login_required
def assessment_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _visible(request, reference)
    context = {"assessment": assessment, **report.report_context(assessment.result)}
    context["can_delete"] = selectors.can_delete(user=request.user, assessment=assessment)
    return render(request, "datacenters/assessment_detail.html", context)


@login_required
def assessment_pdf_view(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _visible(request, reference)
    context = {"assessment": assessment, **report.report_context(assessment.result)}
    html = render_to_string("datacenters/report_print.html", context, request=request)
    try:
        pdf = report.render_pdf(html)
    except report.PdfUnavailable:
        message = _("PDF reports need the Pango library on the server; run “make pdf” as root.")
        return render(request, "datacenters/pdf_unavailable.html", {"message": message}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assessment-{assessment.reference}.pdf"'
    return response


@login_required
def assessment_json_view(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _visible(request, reference)
    response = HttpResponse(
        json.dumps(assessment.result, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.reference}.json"'
    return response


@login_required
def assessment_design_view(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _visible(request, reference)
    response = HttpResponse(assessment.design_text, content_type="text/plain; charset=utf-8")
    # Names stored before file names were cleaned may still hold a CR/LF; clean them on the way out too.
    file_name = safe_file_name(assessment.file_name, default="design.yaml")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=file_name) or ""
    return response


@login_required
@require_POST
def assessment_delete_view(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _visible(request, reference)
    services.assessment_delete(actor=request.user, assessment=assessment)
    messages.success(request, _("The assessment was deleted."))
    return redirect("datacenters:assessment_list")


def example_download_view(request: HttpRequest, name: str) -> FileResponse:
    if not EXAMPLE_NAME.match(name):
        raise Http404(_("No such example."))
    path = settings.BASE_DIR / "examples" / "datacenters" / name
    if not path.is_file():
        raise Http404(_("No such example."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="text/yaml")


def schema_download_view(request: HttpRequest) -> FileResponse:
    path = settings.BASE_DIR / "silkbridge" / "datacenters" / "schema" / "design.schema.json"
    return FileResponse(path.open("rb"), as_attachment=True, filename="design.schema.json")
