"""The deals pages: calls for proposals.

Reads go through selectors.calls (which decide who sees a call and which part of its record), every
write through services.calls; a call the reader may not see answers 404, as if it did not exist. The
deadline is shown in the reader's own time zone (a visitor's: the call's), with the call's beside it.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from silkbridge.core.forms import add_service_errors
from silkbridge.core.i18n import content_language
from silkbridge.deals.choices import CallStatus, Decision, EvaluationMethod, OpeningKind
from silkbridge.deals.forms.calls import (
    AnswerForm,
    CallForm,
    CancelForm,
    GrievanceForm,
    OpeningForm,
    QuestionForm,
    ReportForm,
)
from silkbridge.deals.models import Call, CallEvent, Clarification, Grievance
from silkbridge.deals.selectors import calls as selectors
from silkbridge.deals.services import calls as services
from silkbridge.directory.models import Organisation, Sector
from silkbridge.directory.selectors import organisations_visible, user_organisations

PAGE_SIZE = 25
# engine.rubric.TIE_BREAK_RULE, as the reader's language has it (tests check that the English is the same).
TIE_BREAK_RULE = gettext_lazy(
    "Equal scores are ordered by the mean score on the criterion with the highest weight (then the next "
    "highest, and so on), then by the lower price where prices were opened, then by the earlier submission."
)


def _call_or_404(request: HttpRequest, slug: str) -> Call:
    try:
        return selectors.call_get(viewer=request.user, slug=slug)
    except Call.DoesNotExist as error:
        raise Http404(_("No such call for proposals.")) from error


def _staff_call_or_404(request: HttpRequest, slug: str) -> Call:
    call = _call_or_404(request, slug)
    if not selectors.call_staff_check(viewer=request.user, call=call):
        raise Http404(_("No such call for proposals."))
    return call


def remaining_text(remaining: timedelta) -> str:
    """ "2 days, 3 hours, 5 minutes" (what the countdown script then keeps up to date)."""
    minutes = int(remaining.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if days or hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return _(", ").join(parts)


def deadline_context(request: HttpRequest, call: Call, *, now: datetime | None = None) -> dict[str, Any]:
    """The deadline in the reader's zone (signed-in readers: their own; visitors: the call's) and in the
    call's zone, as naive wall-clock times the templates print as they are, and the time left."""
    now = now or timezone.now()
    call_zone = zoneinfo.ZoneInfo(call.time_zone)
    if request.user.is_authenticated:
        reader_zone_name = timezone.get_current_timezone_name()
        reader_zone = timezone.get_current_timezone()
    else:
        reader_zone_name, reader_zone = call.time_zone, call_zone
    remaining = call.deadline - now
    return {
        "deadline_reader": call.deadline.astimezone(reader_zone).replace(tzinfo=None),
        "deadline_reader_zone": reader_zone_name,
        "deadline_call": call.deadline.astimezone(call_zone).replace(tzinfo=None),
        "deadline_same_zone": reader_zone_name == call.time_zone,
        "deadline_passed": remaining.total_seconds() <= 0,
        "remaining": remaining_text(remaining) if remaining.total_seconds() > 0 else "",
    }


# --- list --------------------------------------------------------------------------------------------


