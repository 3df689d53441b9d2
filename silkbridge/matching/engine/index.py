"""The incremental match index: add, update or remove one profile; top-k for one profile.

Candidate generation uses inverted indexes from concept, sub-field and field to the slots of the
profiles of each type, so a query scores only the profiles that share something with it (all
compatible profiles when it shares nothing, or when `exhaustive=True`, the brute-force baseline).
Per-profile numbers live in numpy arrays indexed by slot; scoring a query's candidates is a handful
of vectorised operations.

Concept and word weights are IDF over the profiles currently in the index, computed from live
document frequencies: after any sequence of add/update/remove the index answers exactly as a fresh
build over the same profiles would (ties are broken by profile id, never by slot).
"""

from __future__ import annotations

import heapq
import math
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from silkbridge.common.rates import DEFAULT_RATES, Rates

from .embedding import FIXED_POINT_SCALE, CachedEmbedder, to_fixed_point
from .features import ProfileFeatures, extract_features
from .glossary import Glossary, load_glossary
from .profiles import ASKING_TYPES, COMPLEMENTS, DEAL_TYPES, LANGUAGES, PROFILE_TYPES, Profile
from .reasons import Reason, render
from .weights import FAMILIES, FEATURE_NAMES, ScoringWeights, combine_scores

TYPE_CODE = {name: code for code, name in enumerate(PROFILE_TYPES)}
DEAL_BIT = {name: 1 << bit for bit, name in enumerate(DEAL_TYPES)}
NEUTRAL = 0.5  # the value of a feature that one side does not state
# A stated requirement that the pair fails multiplies the score by this (once per requirement; a TRL
# shortfall once per missing level), so a failed hard condition cannot be outweighed by good wording.
REQUIREMENT_PENALTY = 0.5
# With an embedder, the nearest profiles of each complementary type by embedding are candidates
# too, so that a description the glossary does not cover is still found. 20 (was 10) chosen on the tuning
# half (issue 12, session 10): 10 / 20 / 30 found the right profile among the candidates for 0.9915 / 1.0 /
# 1.0 of the tuning queries, tuning MRR technology 0.974 / 0.975 / 0.975, investment 0.965 / 0.969 / 0.962.
EMBEDDING_CANDIDATES = 20
# Reciprocity (hubness reduction): a candidate that fits some other profile much better than it fits the
# query is probably about something else, or near everything (a "hub": a broad offer that shares a generic
# concept and vague wording with every request of its field). Its score is multiplied by
# (score / its own best score) ** RECIPROCITY_POWER, which is 1 when the query is (one of) its best fits.
# After the CSLS correction of cross-lingual retrieval (Conneau et al., "Word translation without
# parallel data", ICLR 2018), in a multiplicative form so that mutual best pairs keep their score.
# Chosen on the tuning half only (issue 12, session 10): additive CSLS with k = 1, 3, 5, 10 neighbours and
# multiplicative powers 0.5 / 1 / 2 / 3; power 2 gave the best tuning MRR over all families
# (0.9267 without -> 0.9512 / 0.9554 / 0.9583 / 0.9548).
RECIPROCITY_POWER = 2.0
# `top_k_many` keeps each profile's best k + this many candidates from its first pass: reciprocity lowers
# most candidates' scores, so the answer often lies deep in the order before it (at 3,000 synthetic profiles,
# a margin of 30 / 60 / 100 left 64 / 30 / 5 % of top-10s to fall back to `top_k`).
SHORTLIST_MARGIN = 100
_TECHNOLOGY_TYPES = {"technology_offer", "technology_request", "rnd_request"}


def reciprocity(scores: Any, best: Any, power: float = RECIPROCITY_POWER) -> Any:
    """The reciprocity factor of scores (before reciprocity) against the other profiles' own best scores:
    min(1, score / best) ** power, 1 where the score is (one of) the other's best. Elementwise on arrays;
    the one formula of the index and of the evaluation (see RECIPROCITY_POWER)."""
    ratio = np.minimum(1.0, scores / np.maximum(best, 1e-12))
    return np.where(scores >= best, 1.0, ratio**power)


def pair_family(first_type: str, second_type: str) -> str:
    types = {first_type, second_type}
    if types & {"investment_offer", "investment_request"}:
        return "investment"
    if types & _TECHNOLOGY_TYPES:
        return "technology"
    return "business"


_FAMILY_CODE = np.array(
    [[FAMILIES.index(pair_family(first, second)) for second in PROFILE_TYPES] for first in PROFILE_TYPES],
    dtype=np.int64,
)


@dataclass(frozen=True)
class Shortlist:
    """A query's candidates in order of their score before reciprocity (see MatchIndex.top_k_many)."""

    query: ProfileFeatures
    slots: np.ndarray
    matrix: np.ndarray
    factors: np.ndarray
    plain: np.ndarray
    next_bound: float | None  # the score of the first candidate cut off, None when none was
    own_best: float  # the highest score of all its candidates: the query's own best score


@dataclass(frozen=True)
class Match:
    """One candidate in a top-k answer."""

    id: str
    score: float
    features: dict[str, float]
    reasons: list[Reason] = field(default_factory=list)
    requirements: float = 1.0  # the product of the penalties for failed stated requirements (1: none failed)
    reciprocity: float = 1.0  # (score / the other profile's best score) ** RECIPROCITY_POWER, at most 1

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        if language is not None:
            return {"id": self.id, "score": round(self.score, 4), "reasons": [r.render(language) for r in self.reasons]}
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "features": {name: round(value, 4) for name, value in self.features.items()},
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


class _BitAssigner:
    """Stable bit positions (< 63) for sector codes: known codes first, unknown ones by CRC."""

    def __init__(self, codes: list[str]):
        self._bits = {code: position % 63 for position, code in enumerate(sorted(codes))}

    def mask(self, codes: frozenset[str]) -> int:
        value = 0
        for code in codes:
            bit = self._bits.get(code)
            if bit is None:
                bit = zlib.crc32(code.encode()) % 63
            value |= 1 << bit
        return value


@lru_cache(maxsize=1024)
def _country_name(code: str, language: str) -> str:
    try:
        from silkbridge.common.countries import country_name
    except ImportError:  # Babel missing: show the code
        return code
    return country_name(code, language)


