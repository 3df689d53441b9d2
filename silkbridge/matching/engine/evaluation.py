"""Recall@k and MRR of the engine against a truth file, with baselines computed in the same run.

Baselines: TF-IDF cosine on the raw text (same tokenizer, same hard rules on types and
organisations), and the engine without the glossary (no concepts or inferred sectors: residual
words, the embedding when there is one, and the structured fields). With an embedder, also the
engine without it and the embedding alone (language-centred cosine among all compatible
profiles). The refit row is honest about tuning: weights are fitted on one half of the queries and
measured on the other half (2-fold, both ways), never on the queries they are measured on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
from scipy import sparse

from silkbridge.common.text import tokenize

from .embedding import CachedEmbedder, default_embedder
from .glossary import Glossary
from .index import MatchIndex, build_index, reciprocity
from .profiles import Profile, is_compatible
from .weights import FAMILIES, FEATURE_NAMES, LabelledPair, ScoringWeights, combine_scores, fit_weights

CUTOFFS = (1, 5, 10)


@dataclass(frozen=True)
class QueryCandidates:
    """One query's candidates with their features, scored later under any weights."""

    query_id: str
    target_id: str
    candidate_ids: list[str]
    matrix: np.ndarray
    families: np.ndarray
    factors: np.ndarray  # requirement factors, see MatchIndex.requirement_factors


def metrics(ranks: Iterable[int | None]) -> dict[str, float]:
    """recall@1/5/10 and MRR from 1-based ranks (None: the right profile was not returned)."""
    values = list(ranks)
    count = len(values)
    result: dict[str, float] = {"queries": count}
    for cutoff in CUTOFFS:
        hits = sum(1 for rank in values if rank is not None and rank <= cutoff)
        result[f"recall@{cutoff}"] = round(hits / count, 4) if count else 0.0
    result["mrr"] = round(sum(1.0 / rank for rank in values if rank) / count, 4) if count else 0.0
    return result


def rank_of(target_id: str, candidate_ids: list[str], scores: np.ndarray) -> int | None:
    """1-based rank of the target among the candidates, ties broken by id as the engine does."""
    try:
        position = candidate_ids.index(target_id)
    except ValueError:
        return None
    target_score = scores[position]
    better = int((scores > target_score).sum())
    tied_before = sum(
        1
        for other, score in zip(candidate_ids, scores.tolist(), strict=True)
        if score == target_score and other < target_id
    )
    return 1 + better + tied_before


def query_groups(query: Profile, target: Profile) -> list[str]:
    """Groups a query counts in: all, its family, and '<family>_cross_lingual' when languages differ."""
    groups = ["all", query.family]
    if query.language != target.language:
        groups.append(f"{query.family}_cross_lingual")
    return groups


def _grouped(ranks: dict[str, int | None], profiles: dict[str, Profile], truth: dict[str, str]) -> dict[str, Any]:
    by_group: dict[str, list[int | None]] = defaultdict(list)
    for query_id, rank in ranks.items():
        for group in query_groups(profiles[query_id], profiles[truth[query_id]]):
            by_group[group].append(rank)
    return {group: metrics(values) for group, values in sorted(by_group.items())}


def _usable_truth(profiles: dict[str, Profile], truth: dict[str, str]) -> dict[str, str]:
    return {query: target for query, target in sorted(truth.items()) if query in profiles and target in profiles}


def collect_candidates(index: MatchIndex, truth: dict[str, str]) -> list[QueryCandidates]:
    collected = []
    for query_id, target_id in truth.items():
        query, slots, matrix = index.feature_matrix(query_id)
        families = index._family_rows(query.profile, slots)
        factors = index.requirement_factors(query, slots)
        candidate_ids = [index._stored[int(slot)].profile.id for slot in slots]  # type: ignore[union-attr]
        collected.append(QueryCandidates(query_id, target_id, candidate_ids, matrix, families, factors))
    return collected


def collect_everyone(index: MatchIndex, truth: dict[str, str]) -> tuple[list[QueryCandidates], list[QueryCandidates]]:
    """(the truth queries' candidates, every indexed profile's candidates): the second gives each
    candidate's own best score, which reciprocity needs (see RECIPROCITY_POWER), under any weights."""
    everyone = collect_candidates(index, {profile_id: profile_id for profile_id in index.ids()})
    by_id = {item.query_id: item for item in everyone}
    queries = [replace(by_id[query_id], target_id=target_id) for query_id, target_id in truth.items()]
    return queries, everyone


