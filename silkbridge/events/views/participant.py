"""Participant pages: events, registration with availability, browsing and requesting, answers, the agenda
and its calendar files. Reads go through events.selectors, every write through events.services."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.core.i18n import content_language
from silkbridge.directory.selectors import NO_MEMBERS_NOTE, user_organisations
from silkbridge.events import calendar, selectors, services, visit_selectors
from silkbridge.events.choices import (
    ParticipantStatus,
    PreferenceLevel,
    RequestPolicy,
    RequestStatus,
    SchedulingMode,
)
from silkbridge.events.filtersets import EventFilterSet, MeetingRequestFilterSet, ParticipantFilterSet
from silkbridge.events.forms import (
    AcceptForm,
    AvailabilityForm,
    DeclineForm,
    MeetingRequestForm,
    PreferenceForm,
    RatingForm,
    RegistrationForm,
    add_service_errors,
)
from silkbridge.events.models import Event, MeetingRequest, Participant, Slot
from silkbridge.translations.selectors import readings_for_many

PAGE_SIZE = 25
CANCELLABLE = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


# --- helpers ----------------------------------------------------------------------------------------


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    try:
        return selectors.event_get(viewer=request.user, slug=slug)
    except Event.DoesNotExist as error:
        raise Http404(_("No such event.")) from error


def _registration_is_open(event: Event) -> bool:
    return event.registration_opens_at <= timezone.now() <= event.registration_closes_at


def participant_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; the view gets the event and the participant the user represents.

    A signed-in user who represents no participant sees why and how to register, not an error page.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        event = _event_or_404(request, slug)
        participant = selectors.participant_for_user(event=event, user=request.user)
        if participant is None:
            if request.method == "POST":
                raise Http404(_("You are not registered for this event."))
            context = {
                "event": event,
                "registration_open": _registration_is_open(event),
                "joinable": selectors.participant_joinable(event=event, user=request.user),
                "next": request.get_full_path(),
            }
            return render(request, "events/not_registered.html", context, status=403)
        return view(request, event, participant, **kwargs)

    return wrapper


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return fallback


# --- events -----------------------------------------------------------------------------------------


def event_list_view(request: HttpRequest) -> HttpResponse:
    filterset = EventFilterSet(request.GET, queryset=selectors.event_list(viewer=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    registered: set[int] = set()
    if request.user.is_authenticated:
        registered = set(Participant.objects.filter(representatives=request.user).values_list("event_id", flat=True))
    context = {"form": filterset.form, "page": page, "registered": registered, "now": timezone.now()}
    return render(request, "events/event_list.html", context)


def event_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    participant = selectors.participant_for_user(event=event, user=request.user)
    span = event.slots.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    context = {
        "event": event,
        "participant": participant,
        "registration_open": _registration_is_open(event),
        "registration_not_yet_open": timezone.now() < event.registration_opens_at,
        "first_slot": span["first"],
        "last_slot": span["last"],
    }
    return render(request, "events/event_detail.html", context)


# --- registration -----------------------------------------------------------------------------------


def _availability_days(slots: Iterable[Slot], zone: zoneinfo.ZoneInfo, checked: set[int]) -> list[dict[str, Any]]:
    """The grid's rows: one per day in the participant's zone (a slot may fall on another day there)."""
    days: dict[date, list[dict[str, Any]]] = {}
    for slot in slots:
        day = slot.starts_at.astimezone(zone).date()
        days.setdefault(day, []).append({"slot": slot, "checked": slot.pk in checked})
    return [{"date": day, "slots": rows} for day, rows in days.items()]


def _posted_zone(request: HttpRequest, fallback: str) -> str:
    name = request.POST.get("time_zone", "") or fallback
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return fallback
    return name


@login_required
def register_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Register an organisation (or edit the registration): details and the availability grid."""
    event = _event_or_404(request, slug)
    participant = selectors.participant_for_user(event=event, user=request.user)
    organisations = None if participant else user_organisations(user=request.user)
    slots = list(event.slots.all())
    stored_zone = participant.time_zone if participant else (getattr(request.user, "time_zone", "") or event.time_zone)
    zone_name = _posted_zone(request, stored_zone)
    context: dict[str, Any] = {"event": event, "participant": participant, "has_slots": bool(slots)}
    if participant is None and not organisations.exists():  # type: ignore[union-attr]
        return render(request, "events/register.html", {**context, "no_organisation": True})
    if participant is None and not _registration_is_open(event):
        return render(request, "events/register.html", {**context, "registration_closed": True})

    if request.method == "POST" and "suggest" not in request.POST:
        details = RegistrationForm(request.POST, organisations=organisations)
        availability = AvailabilityForm(request.POST, slots=slots)
        if details.is_valid() and availability.is_valid():
            saved = _registration_save(request, event, participant, details, availability)
            if saved is not None:
                return redirect("events:event_detail", slug=event.slug)
        checked = {int(value) for value in request.POST.getlist("slots") if value.isdigit()}
    else:
        initial = _registration_initial(event, participant, zone_name)
        if request.method == "POST":  # "suggest": show the grid in the chosen zone with its working hours
            initial.update({key: request.POST.get(key) for key in ("organisation", "interests", "max_meetings")})
            initial["interpreter_needed"] = bool(request.POST.get("interpreter_needed"))
            initial["time_zone"] = zone_name
        details = RegistrationForm(initial=initial, organisations=organisations)
        checked = set(
            services.default_availability(event=event, time_zone=zone_name)
            if participant is None or request.method == "POST"
            else participant.available_slots.values_list("pk", flat=True)
        )
        availability = AvailabilityForm(slots=slots)
    context.update(
        details=details,
        availability=availability,
        zone_name=zone_name,
        days=_availability_days(slots, _zone(zone_name), checked),
    )
    return render(request, "events/register.html", context)