class MatchIndex:
    """Profiles ready to be matched; see the module docstring."""

    # Per-slot arrays (a free slot has type -1); grown by doubling in `_allocate`.
    _type: np.ndarray
    _org: np.ndarray
    _is_research: np.ndarray
    _has_targets: np.ndarray
    _country: np.ndarray
    _trl: np.ndarray
    _money_low: np.ndarray
    _money_high: np.ndarray
    _deals: np.ndarray
    _subs: np.ndarray
    _fields: np.ndarray
    _concepts: np.ndarray
    _concept_weights: np.ndarray
    _tokens: np.ndarray
    _language: np.ndarray
    _embedding: np.ndarray

    def __init__(
        self,
        *,
        glossary: Glossary | None = None,
        rates: Rates = DEFAULT_RATES,
        weights: ScoringWeights | None = None,
        max_concepts: int = 16,
        max_tokens: int = 48,
        initial_capacity: int = 1024,
        embedder: CachedEmbedder | None = None,
        reciprocity_power: float = RECIPROCITY_POWER,
    ):
        # 0 turns reciprocity off (no best score is computed): the engine of before, for comparisons.
        self.reciprocity_power = reciprocity_power
        self.glossary = glossary if glossary is not None else load_glossary()
        # Optional (see embedding.py): without it the embedding feature is neutral for every pair.
        self.embedder = embedder
        self._dimensions = embedder.dimensions if embedder is not None else 0
        self._language_sum = np.zeros((len(LANGUAGES), self._dimensions), dtype=np.int64)
        self._language_count = np.zeros(len(LANGUAGES), dtype=np.int64)
        self._embedding_cache: tuple[int, np.ndarray, dict[int, tuple[np.ndarray, np.ndarray]]] | None = None
        self.rates = rates
        self.weights = weights or ScoringWeights()
        self._weight_matrix = self.weights.matrix(with_embedding=embedder is not None)
        self.max_concepts, self.max_tokens = max_concepts, max_tokens
        self._concept_id = {code: number for number, code in enumerate(sorted(self.glossary.concepts))}
        self._concept_pad = len(self._concept_id)
        self._concept_df = np.zeros(self._concept_pad + 1, dtype=np.int64)
        sector_codes = [code for code, sector in self.glossary.sectors.items() if code != sector.field_code]
        field_codes = sorted({sector.field_code for sector in self.glossary.sectors.values()})
        self._sub_bits, self._field_bits = _BitAssigner(sector_codes), _BitAssigner(field_codes)
        self._token_id: dict[str, int] = {"": 0}  # 0 pads rows of the token matrix
        self._token_text: list[str] = [""]
        self._token_df = np.zeros(1024, dtype=np.int64)
        self._org_id: dict[str, int] = {}
        self._country_id: dict[str, int] = {}
        self._slot_of: dict[str, int] = {}
        self._stored: list[ProfileFeatures | None] = []
        self._free: list[int] = []
        self._postings: dict[tuple[str, object, int], set[int]] = {}
        self._posting_arrays: dict[tuple[str, object, int], np.ndarray] = {}
        self._generation = 0
        # Each slot's best score (see `best_score`), NaN while not known; valid for one generation.
        self._best_generation = -1
        self._best_array = np.empty(0)
        self._token_lookup = np.zeros(1024)
        self._idf_cache: tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = (
            None
        )
        self._allocate(initial_capacity)

    # ----------------------------------------------------------------- storage
    def _allocate(self, capacity: int) -> None:
        def grow(name: str, fill: Any, dtype: Any, width: int | None = None) -> None:
            shape = (capacity,) if width is None else (capacity, width)
            array = np.full(shape, fill, dtype=dtype)
            old = getattr(self, name, None)
            if old is not None:
                array[: len(old)] = old
            setattr(self, name, array)

        grow("_type", -1, np.int8)
        grow("_org", -1, np.int64)
        grow("_is_research", False, np.bool_)
        grow("_has_targets", False, np.bool_)
        grow("_country", -1, np.int64)
        grow("_trl", np.nan, np.float64)
        grow("_money_low", np.nan, np.float64)
        grow("_money_high", np.nan, np.float64)
        grow("_deals", 0, np.int64)
        grow("_subs", 0, np.int64)
        grow("_fields", 0, np.int64)
        grow("_concepts", self._concept_pad, np.int32, self.max_concepts)
        grow("_concept_weights", 0.0, np.float64, self.max_concepts)
        grow("_tokens", 0, np.int32, self.max_tokens)
        grow("_language", 0, np.int8)
        grow("_embedding", 0, np.int16, self._dimensions)
        self._stored.extend([None] * (capacity - len(self._stored)))
        self._capacity = capacity

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, profile_id: object) -> bool:
        return profile_id in self._slot_of

    def ids(self) -> list[str]:
        return sorted(self._slot_of)

    def features_of(self, profile_id: str) -> ProfileFeatures:
        stored = self._stored[self._slot_of[profile_id]]
        assert stored is not None
        return stored

    def _posting_keys(self, features: ProfileFeatures) -> list[tuple[str, object, int]]:
        type_code = TYPE_CODE[features.profile.type]
        keys: list[tuple[str, object, int]] = [("type", None, type_code)]
        keys += [("concept", self._concept_id[code], type_code) for code in features.concepts]
        keys += [("sub", code, type_code) for code in features.subfields]
        keys += [("field", code, type_code) for code in features.fields]
        return keys

    # ----------------------------------------------------------------- writes
    def add(self, profile: Profile) -> None:
        """Add a profile, or replace the one with the same id."""
        self._add(profile, self._raw_vector(profile) if self.embedder is not None else None)

    def _add(self, profile: Profile, vector: np.ndarray | None) -> None:
        if profile.id in self._slot_of:
            self.remove(profile.id)
        features = extract_features(profile, self.glossary, self.rates, max_tokens=self.max_tokens)
        if not self._free and len(self._slot_of) >= self._capacity:
            self._allocate(self._capacity * 2)
        slot = self._free.pop() if self._free else len(self._slot_of)
        self._slot_of[profile.id] = slot
        self._stored[slot] = features
        self._write_row(slot, features, vector)
        for key in self._posting_keys(features):
            self._postings.setdefault(key, set()).add(slot)
            self._posting_arrays.pop(key, None)
        self._generation += 1

    update = add

    def add_many(self, profiles: list[Profile], *, batch: int = 256) -> None:
        """Add profiles in order; texts are embedded a batch at a time."""
        for start in range(0, len(profiles), batch):
            chunk = profiles[start : start + batch]
            vectors: list[np.ndarray | None] = [None] * len(chunk)
            if self.embedder is not None:
                vectors = list(to_fixed_point(self.embedder([profile.text for profile in chunk])))
            for profile, vector in zip(chunk, vectors, strict=True):
                self._add(profile, vector)

    def remove(self, profile_id: str) -> bool:
        """Remove a profile; False when the index does not hold it."""
        slot = self._slot_of.pop(profile_id, None)
        if slot is None:
            return False
        features = self._stored[slot]
        assert features is not None
        for key in self._posting_keys(features):
            self._postings[key].discard(slot)
            self._posting_arrays.pop(key, None)
        concept_row = self._concepts[slot]
        np.subtract.at(self._concept_df, concept_row[concept_row != self._concept_pad], 1)
        token_row = self._tokens[slot]
        np.subtract.at(self._token_df, token_row[token_row != 0], 1)
        if self.embedder is not None:
            self._language_sum[self._language[slot]] -= self._embedding[slot]
            self._language_count[self._language[slot]] -= 1
            self._embedding[slot] = 0
        self._stored[slot] = None
        self._type[slot] = -1
        self._has_targets[slot] = False
        self._concepts[slot] = self._concept_pad
        self._concept_weights[slot] = 0.0
        self._tokens[slot] = 0
        self._free.append(slot)
        self._generation += 1
        return True

    def _write_row(self, slot: int, features: ProfileFeatures, vector: np.ndarray | None) -> None:
        profile = features.profile
        self._type[slot] = TYPE_CODE[profile.type]
        self._org[slot] = self._org_id.setdefault(profile.org, len(self._org_id))
        self._is_research[slot] = profile.is_research_organisation
        self._has_targets[slot] = bool(profile.target_countries)
        self._country[slot] = (
            self._country_id.setdefault(profile.country, len(self._country_id)) if profile.country else -1
        )
        self._trl[slot] = profile.trl if profile.trl is not None else np.nan
        low, high = features.money_usd or (np.nan, np.nan)
        self._money_low[slot], self._money_high[slot] = low, high
        self._deals[slot] = sum(DEAL_BIT[name] for name in profile.deal_types)
        self._subs[slot] = self._sub_bits.mask(features.subfields)
        self._fields[slot] = self._field_bits.mask(features.fields)
        codes = list(features.concepts)[: self.max_concepts]
        concept_ids = [self._concept_id[code] for code in codes]
        self._concepts[slot] = self._concept_pad
        self._concepts[slot, : len(concept_ids)] = concept_ids
        self._concept_weights[slot] = 0.0
        self._concept_weights[slot, : len(codes)] = [features.concept_weights[code] for code in codes]
        np.add.at(self._concept_df, concept_ids, 1)
        token_ids = [self._intern(token) for token in features.tokens]
        self._tokens[slot] = 0
        self._tokens[slot, : len(token_ids)] = token_ids
        np.add.at(self._token_df, token_ids, 1)
        self._language[slot] = _language_code(profile.language)
        if vector is not None:
            self._embedding[slot] = vector
            self._language_sum[self._language[slot]] += self._embedding[slot]
            self._language_count[self._language[slot]] += 1

    def _raw_vector(self, profile: Profile) -> np.ndarray:
        assert self.embedder is not None
        fixed: np.ndarray = to_fixed_point(self.embedder([profile.text])[0])
        return fixed

    def _intern(self, token: str) -> int:
        token_id = self._token_id.get(token)
        if token_id is None:
            token_id = self._token_id[token] = len(self._token_text)
            self._token_text.append(token)
            if token_id >= len(self._token_df):
                self._token_df = np.concatenate([self._token_df, np.zeros(len(self._token_df), dtype=np.int64)])
        return token_id

    # ----------------------------------------------------------------- weights of concepts and words
    def _idf(self, document_frequency: np.ndarray) -> np.ndarray:
        return np.log((1.0 + len(self)) / (1.0 + document_frequency)) + 1.0

    def _idf_tables(self) -> tuple[np.ndarray, np.ndarray]:
        """IDF of every concept and word (pad entries 0), recomputed only after a change."""
        return self._weighted_rows()[:2]

    def _weighted_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per generation: concept and word IDF, and every slot's weighted rows and their norms.

        Computed for all slots at once after a change (tens of milliseconds at 100,000 profiles),
        so that a query only gathers its candidates' rows.
        """
        if self._idf_cache is None or self._idf_cache[0] != self._generation:
            concept_idf = self._idf(self._concept_df)
            concept_idf[self._concept_pad] = 0.0
            token_idf = self._idf(self._token_df)
            token_idf[0] = 0.0
            concept_values = self._concept_weights * concept_idf[self._concepts]
            token_values = token_idf[self._tokens]
            self._idf_cache = (
                self._generation,
                concept_idf,
                token_idf,
                concept_values,
                _concept_norms(concept_values, concept_idf[self._concepts]),
                token_values,
                np.sqrt((token_values**2).sum(axis=1)),
            )
        return self._idf_cache[1:]

    def _language_means(self) -> np.ndarray:
        """Mean stored vector per language (zero for a language with no profile), in unit scale."""
        counts = np.maximum(self._language_count, 1)[:, None]
        means: np.ndarray = self._language_sum / counts / FIXED_POINT_SCALE
        return means

    def _centred(self, raw: np.ndarray, languages: np.ndarray) -> np.ndarray:
        """Vectors less their language's mean, scaled to unit length (float32)."""
        rows = raw.astype(np.float64) / FIXED_POINT_SCALE - self._language_means()[languages]
        norms = np.linalg.norm(rows, axis=-1, keepdims=True)
        centred: np.ndarray = (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)
        return centred

    def _embedding_tables(self) -> tuple[np.ndarray, dict[int, tuple[np.ndarray, np.ndarray]]]:
        """Per generation: each slot's row within its type, and per type its slots and centred vectors."""
        if self._embedding_cache is None or self._embedding_cache[0] != self._generation:
            row_in_type = np.full(self._capacity, -1, dtype=np.int64)
            by_type: dict[int, tuple[np.ndarray, np.ndarray]] = {}
            for type_code in range(len(PROFILE_TYPES)):
                slots = np.sort(self._posting_array(("type", None, type_code)))
                row_in_type[slots] = np.arange(len(slots))
                by_type[type_code] = (slots, self._centred(self._embedding[slots], self._language[slots]))
            self._embedding_cache = (self._generation, row_in_type, by_type)
        return self._embedding_cache[1], self._embedding_cache[2]

    def _query_vector(self, query: ProfileFeatures) -> np.ndarray:
        """The query's centred vector: stored when the query is the indexed profile, else embedded now."""
        slot = self._slot_of.get(query.profile.id)
        if slot is not None and self._stored[slot] is query:
            raw = self._embedding[slot]
        else:
            raw = self._raw_vector(query.profile)
        return self._centred(raw[None, :], np.array([_language_code(query.profile.language)]))[0]

    def _embedding_similarity(self, query: ProfileFeatures, slots: np.ndarray) -> np.ndarray:
        """Cosine of language-centred embeddings, clipped to [0, 1]; neutral without an embedder."""
        if self.embedder is None or len(slots) == 0:
            return np.full(len(slots), NEUTRAL)
        row_in_type, by_type = self._embedding_tables()
        vector = self._query_vector(query)
        similarity = np.zeros(len(slots))
        types = self._type[slots]
        for type_code in np.unique(types).tolist():
            positions = np.flatnonzero(types == type_code)
            rows = by_type[type_code][1][row_in_type[slots[positions]]]
            # Row by row (einsum, not BLAS), so that a pair's value never depends on the other candidates.
            similarity[positions] = np.einsum("ij,j->i", rows, vector)
        return np.clip(similarity, 0.0, 1.0)

    def _nearest_by_embedding(self, query: ProfileFeatures, types: list[int]) -> list[np.ndarray]:
        """Slots of the EMBEDDING_CANDIDATES nearest profiles of each type (ties by slot, then filtered)."""
        if self.embedder is None:
            return []
        _, by_type = self._embedding_tables()
        vector = self._query_vector(query)
        nearest = []
        for type_code in types:
            slots, matrix = by_type[type_code]
            if len(slots) <= EMBEDDING_CANDIDATES:
                nearest.append(slots)
                continue
            # einsum rather than BLAS: a threaded BLAS matrix-vector product on a busy machine was
            # measured 50x slower than this for one query.
            similarity = np.einsum("ij,j->i", matrix, vector)
            # Everything at or above the N-th best similarity (less a margin for rounding), so that
            # neither ties nor slot order decide who is a candidate.
            threshold = np.partition(similarity, len(slots) - EMBEDDING_CANDIDATES)[len(slots) - EMBEDDING_CANDIDATES]
            nearest.append(slots[similarity >= threshold - 1e-4])
        return nearest

    # ----------------------------------------------------------------- queries
    def _posting_array(self, key: tuple[str, object, int]) -> np.ndarray:
        array = self._posting_arrays.get(key)
        if array is None:
            array = np.fromiter(self._postings.get(key, ()), dtype=np.int64)
            self._posting_arrays[key] = array
        return array

    def _candidates(self, query: ProfileFeatures, *, exhaustive: bool) -> np.ndarray:
        types = [TYPE_CODE[name] for name in COMPLEMENTS[query.profile.type]]
        keys: list[tuple[str, object, int]] = []
        if not exhaustive:
            for type_code in types:
                keys += [("concept", self._concept_id[code], type_code) for code in query.concepts]
                keys += [("sub", code, type_code) for code in query.subfields]
                # Investors state fields, not concepts; and a profile with no concept is found by field.
                if query.profile.family == "investment" or not query.concepts:
                    keys += [("field", code, type_code) for code in query.fields]
        arrays = [self._posting_array(key) for key in keys]
        if not exhaustive:
            arrays += self._nearest_by_embedding(query, types)
        candidates = np.unique(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.int64)
        if len(candidates) == 0:
            arrays = [self._posting_array(("type", None, type_code)) for type_code in types]
            candidates = np.unique(np.concatenate(arrays)) if arrays else candidates
        return self._compatible(query, candidates)

    def _compatible(self, query: ProfileFeatures, candidates: np.ndarray) -> np.ndarray:
        profile = query.profile
        keep = self._org[candidates] != self._org_id.get(profile.org, -2)
        if profile.type == "rnd_request":
            keep &= (self._type[candidates] != TYPE_CODE["business_offer"]) | self._is_research[candidates]
        elif profile.type == "business_offer" and not profile.is_research_organisation:
            keep &= self._type[candidates] != TYPE_CODE["rnd_request"]
        return candidates[keep]

    def _query_features(self, query: str | Profile | ProfileFeatures) -> ProfileFeatures:
        if isinstance(query, ProfileFeatures):
            return query
        if isinstance(query, str):
            return self.features_of(query)
        return extract_features(query, self.glossary, self.rates, max_tokens=self.max_tokens)

    def feature_matrix(
        self, query: str | Profile | ProfileFeatures, *, exhaustive: bool = False
    ) -> tuple[ProfileFeatures, np.ndarray, np.ndarray]:
        """(query, candidate slots, features n×8 in FEATURE_NAMES order) for one query."""
        query_features = self._query_features(query)
        candidates = self._candidates(query_features, exhaustive=exhaustive)
        return query_features, candidates, self._score_features(query_features, candidates)

    def requirement_factors(self, query: ProfileFeatures, slots: np.ndarray) -> np.ndarray:
        """Per candidate, the product of REQUIREMENT_PENALTY over the stated requirements it fails.

        Failed: the TRL offered is below the TRL asked for (per missing level); both give amounts and
        they do not overlap after conversion (an investor's ticket that does not cover the amount);
        both name deal types or instruments and share none; an investment pair in different fields.
        A requirement that one side does not state never counts against the pair.
        """
        profile = query.profile
        exponent = np.zeros(len(slots))
        if profile.trl is not None:
            other = self._trl[slots]
            asked, offered = (profile.trl, other) if profile.type in ASKING_TYPES else (other, profile.trl)
            exponent += np.nan_to_num(np.maximum(0.0, asked - offered), nan=0.0)
        if query.money_usd is not None:
            low, high = query.money_usd
            other_low, other_high = self._money_low[slots], self._money_high[slots]
            apart = ~np.isnan(other_low) & ((other_low > high) | (other_high < low))
            exponent += apart
        query_deals = sum(DEAL_BIT[name] for name in profile.deal_types)
        if query_deals:
            deals = self._deals[slots]
            exponent += (deals != 0) & ((deals & query_deals) == 0)
        if profile.family == "investment" and query.fields:
            fields = self._fields[slots]
            exponent += (fields != 0) & ((fields & self._field_bits.mask(query.fields)) == 0)
        factors: np.ndarray = REQUIREMENT_PENALTY**exponent
        return factors

    def _score_features(self, query: ProfileFeatures, slots: np.ndarray) -> np.ndarray:
        profile = query.profile
        matrix = np.empty((len(slots), len(FEATURE_NAMES)), dtype=np.float64)
        matrix[:, 0] = self._concept_similarity(query, slots)
        matrix[:, 1] = self._sector_similarity(query, slots)
        matrix[:, 2] = self._trl_fit(profile, slots)
        matrix[:, 3] = self._money_fit(query, slots)
        matrix[:, 4] = self._deal_fit(profile, slots)
        matrix[:, 5] = self._country_fit(profile, slots)
        matrix[:, 6] = self._text_similarity(query, slots)
        matrix[:, 7] = self._embedding_similarity(query, slots)
        return matrix

    @staticmethod
    def _cosine(
        rows: np.ndarray, row_values: np.ndarray, row_norms: np.ndarray, query_lookup: np.ndarray, query_norm: float
    ) -> np.ndarray:
        """Cosine of weighted id sets: the query as a dense lookup by id, each row as (ids, values, norm)."""
        if query_norm == 0 or len(rows) == 0:
            return np.zeros(len(rows))
        shared = (row_values * query_lookup[rows]).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(row_norms > 0, shared / (query_norm * row_norms), 0.0)

    def _concept_similarity(self, query: ProfileFeatures, slots: np.ndarray) -> np.ndarray:
        """IDF-weighted cosine of concept vectors; an approximate concept counts with its covered share."""
        concept_idf, _, concept_values, concept_norms, _, _ = self._weighted_rows()
        codes = list(query.concepts)[: self.max_concepts]
        query_ids = np.array([self._concept_id[code] for code in codes], dtype=np.int64)
        query_values = np.array([query.concept_weights[code] for code in codes]) * concept_idf[query_ids]
        lookup = np.zeros(len(concept_idf))
        lookup[query_ids] = query_values
        query_norm = float(_concept_norms(query_values[None, :], concept_idf[query_ids][None, :])[0])
        return self._cosine(self._concepts[slots], concept_values[slots], concept_norms[slots], lookup, query_norm)

    def _text_similarity(self, query: ProfileFeatures, slots: np.ndarray) -> np.ndarray:
        """IDF-weighted cosine of the residual words (those no glossary term took)."""
        _, token_idf, _, _, token_values, token_norms = self._weighted_rows()
        known = np.array([self._token_id[token] for token in query.tokens if token in self._token_id], dtype=np.int64)
        unknown_count = len(query.tokens) - len(known)
        unknown_idf = float(self._idf(np.zeros(1))[0])  # a word no indexed profile uses
        query_norm = math.sqrt(float((token_idf[known] ** 2).sum()) + unknown_count * unknown_idf**2)
        lookup = self._token_lookup
        if len(lookup) < len(token_idf):
            lookup = self._token_lookup = np.zeros(len(token_idf))
        lookup[known] = token_idf[known]
        try:
            return self._cosine(self._tokens[slots], token_values[slots], token_norms[slots], lookup, query_norm)
        finally:
            lookup[known] = 0.0  # the buffer is shared between queries

    def _sector_similarity(self, query: ProfileFeatures, slots: np.ndarray) -> np.ndarray:
        def cosine(query_mask: int, masks: np.ndarray) -> np.ndarray:
            query_count = int(query_mask).bit_count()
            counts = np.bitwise_count(masks)
            shared = np.bitwise_count(masks & query_mask)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where((counts > 0) & (query_count > 0), shared / np.sqrt(counts * max(query_count, 1)), 0.0)

        subs = cosine(self._sub_bits.mask(query.subfields), self._subs[slots])
        fields = cosine(self._field_bits.mask(query.fields), self._fields[slots])
        return 0.75 * subs + 0.25 * fields

    def _trl_fit(self, profile: Profile, slots: np.ndarray) -> np.ndarray:
        """1 when the side that has a technology reaches the TRL the other side asks for; −0.5 a level short."""
        other = self._trl[slots]
        if profile.trl is None:
            return np.full(len(slots), NEUTRAL)
        asked, offered = (profile.trl, other) if profile.type in ASKING_TYPES else (other, profile.trl)
        fit = np.clip(1.0 - 0.5 * np.maximum(0.0, asked - offered), 0.0, 1.0)
        return np.where(np.isnan(other), NEUTRAL, fit)

    def _money_fit(self, query: ProfileFeatures, slots: np.ndarray) -> np.ndarray:
        """1 when the amount ranges overlap (after conversion); 0.5 just apart, falling to 0 at a factor 2."""
        if query.money_usd is None:
            return np.full(len(slots), NEUTRAL)
        low, high = query.money_usd
        other_low, other_high = self._money_low[slots], self._money_high[slots]
        with np.errstate(invalid="ignore", divide="ignore"):
            gap = np.maximum(other_low / max(high, 1e-9), low / np.maximum(other_high, 1e-9))
            fit = np.where(gap <= 1.0, 1.0, 0.5 * np.clip(1.0 - np.log2(np.maximum(gap, 1.0)), 0.0, 1.0))
        return np.where(np.isnan(other_low), NEUTRAL, fit)

    def _deal_fit(self, profile: Profile, slots: np.ndarray) -> np.ndarray:
        query_mask = sum(DEAL_BIT[name] for name in profile.deal_types)
        masks = self._deals[slots]
        if query_mask == 0:
            return np.full(len(slots), NEUTRAL)
        return np.where(masks == 0, NEUTRAL, np.where((masks & query_mask) != 0, 1.0, 0.0))

    def _country_fit(self, profile: Profile, slots: np.ndarray) -> np.ndarray:
        """Targets named by either side decide; otherwise cross-border 1, same country 0.6, unknown 0.5."""
        countries = self._country[slots]
        query_country = self._country_id.get(profile.country, -2) if profile.country else -2
        fit = np.where(countries < 0, NEUTRAL, np.where(countries == query_country, 0.6, 1.0))
        if profile.country is None:
            fit = np.full(len(slots), NEUTRAL)
        if profile.target_countries:
            targets = np.array([self._country_id.get(code, -3) for code in profile.target_countries])
            fit = np.where(countries < 0, NEUTRAL, np.where(np.isin(countries, targets), 1.0, 0.0))
        for position in np.flatnonzero(self._has_targets[slots]).tolist():
            stored = self._stored[int(slots[position])]
            assert stored is not None
            fit[position] = 1.0 if profile.country in stored.profile.target_countries else 0.0
        return fit

    def _family_rows(self, profile: Profile, slots: np.ndarray) -> np.ndarray:
        return _FAMILY_CODE[TYPE_CODE[profile.type]][self._type[slots].astype(np.int64)]

    def scores(self, query: ProfileFeatures, slots: np.ndarray, matrix: np.ndarray) -> np.ndarray:
        """Weighted feature sum times the requirement factors: always in [0, 1]."""
        weights = self._weight_matrix[self._family_rows(query.profile, slots)]
        return combine_scores(matrix, weights, self.requirement_factors(query, slots))

    def top_k(
        self,
        query: str | Profile,
        k: int = 10,
        *,
        exhaustive: bool = False,
        with_reasons: bool = True,
        min_score: float = 0.0,
    ) -> list[Match]:
        """The k best complementary profiles for a profile in the index (by id) or outside it.

        A pair's score is its weighted features times its requirement factor times its reciprocity
        (see RECIPROCITY_POWER). Reciprocity needs each candidate's own best score, one more query per
        candidate (cached until the index changes), so candidates are taken in order of their score
        before reciprocity and the scan stops once that score, an upper bound, falls below the k-th best
        final score: the answer is exact without scoring the long tail.
        """
        if k <= 0:
            return []
        answer = self._finish(self._shortlist(query, exhaustive=exhaustive), k, with_reasons, min_score)
        assert answer is not None  # a whole candidate list always gives an answer
        return answer

    def top_k_many(
        self, profile_ids: list[str], k: int = 10, *, with_reasons: bool = True, min_score: float = 0.0
    ) -> dict[str, list[Match]]:
        """`top_k` of many indexed profiles at once, as two passes: each profile's candidates are
        scored once, which also gives its own best score, and only then is reciprocity applied to each
        shortlist (its best k + SHORTLIST_MARGIN); a shortlist too short to settle the answer falls back
        to `top_k`. The answers equal `top_k`'s; the cost is about that of the queries without reciprocity."""
        shortlists = {profile_id: self.shortlist(profile_id, k + SHORTLIST_MARGIN) for profile_id in profile_ids}
        self.prime_best_scores({self._slot_of[profile_id]: short.own_best for profile_id, short in shortlists.items()})
        return {
            profile_id: self.finish(short, k, with_reasons=with_reasons, min_score=min_score)
            for profile_id, short in shortlists.items()
        }

    def shortlist(self, profile_id: str, keep: int) -> Shortlist:
        """An indexed profile's `keep` best candidates before reciprocity (see `top_k_many`)."""
        return self._shortlist(profile_id, exhaustive=False, keep=keep)

    def finish(self, short: Shortlist, k: int, *, with_reasons: bool = True, min_score: float = 0.0) -> list[Match]:
        """The answer from a shortlist (see `top_k_many`), or `top_k`'s where the shortlist is too short."""
        answer = self._finish(short, k, with_reasons, min_score)
        if answer is None:
            return self.top_k(short.query.profile.id, k, with_reasons=with_reasons, min_score=min_score)
        return answer

    def _shortlist(self, query: str | Profile, *, exhaustive: bool, keep: int | None = None) -> Shortlist:
        query_features, slots, matrix = self.feature_matrix(query, exhaustive=exhaustive)
        factors = self.requirement_factors(query_features, slots)
        weights = self._weight_matrix[self._family_rows(query_features.profile, slots)]
        plain = combine_scores(matrix, weights, factors)
        order = np.argsort(-plain, kind="stable")
        cut = keep is not None and len(order) > keep
        next_bound = float(plain[order[keep]]) if cut and keep is not None else None
        if cut:
            order = order[:keep]
        return Shortlist(
            query_features,
            slots[order],
            matrix[order],
            factors[order],
            plain[order],
            next_bound,
            float(plain.max()) if len(plain) else 0.0,
        )

    def _finish(self, short: Shortlist, k: int, with_reasons: bool, min_score: float) -> list[Match] | None:
        """Candidates in order of their score before reciprocity, an upper bound of the final score:
        the scan stops once it falls below the k-th best final score (or min_score). None when the
        shortlist ends first and the cut-off candidates could still enter the answer."""
        known = self._best_values()[short.slots]
        if not np.isnan(known).any():
            return self._finish_known(short, k, with_reasons, min_score, known)
        reciprocities = np.zeros(len(short.slots))
        found: list[float] = []  # final scores scanned so far, a min-heap of the k best

        def settled(bound: float) -> bool:
            return bound < min_score or (len(found) >= k and bound < found[0])

        scanned = 0
        for position in range(len(short.slots)):
            bound = float(short.plain[position])
            if settled(bound):
                break
            reciprocities[position] = self._reciprocity(bound, int(short.slots[position]))
            scanned += 1
            heapq.heappush(found, bound * float(reciprocities[position]))
            if len(found) > k:
                heapq.heappop(found)
        else:
            if short.next_bound is not None and not settled(short.next_bound):
                return None
        scores = short.plain[:scanned] * reciprocities[:scanned]
        return self._answer(short, scores, reciprocities, k, with_reasons, min_score)

    def _finish_known(
        self, short: Shortlist, k: int, with_reasons: bool, min_score: float, best: np.ndarray
    ) -> list[Match] | None:
        """`_finish` when every shortlisted candidate's best score is known (a batch's second pass): all
        final scores at once. Candidates the scan would not reach score below the k-th final score, so
        the answer is the same."""
        reciprocities = reciprocity(short.plain, best, self.reciprocity_power)
        scores = short.plain * reciprocities
        if short.next_bound is not None and short.next_bound >= min_score:
            eligible = np.sort(scores[scores >= min_score])
            if len(eligible) < k or short.next_bound >= eligible[-k]:
                return None
        return self._answer(short, scores, reciprocities, k, with_reasons, min_score)

    def _answer(
        self,
        short: Shortlist,
        scores: np.ndarray,
        reciprocities: np.ndarray,
        k: int,
        with_reasons: bool,
        min_score: float,
    ) -> list[Match]:
        chosen = self._best_positions(scores, short.slots[: len(scores)], k, min_score)
        matches = []
        for position in chosen:
            stored = self._stored[int(short.slots[position])]
            assert stored is not None
            features = dict(zip(FEATURE_NAMES, short.matrix[position].tolist(), strict=True))
            reasons = self.reasons(short.query, stored, features) if with_reasons else []
            matches.append(
                Match(
                    stored.profile.id,
                    float(scores[position]),
                    features,
                    reasons,
                    float(short.factors[position]),
                    float(reciprocities[position]),
                )
            )
        return matches

    def prime_best_scores(self, best: dict[int, float]) -> None:
        """Give the cache of best scores values computed elsewhere for the index as it stands (by
        `top_k_many`, or by forked workers over the same index): they must be `best_score`'s."""
        if best:
            self._best_values()[np.fromiter(best, dtype=np.int64)] = np.fromiter(best.values(), dtype=np.float64)

    def forget_best_scores(self) -> None:
        """Empty the cache of best scores (benchmarks of the first query after a change)."""
        self._best_generation = -1

    def slot_of(self, profile_id: str) -> int:
        return self._slot_of[profile_id]

    def _best_values(self) -> np.ndarray:
        """The cache of best scores, an array by slot (NaN: not known yet), emptied whenever the index
        has changed."""
        if self._best_generation != self._generation:
            self._best_generation = self._generation
            self._best_array = np.full(self._capacity, np.nan)
        return self._best_array

    def _reciprocity(self, score: float, slot: int) -> float:
        """`reciprocity` of one score against the stored profile's own best score."""
        if self.reciprocity_power == 0:
            return 1.0
        best = self.best_score(slot)  # `reciprocity` for one score, without numpy's per-call cost
        return 1.0 if score >= best else float((score / max(best, 1e-12)) ** self.reciprocity_power)

    def best_score_of(self, profile_id: str) -> float:
        """`best_score` of an indexed profile, by id."""
        return self.best_score(self.slot_of(profile_id))

    def best_score(self, slot: int) -> float:
        """The highest score (before reciprocity) of the profile in `slot` against its own candidates.

        Cached until the index changes (a change can move any score: IDF, language means), so an answer
        depends only on the profiles in the index, never on the order of queries.
        """
        cache = self._best_values()
        known = float(cache[slot])
        if not math.isnan(known):
            return known
        features = self._stored[slot]
        assert features is not None
        candidates = self._candidates(features, exhaustive=False)
        best = 0.0
        if len(candidates):
            best = float(self.scores(features, candidates, self._score_features(features, candidates)).max())
        cache[slot] = best
        return best

    def _best_positions(self, scores: np.ndarray, slots: np.ndarray, k: int, min_score: float) -> list[int]:
        """Positions of the k highest scores; ties broken by profile id so that slots never matter."""
        eligible = np.flatnonzero(scores >= min_score)
        if len(eligible) > k:
            threshold = np.partition(scores[eligible], len(eligible) - k)[len(eligible) - k]
            eligible = eligible[scores[eligible] >= threshold]
        ids = [self._stored[int(slots[position])].profile.id for position in eligible]  # type: ignore[union-attr]
        order = sorted(range(len(eligible)), key=lambda item: (-scores[eligible[item]], ids[item]))
        return [int(eligible[item]) for item in order[:k]]

    # ----------------------------------------------------------------- reasons
    def reasons(self, query: ProfileFeatures, other: ProfileFeatures, features: dict[str, float]) -> list[Reason]:
        found: list[tuple[str, dict[str, Any]]] = []
        # Only concepts both texts name (exactly, or approximately with the words together) are shown,
        # the one that weighs most in the pair first; a weak hint counts in the score but is no reason.
        # Shared wording is never a reason: a list of common words is not one a person agrees with.
        concept_idf, _ = self._idf_tables()
        shown = {
            code
            for code in query.supported & other.supported
            if not _beside_the_subject(code, query, other) and not _beside_the_subject(code, other, query)
        }
        shared = sorted(
            shown,
            key=lambda code: (
                -concept_idf[self._concept_id[code]] * query.concept_weights[code] * other.concept_weights[code],
                code,
            ),
        )
        if shared:
            concepts = [
                {"code": code, "this": query.concepts[code], "other": other.concepts[code]} for code in shared[:3]
            ]
            found.append(("shared_concepts", {"concepts": concepts}))
        sectors = sorted(query.subfields & other.subfields) or sorted(query.fields & other.fields)
        if sectors:
            found.append(("same_sector", {"sectors": sectors[:3]}))
        found += self._trl_reason(query.profile, other.profile)
        found += self._money_reason(query, other)
        found += self._deal_reason(query.profile, other.profile)
        found += self._country_reason(query.profile, other.profile)
        weights = self.weights.for_family(pair_family(query.profile.type, other.profile.type))
        return [self._reason(code, params) for code, params in _strongest_first(found, features, weights)]

    def _reason(self, code: str, params: dict[str, Any]) -> Reason:
        return Reason(code, params, self._render)

    def _render(self, code: str, params: dict[str, Any], language: str) -> str:
        return render(code, params, language, sector_name=self.glossary.label, country_name=_country_name)

    @staticmethod
    def _trl_reason(query: Profile, other: Profile) -> list[tuple[str, dict[str, Any]]]:
        if query.trl is None or other.trl is None:
            return []
        asker, haver = (query, other) if query.type in ASKING_TYPES else (other, query)
        code = "trl_meets" if haver.trl >= asker.trl else "trl_below"  # type: ignore[operator]
        return [(code, {"offered": haver.trl, "asked": asker.trl})]

    def _money_reason(self, query: ProfileFeatures, other: ProfileFeatures) -> list[tuple[str, dict[str, Any]]]:
        if query.money_usd is None or other.money_usd is None:
            return []
        overlap = query.money_usd[0] <= other.money_usd[1] and other.money_usd[0] <= query.money_usd[1]
        if query.profile.family == "investment" or other.profile.family == "investment":
            ticket, amount = (query, other) if query.profile.type == "investment_offer" else (other, query)
            params = {**self._money_params("ticket", ticket.profile), **self._money_params("amount", amount.profile)}
            if amount.profile.currency != ticket.profile.currency:
                params.update(self._converted("amount", amount.profile, ticket.profile.currency or "USD"))
            return [("ticket_covers" if overlap else "ticket_misses", params)]
        params = {**self._money_params("this", query.profile), **self._money_params("other", other.profile)}
        if other.profile.currency != query.profile.currency:
            params.update(self._converted("other", other.profile, query.profile.currency or "USD"))
        return [("amounts_overlap" if overlap else "amounts_apart", params)]

    @staticmethod
    def _money_params(prefix: str, profile: Profile) -> dict[str, Any]:
        low = profile.amount_min if profile.amount_min is not None else profile.amount_max
        high = profile.amount_max if profile.amount_max is not None else profile.amount_min
        return {f"{prefix}_min": low, f"{prefix}_max": high, f"{prefix}_currency": profile.currency}

    def _converted(self, prefix: str, profile: Profile, target: str) -> dict[str, Any]:
        params = self._money_params(prefix, profile)
        currency = profile.currency or "USD"
        return {
            f"{prefix}_converted_min": round(self.rates.convert(params[f"{prefix}_min"], currency, target), 2),
            f"{prefix}_converted_max": round(self.rates.convert(params[f"{prefix}_max"], currency, target), 2),
            f"{prefix}_converted_currency": target,
            "rates_as_of": self.rates.as_of.isoformat(),
        }

    @staticmethod
    def _deal_reason(query: Profile, other: Profile) -> list[tuple[str, dict[str, Any]]]:
        if not query.deal_types or not other.deal_types:
            return []
        common = [name for name in DEAL_TYPES if name in query.deal_types and name in other.deal_types]
        if common:
            return [("deal_types_common", {"deal_types": common})]
        return [("deal_types_differ", {"this": list(query.deal_types), "other": list(other.deal_types)})]

    @staticmethod
    def _country_reason(query: Profile, other: Profile) -> list[tuple[str, dict[str, Any]]]:
        if query.target_countries and other.country in query.target_countries:
            return [("target_country", {"this": query.country, "other": other.country})]
        if not query.country or not other.country:
            return []
        if query.country == other.country:
            return [("same_country", {"this": query.country, "other": other.country})]
        return [("cross_border", {"this": query.country, "other": other.country})]


