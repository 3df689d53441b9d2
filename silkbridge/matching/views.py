"""Match pages: a profile's matches (with feedback and CSV), an organisation's best matches, the staff
view of all matches, currency rates, and the weekly digest setting. Every list goes through
matching.selectors, which re-checks that the other profile may be shown to the viewer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.accounts.models import User
from silkbridge.core.exports import csv_response
from silkbridge.core.forms import add_service_errors
from silkbridge.core.i18n import content_language
from silkbridge.marketplace import selectors as marketplace_selectors
from silkbridge.marketplace.models import Opportunity
from silkbridge.matching import digest, selectors, services
from silkbridge.matching.filtersets import MatchFilterSet
from silkbridge.matching.forms import CurrencyRateForm, DigestForm
from silkbridge.matching.models import Match
from silkbridge.money import selectors as money_selectors
from silkbridge.money import services as money_services

PAGE_SIZE = 25
CSV_LIMIT = 50_000


def _language() -> str:
    return content_language(get_language())


def _rows(matches: Any, language: str, feedback: dict[int, bool] | None = None) -> list[dict[str, Any]]:
    labels = selectors.glossary()
    rows = []
    for match in matches:
        shown, more = selectors.shown_reasons(match.reasons, language, labels=labels)
        rows.append(
            {
                "match": match,
                "percent": round(match.score * 100),
                "reasons": shown,
                "more_reasons": more,
                "useful": (feedback or {}).get(match.other_id),
            }
        )
    return rows


CSV_HEADERS = (
    "profile_id",
    "profile_title",
    "profile_organisation",
    "match_id",
    "match_title",
    "match_type",
    "match_organisation",
    "match_country",
    "score",
    "rank",
    "reasons",
    "first_found",
)


def _csv(matches: QuerySet[Match], filename: str, language: str) -> HttpResponse:
    labels = selectors.glossary()
    rows = (
        [
            match.opportunity_id,
            match.opportunity.title,
            match.opportunity.organisation.name_en,
            match.other_id,
            match.other.title,
            match.other.kind,
            match.other.organisation.name_en,
            match.other.organisation.country,
            f"{match.score:.4f}",
            match.rank,
            " | ".join(selectors.reasons_text(match.reasons, language, labels=labels)),
            match.first_seen_at.isoformat(),
        ]
        for match in matches[:CSV_LIMIT]
    )
    return csv_response(filename, CSV_HEADERS, rows)


@login_required
def profile_matches_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        opportunity = selectors.profile_for_matches(viewer=request.user, pk=pk)
    except Opportunity.DoesNotExist as error:
        raise Http404(_("No such profile.")) from error
    matches = selectors.matches_for(viewer=request.user, opportunity=opportunity)
    if request.GET.get("format") == "csv":
        return _csv(matches, f"matches-{opportunity.pk}.csv", _language())
    feedback = selectors.feedback_of(user=request.user, opportunity=opportunity)
    context = {"opportunity": opportunity, "rows": _rows(matches, _language(), feedback)}
    return render(request, "matching/profile_matches.html", context)


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    filterset = MatchFilterSet(request.GET, queryset=selectors.matches_of_user(user=request.user))
    if request.GET.get("format") == "csv":
        return _csv(filterset.qs, "my-matches.csv", _language())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": filterset.form,
        "page": page,
        "rows": _rows(page.object_list, _language()),
        "digest_form": DigestForm(initial={"weekly": services.digest_wanted(user=request.user)}),
        "profiles": marketplace_selectors.opportunities_of_user(user=request.user),
    }
    return render(request, "matching/dashboard.html", context)


@login_required
@require_POST
def feedback_view(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.match_to_judge(viewer=request.user, match_id=match_id)
    if match is None:
        raise Http404(_("No such match."))
    if request.POST.get("useful") not in {"yes", "no"}:
        messages.error(request, _("Say whether the match is useful or not."))
    else:
        try:
            services.feedback_give(actor=request.user, match=match, useful=request.POST["useful"] == "yes")
        except PermissionDenied as error:
            raise Http404(_("No such match.")) from error
        messages.success(request, _("Thank you: your verdicts teach the matching."))
    target = request.POST.get("next") or reverse("matching:profile_matches", kwargs={"pk": match.opportunity_id})
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("matching:profile_matches", kwargs={"pk": match.opportunity_id})
    return redirect(f"{target}#match-{match.pk}")


@login_required
def staff_matches_view(request: HttpRequest) -> HttpResponse:
    # staff only: matches_all refuses anyone else (PermissionDenied, a 403)
    filterset = MatchFilterSet(request.GET, queryset=selectors.matches_all(viewer=request.user))
    if request.GET.get("format") == "csv":
        return _csv(filterset.qs, "matches.csv", _language())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": filterset.form,
        "page": page,
        "rows": _rows(page.object_list, _language()),
        "match_runs": selectors.match_runs_recent(viewer=request.user),
    }
    return render(request, "matching/staff_matches.html", context)


@login_required
def rates_view(request: HttpRequest) -> HttpResponse:
    money_selectors.rate_setter_check(viewer=request.user)
    form = CurrencyRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate = money_services.currency_rate_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rate saved; every match list is being recomputed with it."))
            return redirect(reverse("matching:rates") + f"#rate-{rate.pk}")
    context = {
        "form": form,
        "rates": money_selectors.currency_rate_history(limit=200),
        "in_use": money_selectors.current_rates(),
        "match_runs": selectors.match_runs_recent(viewer=request.user),
    }
    return render(request, "matching/rates.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def digest_setting_view(request: HttpRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    weekly = form.is_valid() and bool(form.cleaned_data["weekly"])
    services.digest_set(user=request.user, weekly=weekly)
    messages.success(
        request, _("You will get a weekly e-mail of new matches.") if weekly else _("No more digest e-mails.")
    )
    return redirect("matching:dashboard")


def digest_opt_out_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every digest: shows a button (a GET changes nothing; mail scanners follow links)."""
    user_id = digest.user_for_token(token)
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        raise Http404(_("This link is not valid."))
    done = False
    if request.method == "POST":
        services.digest_set(user=user, weekly=False)
        done = True
    return render(request, "matching/digest_opt_out.html", {"done": done, "email": user.email})
