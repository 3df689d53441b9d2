"""Staff pages: set up an event with its slot grid, the organiser's dashboard, approvals, the scheduler,
the meeting list with check-in, exports and reminders. Every write goes through events.services."""

from __future__ import annotations

import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from silkbridge.core.budgets import BudgetExceeded
from silkbridge.core.exports import table_response
from silkbridge.core.runs import runs_reap
from silkbridge.events import selectors, services
from silkbridge.events.choices import MeetingStatus, ParticipantStatus, RequestStatus
from silkbridge.events.filtersets import MeetingFilterSet
from silkbridge.events.forms_staff import EventForm, ScheduleRunForm, SlotGridForm
from silkbridge.events.models import Event, Meeting, Participant

PAGE_SIZE = 50
LIST_LIMIT = 50
UNSCHEDULED_REASONS = {
    "no_common_slot": gettext_lazy("The two have no free slot in common"),
    "capacity": gettext_lazy("No table was left in their common slots"),
    "limit": gettext_lazy("One of them reached the maximum number of meetings"),
    "not_run": gettext_lazy("The scheduler has not run since it was accepted"),
    "changed": gettext_lazy("A registration or meeting changed while the scheduler ran; run it again"),
}
MARKS = {
    MeetingStatus.CHECKED_IN: gettext_lazy("Meeting checked in."),
    MeetingStatus.NO_SHOW: gettext_lazy("Meeting marked as a no-show."),
    MeetingStatus.SCHEDULED: gettext_lazy("Meeting set back to scheduled."),
}


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the sign-in page; signed-in non-staff get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        selectors.manager_check(viewer=request.user)  # the rule is the selector's: PermissionDenied, a 403
        return view(request, *args, **kwargs)

    return wrapper


def _event(request: HttpRequest, slug: str) -> Event:
    try:
        return selectors.event_manage_get(viewer=request.user, slug=slug)
    except Event.DoesNotExist as error:
        raise Http404(_("No such event.")) from error


