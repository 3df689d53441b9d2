"""The monthly report's runs: made by a background run for staff (the reports page), stored as a file
and downloaded by staff only; and mailed once a month to the configured list (`report_send_monthly`).

Every check takes the actor (`report.report_check`: the overview's readers, staff), so the page, the
download and the command cannot disagree. A report run's exclusive key names its month and language:
one such run at a time, and the key is how the page lists it before it has a result.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date
from smtplib import SMTPException
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.accounts.choices import PlatformRole
from silkbridge.accounts.models import User
from silkbridge.analytics import report
from silkbridge.core.mail import render_for
from silkbridge.core.models import Run, RunStatus
from silkbridge.core.runs import Progress, RunAlreadyActive, RunFailure, run_enqueue, run_execute

logger = logging.getLogger(__name__)
RUN_KIND = "analytics.monthly_report"
MAIL_RUN_KIND = "analytics.monthly_report_mail"


def report_run_key(*, month: date, language: str) -> str:
    return f"{RUN_KIND}:{month:%Y-%m}:{language}"


def report_start(*, actor: Any, month: str, language: str) -> Run:
    """Queue the report of `month` (YYYY-MM) in `language`; the run to follow. PermissionDenied for
    anyone but staff; ValidationError naming `month` or `language`, or saying that the same report is
    being made already."""
    from silkbridge.analytics.tasks import monthly_report_task

    report.report_check(actor=actor)
    first_day = report.month_parse(month)
    report.language_check(language)
    try:
        with transaction.atomic():
            return run_enqueue(
                kind=RUN_KIND,
                created_by=actor,
                task=monthly_report_task,
                kwargs={"month": f"{first_day:%Y-%m}", "language": language},
                exclusive_key=report_run_key(month=first_day, language=language),
            )
    except RunAlreadyActive as error:
        raise ValidationError(_("This report is being made already; follow that run.")) from error


def report_render(*, run_id: int, month: str, language: str, progress: Progress) -> dict[str, Any]:
    """The work of a report run: render the PDF as the one who started it, store it, and give the
    address to download it as the run's result."""
    run = Run.objects.select_related("created_by").get(pk=run_id)
    actor = run.created_by
    if actor is None or not actor.is_staff:
        raise RunFailure(_("The monthly report is for the center's staff."))
    first_day = report.month_parse(month)
    try:
        content = report.report_pdf(actor=actor, month=first_day, language=language, progress=progress)
    except report.PdfUnavailable as error:
        raise RunFailure(_("PDF documents need the Pango library on the server; run “make pdf” as root.")) from error
    progress(0.95, _("Storing the PDF"))
    stored = default_storage.save(
        f"analytics/reports/{secrets.token_urlsafe(9)}-{month}-{language}.pdf", ContentFile(content)
    )
    url = reverse("analytics:report_file", kwargs={"run_id": run_id})
    return {"url": url, "file": stored, "month": month, "language": language, "bytes": len(content)}


@dataclass(frozen=True)
class ReportRun:
    """A report run as the reports page lists it: its month and language (from its key) and its file."""

    run: Run
    month: str
    language: str

    @property
    def url(self) -> str:
        result = self.run.result if isinstance(self.run.result, dict) else {}
        return str(result.get("url") or "") if self.run.status == RunStatus.SUCCEEDED else ""


def report_runs(*, actor: Any, limit: int = 20) -> list[ReportRun]:
    """The latest report runs, newest first (staff only)."""
    report.report_check(actor=actor)
    listed = []
    for run in Run.objects.filter(kind=RUN_KIND).order_by("-created_at", "-pk")[:limit]:
        _kind, _sep, rest = run.exclusive_key.partition(":")
        month, _sep, language = rest.partition(":")
        listed.append(ReportRun(run=run, month=month, language=language))
    return listed


def report_file(*, actor: Any, run_id: int) -> tuple[str, str] | None:
    """(stored path, download name) of a report a succeeded run made, or None; staff only."""
    report.report_check(actor=actor)
    run = Run.objects.filter(kind=RUN_KIND, status=RunStatus.SUCCEEDED, pk=run_id).first()
    result = run.result if run is not None and isinstance(run.result, dict) else {}
    if not result.get("file") or not default_storage.exists(result["file"]):
        return None
    return str(result["file"]), f"silkbridge-report-{result.get('month')}-{result.get('language')}.pdf"


# --- the monthly mail ---------------------------------------------------------------------------------


def report_reader() -> User:
    """The reader of the mailed report: staff, never saved (the report does not depend on whose eyes read
    it; the addresses on the list need no account)."""
    return User(email="monthly-report@silkbridge.example", role=PlatformRole.STAFF, is_active=True)