@login_required
@require_POST
def registration_join_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A member of a registered organisation joins its registration (see services.participant_join)."""
    event = _event_or_404(request, slug)
    participant = selectors.participant_joinable(event=event, user=request.user)
    if participant is None:
        raise Http404(_("Your organisation is not registered for this event."))
    try:
        services.participant_join(actor=request.user, participant=participant)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("events:event_detail", slug=event.slug)
    # The name isolated (<bdi>): in Urdu a Latin name's full stop moved to its front (".Jinque ... Co., Ltd").
    messages.success(
        request,
        format_html(
            escape(_("You now represent %(organisation)s at this event.")).replace("%(organisation)s", "{}"),
            format_html("<bdi>{}</bdi>", participant.organisation.display_name),
        ),
    )
    return redirect(_safe_next(request, reverse("events:requests", kwargs={"slug": event.slug})))


def _registration_initial(event: Event, participant: Participant | None, zone_name: str) -> dict[str, Any]:
    if participant is not None:
        return {
            "time_zone": zone_name,
            "interests": participant.interests,
            "interpreter_needed": participant.interpreter_needed,
            "max_meetings": participant.max_meetings,
        }
    return {"time_zone": zone_name, "max_meetings": event.default_max_meetings}


def _registration_save(
    request: HttpRequest,
    event: Event,
    participant: Participant | None,
    details: RegistrationForm,
    availability: AvailabilityForm,
) -> Participant | None:
    data = details.cleaned_data
    fields = {
        "time_zone": data["time_zone"],
        "interests": data["interests"],
        "interpreter_needed": data["interpreter_needed"],
        "max_meetings": data["max_meetings"],
        "slot_ids": availability.cleaned_data["slots"],
    }
    try:
        if participant is None:
            saved = services.participant_register(
                actor=request.user, event=event, organisation=data["organisation"], **fields
            )
        else:
            saved = services.participant_update(actor=request.user, participant=participant, **fields)
    except PermissionDenied as error:
        details.add_error("organisation" if participant is None else None, str(error) or _("You may not do this."))
        return None
    except ValidationError as error:
        _split_registration_errors(error, details, availability)
        return None
    if participant is not None:
        messages.success(request, _("Your registration is saved."))
    elif saved.status == ParticipantStatus.PENDING:
        messages.success(request, _("You are registered. The organiser will review the registration."))
    else:
        messages.success(request, _("You are registered. Browse the participants and send meeting requests."))
    return saved


def _split_registration_errors(
    error: ValidationError, details: RegistrationForm, availability: AvailabilityForm
) -> None:
    if hasattr(error, "error_dict") and "slots" in error.message_dict:
        for message in error.message_dict["slots"]:
            availability.add_error("slots", message)
        rest = {key: value for key, value in error.message_dict.items() if key != "slots"}
        if rest:
            add_service_errors(details, ValidationError(rest))
        return
    add_service_errors(details, error)


# --- participants and requests ----------------------------------------------------------------------


@participant_required
def participants_view(request: HttpRequest, event: Event, participant: Participant) -> HttpResponse:
    """Approved participants to browse, with the viewer's interest in each and a request button."""
    try:
        everyone = selectors.participant_list(event=event, viewer=request.user)
    except PermissionDenied as error:
        return _participants_refused(request, event, participant, error)
    if request.method == "POST":
        return _preference_save(request, event, participant)
    countries = everyone.order_by().values_list("organisation__country", flat=True).distinct()
    filterset = ParticipantFilterSet(request.GET, queryset=everyone, countries=countries)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    preferences = dict(participant.preferences.values_list("target_id", "level"))
    exchanged = _requests_exchanged(participant)
    rows = []
    for other in page.object_list:
        rows.append(
            {
                "participant": other,
                "preference": preferences.get(other.pk, ""),
                "request": exchanged.get(other.pk),
                "same_country_refused": event.request_policy == RequestPolicy.CROSS_COUNTRY
                and other.organisation.country == participant.organisation.country,
            }
        )
    context = {
        "event": event,
        "participant": participant,
        "form": filterset.form,
        "page": page,
        "rows": rows,
        "levels": PreferenceLevel.choices,
        "is_approved": participant.status == ParticipantStatus.APPROVED,
    }
    return render(request, "events/participant_list.html", context)


