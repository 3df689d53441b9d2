"""The staff page of monthly reports: start one for a month and a language (a background run, whose
progress page follows), see the latest runs with their progress, download the PDFs. Every check is
in `report_runs` (staff only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from silkbridge.analytics import report, report_runs
from silkbridge.core.models import ACTIVE_RUN_STATUSES


@login_required
def reports_view(request: HttpRequest) -> HttpResponse:
    """GET: the form and the latest reports; POST: start a report (then its progress page)."""
    runs = report_runs.report_runs(actor=request.user)  # PermissionDenied (403) for anyone but staff
    values = {
        "month": f"{report.previous_month(timezone.localdate().replace(day=1)):%Y-%m}",
        "language": translation.get_language() if translation.get_language() in report.REPORT_LANGUAGES else "en",
    }
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {name: str(request.POST.get(name, "")).strip() for name in ("month", "language")}
        try:
            run = report_runs.report_start(actor=request.user, month=values["month"], language=values["language"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {name: list(error.message_dict[name]) for name in error.message_dict}
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("analytics:reports")
        else:
            return redirect("core:run_detail", run_id=run.pk)
    context = {
        "values": values,
        "errors": errors,
        "languages": [(code, name) for code, name in _language_names() if code in report.REPORT_LANGUAGES],
        "runs": [
            {"item": item, "percent": round(item.run.progress * 100), "active": item.run.status in ACTIVE_RUN_STATUSES}
            for item in runs
        ],
    }
    return render(request, "analytics/reports.html", context, status=400 if errors else 200)


def _language_names() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(code, str(name)) for code, name in settings.LANGUAGES]


@login_required
def report_file_view(request: HttpRequest, run_id: int) -> FileResponse:
    """A report's PDF, for staff (403 for others; 404 for a run that made no report)."""
    found = report_runs.report_file(actor=request.user, run_id=run_id)
    if found is None:
        raise Http404(_("This report is not available; make it again from the reports page."))
    path, name = found
    return FileResponse(
        default_storage.open(path, "rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
