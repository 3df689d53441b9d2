"""Writes of assessments: validate the upload, run the engines, store the verdict in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from silkbridge.core.budgets import Budget, Charge, usage_charge, usage_refund
from silkbridge.core.inputs import first_unstorable, safe_file_name, unstorable_problem
from silkbridge.core.models import Run, RunStatus
from silkbridge.core.runs import (
    INFRASTRUCTURE_ERRORS,
    EnqueueableTask,
    Progress,
    RunFailure,
    run_enqueue,
    run_still_running,
)
from silkbridge.datacenters import selectors
from silkbridge.datacenters.engine.assess import AssessmentError, assess_document, document_check
from silkbridge.datacenters.models import Assessment
from silkbridge.datacenters.report import describe_issues

MIN_YEARS = 1_000
MAX_YEARS = 1_000_000  # what the engine accepts at all; requests are capped lower by a setting (max_years)


def max_years() -> int:
    """Simulated years one request may ask for (SILKBRIDGE_DATACENTER_MAX_YEARS, never above MAX_YEARS)."""
    return min(MAX_YEARS, settings.DATACENTER_MAX_YEARS)


def monte_carlo_budget() -> Budget:
    """Each user's hourly allowance of assessments and simulated years (a 1 M-year run takes ~44 s)."""
    return Budget(
        resource="datacenters.monte_carlo",
        max_runs=settings.DATACENTER_ASSESSMENTS_PER_HOUR,
        max_units=settings.DATACENTER_YEARS_PER_HOUR,
        runs_label=_("assessments"),
        units_label=_("simulated years"),
    )


@dataclass
class UploadedText:
    name: str
    content: bytes

    @classmethod
    def read(cls, upload: Any, *, limit: int, default_name: str) -> UploadedText:
        """At most one byte past the limit is read, so an oversized upload is refused (by `_decode`)
        without ever being held in memory whole."""
        return cls(name=upload.name or default_name, content=upload.read(limit + 1))


class DesignRejected(Exception):
    """The design (or its weather file) cannot be assessed; `issues` say where and why, all at once."""

    def __init__(self, issues: list[dict[str, Any]], *, engine_ran: bool = False) -> None:
        super().__init__("; ".join(str(issue.get("message", "")) for issue in issues))
        self.issues = issues
        # A design refused only after the simulation ran has cost what it asked for: no refund.
        self.engine_ran = engine_ran


def _issue(path: str, code: str, message: str, **params: Any) -> dict[str, Any]:
    return {"path": path, "code": code, "params": params, "message": message}