def call_list_view(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in ("open", "closed") else ""
    sector = request.GET.get("sector", "")[:40]
    issuer = request.GET.get("issuer", "")[:80]
    calls = selectors.calls_filtered(
        selectors.calls_visible(viewer=request.user), state=state, sector=sector, issuer=issuer
    )
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    issuers = (
        organisations_visible(viewer=request.user).filter(calls_issued__isnull=False).distinct().order_by("name_en")
    )
    context = {
        "page": page,
        "state": state,
        "sector": sector,
        "issuer": issuer,
        "sectors": Sector.objects.filter(parent__isnull=True).order_by("code"),
        "issuers": issuers,
        "can_create": request.user.is_authenticated and selectors.issuers_for(actor=request.user).exists(),
        "now": timezone.now(),
    }
    return render(request, "deals/calls/call_list.html", context)


# --- create and edit ---------------------------------------------------------------------------------


def _resolve_invited(request: HttpRequest, form: CallForm) -> list[Organisation] | None:
    keys = form.invited_keys()
    found = {o.key: o for o in organisations_visible(viewer=request.user).filter(key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        form.add_error("invited", _("No organisation with the key: %(keys)s.") % {"keys": ", ".join(missing)})
        return None
    return [found[key] for key in dict.fromkeys(keys)]


@login_required
def call_create_view(request: HttpRequest) -> HttpResponse:
    issuers = selectors.issuers_for(actor=request.user)
    if not issuers.exists():
        return render(request, "deals/calls/not_issuer.html", status=403)
    form = CallForm(request.POST or None, issuers=issuers)
    if request.method == "POST" and form.is_valid():
        invited = _resolve_invited(request, form)
        if invited is not None:
            try:
                call = services.call_create(
                    actor=request.user,
                    issuer=form.cleaned_data["issuer"],
                    fields=form.service_fields(),
                    criteria=form.cleaned_data["rubric"],
                    invited=invited,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Draft saved. Check the rubric, then publish the call."))
                return redirect("deals:call_detail", slug=call.slug)
    return render(request, "deals/calls/call_form.html", {"form": form, "creating": True})


@login_required
def call_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _staff_call_or_404(request, slug)
    form = CallForm(
        request.POST or None, issuers=Organisation.objects.none(), call=call, initial=CallForm.initial_for(call)
    )
    if call.status != CallStatus.DRAFT:
        # The rubric and the rules are fixed once published (the service refuses changes to them).
        for name in ("rubric", *services.FIXED_AFTER_PUBLICATION):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        invited = _resolve_invited(request, form)
        if invited is not None:
            try:
                call = services.call_update(
                    actor=request.user,
                    call=call,
                    fields=form.service_fields(),
                    criteria=form.cleaned_data["rubric"] if call.status == CallStatus.DRAFT else None,
                    invited=invited,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("deals:call_detail", slug=call.slug)
    return render(request, "deals/calls/call_form.html", {"form": form, "creating": False, "call": call})


# --- the call's page ---------------------------------------------------------------------------------


def _localised_documents(call: Call) -> list[str]:
    language = content_language()
    return [item.get(language) or item.get("en") or next(iter(item.values()), "") for item in call.required_documents]


def _anchors(criterion: Any) -> list[tuple[str, str]]:
    language = content_language()
    return [
        (level, texts.get(language) or texts.get("en") or next(iter(texts.values()), ""))
        for level, texts in sorted(criterion.anchors.items(), key=lambda item: int(item[0]))
    ]


def _openings(viewer: Any, call: Call) -> list[Any]:
    """The openings the viewer may read, each with its record's rows (times as datetimes, to be shown in
    the reader's zone)."""
    openings = list(selectors.openings_visible(viewer=viewer, call=call))
    for opening in openings:
        opening.rows = [  # type: ignore[attr-defined]
            {**row, "submitted_at": parse_datetime(row["submitted_at"]) if row.get("submitted_at") else None}
            for row in opening.record
        ]
    return openings


def _report_rows(report: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not report:
        return []
    labels = dict(Decision.choices)
    return [{**row, "decision_label": labels.get(row.get("decision", ""), "")} for row in report.get("ranking", [])]


def call_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(request, slug)
    viewer = request.user
    is_staff = selectors.call_staff_check(viewer=viewer, call=call)
    criteria = list(call.criteria.all())
    report = selectors.report_visible(viewer=viewer, call=call)
    context: dict[str, Any] = {
        "call": call,
        "is_call_staff": is_staff,
        "criteria": [(criterion, _anchors(criterion)) for criterion in criteria],
        "total_weight": sum(criterion.weight for criterion in criteria),
        "documents": _localised_documents(call),
        "clarifications": selectors.clarifications_visible(viewer=viewer, call=call),
        "openings": _openings(viewer, call),
        "report": report,
        "report_rows": _report_rows(report),
        "tie_break_rule": TIE_BREAK_RULE,
        "grievances": list(selectors.grievances_visible(viewer=viewer, call=call)),
        "submissions": selectors.submissions_count(call=call)
        if selectors.may_read_record(viewer=viewer, call=call)
        else None,
        "is_quality_and_cost": call.evaluation == EvaluationMethod.QUALITY_AND_COST,
        "now": timezone.now(),
        **deadline_context(request, call),
    }
    asking = selectors.organisations_may_submit(viewer=viewer, call=call)
    if call.status == CallStatus.PUBLISHED and not context["deadline_passed"] and asking.exists():
        context["question_form"] = QuestionForm(organisations=asking)
        context["can_propose"] = True  # the way to the proposal form (proposals part) for those who may submit
    filing = selectors.grievance_organisations(viewer=viewer, call=call)
    if call.grievances_until and context["now"] <= call.grievances_until and filing.exists():
        context["grievance_form"] = GrievanceForm(organisations=filing)
    if is_staff:
        kinds = {opening.kind for opening in context["openings"]}
        context.update(
            answer_form=AnswerForm(),
            cancel_form=CancelForm() if call.status in (CallStatus.DRAFT, CallStatus.PUBLISHED) else None,
            opening_form=OpeningForm(),
            can_open=call.status == CallStatus.PUBLISHED and OpeningKind.TECHNICAL not in kinds,
            can_open_financial=(
                context["is_quality_and_cost"] and OpeningKind.TECHNICAL in kinds and OpeningKind.FINANCIAL not in kinds
            ),
            report_form=ReportForm() if OpeningKind.TECHNICAL in kinds and call.report_published_at is None else None,
            can_decide=call.status == CallStatus.PUBLISHED and call.report_published_at is not None,
            history=CallEvent.objects.filter(call=call).select_related("actor").order_by("-created_at", "-pk"),
        )
    return render(request, "deals/calls/call_detail.html", context)


# --- actions -----------------------------------------------------------------------------------------


def _act(request: HttpRequest, call: Call, action: Callable[[], Any], done: str) -> HttpResponse:
    """Run a service; its refusal comes back as a message on the call's page, naming the reason."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("deals:call_detail", slug=call.slug)


def _form_errors(request: HttpRequest, call: Call, form: Any) -> HttpResponse:
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, message)
    return redirect("deals:call_detail", slug=call.slug)


@login_required
@require_POST
def call_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(request, slug)
    return _act(
        request, call, lambda: services.call_publish(actor=request.user, call=call), _("The call is published.")
    )


@login_required
@require_POST
def call_cancel_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(request, slug)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, call, form)
    reason = form.cleaned_data["reason"]
    return _act(
        request,
        call,
        lambda: services.call_cancel(actor=request.user, call=call, reason=reason),
        _("The call is cancelled."),
    )


@login_required
@require_POST
def call_open_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(request, slug)
    form = OpeningForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, call, form)
    financial = request.POST.get("kind") == OpeningKind.FINANCIAL
    opener = services.call_open_financial if financial else services.call_open
    return _act(
        request,
        call,
        lambda: opener(actor=request.user, call=call, attendees=form.attendee_names()),
        _("Opened; the record is published to every submitter."),
    )


@login_required
@require_POST
def call_report_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(request, slug)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, call, form)
    days = form.cleaned_data["grievance_days"]
    return _act(
        request,
        call,
        lambda: services.report_publish(actor=request.user, call=call, grievance_days=days),
        _("The evaluation report is published to every submitter."),
    )


@login_required
@require_POST
def call_decide_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(request, slug)
    return _act(
        request, call, lambda: services.call_decide(actor=request.user, call=call), _("The decision has taken effect.")
    )


@login_required
@require_POST
def clarification_ask_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(request, slug)
    form = QuestionForm(request.POST, organisations=user_organisations(user=request.user))
    if not form.is_valid():
        return _form_errors(request, call, form)
    data = form.cleaned_data
    return _act(
        request,
        call,
        lambda: services.clarification_ask(
            actor=request.user, call=call, organisation=data["organisation"], question=data["question"]
        ),
        _("Your question is sent; the answer will be published to every organisation that may submit."),
    )


@login_required
@require_POST
def clarification_answer_view(request: HttpRequest, slug: str, clarification_id: int) -> HttpResponse:
    call = _call_or_404(request, slug)
    try:
        clarification = selectors.clarifications_visible(viewer=request.user, call=call).get(pk=clarification_id)
    except Clarification.DoesNotExist as error:
        raise Http404(_("No such question.")) from error
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, call, form)
    answer = form.cleaned_data["answer"]
    return _act(
        request,
        call,
        lambda: services.clarification_answer(actor=request.user, clarification=clarification, answer=answer),
        _("The answer is published."),
    )


@login_required
@require_POST
def grievance_file_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(request, slug)
    form = GrievanceForm(request.POST, organisations=user_organisations(user=request.user))
    if not form.is_valid():
        return _form_errors(request, call, form)
    data = form.cleaned_data
    return _act(
        request,
        call,
        lambda: services.grievance_file(
            actor=request.user, call=call, organisation=data["organisation"], text=data["text"]
        ),
        _("Your grievance is filed; the calling body must answer it before the decision takes effect."),
    )


@login_required
@require_POST
def grievance_answer_view(request: HttpRequest, slug: str, grievance_id: int) -> HttpResponse:
    call = _call_or_404(request, slug)
    try:
        grievance = selectors.grievances_visible(viewer=request.user, call=call).get(pk=grievance_id)
    except Grievance.DoesNotExist as error:
        raise Http404(_("No such grievance.")) from error
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, call, form)
    answer = form.cleaned_data["answer"]
    return _act(
        request,
        call,
        lambda: services.grievance_answer(actor=request.user, grievance=grievance, answer=answer),
        _("The answer is recorded."),
    )


urlpatterns: list[URLPattern] = [
    path("calls/", call_list_view, name="call_list"),
    path("calls/new/", call_create_view, name="call_create"),
    path("calls/<slug:slug>/", call_detail_view, name="call_detail"),
    path("calls/<slug:slug>/edit/", call_edit_view, name="call_edit"),
    path("calls/<slug:slug>/publish/", call_publish_view, name="call_publish"),
    path("calls/<slug:slug>/cancel/", call_cancel_view, name="call_cancel"),
    path("calls/<slug:slug>/open/", call_open_view, name="call_open"),
    path("calls/<slug:slug>/report/", call_report_view, name="call_report"),
    path("calls/<slug:slug>/decide/", call_decide_view, name="call_decide"),
    path("calls/<slug:slug>/questions/", clarification_ask_view, name="clarification_ask"),
    path(
        "calls/<slug:slug>/questions/<int:clarification_id>/answer/",
        clarification_answer_view,
        name="clarification_answer",
    ),
    path("calls/<slug:slug>/grievances/", grievance_file_view, name="grievance_file"),
    path("calls/<slug:slug>/grievances/<int:grievance_id>/answer/", grievance_answer_view, name="grievance_answer"),
]
