"""`bench_matching`: speed and memory of the engine on synthetic profiles in three languages.

Each synthetic profile picks a sub-field and two or three of its concepts (sometimes one from
another sub-field), names them with a label or synonym in its own language (English, Chinese or
Urdu, a third each) around filler sentences, and gets a type, TRL, deal types, and for investment
profiles an amount range in PKR, CNY or USD. Figures: build seconds, p50/p95 ms of one top-10 query
(with reasons), seconds for the top-10 of every profile, peak memory (max RSS), and brute-force
scoring of every compatible profile for a sample of the same queries, as a baseline.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import random
import resource
import statistics
import time
from typing import Any, Literal

from .embedding import CachedEmbedder, hashing_embedder
from .glossary import Glossary, load_glossary
from .index import RECIPROCITY_POWER, SHORTLIST_MARGIN, MatchIndex
from .profiles import DEAL_TYPES, PROFILE_TYPES, Profile

FILLER = {
    "en": [
        "We are looking for a partner with proven deployments.",
        "Our team has worked with hospitals, farms and factories.",
        "Pilot projects in Lahore and Karachi are planned for next year.",
        "The solution runs on premises or in the cloud.",
    ],
    "zh": [
        "我们在国内已有多个成功落地案例。",
        "团队拥有十年以上的研发经验。",
        "希望与巴基斯坦合作伙伴共同推广。",
        "产品支持本地部署和云端部署。",
    ],
    "ur": [
        "ہم تجربہ کار شراکت دار کی تلاش میں ہیں۔",
        "ہماری ٹیم نے ہسپتالوں اور کارخانوں کے ساتھ کام کیا ہے۔",
        "اگلے سال لاہور اور کراچی میں پائلٹ منصوبے ہوں گے۔",
        "یہ نظام مقامی طور پر یا کلاؤڈ پر چلتا ہے۔",
    ],
}
COUNTRY = {"en": "PK", "ur": "PK", "zh": "CN"}
CURRENCY = {"en": "USD", "ur": "PKR", "zh": "CNY"}
PER_USD = {"USD": 1.0, "PKR": 280.0, "CNY": 7.1}


def _term(glossary: Glossary, code: str, language: str, rng: random.Random) -> str:
    return glossary.label(code, language) if rng.random() < 0.6 else _synonym_or_label(glossary, code, language, rng)


def _synonym_or_label(glossary: Glossary, code: str, language: str, rng: random.Random) -> str:
    synonyms = _SYNONYMS.get((code, language))
    return rng.choice(synonyms) if synonyms else glossary.label(code, language)


_SYNONYMS: dict[tuple[str, str], list[str]] = {}


def _load_synonyms() -> None:
    if _SYNONYMS:
        return
    from .glossary import DATA_DIR, _read_yaml

    for data in _read_yaml(DATA_DIR / "concepts.yaml"):
        for language, values in (data.get("synonyms") or {}).items():
            if values:
                _SYNONYMS[(data["code"], language)] = list(values)


def synthetic_profiles(count: int, seed: int, glossary: Glossary | None = None) -> list[Profile]:
    """`count` profiles, a third each in English, Chinese and Urdu, from glossary labels."""
    glossary = glossary or load_glossary()
    _load_synonyms()
    rng = random.Random(seed)
    by_sector: dict[str, list[str]] = {}
    for code, concept in sorted(glossary.concepts.items()):
        by_sector.setdefault(concept.sector, []).append(code)
    sectors = sorted(by_sector)
    all_concepts = sorted(glossary.concepts)
    profiles = []
    for number in range(count):
        language = ("en", "zh", "ur")[number % 3]
        profile_type = rng.choice(PROFILE_TYPES)
        sector = rng.choice(sectors)
        concepts = rng.sample(by_sector[sector], min(len(by_sector[sector]), rng.randint(2, 3)))
        if rng.random() < 0.3:
            concepts.append(rng.choice(all_concepts))
        terms = [_term(glossary, code, language, rng) for code in concepts]
        separator = "、" if language == "zh" else ", "
        description = " ".join([separator.join(terms), *rng.sample(FILLER[language], 2)])
        fields: dict[str, Any] = {}
        if profile_type.startswith("investment"):
            currency = CURRENCY[language]
            low = rng.choice([0.2, 0.5, 1, 2, 5, 10]) * 1e6 * PER_USD[currency]
            fields = {"amount_min": low, "amount_max": low * rng.choice([1, 2, 4]), "currency": currency}
            fields["deal_types"] = (rng.choice(["equity", "loan"]),)
        else:
            fields["deal_types"] = tuple(rng.sample(DEAL_TYPES[:9], rng.randint(1, 2)))
        profiles.append(
            Profile(
                id=f"p{number:06d}",
                org=f"org{number // 2:06d}",
                type=profile_type,
                title=terms[0],
                description=description,
                language=language,
                trl=rng.randint(3, 9),
                country=COUNTRY[language],
                **fields,
            )
        )
    return profiles


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _timed_queries(
    index: MatchIndex, ids: list[str], *, exhaustive: bool, cold: bool = False
) -> tuple[list[float], list[list[str]]]:
    """Milliseconds and answers of each query; `cold`: with no best score known beforehand (the first
    query after a change to the index), else with whatever the cache holds."""
    durations, answers = [], []
    for profile_id in ids:
        if cold:
            index.forget_best_scores()
        started = time.perf_counter()
        matches = index.top_k(profile_id, 10, exhaustive=exhaustive)
        durations.append((time.perf_counter() - started) * 1000)
        answers.append([match.id for match in matches])
    return durations, answers


def _refresh_ms(index: MatchIndex, ids: list[str], *, power: float, k: int = 40) -> list[float]:
    """Milliseconds of what the platform does when a profile changes (matching/services.refresh): the
    profile is replaced, then its list and the lists of the profiles it lists are recomputed (k = 20
    matches x fan-out 2), the best scores shared between those lists. `power` 0: without reciprocity."""
    durations = []
    index.reciprocity_power = power
    for profile_id in ids:
        profile = index.features_of(profile_id).profile
        started = time.perf_counter()
        index.update(dataclasses.replace(profile, description=profile.description + " (updated)"))
        for match in index.top_k(profile_id, k):
            index.top_k(match.id, k)
        durations.append((time.perf_counter() - started) * 1000)
    index.reciprocity_power = RECIPROCITY_POWER
    return durations


_SHARED_INDEX: MatchIndex | None = None  # set before forking: workers read the parent's index


def _top10_worker(ids: list[str], connection: Any) -> None:
    """One forked worker's share of every profile's top-10: first its profiles' shortlists (which give
    their own best scores, sent to the parent), then, with every worker's best scores, the answers."""
    index = _SHARED_INDEX
    assert index is not None
    shortlists = {profile_id: index.shortlist(profile_id, 10 + SHORTLIST_MARGIN) for profile_id in ids}
    connection.send({index.slot_of(profile_id): short.own_best for profile_id, short in shortlists.items()})
    index.prime_best_scores(connection.recv())
    for short in shortlists.values():
        for match in index.finish(short, 10):
            match.as_dict("en")  # what `silkbridge match` writes: reasons rendered in one language
    connection.send(len(ids))