def _beside_the_subject(code: str, side: ProfileFeatures, other: ProfileFeatures) -> bool:
    """Whether a shared concept is a detail beside what this side is about: its title names a subject
    (see ProfileFeatures.subject) that the other profile does not name, and this concept is not part of
    it; or this side names it only in passing (one item of a list, a past application: see
    ProfileFeatures.passing) and the other is not about it. The temperature sensors of a grain-store
    monitoring system and those of a motor's vibration monitor are one concept, but the two are about
    different things, and a card that showed "Shared concepts: temperature sensor" would tell the reader
    they are alike."""
    if code in side.passing and code not in other.subject:
        return True
    return bool(side.subject) and code not in side.subject and not side.subject & other.supported


# The feature each reason speaks for; a failed requirement is told before what merely fits.
_REASON_FEATURE = {
    "shared_concepts": "concepts",
    "same_sector": "sectors",
    "trl_meets": "trl",
    "trl_below": "trl",
    "ticket_covers": "money",
    "ticket_misses": "money",
    "amounts_overlap": "money",
    "amounts_apart": "money",
    "deal_types_common": "deal_types",
    "deal_types_differ": "deal_types",
    "cross_border": "country",
    "same_country": "country",
    "target_country": "country",
}
_FAILED_REQUIREMENTS = frozenset({"trl_below", "ticket_misses", "amounts_apart", "deal_types_differ"})