def _participants_refused(
    request: HttpRequest, event: Event, participant: Participant, error: PermissionDenied
) -> HttpResponse:
    """Rejected, withdrawn or still waiting for approval: the page says why, and shows no one."""
    context = {"event": event, "participant": participant, "refusal": str(error)}
    return render(request, "events/participant_list.html", context, status=403)


def _requests_exchanged(participant: Participant) -> dict[int, MeetingRequest]:
    """The latest request between the viewer and each other participant, in either direction."""
    exchanged: dict[int, MeetingRequest] = {}
    both = selectors.requests_for(participant=participant)
    for meeting_request in both["received"]:
        exchanged.setdefault(meeting_request.requester_id, meeting_request)
    for meeting_request in both["sent"]:
        exchanged.setdefault(meeting_request.recipient_id, meeting_request)
    return exchanged


def _preference_save(request: HttpRequest, event: Event, participant: Participant) -> HttpResponse:
    form = PreferenceForm(request.POST)
    fallback = reverse("events:participants", kwargs={"slug": event.slug})
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed interests."))
        return redirect(_safe_next(request, fallback))
    target = selectors.participant_list(event=event, viewer=request.user).filter(pk=form.cleaned_data["target"]).first()
    if target is None:
        raise Http404(_("No such participant."))
    try:
        services.preference_set(
            actor=request.user, participant=participant, target=target, level=form.cleaned_data["level"] or None
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your interest in %(organisation)s is saved.") % {"organisation": target.organisation.display_name},
        )
    return redirect(_safe_next(request, fallback))