def best_scores(everyone: list[QueryCandidates], weight_matrix: np.ndarray) -> dict[str, float]:
    """Each profile's highest score (before reciprocity) against its own candidates, as the index's."""
    best = {}
    for item in everyone:
        scores = combine_scores(item.matrix, weight_matrix[item.families], item.factors)
        best[item.query_id] = float(scores.max()) if len(scores) else 0.0
    return best


def final_scores(item: QueryCandidates, weight_matrix: np.ndarray, best: dict[str, float]) -> np.ndarray:
    """The engine's scores of one query's candidates: plain score times reciprocity."""
    plain = combine_scores(item.matrix, weight_matrix[item.families], item.factors)
    own_best = np.array([best[candidate] for candidate in item.candidate_ids])
    scores: np.ndarray = plain * reciprocity(plain, own_best)
    return scores


def ranks_under(
    collected: list[QueryCandidates],
    weights: ScoringWeights,
    everyone: list[QueryCandidates],
    *,
    with_embedding: bool = True,
) -> dict[str, int | None]:
    """Each query's rank of its target, scored as the index scores (an index without an embedder
    leaves the embedding out of the weights, see ScoringWeights.matrix)."""
    weight_matrix = weights.matrix(with_embedding=with_embedding)
    best = best_scores(everyone, weight_matrix)
    return {
        item.query_id: rank_of(item.target_id, item.candidate_ids, final_scores(item, weight_matrix, best))
        for item in collected
    }


def labelled_pairs(collected: Iterable[QueryCandidates]) -> list[LabelledPair]:
    pairs = []
    for item in collected:
        for position, candidate_id in enumerate(item.candidate_ids):
            pairs.append(
                LabelledPair(
                    tuple(item.matrix[position].tolist()),
                    FAMILIES[int(item.families[position])],
                    candidate_id == item.target_id,
                )
            )
    return pairs


def refit_two_fold(
    collected: list[QueryCandidates], start: ScoringWeights, everyone: list[QueryCandidates], *, with_embedding: bool
) -> tuple[dict[str, int | None], list[Any]]:
    """Ranks of each query under weights fitted on the other half of the queries (reciprocity included,
    each candidate's best score taken under the fitted weights)."""
    halves = [collected[0::2], collected[1::2]]
    ranks: dict[str, int | None] = {}
    fitted_weights = []
    for held_out, training in ((halves[0], halves[1]), (halves[1], halves[0])):
        weights = fit_weights(labelled_pairs(training), start=start)
        fitted_weights.append(weights.as_dict())
        ranks.update(ranks_under(held_out, weights, everyone, with_embedding=with_embedding))
    return ranks, fitted_weights


def tfidf_ranks(profiles: dict[str, Profile], truth: dict[str, str]) -> dict[str, int | None]:
    """Rank of the right profile by TF-IDF cosine of the raw text among all compatible profiles."""
    ordered = sorted(profiles.values(), key=lambda profile: profile.id)
    position = {profile.id: number for number, profile in enumerate(ordered)}
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for number, profile in enumerate(ordered):
        for token in set(tokenize(profile.text)):
            rows.append(number)
            columns.append(vocabulary.setdefault(token, len(vocabulary)))
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(ordered), max(1, len(vocabulary))))
    document_frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1 + len(ordered)) / (1 + document_frequency)) + 1
    weighted = sparse.csr_matrix(counts.multiply(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    weighted = sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-12)) @ weighted)
    ranks = {}
    for query_id, target_id in truth.items():
        query = profiles[query_id]
        similarities = np.asarray((weighted @ weighted[position[query_id]].T).todense()).ravel()
        candidates = [profile for profile in ordered if is_compatible(query, profile)]
        candidate_ids = [profile.id for profile in candidates]
        scores = np.array([similarities[position[profile.id]] for profile in candidates])
        ranks[query_id] = rank_of(target_id, candidate_ids, scores)
    return ranks


def index_ranks(index: MatchIndex, truth: dict[str, str]) -> dict[str, int | None]:
    queries, everyone = collect_everyone(index, truth)
    return ranks_under(queries, index.weights, everyone, with_embedding=index.embedder is not None)


