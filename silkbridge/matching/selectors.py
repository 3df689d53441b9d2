"""Reads of stored matches. The other profile of every match is checked again here, at read time,
against the marketplace's visibility rules: a profile that expired, closed or turned private a moment
ago is never shown, exported or e-mailed, whatever the stored list still says."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet

from silkbridge.core.countries import country_name
from silkbridge.directory.selectors import filter_by_sector
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.selectors import live_q, organisation_ids_of, shown_to_others_q
from silkbridge.matching.engine import load_glossary, render
from silkbridge.matching.models import Match, MatchFeedback


def _other_shown_q(viewer: Any) -> Q:
    if getattr(viewer, "is_staff", False):
        return live_q("other__")
    return shown_to_others_q(viewer, "other__")


def _base() -> QuerySet[Match]:
    return Match.objects.select_related("opportunity__organisation", "other__organisation")


def matches_for(*, viewer: Any, opportunity: Opportunity) -> QuerySet[Match]:
    """A profile's matches as its organisation (or staff) may see them, best first. The caller checks
    that the viewer may manage the profile."""
    return _base().filter(opportunity=opportunity).filter(_other_shown_q(viewer)).order_by("rank")


def match_to_judge(*, viewer: Any, match_id: int) -> Match | None:
    """A match the viewer may mark useful or not: of a profile their organisation (or staff) manages,
    and still showable to them; None otherwise (pages and API answer 404)."""
    from silkbridge.marketplace.selectors import can_manage

    match = _base().filter(pk=match_id).first()
    if match is None or not can_manage(user=viewer, opportunity=match.opportunity):
        return None
    if not matches_for(viewer=viewer, opportunity=match.opportunity).filter(pk=match.pk).exists():
        return None
    return match


def matches_of_user(*, user: Any) -> QuerySet[Match]:
    """The matches of all live profiles of the user's organisations, best first."""
    return (
        _base()
        .filter(live_q("opportunity__"), opportunity__organisation_id__in=organisation_ids_of(user))
        .filter(_other_shown_q(user))
        .order_by("-score", "opportunity_id", "rank")
    )


def matches_all(
    *,
    viewer: Any,
    kind: str = "",
    min_score: float | None = None,
    sector: str = "",
    country: str = "",
    q: str = "",
) -> QuerySet[Match]:
    """Staff's view of every stored match between live profiles, with filters."""
    matches = _base().filter(live_q("opportunity__")).filter(_other_shown_q(viewer))
    if kind:
        matches = matches.filter(opportunity__kind=kind)
    if min_score is not None:
        matches = matches.filter(score__gte=min_score)
    matches = filter_by_sector(matches, sector, path="opportunity__sectors")
    if country:
        matches = matches.filter(
            Q(opportunity__organisation__country=country) | Q(other__organisation__country=country)
        )
    if q:
        matches = matches.filter(Q(opportunity__title__icontains=q) | Q(other__title__icontains=q))
    return matches.order_by("-score", "opportunity_id", "rank")


def new_matches_of_user(*, user: Any, since: datetime | None) -> QuerySet[Match]:
    matches = matches_of_user(user=user)
    if since is not None:
        matches = matches.filter(first_seen_at__gt=since)
    return matches


def feedback_of(*, user: Any, opportunity: Opportunity) -> dict[int, bool]:
    """The user's verdicts on the profile's matches, by the other profile's id."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return dict(MatchFeedback.objects.filter(user=user, opportunity=opportunity).values_list("other_id", "useful"))


@lru_cache(maxsize=4096)
def _country(code: str, language: str) -> str:
    return country_name(code, language)


def reasons_text(reasons: list[dict[str, Any]], language: str) -> list[str]:
    """The stored reasons as sentences in the reader's language (en, zh or ur)."""
    glossary = load_glossary()
    return [
        render(reason["code"], reason["params"], language, sector_name=glossary.label, country_name=_country)
        for reason in reasons
    ]