def all_top10_seconds(index: MatchIndex, workers: int) -> float:
    """Wall seconds for the top-10 (with reasons) of every profile, split over forked workers that
    exchange their profiles' best scores half-way (reciprocity needs every candidate's). Leaves the
    parent's cache holding every best score."""
    global _SHARED_INDEX
    _SHARED_INDEX = index
    index._weighted_rows()  # build the per-generation tables once, before the fork shares them
    if index.embedder is not None:
        index._embedding_tables()
    ids = index.ids()
    started = time.perf_counter()
    if workers <= 1:
        for matches in index.top_k_many(ids, 10).values():
            for match in matches:
                match.as_dict("en")
    else:
        context = multiprocessing.get_context("fork")
        connections, processes = [], []
        for start in range(workers):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_top10_worker, args=(ids[start::workers], child_end))
            process.start()
            connections.append(parent_end)
            processes.append(process)
        best: dict[int, float] = {}
        for connection in connections:
            best.update(connection.recv())
        for connection in connections:
            connection.send(best)
        for connection in connections:
            connection.recv()
        for process in processes:
            process.join()
        index.prime_best_scores(best)
    _SHARED_INDEX = None
    return time.perf_counter() - started


def bench_matching(
    profiles: int,
    seed: int,
    *,
    sample: int = 1000,
    baseline_sample: int = 200,
    run_all: bool = True,
    workers: int | None = None,
    embedder: CachedEmbedder | Literal["stand-in"] | None = "stand-in",
) -> dict[str, Any]:
    """Benchmark figures as a dict (times in seconds or milliseconds, memory in MiB).

    The embedding feature is on, with a hashing stand-in of the real model's width (384) by default:
    the model itself (tens of milliseconds a text on one core) is paid once per profile when it is
    added, and at 100,000 profiles would take most of an hour, while the stand-in measures what the
    index does with the vectors (storage, centring, nearest-neighbour candidates, the feature).
    """
    glossary = load_glossary()
    embedder = hashing_embedder() if embedder == "stand-in" else embedder
    generated = synthetic_profiles(profiles, seed, glossary)
    started = time.perf_counter()
    index = MatchIndex(glossary=glossary, initial_capacity=max(1024, profiles), embedder=embedder)
    index.add_many(generated)
    build_seconds = time.perf_counter() - started
    del generated
    rng = random.Random(seed + 1)
    ids = index.ids()
    query_ids = rng.sample(ids, min(sample, len(ids)))
    # The cold queries are dear (each computes its candidates' best scores), so fewer of them.
    cold_durations, cold_answers = _timed_queries(index, query_ids[:baseline_sample], exhaustive=False, cold=True)
    workers = workers or min(2, os.cpu_count() or 1)
    started = time.perf_counter()
    all_seconds = round(all_top10_seconds(index, workers), 1) if run_all else None
    if not run_all:
        for profile_id in ids:
            index.best_score(index.slot_of(profile_id))
    best_seconds = time.perf_counter() - started
    durations, indexed_answers = _timed_queries(index, query_ids, exhaustive=False)
    assert cold_answers == indexed_answers[: len(cold_answers)]  # the cache changes the cost, never the answer
    baseline_ids = query_ids[:baseline_sample]
    brute_durations, brute_answers = _timed_queries(index, baseline_ids, exhaustive=True)
    overlap = [
        len(set(fast) & set(brute)) / max(1, len(brute))
        for fast, brute in zip(indexed_answers[: len(baseline_ids)], brute_answers, strict=True)
    ]
    candidate_counts = [len(index.feature_matrix(profile_id)[1]) for profile_id in query_ids[:200]]
    # Last, as it changes the index: one change's refresh with and without reciprocity, alternating.
    refresh: dict[str, list[float]] = {"with": [], "without": []}
    for number, profile_id in enumerate(query_ids[:20]):
        with_it = number % 2 == 0
        refresh["with" if with_it else "without"] += _refresh_ms(
            index, [profile_id], power=RECIPROCITY_POWER if with_it else 0
        )
    return {
        "profiles": profiles,
        "seed": seed,
        "embedder": embedder.name if embedder is not None else None,
        "build_seconds": round(build_seconds, 2),
        # Every profile's own best score known (as within a rebuild, or a refresh's second list on):
        "query_top10_ms": {"p50": round(_percentile(durations, 0.5), 2), "p95": round(_percentile(durations, 0.95), 2)},
        # No best score known (the first query after a change): reciprocity computes its candidates'.
        "query_top10_cold_ms": {
            "p50": round(_percentile(cold_durations, 0.5), 2),
            "p95": round(_percentile(cold_durations, 0.95), 2),
        },
        # Without --no-all: part of all_top10_seconds; with it: every best score, one process.
        "best_scores_seconds": None if run_all else round(best_seconds, 1),
        "all_top10_seconds": all_seconds,
        "refresh_after_a_change_ms": {
            kind: {"p50": round(_percentile(values, 0.5), 1), "max": round(max(values), 1)}
            for kind, values in refresh.items()
            if values
        },
        "all_top10_workers": workers if run_all else None,
        # Max RSS of this process, and of the largest forked worker (its RSS counts the pages it
        # shares copy-on-write with the parent, so parent + workers × child over-states the total).
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_memory_largest_worker_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "mean_candidates_per_query": round(statistics.mean(candidate_counts), 1) if candidate_counts else 0,
        "baseline_brute_force": {
            "queries": len(baseline_ids),
            "p50_ms": round(_percentile(brute_durations, 0.5), 2),
            "p95_ms": round(_percentile(brute_durations, 0.95), 2),
            "mean_ms_ratio_brute_over_indexed": round(
                statistics.mean(brute_durations) / max(1e-9, statistics.mean(durations[: len(baseline_ids)])), 2
            ),
            "top10_agreement_with_indexed": round(statistics.mean(overlap), 4) if overlap else None,
        },
    }
