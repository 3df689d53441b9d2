"""`silkbridge bench search`: directory search speed and cross-lingual recall on synthetic data.

Creates N organisations inside a transaction that is rolled back (the database is left as it was),
each tagged with glossary concepts and described in its own language with those concepts' labels.
Each query is a concept label in a *different* language from the organisation's text. Figures:
latency of our search against a naive `icontains` baseline in the same run, and recall@20 (is the
organisation that holds the concept among the results at all? Many organisations share a concept,
so a rank cut-off would measure tie-breaking, not search) for both.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from django.db import transaction
from django.db.models import Q

from silkbridge.common.text import index_document
from silkbridge.directory.models import Concept, Organisation
from silkbridge.directory.selectors import organisation_list

LANGUAGES = ("en", "zh", "ur")
FILLER = {
    "en": "We build products for customers in Pakistan and China and look for partners.",
    "zh": "我们为中国和巴基斯坦的客户提供产品，寻找合作伙伴。",
    "ur": "ہم پاکستان اور چین کے صارفین کے لیے مصنوعات بناتے ہیں اور شراکت دار تلاش کرتے ہیں۔",
}


class _Rollback(Exception):
    pass


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _label(concept: Concept, language: str) -> str:
    return str(getattr(concept, f"label_{language}"))


def _create(count: int, concepts: list[Concept], rng: random.Random) -> tuple[list[tuple[int, Concept, str]], float]:
    started = time.perf_counter()
    rows, tags = [], []
    for number in range(count):
        language = LANGUAGES[number % 3]
        chosen = rng.sample(concepts, 3)
        description = " ".join([FILLER[language], *(_label(concept, language) for concept in chosen)])
        name = f"Bench Organisation {number}"
        terms = [term for concept in chosen for term in concept.all_terms()]
        rows.append(
            Organisation(
                key=f"bench-{number}",
                kind="company",
                name_en=name,
                language=language,
                country="CN" if language == "zh" else "PK",
                description=description,
                search_document=index_document([name, description, *terms]),
            )
        )
        tags.append((chosen, language))
    created = Organisation.objects.bulk_create(rows, batch_size=500)
    through = Organisation.concepts.through
    through.objects.bulk_create(
        [
            through(organisation_id=organisation.pk, concept_id=concept.pk)
            for organisation, (chosen, _) in zip(created, tags, strict=True)
            for concept in chosen
        ],
        batch_size=2000,
    )
    elapsed = time.perf_counter() - started
    targets = [
        (organisation.pk, chosen[0], language) for organisation, (chosen, language) in zip(created, tags, strict=True)
    ]
    return targets, elapsed


def _naive(query: str) -> Any:
    return Organisation.objects.filter(
        Q(name_en__icontains=query) | Q(name_local__icontains=query) | Q(description__icontains=query)
    ).order_by("name_en")


def bench_search(*, organisations: int, queries: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    concepts = list(Concept.objects.all())
    if len(concepts) < 10:
        raise ValueError("load the glossary first: silkbridge load_reference")
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            targets, build_seconds = _create(organisations, concepts, rng)
            samples = rng.sample(targets, min(queries, len(targets)))
            ours, baseline, ours_hits, baseline_hits = [], [], 0, 0
            for organisation_id, concept, language in samples:
                query = _label(concept, rng.choice([other for other in LANGUAGES if other != language]))
                started = time.perf_counter()
                found = [organisation.pk for organisation in organisation_list(viewer=None, query=query)[:20]]
                ours.append(time.perf_counter() - started)
                started = time.perf_counter()
                naive = list(_naive(query).values_list("pk", flat=True)[:20])
                baseline.append(time.perf_counter() - started)
                ours_hits += organisation_id in found or (
                    organisation_list(viewer=None, query=query).filter(pk=organisation_id).exists()
                )
                baseline_hits += organisation_id in naive or _naive(query).filter(pk=organisation_id).exists()
            result = {
                "organisations": organisations,
                "queries": len(samples),
                "seed": seed,
                "index_ms_per_organisation": round(1000 * build_seconds / organisations, 3),
                "search_ms_p50": round(1000 * statistics.median(ours), 2),
                "search_ms_p95": round(1000 * _percentile(ours, 0.95), 2),
                "baseline_icontains_ms_p50": round(1000 * statistics.median(baseline), 2),
                "baseline_icontains_ms_p95": round(1000 * _percentile(baseline, 0.95), 2),
                "latency_ratio_p50": round(statistics.median(ours) / statistics.median(baseline), 2),
                "cross_lingual_recall": round(ours_hits / len(samples), 3),
                "baseline_cross_lingual_recall": round(baseline_hits / len(samples), 3),
            }
            raise _Rollback
    except _Rollback:
        pass
    return result