def embedding_ranks(index: MatchIndex, truth: dict[str, str]) -> dict[str, int | None]:
    """Rank of the right profile by the embedding feature alone among all compatible profiles."""
    ranks = {}
    for query_id, target_id in truth.items():
        _, slots, matrix = index.feature_matrix(query_id, exhaustive=True)
        candidate_ids = [index._stored[int(slot)].profile.id for slot in slots]  # type: ignore[union-attr]
        ranks[query_id] = rank_of(target_id, candidate_ids, matrix[:, FEATURE_NAMES.index("embedding")])
    return ranks


def evaluate(
    profiles: list[Profile],
    truth: dict[str, str],
    *,
    weights: ScoringWeights | None = None,
    embedder: CachedEmbedder | Literal["default"] | None = "default",
    progress: Callable[[str], None] | None = None,
    held_out: Iterable[str] = (),
) -> dict[str, Any]:
    """Engine metrics (overall and per group) beside the baselines and a 2-fold refit of the weights.

    `held_out` names queries that no weight is fitted on: the engine and its baselines are also
    reported on the tuning and the held-out half separately ("halves"), and the 2-fold refit uses
    the tuning queries only.

    The embedder is `default_embedder()` unless one (or None) is given; with one, the baselines also
    show the engine without it and the embedding alone. The engine without the glossary keeps it.
    """
    by_id = {profile.id: profile for profile in profiles}
    usable = _usable_truth(by_id, truth)
    weights = weights or ScoringWeights()
    embedder = default_embedder() if embedder == "default" else embedder
    note = progress or (lambda message: None)
    note(f"building the index (embeddings: {embedder.name if embedder else 'none'})")
    index = build_index(profiles, weights=weights, embedder=embedder)
    collected, everyone = collect_everyone(index, usable)
    engine_ranks = ranks_under(collected, weights, everyone, with_embedding=embedder is not None)
    held = set(held_out) & set(usable)
    note("refitting the weights (2-fold)")
    tuning = [item for item in collected if item.query_id not in held]
    refit_ranks, fitted = refit_two_fold(
        tuning,
        weights,
        everyone,
        with_embedding=embedder is not None,
    )
    note("baselines")
    without_glossary = build_index(profiles, weights=weights, glossary=Glossary.empty(), embedder=embedder)
    baselines = {
        "tfidf_raw_text": _grouped(tfidf_ranks(by_id, usable), by_id, usable),
        "engine_without_glossary": _grouped(index_ranks(without_glossary, usable), by_id, usable),
    }
    if embedder is not None:
        without_embedding = build_index(profiles, weights=weights)
        baselines["engine_without_embedding"] = _grouped(index_ranks(without_embedding, usable), by_id, usable)
        baselines["embedding_alone"] = _grouped(embedding_ranks(index, usable), by_id, usable)
    halves = {}
    if held:
        tfidf = tfidf_ranks(by_id, usable)
        for name, keep in (("tuning", lambda query: query not in held), ("held_out", lambda query: query in held)):
            half = {query: target for query, target in usable.items() if keep(query)}
            halves[name] = {
                "queries": len(half),
                "engine": _grouped({query: engine_ranks[query] for query in half}, by_id, half),
                "tfidf_raw_text": _grouped({query: tfidf[query] for query in half}, by_id, half),
            }
    return {
        "queries": len(usable),
        "truth_entries_ignored": len(truth) - len(usable),
        "embedder": embedder.name if embedder else None,
        "engine": _grouped(engine_ranks, by_id, usable),
        "halves": halves,
        "engine_refit_two_fold": _grouped(refit_ranks, by_id, usable),
        "candidate_generation_recall": round(
            sum(1 for item in collected if item.target_id in item.candidate_ids) / max(1, len(collected)), 4
        ),
        "baselines": baselines,
        "weights": weights.as_dict(),
        "refit_weights_per_fold": fitted,
        # Fitted on every tuning query (none of the held-out half): what ScoringWeights' defaults are
        # set from; the 2-fold row above is the honest estimate of how such weights do on unseen queries.
        "weights_fitted_on_tuning_half": fit_weights(labelled_pairs(tuning), start=weights).as_dict(),
    }