def _strongest_first(
    found: list[tuple[str, dict[str, Any]]], features: dict[str, float], weights: Any
) -> list[tuple[str, dict[str, Any]]]:
    """Reasons in the order a reader needs them: the shared concept first (what the pair is about),
    then any requirement the pair fails, then the others by what they add to the score (the family's
    weight times the feature's value); pages show the first three (`SHOWN_REASONS`)."""

    def strength(item: tuple[str, dict[str, Any]]) -> tuple[int, float]:
        code = item[0]
        if code == "shared_concepts":
            return (0, 0.0)
        if code in _FAILED_REQUIREMENTS:
            return (1, 0.0)
        feature = _REASON_FEATURE.get(code, "")
        return (2, -getattr(weights, feature, 0.0) * features.get(feature, 0.0))

    return sorted(found, key=strength)


def _language_code(language: str) -> int:
    return LANGUAGES.index(language) if language in LANGUAGES else 0


def _concept_norms(values: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Norms of weighted concept rows (value = covered share × IDF), with the part of its strongest
    concept that a row leaves unnamed added as one more dimension: two profiles that each only half
    name one concept (a lone "camera" hinting at a thermal camera) are not fully alike, while a row
    that names its strongest concept exactly keeps its plain norm."""
    if values.shape[1] == 0:
        return np.zeros(len(values))
    strongest = values.argmax(axis=1)
    rows = np.arange(len(values))
    unnamed = idf[rows, strongest] - values[rows, strongest]
    return np.sqrt((values**2).sum(axis=1) + unnamed**2)


def build_index(profiles: list[Profile], **options: Any) -> MatchIndex:
    """A fresh index over the profiles (options as for MatchIndex)."""
    index = MatchIndex(initial_capacity=max(1024, len(profiles)), **options)
    index.add_many(profiles)
    return index