@participant_required
def request_new_view(request: HttpRequest, event: Event, participant: Participant, participant_id: int) -> HttpResponse:
    try:
        recipient = selectors.participant_list(event=event, viewer=request.user).filter(pk=participant_id).first()
    except PermissionDenied as error:
        return _participants_refused(request, event, participant, error)
    if recipient is None:
        raise Http404(_("No such participant."))
    form = MeetingRequestForm(request.POST or None)
    # Whether anyone can read it; read before sending, so that the notice matches what the service did.
    readers = selectors.request_readers(participant=recipient)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_create(
                actor=request.user,
                requester=participant,
                recipient=recipient,
                message=form.cleaned_data["message"],
                day_part=form.cleaned_data["day_part"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if readers:
                messages.success(
                    request,
                    _("Your request is sent to %(organisation)s.")
                    % {"organisation": recipient.organisation.display_name},
                )
            else:
                messages.warning(request, str(NO_MEMBERS_NOTE))
            return redirect("events:requests", slug=event.slug)
    context = {
        "event": event,
        "participant": participant,
        "recipient": recipient,
        "form": form,
        "recipient_without_members": not readers,
    }
    return render(request, "events/request_form.html", context)


def _accept_form(
    event: Event, participant: Participant, meeting_request: MeetingRequest, data: Any = None
) -> AcceptForm:
    if event.scheduling_mode != SchedulingMode.PARTICIPANTS:
        return AcceptForm(data, prefix=f"accept-{meeting_request.pk}")
    return AcceptForm(
        data,
        prefix=f"accept-{meeting_request.pk}",
        free_slots=selectors.free_slots(meeting_request=meeting_request),
        zone=_zone(participant.time_zone),
    )


def _requests_page(
    request: HttpRequest,
    event: Event,
    participant: Participant,
    bound: dict[int, dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Received requests with their answer forms, and sent ones; `bound` holds forms that failed to submit."""
    bound = bound or {}
    mine = selectors.requests_of(participant=participant)
    status_filter = {"status": request.GET.get("status", "")}
    received_filter = MeetingRequestFilterSet({**status_filter, "box": "received"}, queryset=mine)
    sent_filter = MeetingRequestFilterSet({**status_filter, "box": "sent"}, queryset=mine)
    received = []
    received_requests = list(received_filter.qs)
    # The requests came through the participant's selector: so do their messages' translations.
    readings = readings_for_many(
        objects=received_requests, reader_language=content_language(), show_original=request.GET.get("original") == "1"
    )
    for meeting_request in received_requests:
        reading = readings[meeting_request.pk]
        row: dict[str, Any] = {
            "request": meeting_request,
            "reading": reading,
            "message": reading.fields["message"],
            "anchor": f"request-{meeting_request.pk}",
        }
        if meeting_request.status == RequestStatus.PENDING:
            forms = bound.get(meeting_request.pk, {})
            row["accept_form"] = forms.get("accept") or _accept_form(event, participant, meeting_request)
            row["decline_form"] = forms.get("decline") or DeclineForm(prefix=f"decline-{meeting_request.pk}")
        received.append(row)
    context = {
        "event": event,
        "participant": participant,
        "received": received,
        "sent": list(sent_filter.qs),
        "form": received_filter.form,
        "participants_pick": event.scheduling_mode == SchedulingMode.PARTICIPANTS,
        "cancellable": CANCELLABLE,
    }
    return render(request, "events/request_list.html", context, status=status)


@participant_required
def requests_view(request: HttpRequest, event: Event, participant: Participant) -> HttpResponse:
    return _requests_page(request, event, participant)


def _own_request(participant: Participant, request_id: int, side: str) -> MeetingRequest:
    """A request the viewer's participant `received` or `sent`; anyone else's is 404."""
    meeting_request = selectors.requests_for(participant=participant)[side].filter(pk=request_id).first()
    if meeting_request is None:
        raise Http404(_("No such request."))
    return meeting_request


@require_POST
@participant_required
def request_answer_view(request: HttpRequest, event: Event, participant: Participant, request_id: int) -> HttpResponse:
    meeting_request = _own_request(participant, request_id, "received")
    accept = request.POST.get("action") == "accept"
    if accept:
        form: AcceptForm | DeclineForm = _accept_form(event, participant, meeting_request, request.POST)
    else:
        form = DeclineForm(request.POST, prefix=f"decline-{meeting_request.pk}")
    if form.is_valid():
        try:
            services.request_answer(
                actor=request.user,
                meeting_request=meeting_request,
                accept=accept,
                reason=form.cleaned_data.get("reason", ""),
                note=form.cleaned_data.get("note", ""),
                slot=form.chosen_slot() if isinstance(form, AcceptForm) else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if accept:
                messages.success(request, _("You accepted the request. The requester is told by e-mail."))
            else:
                messages.success(request, _("You declined the request. The requester is told the reason."))
            return redirect("events:requests", slug=event.slug)
    bound = {meeting_request.pk: {"accept" if accept else "decline": form}}
    messages.error(request, _("The answer was not saved; see the request below."))
    return _requests_page(request, event, participant, bound=bound, status=400)


@require_POST
@participant_required
def request_cancel_view(request: HttpRequest, event: Event, participant: Participant, request_id: int) -> HttpResponse:
    meeting_request = _own_request(participant, request_id, "sent")
    if meeting_request.status not in CANCELLABLE:
        messages.error(request, _("Only a request that is waiting or accepted can be cancelled."))
        return redirect("events:requests", slug=event.slug)
    try:
        services.request_cancel(actor=request.user, meeting_request=meeting_request)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The request is cancelled, and its meeting with it."))
    return redirect("events:requests", slug=event.slug)


# --- agenda and calendars ---------------------------------------------------------------------------


@participant_required
def agenda_view(request: HttpRequest, event: Event, participant: Participant) -> HttpResponse:
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    for meeting in selectors.agenda(participant=participant):
        other = selectors.counterpart(meeting=meeting, participant=participant)
        ratings = list(meeting.ratings.all())
        rating = ratings[0] if ratings else None
        has_started = meeting.slot.starts_at <= now
        rows.append(
            {
                "meeting": meeting,
                "counterpart": other,
                "interpreter_needed": participant.interpreter_needed or other.interpreter_needed,
                "rating": rating,
                "rating_form": RatingForm(
                    prefix=f"rate-{meeting.pk}",
                    initial={"outcome": rating.outcome, "comment": rating.comment} if rating else None,
                )
                if has_started
                else None,
            }
        )
    # The address the site is served at (SILKBRIDGE_SITE_URL), not the Host header: behind a proxy that is an
    # internal name a calendar application could not reach.
    feed_url = settings.SITE_URL + reverse("events:feed", kwargs={"token": participant.feed_token})
    first_slot = event.slots.aggregate(first=Min("starts_at"))["first"]
    moment = rows[0]["meeting"].slot.starts_at if rows else first_slot or now
    context = {
        "event": event,
        "participant": participant,
        "rows": rows,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        # The offset and the zone's name on the event's days, not today's: summer time may differ.
        "zone_moment": moment,
        "offset": moment.astimezone(_zone(participant.time_zone)).strftime("%z"),
        # A delegation visit: legs, site visits and meetings, each in its place's local time.
        "items": visit_selectors.delegation_agenda(participant=participant)
        if visit_selectors.is_delegation(event)
        else None,
    }
    return render(request, "events/agenda.html", context)


def _calendar_response(text: str, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@participant_required
def agenda_ics_view(request: HttpRequest, event: Event, participant: Participant) -> HttpResponse:
    text = calendar.participant_calendar(participant=participant)
    return _calendar_response(text, f"{event.slug}-agenda.ics", attachment=True)


def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The subscribable calendar: no sign-in, the unguessable token in the address is the key."""
    # Calendar programs send no cookies; the feed speaks the language a representative chose.
    participant = Participant.objects.select_related("event", "organisation").filter(feed_token=token).first()
    if participant is None or not token:
        raise Http404(_("No such calendar."))
    language = (
        participant.representatives.exclude(language="").values_list("language", flat=True).first()
        or translation.get_language()
    )
    with translation.override(language):
        text = calendar.participant_calendar(participant=participant, as_feed=True)
    response = _calendar_response(text, f"{participant.event.slug}.ics", attachment=False)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@participant_required
def meeting_rate_view(request: HttpRequest, event: Event, participant: Participant, meeting_id: int) -> HttpResponse:
    meeting = selectors.agenda(participant=participant).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404(_("No such meeting."))
    back = reverse("events:agenda", kwargs={"slug": event.slug}) + f"#meeting-{meeting.pk}"
    form = RatingForm(request.POST, prefix=f"rate-{meeting.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose how the meeting went."))
        return redirect(back)
    try:
        services.meeting_rate(
            actor=request.user,
            meeting=meeting,
            outcome=form.cleaned_data["outcome"],
            comment=form.cleaned_data["comment"],
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Thank you: your rating is saved."))
    return redirect(back)


@login_required
def history_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Who registered, answered, booked, cancelled, marked or rated what, and when."""
    event = _event_or_404(request, slug)
    history = selectors.event_history(event=event, viewer=request.user)  # the latest rows of each list
    context = {"event": event, "participant": selectors.participant_for_user(event=event, user=request.user), **history}
    return render(request, "events/history.html", context)


urlpatterns: list[URLPattern] = [
    path("", event_list_view, name="event_list"),
    path("feed/<str:token>.ics", feed_view, name="feed"),
    path("<slug:slug>/", event_detail_view, name="event_detail"),
    path("<slug:slug>/register/", register_view, name="register"),
    path("<slug:slug>/join/", registration_join_view, name="registration_join"),
    path("<slug:slug>/participants/", participants_view, name="participants"),
    path("<slug:slug>/participants/<int:participant_id>/request/", request_new_view, name="request_new"),
    path("<slug:slug>/requests/", requests_view, name="requests"),
    path("<slug:slug>/requests/<int:request_id>/answer/", request_answer_view, name="request_answer"),
    path("<slug:slug>/requests/<int:request_id>/cancel/", request_cancel_view, name="request_cancel"),
    path("<slug:slug>/agenda/", agenda_view, name="agenda"),
    path("<slug:slug>/agenda.ics", agenda_ics_view, name="agenda_ics"),
    path("<slug:slug>/meetings/<int:meeting_id>/rate/", meeting_rate_view, name="meeting_rate"),
    path("<slug:slug>/history/", history_view, name="history"),
]