def _form_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names, the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _messages_from(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


# --- set-up -----------------------------------------------------------------------------------------


@staff_required
def event_new_view(request: HttpRequest) -> HttpResponse:
    event_form = EventForm(request.POST or None)
    grid_form = SlotGridForm(request.POST or None)
    if request.method == "POST" and all([event_form.is_valid(), grid_form.is_valid()]):
        event = _event_create_with_slots(request, event_form, grid_form)
        if event is not None:
            messages.success(
                request,
                ngettext(
                    "The event was created with %(count)d slot.",
                    "The event was created with %(count)d slots.",
                    slot_count := event.slots.count(),
                )
                % {"count": slot_count},
            )
            return redirect("events:manage", slug=event.slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "events/staff/event_new.html", {"form": event_form, "grid_form": grid_form}, status=status)


def _event_create_with_slots(request: HttpRequest, event_form: EventForm, grid_form: SlotGridForm) -> Event | None:
    # One transaction: an event without its slots, or slots the organiser did not ask for, is never left behind.
    try:
        with transaction.atomic():
            try:
                event = services.event_create(actor=request.user, fields=event_form.event_fields())
            except ValidationError as error:
                _form_errors(event_form, error)
                raise
            try:
                services.slots_generate(actor=request.user, event=event, **grid_form.grid_arguments())
            except ValidationError as error:
                _form_errors(grid_form, error)
                raise
    except ValidationError:
        return None
    return event


@staff_required
@require_POST
def slots_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    grid_form = SlotGridForm(request.POST)
    if grid_form.is_valid():
        try:
            created = services.slots_generate(actor=request.user, event=event, **grid_form.grid_arguments())
        except ValidationError as error:
            _form_errors(grid_form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d slot was added.", "%(count)d slots were added.", len(created))
                % {"count": len(created)},
            )
            return redirect(reverse("events:manage", kwargs={"slug": event.slug}) + "#slots")
    return _manage_render(request, event, grid_form=grid_form, status=422)


# --- the organiser's dashboard ----------------------------------------------------------------------


@staff_required
def manage_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _manage_render(request, _event(request, slug))


def _manage_render(
    request: HttpRequest,
    event: Event,
    *,
    grid_form: SlotGridForm | None = None,
    run_form: ScheduleRunForm | None = None,
    status: int = 200,
) -> HttpResponse:
    runs_reap()  # a run whose worker died shows as failed, not running
    figures = selectors.dashboard(event=event)
    pending = Paginator(selectors.registration_list(event=event, status=ParticipantStatus.PENDING), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    without_meeting = selectors.participants_without_meeting(event=event)
    context = {
        "event": event,
        "figures": figures,
        "pending": pending,
        "page": pending,
        "requests_chart": _requests_chart(figures),
        "unscheduled": _unscheduled_rows(event, figures["accepted_unscheduled"]),
        "unscheduled_total": len(figures["accepted_unscheduled"]),
        "slot_rows": _slot_rows(figures["slots"]),
        "countries": _country_rows(figures["countries"]),
        "without_meeting": without_meeting[:LIST_LIMIT],
        "leads": selectors.lead_list(event=event)[:LIST_LIMIT],
        "list_limit": LIST_LIMIT,
        "last_run": figures["last_run"],
        "gap": _gap(figures["last_run"]),
        "run_form": run_form or ScheduleRunForm(),
        "grid_form": grid_form or SlotGridForm(),
    }
    return render(request, "events/staff/manage.html", context, status=status)


def _share(value: int | float, largest: int | float) -> float:
    return round(value / largest, 3) if largest else 0.0


def _requests_chart(figures: dict[str, Any]) -> list[dict[str, Any]]:
    counts = figures["requests_by_status"]
    largest = max(counts.values(), default=0)
    return [
        {"label": RequestStatus(value).label, "count": counts[value], "share": _share(counts[value], largest)}
        for value in RequestStatus.values
    ]


def _unscheduled_rows(event: Event, entries: list[dict[str, Any]]) -> dict[str, Any]:
    reasons = Counter(entry["reason"] for entry in entries)
    shown = entries[:LIST_LIMIT]
    ids = [entry["request"].requester_id for entry in shown] + [entry["request"].recipient_id for entry in shown]
    participants = selectors.participants_by_id(event=event, ids=ids)
    return {
        "by_reason": [
            {"code": code, "label": UNSCHEDULED_REASONS.get(code, code), "count": count}
            for code, count in reasons.most_common()
        ],
        "rows": [
            {
                "requester": participants.get(entry["request"].requester_id),
                "recipient": participants.get(entry["request"].recipient_id),
                "reason": UNSCHEDULED_REASONS.get(entry["reason"], entry["reason"]),
                "code": entry["reason"],
            }
            for entry in shown
        ],
    }


def _slot_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Slots with unlimited tables are drawn against the busiest slot so the bars still compare.
    busiest = max((row["meetings"] for row in rows), default=0)
    return [
        {
            **row,
            "share": min(row["occupancy"], 1.0) if row["occupancy"] is not None else _share(row["meetings"], busiest),
            "percent": round(row["occupancy"] * 100) if row["occupancy"] is not None else None,
        }
        for row in rows
    ]


def _country_rows(countries: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    largest = {
        key: max((row[key] for row in countries.values()), default=0)
        for key in ("participants", "requests", "meetings")
    }
    return [
        {
            "code": code,
            **row,
            **{f"{key}_share": _share(row[key], largest[key]) for key in ("participants", "requests", "meetings")},
        }
        for code, row in countries.items()
    ]


def _gap(run: Any) -> float | None:
    """The share of the upper bound the plan may still miss (0 = proven optimal)."""
    if run is None or run.objective is None or not run.upper_bound:
        return None
    return max(0.0, (run.upper_bound - run.objective) / run.upper_bound)


@staff_required
@require_POST
def participant_status_view(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    event = _event(request, slug)
    participant = get_object_or_404(Participant.objects.select_related("organisation"), pk=participant_id, event=event)
    status = request.POST.get("status", "")
    if status not in ParticipantStatus.values:
        messages.error(request, _("Choose a registration status."))
    else:
        try:
            services.participant_set_status(actor=request.user, participant=participant, status=status)
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(
                request,
                _("%(organisation)s: %(status)s.")
                % {"organisation": participant.organisation.display_name, "status": participant.get_status_display()},
            )
    return _back(request, reverse("events:manage", kwargs={"slug": event.slug}) + "#registrations")


@staff_required
@require_POST
def schedule_run_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = ScheduleRunForm(request.POST)
    if not form.is_valid():
        return _manage_render(request, event, run_form=form, status=422)
    try:
        schedule_run = services.schedule_run_start(
            actor=request.user, event=event, time_limit=form.cleaned_data["time_limit"], seed=form.cleaned_data["seed"]
        )
    except ValidationError as error:
        _messages_from(request, error)
    except BudgetExceeded as error:
        messages.error(request, error.message)
    else:  # the solver runs in a worker; its page shows the progress and then links back here
        return redirect("core:run_detail", run_id=schedule_run.run_id)
    return redirect(reverse("events:manage", kwargs={"slug": event.slug}) + "#scheduler")


@staff_required
@require_POST
def reminders_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    counts = services.reminders_send(event=event)
    pending, idle = counts["pending_reminders"], counts["no_meeting_nudges"]
    # Two sentences, each with its own plural (one participant, two participants).
    pending_sentence = ngettext(
        "Reminders sent to %(count)d participant with unanswered requests.",
        "Reminders sent to %(count)d participants with unanswered requests.",
        pending,
    ) % {"count": pending}
    idle_sentence = ngettext(
        "%(count)d participant without any meeting was reminded too.",
        "%(count)d participants without any meeting were reminded too.",
        idle,
    ) % {"count": idle}
    messages.success(request, f"{pending_sentence} {idle_sentence}")
    return redirect("events:manage", slug=event.slug)


# --- meetings, check-in and exports ------------------------------------------------------------------


@staff_required
def meetings_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    filterset = MeetingFilterSet(request.GET, queryset=selectors.meeting_list(event=event), event=event)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "form": filterset.form,
        "page": page,
        "is_filtered": bool(request.GET.get("slot") or request.GET.get("status")),
    }
    return render(request, "events/staff/meetings.html", context)


@staff_required
@require_POST
def meeting_mark_view(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    event = _event(request, slug)
    meeting = get_object_or_404(Meeting, pk=meeting_id, event=event)
    status = request.POST.get("status", "")
    try:
        services.meeting_mark(actor=request.user, meeting=meeting, status=status)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(request, str(MARKS[MeetingStatus(status)]))
    return _back(request, reverse("events:meetings", kwargs={"slug": event.slug}))


EXPORT_HEADERS = (
    gettext_lazy("Slot start"),
    gettext_lazy("Minutes"),
    gettext_lazy("Table"),
    gettext_lazy("Requester"),
    gettext_lazy("Requester country"),
    gettext_lazy("Recipient"),
    gettext_lazy("Recipient country"),
    gettext_lazy("Interpreter needed"),
    gettext_lazy("Status"),
    gettext_lazy("Video room"),
)


def export_rows(event: Event) -> Iterable[list[Any]]:
    """One row per meeting; times in the event's zone as ISO 8601 with the offset."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    yes, no = _("yes"), _("no")
    for meeting in selectors.meeting_list(event=event):
        requester, recipient = meeting.request.requester, meeting.request.recipient
        yield [
            meeting.slot.starts_at.astimezone(zone).isoformat(),
            meeting.slot.minutes,
            meeting.table if meeting.table is not None else "",
            requester.organisation.display_name,
            requester.organisation.country,
            recipient.organisation.display_name,
            recipient.organisation.country,
            yes if requester.interpreter_needed or recipient.interpreter_needed else no,
            meeting.get_status_display(),
            meeting.video_url,
        ]


@staff_required
def export_view(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    event = _event(request, slug)
    if fmt not in {"csv", "xlsx"}:
        raise Http404(_("Meetings export as .csv or .xlsx."))
    headers = [str(header) for header in EXPORT_HEADERS]
    return table_response(fmt, f"{event.slug}-meetings", headers, export_rows(event), sheet_title=_("Meetings"))


urlpatterns: list[URLPattern] = [
    path("new/", event_new_view, name="event_new"),
    path("<slug:slug>/manage/", manage_view, name="manage"),
    path("<slug:slug>/manage/schedule/", schedule_run_view, name="schedule_run"),
    path(
        "<slug:slug>/manage/participants/<int:participant_id>/status/",
        participant_status_view,
        name="participant_status",
    ),
    path("<slug:slug>/manage/slots/", slots_add_view, name="slots_add"),
    path("<slug:slug>/manage/reminders/", reminders_view, name="reminders"),
    path("<slug:slug>/manage/meetings/", meetings_view, name="meetings"),
    path("<slug:slug>/manage/meetings/<int:meeting_id>/mark/", meeting_mark_view, name="meeting_mark"),
    path("<slug:slug>/manage/meetings.<str:fmt>", export_view, name="export"),
]