def report_recipients(value: str | None = None) -> list[tuple[str, str]]:
    """(address, language) from SILKBRIDGE_REPORT_RECIPIENTS: "address" or "language:address", comma
    separated. ImproperlyConfigured naming the entry that is not an address or not a report language."""
    text = settings.SILKBRIDGE_REPORT_RECIPIENTS if value is None else value
    recipients: list[tuple[str, str]] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        language, _sep, address = entry.rpartition(":")
        language = language.strip().lower() or "en"
        try:
            validate_email(address.strip())
            report.language_check(language)
        except ValidationError as error:
            raise ImproperlyConfigured(
                f"SILKBRIDGE_REPORT_RECIPIENTS: {entry!r} is not [en|zh-hans|ur:]address ({' '.join(error.messages)})"
            ) from error
        address = address.strip().lower()  # one mailbox, however it is written
        if address not in {known for known, _language in recipients}:  # listed twice: mailed once
            recipients.append((address, language))
    return recipients


def _already_sent(month: date) -> set[str]:
    """Every address a run of this month reached, whether that run then succeeded or failed part way
    (a failed run records the addresses it reached before it stopped)."""
    sent: set[str] = set()
    for result in Run.objects.filter(
        kind=MAIL_RUN_KIND,
        exclusive_key=f"{MAIL_RUN_KIND}:{month:%Y-%m}",
        status__in=(RunStatus.SUCCEEDED, RunStatus.FAILED),
    ).values_list("result", flat=True):
        if isinstance(result, dict):
            sent.update(address.lower() for address in result.get("sent") or [])
    return sent


def report_send_monthly(*, month: date | None = None, force: bool = False) -> dict[str, Any]:
    """Mail the report of `month` (default: the month before this one) to every configured address that
    has not had it yet (all of them again with `force`), as a PDF in the address's language. A run row
    records who got it: a second run the same month sends nothing new, and one address the mail server
    refused is tried again by the next run. ValidationError when such a run is going on already."""
    month = month or report.previous_month(timezone.localdate().replace(day=1))
    recipients = report_recipients()
    # The run is claimed first (one active run per month: a second cron start waits its turn), and only
    # then is it read who had the report, so two runs never both send to the same address.
    try:
        with transaction.atomic():
            run = Run.objects.create(
                kind=MAIL_RUN_KIND,
                exclusive_key=f"{MAIL_RUN_KIND}:{month:%Y-%m}",
                language=settings.LANGUAGE_CODE,
            )
    except IntegrityError as error:
        raise ValidationError(_("This report is being sent already; wait for that run to end.")) from error
    skipped = set() if force else _already_sent(month)
    due = [(address, language) for address, language in recipients if address not in skipped]

    def work(progress: Progress) -> dict[str, Any]:
        return _send(month=month, due=due, progress=progress)

    result = run_execute(run.pk, work)
    run.refresh_from_db(fields=["status", "error", "result"])
    if not result:  # a failed run: what it reached before it stopped is in its row
        result = run.result if isinstance(run.result, dict) else {}
    return {
        "month": f"{month:%Y-%m}",
        "status": run.status,
        "error": run.error,
        "already_sent": sorted(skipped & {address for address, _language in recipients}),
        "sent": result.get("sent", []),
        "failed": result.get("failed", []),
    }


def _send(*, month: date, due: list[tuple[str, str]], progress: Progress) -> dict[str, Any]:
    reader = report_reader()
    sent: list[str] = []
    failed: list[str] = []
    languages = sorted({language for _address, language in due})
    for index, language in enumerate(languages):
        progress(index / max(len(languages), 1), _("Making the report"))
        try:
            content = report.report_pdf(actor=reader, month=month, language=language)
        except Exception as error:
            # The run fails, and says whom it reached already: the next run sends only to the others.
            logger.exception("Monthly report %s in %s not made", f"{month:%Y-%m}", language)
            raise RunFailure(
                _("The report in %(language)s could not be made; the addresses before it have it.")
                % {"language": language},
                result={"sent": sent, "failed": failed},
            ) from error
        for address in [address for address, wanted in due if wanted == language]:
            person = SimpleNamespace(email=address, language=language)
            subject, body = render_for(
                user=person, template="analytics/email/monthly_report.txt", context={"month": month}
            )
            message = EmailMessage(subject=subject, body=body, to=[address])
            message.attach(f"silkbridge-report-{month:%Y-%m}-{language}.pdf", content, "application/pdf")
            try:
                message.send()
            except (OSError, SMTPException):
                # One refused address must not stop the others; the next run tries it again.
                logger.exception("Monthly report %s to %s not sent", f"{month:%Y-%m}", address)
                failed.append(address)
                continue
            sent.append(address)
    return {"sent": sent, "failed": failed}
