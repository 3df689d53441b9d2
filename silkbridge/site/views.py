"""Pages that belong to no single domain: the home page, the language switch, error pages."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.accounts.services import user_preferences_update
from silkbridge.core import runs, selectors
from silkbridge.core.models import Run
from silkbridge.deals.choices import ConflictStatus
from silkbridge.deals.selectors.reviews import assignments_of
from silkbridge.directory.choices import Visibility
from silkbridge.directory.models import Concept, Organisation
from silkbridge.directory.selectors import organisation_ids_of, organisation_list, sector_tree
from silkbridge.events.selectors import meetings_of_user_between, participations_of, requests_awaiting_answer
from silkbridge.marketplace.choices import InterestStatus, OpportunityStatus
from silkbridge.marketplace.selectors import can_review, interests_of_user, opportunities_of_user, review_queue
from silkbridge.matching.selectors import new_matches_of_user
from silkbridge.notifications.selectors import notifications_of, unread_count
from silkbridge.zones.models import Zone

# "New matches" on My Silkbridge: those first found in the last week (the digest's span).
NEW_MATCHES_SPAN = timedelta(days=7)


def home(request: HttpRequest) -> HttpResponse:
    public = Organisation.objects.filter(visibility=Visibility.PUBLIC)
    figures = public.aggregate(
        organisations=Count("pk"),
        verified=Count("pk", filter=Q(is_verified=True)),
        countries=Count("country", distinct=True),
    )
    context = {
        "figures": figures,
        "concept_count": Concept.objects.count(),
        "zone_count": Zone.objects.count(),
        "sectors": sector_tree(),
        "recent": organisation_list(viewer=request.user, verified=True).order_by("-created_at")[:6],
    }
    return render(request, "core/home.html", context)


@login_required
def my_silkbridge(request: HttpRequest) -> HttpResponse:
    """What needs the user now, and a new user's next steps; every figure through its domain's selector."""
    return render(request, "core/my_silkbridge.html", my_silkbridge_context(user=request.user))


def my_silkbridge_context(*, user: Any) -> dict[str, Any]:
    zone = _user_zone(user)
    today_start = datetime.combine(timezone.now().astimezone(zone).date(), time.min, tzinfo=zone)
    # `is_received` is the selector's annotation (a Q, since it is no model field).
    interests_due = interests_of_user(user=user).filter(Q(is_received=True), status=InterestStatus.PENDING).count()
    meetings_today = list(
        meetings_of_user_between(user=user, start=today_start, end=today_start + timedelta(days=1))[:20]
    )
    organisations = organisation_ids_of(user)
    profiles = opportunities_of_user(user=user)
    participations = participations_of(user=user)
    return {
        "time_zone": zone.key,
        "interests_due": interests_due,
        "requests_due": requests_awaiting_answer(user=user).count(),
        "meetings_today": meetings_today,
        "reviews_due": assignments_of(reviewer=user)
        .filter(submitted_at__isnull=True)
        .exclude(conflict=ConflictStatus.DECLARED)
        .count(),
        "profiles_to_review": review_queue(viewer=user).count() if can_review(user=user) else None,
        "new_matches": new_matches_of_user(user=user, since=timezone.now() - NEW_MATCHES_SPAN).count(),
        "unread": unread_count(viewer=user),
        "recent_notifications": list(notifications_of(viewer=user, unread_only=True)[:5]),
        "has_organisation": bool(organisations),
        "has_published_profile": profiles.filter(status=OpportunityStatus.PUBLISHED).exists(),
        "has_registration": participations.exists(),
        "participations": list(participations[:5]),
    }


def _user_zone(user: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and, when signed in, on the account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        if request.user.is_authenticated:
            user_preferences_update(user=request.user, language=language)
    return response


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A background run's progress; the page polls the run resource (site.js) and reloads once it changes
    state, so the user can leave and come back, and ends on a link to the result or the error."""
    try:
        run = selectors.run_get(viewer=request.user, run_id=run_id)
    except Run.DoesNotExist as error:
        raise Http404(_("No such run.")) from error
    context = {
        "run": run,
        "kind_label": runs.run_kind_label(run.kind),
        "error": runs.run_error_display(run),
        "result_url": runs.run_result_url(run),
        "percent": round(run.progress * 100),
    }
    return render(request, "core/run_detail.html", context)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/v1/"):
        # A program calling an address the API does not have gets the API's JSON error, not a page.
        message = _("There is no such API address: the API's paths are listed at /api/v1/docs.")
        return JsonResponse(
            {"code": "not_found", "message": message, "errors": []},
            status=404,
            content_type="application/json; charset=utf-8",
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
