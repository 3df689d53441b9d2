"""Delegation visit pages: the staff itinerary (stops, legs, zone site visits) and each participant's
agenda as PDF. Reads go through events.visit_selectors, writes through events.visit_services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.events import selectors, visit_selectors, visit_services
from silkbridge.events.models import Event, Participant, SiteVisit, VisitLeg, VisitStop
from silkbridge.events.views.participant import participant_required
from silkbridge.events.views.staff import _event, _form_errors, staff_required
from silkbridge.events.visit_cities import city_name, visit_cities
from silkbridge.events.visit_forms import (
    HostDeclineForm,
    LegForm,
    SiteVisitForm,
    SiteVisitPlanPostForm,
    StopForm,
    in_city,
)
from silkbridge.zones.models import Zone
from silkbridge.zones.selectors import zone_list


def _delegation(request: HttpRequest, slug: str) -> Event:
    event = _event(request, slug)
    if not visit_selectors.is_delegation(event):
        raise Http404(_("This event is not a delegation visit."))
    return event


def _itinerary_render(request: HttpRequest, event: Event, status: int = 200, **forms_given: forms.Form) -> HttpResponse:
    members = visit_selectors.members(event=event)
    cities = visit_cities()

    def zone_of(city: str) -> str:
        return str(cities.get(city, {}).get("time_zone", "Asia/Karachi"))

    legs = [
        {
            "row": leg,
            "from": city_name(leg.from_city),
            "to": city_name(leg.to_city),
            "from_zone": zone_of(leg.from_city),
            "to_zone": zone_of(leg.to_city),
        }
        for leg in visit_selectors.legs(event=event)
    ]
    stops = [
        {"row": stop, "city": city_name(stop.city), "zone": zone_of(stop.city)}
        for stop in visit_selectors.stops(event=event)
    ]
    site_visits = [
        {"row": visit, "city": city_name(visit.zone.city), "zone": zone_of(visit.zone.city)}
        for visit in visit_selectors.site_visits(event=event)
    ]
    context = {
        "event": event,
        "stops": stops,
        "legs": legs,
        "site_visits": site_visits,
        "members": members,
        "hosts": visit_selectors.hosts(event=event),
        "cities": sorted(cities),
        "zones": zone_list(),
        "stop_form": forms_given.get("stop_form") or StopForm(),
        "leg_form": forms_given.get("leg_form") or LegForm(),
        "site_visit_form": forms_given.get("site_visit_form") or SiteVisitForm(members=members),
    }
    return render(request, "events/staff/itinerary.html", context, status=status)


@staff_required
def itinerary_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _itinerary_render(request, _delegation(request, slug))


def _itinerary_url(event: Event, anchor: str) -> str:
    return reverse("events:itinerary", kwargs={"slug": event.slug}) + anchor


@staff_required
@require_POST
def stop_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _delegation(request, slug)
    form = StopForm(request.POST)
    if form.is_valid():
        try:
            visit_services.stop_add(actor=request.user, event=event, **form.arguments())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The stop was added."))
            return redirect(_itinerary_url(event, "#stops"))
    return _itinerary_render(request, event, status=422, stop_form=form)


@staff_required
@require_POST
def leg_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _delegation(request, slug)
    form = LegForm(request.POST)
    if form.is_valid():
        try:
            visit_services.leg_add(actor=request.user, event=event, **form.arguments())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The leg was added."))
            return redirect(_itinerary_url(event, "#legs"))
    return _itinerary_render(request, event, status=422, leg_form=form)


@staff_required
@require_POST
def site_visit_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _delegation(request, slug)
    form = SiteVisitForm(request.POST, members=visit_selectors.members(event=event))
    if form.is_valid():
        zone = Zone.objects.filter(key=form.cleaned_data["zone"].strip()).first()
        try:
            visit_services.site_visit_add(actor=request.user, event=event, **form.arguments(zone.city if zone else ""))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The site visit was added."))
            return redirect(_itinerary_url(event, "#site-visits"))
    return _itinerary_render(request, event, status=422, site_visit_form=form)


ROWS: dict[str, Any] = {"stop": VisitStop, "leg": VisitLeg, "site-visit": SiteVisit}


@staff_required
@require_POST
def itinerary_delete_view(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    event = _delegation(request, slug)
    model = ROWS.get(kind)
    row = model.objects.filter(event=event, pk=pk).first() if model else None
    if row is None:
        raise Http404(_("No such part of the itinerary."))
    visit_services.itinerary_row_delete(actor=request.user, row=row)
    messages.success(request, _("Removed from the itinerary."))
    return redirect(_itinerary_url(event, ""))


# --- a site visit planned from a relocation case ----------------------------------------------------


def _refusals(request: HttpRequest, form: forms.Form, errors: dict[str, list[str]]) -> None:
    """Each refusal as a message that names its field."""
    for name, field_errors in errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(field_errors)
        messages.error(request, f"{label}: {text}" if label else text)


@login_required
@require_POST
def site_visit_plan_view(request: HttpRequest) -> HttpResponse:
    """The zone's organisation (or staff) plans a site visit for a case inside a delegation visit the
    company takes part in; the service decides who may (PermissionDenied: 403) and what is valid (each
    refusal shown with its field's name, nothing stored). Back to the case's page either way."""
    form = SiteVisitPlanPostForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("deals:case_board")
    if not form.is_valid():
        _refusals(request, form, {name: [str(error) for error in errors] for name, errors in form.errors.items()})
        return redirect(back)
    data = form.cleaned_data
    try:
        event = selectors.event_get(viewer=request.user, slug=data["event"])
    except Event.DoesNotExist as error:
        raise Http404(_("No such event.")) from error
    zone = Zone.objects.filter(key=data["zone"]).first()
    try:
        visit_services.site_visit_add(
            actor=request.user,
            event=event,
            zone_key=data["zone"],
            starts_at=in_city(data["starts_at"], zone.city if zone else ""),
            minutes=data["minutes"],
            relocation_request_id=data["relocation_request"],
            contact=data["contact"],
        )
    except ValidationError as error:
        _refusals(request, form, error.message_dict)
    else:
        messages.success(request, _("The site visit was added to the delegation visit."))
    return redirect(back)


# --- hosts confirm or decline their slot --------------------------------------------------------------


def _host_answer(request: HttpRequest, event: Event, meeting_id: int, answer: str) -> HttpResponse:
    """Confirm or decline from the agenda page: a meeting the user is no side of answers 404, the member
    side 403 (the service decides); a refusal comes back as a message."""
    meeting = selectors.meeting_get(event=event, viewer=request.user, meeting_id=meeting_id)
    if meeting is None or not visit_selectors.is_delegation(event):
        raise Http404(_("No such meeting."))
    back = reverse("events:agenda", kwargs={"slug": event.slug}) + "#itinerary"
    try:
        if answer == "confirm":
            visit_services.meeting_host_confirm(actor=request.user, meeting=meeting)
            messages.success(request, _("You confirmed the meeting."))
        else:
            form = HostDeclineForm(request.POST, prefix=f"decline-{meeting.pk}")
            if not form.is_valid():
                _refusals(request, form, {name: [str(e) for e in errors] for name, errors in form.errors.items()})
                return redirect(back)
            visit_services.meeting_host_decline(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
            messages.success(request, _("You declined the meeting; it is cancelled and both sides are told."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)


@require_POST
@participant_required
def host_confirm_view(request: HttpRequest, event: Event, participant: Participant, meeting_id: int) -> HttpResponse:
    return _host_answer(request, event, meeting_id, "confirm")


@require_POST
@participant_required
def host_decline_view(request: HttpRequest, event: Event, participant: Participant, meeting_id: int) -> HttpResponse:
    return _host_answer(request, event, meeting_id, "decline")


# --- the agenda as PDF -------------------------------------------------------------------------------


def agenda_context(participant: Participant) -> dict[str, Any]:
    return {
        "event": participant.event,
        "participant": participant,
        "items": visit_selectors.delegation_agenda(participant=participant),
        "is_host": visit_selectors.is_host(participant),
    }


@participant_required
def agenda_pdf_view(request: HttpRequest, event: Event, participant: Participant) -> HttpResponse:
    """The participant's agenda (legs, site visits, meetings, each in its local time) as a PDF in the
    reader's language: a page or two, rendered in the request like the incentive calculator's."""
    html = render_to_string("events/agenda_print.html", agenda_context(participant), request=request)
    try:
        from weasyprint import HTML
    except OSError:  # Pango missing
        messages.error(request, _("PDF files need the Pango library on the server; run “make pdf” as root."))
        return redirect("events:agenda", slug=event.slug)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.pdf"'
    return response


urlpatterns: list[URLPattern] = [
    path("<slug:slug>/manage/itinerary/", itinerary_view, name="itinerary"),
    path("<slug:slug>/manage/itinerary/stops/", stop_add_view, name="itinerary_stop_add"),
    path("<slug:slug>/manage/itinerary/legs/", leg_add_view, name="itinerary_leg_add"),
    path("<slug:slug>/manage/itinerary/site-visits/", site_visit_add_view, name="itinerary_site_visit_add"),
    path("<slug:slug>/manage/itinerary/<str:kind>/<int:pk>/delete/", itinerary_delete_view, name="itinerary_delete"),
    path("<slug:slug>/agenda.pdf", agenda_pdf_view, name="agenda_pdf"),
    path("<slug:slug>/meetings/<int:meeting_id>/confirm/", host_confirm_view, name="meeting_host_confirm"),
    path("<slug:slug>/meetings/<int:meeting_id>/decline/", host_decline_view, name="meeting_host_decline"),
    path("site-visits/plan/", site_visit_plan_view, name="site_visit_plan"),
]
