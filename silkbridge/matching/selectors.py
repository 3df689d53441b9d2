"""Reads of stored matches. The other profile of every match is checked again here, at read time,
against the marketplace's visibility rules: a profile that expired, closed or turned private a moment
ago is never shown, exported or e-mailed, whatever the stored list still says."""

from __future__ import annotations

import threading
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from silkbridge.common.countries import country_name
from silkbridge.core.models import Run
from silkbridge.directory.models import Concept, Sector
from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.selectors import can_manage, live_q, opportunity_get, shown_to_others_q
from silkbridge.matching import engine
from silkbridge.matching.engine import Glossary, render
from silkbridge.matching.engine.glossary import TermHit, suggest_terms
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


def matches_all(*, viewer: Any) -> QuerySet[Match]:
    """Staff's view of every stored match between live profiles, best first (PermissionDenied for anyone
    else); pages and API narrow it with `matching.filtersets.MatchFilterSet`."""
    if not getattr(viewer, "is_staff", False):
        raise PermissionDenied(_("Only staff may do this."))
    return (
        _base()
        .filter(live_q("opportunity__"))
        .filter(_other_shown_q(viewer))
        .order_by("-score", "opportunity_id", "rank")
    )


def matches_visible(*, viewer: Any) -> QuerySet[Match]:
    """What the match list shows the viewer: staff every match, anyone else the matches of their
    organisations' live profiles; `matching.filtersets.MatchFilterSet` narrows either."""
    if getattr(viewer, "is_staff", False):
        return matches_all(viewer=viewer)
    return matches_of_user(user=viewer)


def profile_for_matches(*, viewer: Any, pk: int) -> Opportunity:
    """A profile whose matches the viewer may read: one their organisation (or staff) manages;
    Opportunity.DoesNotExist otherwise, as if it did not exist."""
    opportunity = opportunity_get(viewer=viewer, pk=pk)
    if not can_manage(user=viewer, opportunity=opportunity):
        raise Opportunity.DoesNotExist
    return opportunity


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


# Pages, e-mails and the API show this many reasons of a match (the strongest: the engine stores them
# strongest first), then "n more".
SHOWN_REASONS = 3
# Codes no longer shown that rows stored before issue 12 may still hold ("Similar wording: 12").
_RETIRED_REASONS = frozenset({"similar_wording"})


def reasons_text(reasons: list[dict[str, Any]], language: str, *, labels: Glossary | None = None) -> list[str]:
    """The stored reasons as sentences in the reader's language (en, zh or ur). A list of matches passes
    `labels` (`glossary()`, read once) so that its length costs no queries."""
    labels = labels or glossary()
    return [
        render(reason["code"], reason["params"], language, sector_name=labels.label, country_name=_country)
        for reason in reasons
        if reason["code"] not in _RETIRED_REASONS
    ]


def shown_reasons(
    reasons: list[dict[str, Any]], language: str, *, labels: Glossary | None = None
) -> tuple[list[str], list[str]]:
    """(the SHOWN_REASONS strongest reasons, the rest) as sentences in the reader's language."""
    sentences = reasons_text(reasons, language, labels=labels)
    return sentences[:SHOWN_REASONS], sentences[SHOWN_REASONS:]


def match_runs_recent(*, viewer: Any, limit: int = 10) -> QuerySet[Run]:
    """The latest background recomputations of matches (rebuilds and refreshes), for staff."""
    if not getattr(viewer, "is_staff", False):
        return Run.objects.none()
    return Run.objects.filter(kind__in=("matching.rebuild", "matching.refresh")).order_by("-created_at", "-pk")[:limit]


# --- the glossary, as the database holds it ------------------------------------------------------------

_glossary_lock = threading.Lock()
_glossary_built: tuple[tuple[object, ...], Glossary] | None = None


def glossary_signature() -> tuple[object, ...]:
    """Changes whenever a concept or sector is added, removed or edited (in the admin too), in any process."""
    concepts = Concept.objects.aggregate(count=Count("id"), last=Max("id"), changed=Max("updated_at"))
    sectors = Sector.objects.aggregate(count=Count("id"), last=Max("id"), changed=Max("updated_at"))
    return (*concepts.values(), *sectors.values())


def _glossary_from_database() -> Glossary:
    field_of = dict(Sector.objects.filter(parent__isnull=True).values_list("id", "code"))
    sectors = [
        engine.Sector(
            code=sector.code,
            field_code=sector.code if sector.parent_id is None else field_of.get(sector.parent_id, sector.code),
            names={"en": sector.name_en, "zh": sector.name_zh, "ur": sector.name_ur},
        )
        for sector in Sector.objects.order_by("pk")
    ]
    concepts = [
        engine.Concept(
            code=concept.code,
            sector=concept.sector.code,
            labels={
                language: label
                for language, label in (("en", concept.label_en), ("zh", concept.label_zh), ("ur", concept.label_ur))
                if label
            },
            synonyms={language: list(values or []) for language, values in (concept.synonyms or {}).items()},
        )
        for concept in Concept.objects.select_related("sector").order_by("pk")
    ]
    return engine.build_glossary(sectors, concepts)


def glossary() -> Glossary:
    """The trilingual glossary of the database (the one source: an admin's edit reaches matching as it
    reaches search), built again in a process only when the concepts or sectors changed."""
    global _glossary_built
    signature = glossary_signature()
    current = _glossary_built
    if current is not None and current[0] == signature:
        return current[1]
    with _glossary_lock:
        if _glossary_built is None or _glossary_built[0] != signature:
            _glossary_built = (signature, _glossary_from_database())
        return _glossary_built[1]


# --- type-ahead over the glossary ----------------------------------------------------------------------

SUGGESTION_QUERY_MAX_LENGTH = 100
SUGGESTION_LIMIT_MAX = 20


def _hit_out(hit: TermHit, labels: Glossary, language: str) -> dict[str, Any]:
    concept = labels.concepts[hit.code]
    return {
        "code": hit.code,
        "label": labels.label(hit.code, language),
        "matched": hit.term,
        "matched_language": hit.language,
        "sector": labels.label(concept.sector, language),
        "score": round(hit.score, 4),
    }


def glossary_suggestions(*, text: str, language: str, limit: int = 10) -> dict[str, Any]:
    """What the technology fields' type-ahead offers for a typed text, labelled in the reader's
    language: the concepts whose label or synonym in English, Chinese or Urdu contains it, and, when
    none is the text itself, the text as a free keyword with the concepts nearest to it. The glossary
    is public (the technologies page lists it), so anyone may ask; the text is bounded first."""
    text = (text or "").strip()
    if len(text) > SUGGESTION_QUERY_MAX_LENGTH:
        raise ValidationError({"q": _("Type at most %(count)d characters.") % {"count": SUGGESTION_QUERY_MAX_LENGTH}})
    labels = glossary()
    found = suggest_terms(labels, text, limit=max(1, min(limit, SUGGESTION_LIMIT_MAX)))
    return {
        "query": text,
        "language": language,
        "concepts": [_hit_out(hit, labels, language) for hit in found.matches],
        "free_keyword": text if text and not found.exact else None,
        "nearest": [_hit_out(hit, labels, language) for hit in found.nearest],
    }