def _decode(upload: UploadedText, *, field: str, limit: int) -> str:
    if len(upload.content) > limit:
        raise DesignRejected(
            [_issue(field, "file_too_large", _("The file is larger than %(size)d kB.") % {"size": limit // 1024})]
        )
    try:
        return upload.content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text (byte %(position)d).") % {"position": error.start}
        raise DesignRejected([_issue(field, "not_utf8", message)]) from error


def _years_check(years: int) -> None:
    bounds = {"low": MIN_YEARS, "high": max_years()}
    if not bounds["low"] <= years <= bounds["high"]:
        message = _("Simulated years must be between %(low)d and %(high)d.") % bounds
        raise DesignRejected([_issue("years", "years_out_of_range", message, **bounds)])


def _texts_check(*, design: UploadedText, weather: UploadedText | None, years: int) -> tuple[str, str | None]:
    """The design and weather as text, refused (DesignRejected, naming the field) when the years are out
    of range, a file is too large or not UTF-8, or holds a character the database cannot store."""
    _years_check(years)
    design_text = _decode(design, field="design", limit=settings.DATACENTER_DESIGN_MAX_BYTES)
    weather_text = (
        None if weather is None else _decode(weather, field="weather", limit=settings.DATACENTER_EPW_MAX_BYTES)
    )
    for field, text in (("design", design_text), ("weather", weather_text or "")):
        problem = unstorable_problem(text)
        if problem is not None:
            raise DesignRejected([_issue(field, "unstorable_character", problem)])
    return design_text, weather_text


def assessment_evaluate(
    *, design: UploadedText, weather: UploadedText | None = None, years: int, seed: int
) -> dict[str, Any]:
    """Run every engine over an uploaded design without storing anything (the API's dry run)."""
    design_text, weather_text = _texts_check(design=design, weather=weather, years=years)
    try:
        result = assess_document(design_text, file_name=design.name, weather_text=weather_text, years=years, seed=seed)
    except AssessmentError as error:
        raise DesignRejected(error.issues) from error
    # A JSON design may spell a NUL as "\u0000" inside a name; the result is stored, so check it too.
    found = first_unstorable(result["design"], ("design",))
    if found is not None:
        raise DesignRejected([_issue(found[0], "unstorable_character", found[1])], engine_ran=True)
    return result


def assessment_create(
    *, actor: Any, design: UploadedText, weather: UploadedText | None = None, years: int, seed: int
) -> Assessment:
    """Assess a design and store it with its verdict, here and now (a worker's task and the tests call
    this; requests call `assessment_start`); an invalid design stores nothing.

    The run is charged to the actor's hourly budget first (BudgetExceeded when spent) and refunded
    when the design is refused; the engines run outside any transaction, the verdict is stored in one.
    """
    _years_check(years)
    charge = usage_charge(user=actor, budget=monte_carlo_budget(), units=years)
    try:
        result = assessment_evaluate(design=design, weather=weather, years=years, seed=seed)
    except DesignRejected as error:
        if not error.engine_ran:
            usage_refund(charge=charge)
        raise
    return _assessment_store(actor=actor, design=design, weather=weather, years=years, seed=seed, result=result)


ASSESSMENT_RUN_KIND = "datacenters.assessment"


def design_check(*, design: UploadedText, weather: UploadedText | None = None, years: int = MIN_YEARS) -> str:
    """The design as text once every check short of the engines has passed (what `assessment_start`
    checks before it queues anything); DesignRejected, naming the field, otherwise. Other apps that take
    a design (a proposal to a data-center call) check it here."""
    return _upload_check(design=design, weather=weather, years=years)[0]


def _upload_check(*, design: UploadedText, weather: UploadedText | None, years: int) -> tuple[str, str | None]:
    design_text, weather_text = _texts_check(design=design, weather=weather, years=years)
    try:
        document_check(design_text, file_name=design.name, weather_text=weather_text)
    except AssessmentError as error:
        raise DesignRejected(error.issues) from error
    return design_text, weather_text


def assessment_start(
    *,
    actor: Any,
    design: UploadedText,
    weather: UploadedText | None = None,
    years: int,
    seed: int,
    task: EnqueueableTask | None = None,
    context: dict[str, Any] | None = None,
) -> Run:
    """Check an upload and queue its assessment for a worker; the background run to follow.

    What can be checked without the engines is checked here, so that a bad upload is refused at once
    (DesignRejected, naming the field) and nothing is stored or queued: the years, the files' size and
    encoding, the design document itself (its syntax and every rule the parser checks) and the weather file. The run is
    charged to the actor's hourly budget now (BudgetExceeded when spent) and held by the run, which gives
    it back (`assessment_run_ended`) if the engine refuses the design before simulating. Another app may
    run its own `task` (which calls `assessment_run_execute` with the upload, then uses the result),
    given its `context` as well."""
    from silkbridge.datacenters.tasks import assessment_task

    design_text, weather_text = _upload_check(design=design, weather=weather, years=years)
    charge = usage_charge(user=actor, budget=monte_carlo_budget(), units=years)
    upload = {
        "design_name": design.name,
        "design_text": design_text,
        "weather_name": None if weather is None else weather.name,
        "weather_text": weather_text,
        "years": years,
        "seed": seed,
    }
    with transaction.atomic():
        return run_enqueue(
            kind=ASSESSMENT_RUN_KIND,
            created_by=actor,
            task=task or assessment_task,
            kwargs={**upload, **(context or {})},
            holds={"charge": [charge.window_id, charge.units]},
        )


def assessment_run_ended(run: Run) -> None:
    """The only place a queued assessment's charge is given back (once: `run_release`), read from how
    the run ended. One that failed because of the machinery (its worker killed or stopped, no worker in
    time, an error on the server, never queued) is refunded: the user got nothing for it. So is one whose
    design the engine refused before simulating (its result says `engine_ran: false`). One refused after
    the simulation ran keeps its charge, and one that succeeded was paid for."""
    if run.kind != ASSESSMENT_RUN_KIND or "charge" not in run.holds:
        return
    refused_before_simulating = isinstance(run.result, dict) and run.result.get("engine_ran") is False
    if run.status == RunStatus.FAILED and (run.error in INFRASTRUCTURE_ERRORS or refused_before_simulating):
        window_id, units = run.holds["charge"]
        usage_refund(charge=Charge(window_id=window_id, units=units))


def assessment_run_execute(
    *,
    actor: Any,
    run_id: int,
    design_name: str,
    design_text: str,
    weather_name: str | None,
    weather_text: str | None,
    years: int,
    seed: int,
    progress: Progress,
    charge: list[int] | None = None,
) -> dict[str, Any]:
    """Do a queued assessment (in a worker): the result holds the stored assessment's reference and
    page; a design the engine refuses ends the run failed, with every problem described. The charge is
    the run's to give back (`assessment_run_ended`), never this function's. A run reaped while the
    engines ran stores nothing (RunReaped): it was already marked failed and refunded."""
    del charge  # held by the run (Run.holds); still named by tasks queued before this release
    progress(0.05, _("Simulating %(years)s years of operation") % {"years": f"{years:,}"})
    design = UploadedText(name=design_name, content=design_text.encode("utf-8"))
    weather = None if weather_name is None else UploadedText(name=weather_name, content=(weather_text or "").encode())
    try:
        result = assessment_evaluate(design=design, weather=weather, years=years, seed=seed)
    except DesignRejected as error:
        raise RunFailure(_rejection_text(error), result={"engine_ran": error.engine_ran}) from error
    assessment = _assessment_store(
        actor=actor, design=design, weather=weather, years=years, seed=seed, result=result, run_id=run_id
    )
    return {
        "reference": assessment.reference,
        "tier": assessment.tier,
        "url": reverse("datacenters:assessment_detail", kwargs={"reference": assessment.reference}),
    }


def _rejection_text(error: DesignRejected) -> str:
    lines = [f"{issue['path'] or 'design'}: {issue['message']}" for issue in describe_issues(error.issues)]
    return "\n".join([_("The design is not valid."), *lines])


@transaction.atomic
def _assessment_store(
    *,
    actor: Any,
    design: UploadedText,
    weather: UploadedText | None,
    years: int,
    seed: int,
    result: dict[str, Any],
    run_id: int | None = None,
) -> Assessment:
    if run_id is not None:
        # A run the reaper marked failed (and refunded) while the engines ran stores no free assessment.
        run_still_running(run_id)
    availability = result["availability"]
    assessment = Assessment(
        name=result["design"]["name"][:200],
        file_name=safe_file_name(design.name, default="design.yaml"),
        design_text=design.content.decode("utf-8-sig"),
        created_by=actor,
        tier=result["tier"],
        claimed_tier=result["design"].get("claimed_tier"),
        availability=availability["analytical"],
        downtime_minutes=availability["downtime_minutes_per_year"]["analytical"],
        pue=result["pue"],
        years=years,
        seed=seed,
        result=result,
    )
    if weather is not None:
        weather_name = safe_file_name(weather.name, default="weather.epw")
        assessment.weather_name = weather_name
        assessment.weather_file.save(weather_name[-100:], ContentFile(weather.content), save=False)
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_delete(*, actor: Any, assessment: Assessment) -> None:
    """Remove an assessment and its weather file; only its uploader or staff may."""
    selectors.delete_check(viewer=actor, assessment=assessment)
    weather = assessment.weather_file
    assessment.delete()
    if weather:
        transaction.on_commit(lambda: weather.storage.delete(weather.name))
