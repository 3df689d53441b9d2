"""`silkbridge bench search`: directory search speed, recall and cross-lingual reach on synthetic data.

Creates N organisations inside a transaction that is rolled back (the database is left as it was),
each described in its own language with the labels of three glossary concepts, tagged with them and
their sectors, named with made-up words (rare terms), mostly public with some members-only and
private ones, and indexed as the services index them (search text and token rows).

Figures, for a mix of realistic queries (single words, word prefixes, phrases, Chinese, Urdu,
glossary synonyms, sector names, rare and common terms, two-unit queries), each answered as the
directory page answers it (the count and the first page of 20):
- latency p50/p95 of the search over the token index at N organisations;
- recall against a brute-force scan of the same data (every organisation's search text tested in
  Python with the search's own rules: a token matches a word it begins): must be 1.00, and so must
  the precision;
- the baseline, the `LIKE` scan this search replaced (on PostgreSQL with its trigram index, as it
  ran), timed in the same run at a size where a scan is measurable (`--baseline-organisations`),
  with both searches' results compared there;
- how long generating and indexing took.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet

from silkbridge.common.text import tokenize
from silkbridge.directory.models import Concept, Organisation, OrganisationSearchToken, Sector
from silkbridge.directory.search import (
    MAX_TERM_LENGTH,
    LexiconEntry,
    concept_term,
    index_bulk_create,
    lexicon,
    name_terms,
    query_units,
    rebuild_all,
    search_index_current,
    sector_term,
    unit_wordings,
    wording_terms,
)
from silkbridge.directory.selectors import organisation_list, organisation_search, organisations_ordered

LANGUAGES = ("en", "zh", "ur")
FILLER = {
    "en": "We build products for customers in Pakistan and China and look for partners.",
    "zh": "我们为中国和巴基斯坦的客户提供产品，寻找合作伙伴。",
    "ur": "ہم پاکستان اور چین کے صارفین کے لیے مصنوعات بناتے ہیں اور شراکت دار تلاش کرتے ہیں۔",
}
SYLLABLES = "ka ra vo zen tal mir qua dex lo bri sun nor pax vel tor ami gul han sha ze fi ro du mek".split()
NAME_ENDINGS = ("Technologies", "Labs", "Systems", "Solutions", "Networks", "Industries", "Institute", "Ventures")
COMMON_QUERIES = ("Pakistan", "partners", "products", "产品", "合作伙伴", "صارفین", "Technologies")
TRIGRAM_INDEX = "bench_org_search_trgm"
PAGE_SIZE = 20


class _Rollback(Exception):
    pass


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _label(concept: Concept, language: str) -> str:
    return str(getattr(concept, f"label_{language}"))


class _Tokens:
    """index_document's tokens, cached per text: the filler and the glossary terms repeat across
    organisations, and jieba is the cost of generating them. Text is cut at spaces before jieba sees
    it, so tokens of the parts in order are the tokens of the whole."""

    def __init__(self) -> None:
        self._cache: dict[str, list[str]] = {}

    def of(self, text: str) -> list[str]:
        tokens = self._cache.get(text)
        if tokens is None:
            tokens = self._cache[text] = tokenize(text, for_index=True)
        return tokens

    def document(self, parts: list[str]) -> list[str]:
        return list(dict.fromkeys(token for part in parts for token in self.of(part)))


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{word} {rng.choice(NAME_ENDINGS)}"


def generate(
    *,
    start: int,
    count: int,
    concepts: list[Concept],
    rng: random.Random,
    tokens: _Tokens,
    shape: Callable[[int, list[Concept]], dict[str, Any]] | None = None,
    pick: Callable[[], list[Concept]] | None = None,
) -> dict[str, float]:
    """Bulk-create organisations number `start` to `start + count - 1` with their tags and index rows
        (the rows the services would write); the seconds each part took.

        The one generator of synthetic organisations: the search benchmark uses its defaults (made-up
        words, CN or PK by language); `silkbridge demo scale` gives `pick` (which concepts an organisation
        works on) and `shape` (its fields: key, kind, names, country, city, ..., and `description_parts`,
    the texts its description joins with spaces)."""
    started = time.perf_counter()
    rows, tags = [], []
    for number in range(start, start + count):
        language = LANGUAGES[number % 3]
        chosen = pick() if pick is not None else rng.sample(concepts, 3)
        labels = [_label(concept, language) for concept in chosen]
        fields: dict[str, Any] = {
            "key": f"bench-{number}",
            "kind": "company",
            "name_en": _name(rng),
            "language": language,
            "country": "CN" if language == "zh" else "PK",
            "description_parts": [FILLER[language], *labels],
            "visibility": "private" if number % 20 == 19 else "members" if number % 10 == 9 else "public",
            "is_verified": number % 5 < 2,
        }
        if shape is not None:
            fields.update(shape(number, chosen))
        # Tokens of the parts are those of the description they join (cached per part: fast).
        description_parts = fields.pop("description_parts")
        fields["description"] = " ".join(description_parts)
        sector_ids = sorted({concept.sector_id for concept in chosen})
        terms = [term for concept in chosen for term in concept.all_terms()]
        names = [fields["name_en"], fields.get("name_local", ""), fields.get("city", "")]
        words = tokens.document([*(name for name in names if name), *description_parts, *terms])
        rows.append(Organisation(**fields, search_document=" " + " ".join(words) + " "))
        tags.append((chosen, sector_ids, words))
    created = Organisation.objects.bulk_create(rows, batch_size=1000)
    concept_through = Organisation.concepts.through
    concept_through.objects.bulk_create(
        [
            concept_through(organisation_id=organisation.pk, concept_id=concept.pk)
            for organisation, (chosen, _, _) in zip(created, tags, strict=True)
            for concept in chosen
        ],
        batch_size=5000,
    )
    sector_through = Organisation.sectors.through
    sector_through.objects.bulk_create(
        [
            sector_through(organisation_id=organisation.pk, sector_id=sector_id)
            for organisation, (_, sector_ids, _) in zip(created, tags, strict=True)
            for sector_id in sector_ids
        ],
        batch_size=5000,
    )
    generated = time.perf_counter()
    glossary = lexicon()
    index_bulk_create(
        token_model=OrganisationSearchToken,
        documents=(
            (
                organisation.pk,
                (text := {word[:MAX_TERM_LENGTH] for word in words})
                | wording_terms(text, glossary)
                | {concept_term(concept.pk) for concept in chosen}
                | {sector_term(pk) for pk in sector_ids}
                | name_terms([organisation.name_en, organisation.name_local]),
            )
            for organisation, (chosen, sector_ids, words) in zip(created, tags, strict=True)
        ),
    )
    indexed = time.perf_counter()
    return {"generate": generated - started, "index": indexed - generated}


def query_mix(
    *, concepts: list[Concept], sectors: list[Sector], count: int, rng: random.Random
) -> list[tuple[str, str]]:
    """(category, query) pairs, the categories in turn: what people type into a directory's box."""

    def synonym() -> str:
        concept = rng.choice([concept for concept in concepts if any((concept.synonyms or {}).values())])
        return rng.choice([term for values in concept.synonyms.values() for term in values])

    def english_word() -> str:
        return max(_label(rng.choice(concepts), "en").split(), key=len)

    makers: list[tuple[str, Callable[[], str]]] = [
        ("english_word", english_word),
        ("english_phrase", lambda: _label(rng.choice(concepts), "en")),
        ("chinese", lambda: _label(rng.choice(concepts), "zh")),
        ("urdu", lambda: _label(rng.choice(concepts), "ur")),
        ("synonym", synonym),
        ("sector", lambda: str(getattr(rng.choice(sectors), f"name_{rng.choice(LANGUAGES)}"))),
        ("rare_name_word", lambda: _name(rng).split()[0]),
        ("common", lambda: rng.choice(COMMON_QUERIES)),
        ("prefix", lambda: english_word()[:4]),
        ("two_units", lambda: f"{_label(rng.choice(concepts), rng.choice(LANGUAGES))} {rng.choice(COMMON_QUERIES)}"),
    ]
    return [(makers[number % len(makers)][0], makers[number % len(makers)][1]()) for number in range(count)]


def _first_page(organisations: Any) -> list[int]:
    """What the directory page does: count the matches and read the first page."""
    page = Paginator(organisations, PAGE_SIZE).get_page(1)
    _ = page.paginator.count
    return [organisation.pk for organisation in page.object_list]


def _our_page(query: str) -> list[int]:
    return _first_page(organisation_search(viewer=None, query=query))


def _like_page(query: str) -> list[int]:
    return _first_page(like_search(query))


def _time_mix(mix: list[tuple[str, str]], *searches: Callable[[str], list[int]]) -> list[dict[str, Any]]:
    """Each search's first page of every query of the mix, timed; the searches take turns query by
    query, so that a busy moment of a shared machine falls on all of them alike. For each search:
    its `seconds` and `pages` in the mix's order and its seconds `by_category`."""
    timings: list[dict[str, Any]] = [{"seconds": [], "pages": [], "by_category": defaultdict(list)} for _ in searches]
    for category, query in mix:
        for search, timing in zip(searches, timings, strict=True):
            started = time.perf_counter()
            page = search(query)
            elapsed = time.perf_counter() - started
            timing["seconds"].append(elapsed)
            timing["pages"].append(page)
            timing["by_category"][category].append(elapsed)
    return timings


# --- the search this replaced: LIKE patterns over the search text ---------------------------------------


def _like_unit(entry: LexiconEntry | None, tokens: list[str]) -> Q:
    arms: list[QuerySet[Any]] = []
    for wording in unit_wordings(entry, tokens):
        condition = Q()
        for token in wording:
            condition &= Q(search_document__contains=f" {token}")
        arms.append(Organisation.objects.filter(condition).order_by().values("pk"))
    if entry is not None and entry.concept_ids:
        through = Organisation.concepts.through.objects.filter(concept_id__in=sorted(entry.concept_ids))
        arms.append(through.order_by().values("organisation_id"))
    if entry is not None and entry.sector_ids:
        through_sectors = Organisation.sectors.through.objects.filter(sector_id__in=sorted(entry.sector_ids))
        arms.append(through_sectors.order_by().values("organisation_id"))
    return Q(pk__in=arms[0].union(*arms[1:]))


def like_search(query: str) -> QuerySet[Organisation]:
    """The directory list for an anonymous visitor as the LIKE scan answered it (same ranking)."""
    organisations = Organisation.objects.filter(visibility="public")
    for entry, tokens in query_units(query):
        organisations = organisations.filter(_like_unit(entry, tokens))
    return organisations_ordered(organisations, query=query)


def _trigram_index(create: bool) -> bool:
    """The pg_trgm index the LIKE scan had on PostgreSQL (directory migration 0003, dropped by 0005)."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # PostgreSQL alters no table with deferred foreign-key checks pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            if create:
                cursor.execute(
                    f"CREATE INDEX {TRIGRAM_INDEX} ON directory_organisation USING gin (search_document gin_trgm_ops)"
                )
            else:
                cursor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    except DatabaseError:
        return False
    return True


def _analyse() -> None:
    """Planner statistics for the rows just written (a committed table gets them from autovacuum)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("directory_organisation", "directory_organisationsearchtoken"):
                cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


# --- brute force: every organisation's search text, tested in Python ----------------------------------


def _brute_force_corpus() -> list[tuple[int, str, set[int], set[int]]]:
    concepts: dict[int, set[int]] = defaultdict(set)
    for organisation_id, concept_id in Organisation.concepts.through.objects.values_list(
        "organisation_id", "concept_id"
    ):
        concepts[organisation_id].add(concept_id)
    sectors: dict[int, set[int]] = defaultdict(set)
    for organisation_id, sector_id in Organisation.sectors.through.objects.values_list("organisation_id", "sector_id"):
        sectors[organisation_id].add(sector_id)
    return [
        (pk, document, concepts[pk], sectors[pk])
        for pk, document in Organisation.objects.filter(visibility="public").values_list("pk", "search_document")
    ]


def _brute_force(corpus: list[tuple[int, str, set[int], set[int]]], query: str) -> set[int]:
    units = [(entry, unit_wordings(entry, tokens)) for entry, tokens in query_units(query)]
    if not units:
        return {pk for pk, *_ in corpus}

    def matches(document: str, concepts: set[int], sectors: set[int]) -> bool:
        for entry, wordings in units:
            tagged = entry is not None and bool(entry.concept_ids & concepts or entry.sector_ids & sectors)
            if not tagged and not any(all(f" {token}" in document for token in wording) for wording in wordings):
                return False
        return True

    return {pk for pk, document, concepts, sectors in corpus if matches(document, concepts, sectors)}


def _latency(seconds: list[float]) -> dict[str, float]:
    return {
        "p50": round(1000 * statistics.median(seconds), 2),
        "p95": round(1000 * _percentile(seconds, 0.95), 2),
        "max": round(1000 * max(seconds), 2),
    }


def _vacuum_analyse() -> None:
    """What autovacuum gives a committed table: planner statistics and, on PostgreSQL, the visibility
    map that lets the term index answer without reading the table (index-only scans)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("directory_organisation", "directory_organisationsearchtoken"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def _warm_up(mix: list[tuple[str, str]]) -> None:
    """A process's first search builds the glossary lexicon and loads jieba's dictionary (about a
    second, once per process): done before the clock starts, as a running site has done it."""
    _our_page(" ".join(query for _, query in mix[:10]))


def _latency_figures(timing: dict[str, Any]) -> dict[str, Any]:
    return {
        "search_ms": _latency(timing["seconds"]),
        "search_ms_p95_by_category": {
            category: round(1000 * _percentile(values, 0.95), 2) for category, values in timing["by_category"].items()
        },
    }


def _recall(mix: list[tuple[str, str]]) -> dict[str, Any]:
    """Recall and precision of the search (every match, not just a page) against the brute-force
    scan of the organisations now in the database."""
    corpus = _brute_force_corpus()
    expected_total = found_total = correct_total = 0
    for _, query in mix:
        expected = _brute_force(corpus, query)
        found = set(organisation_list(viewer=None, query=query).values_list("pk", flat=True))
        expected_total += len(expected)
        found_total += len(found)
        correct_total += len(expected & found)
    return {
        "recall": round(correct_total / expected_total, 4) if expected_total else 1.0,
        "precision": round(correct_total / found_total, 4) if found_total else 1.0,
        "matches_per_query_mean": round(expected_total / len(mix), 1),
    }


def _measure(mix: list[tuple[str, str]]) -> dict[str, Any]:
    """Latency of the mix as the directory page answers it, recall and precision."""
    _warm_up(mix)
    (ours,) = _time_mix(mix, _our_page)
    return {"index_rows": OrganisationSearchToken.objects.count(), **_latency_figures(ours), **_recall(mix)}


def bench_search_kept(*, organisations: int, queries: int, seed: int) -> dict[str, Any]:
    """The production state: N benchmark organisations committed (generated once, reused by every
    later run with the same seed) and vacuumed and analysed, as autovacuum leaves a live table. No
    LIKE baseline (it needs a smaller directory of its own); the rows stay until deleted by hand."""
    rng = random.Random(seed)
    concepts = list(Concept.objects.all())
    sectors = list(Sector.objects.all())
    if len(concepts) < 10:
        raise ValueError("load the glossary first: silkbridge load_reference")
    mix = query_mix(concepts=concepts, sectors=sectors, count=queries, rng=rng)
    there = Organisation.objects.filter(key__startswith="bench-").count()
    seconds = {"generate": 0.0, "index": 0.0}
    if there and there != organisations:
        raise ValueError(
            f"the database holds {there} benchmark organisations, not {organisations}: "
            "use that number, or delete them (keys bench-…) first"
        )
    if not there:
        tokens = _Tokens()
        for start in range(0, organisations, 10_000):
            with transaction.atomic():
                part = generate(
                    start=start, count=min(10_000, organisations - start), concepts=concepts, rng=rng, tokens=tokens
                )
            seconds = {name: seconds[name] + part[name] for name in seconds}
    started = time.perf_counter()
    rebuilt = not search_index_current()
    if rebuilt:
        # Rows written before the glossary (or this code) last changed: rebuild, as a glossary edit does.
        rebuild_all()
    rebuild_seconds = time.perf_counter() - started
    started = time.perf_counter()
    _vacuum_analyse()
    return {
        "database": connection.vendor,
        "state": "committed, VACUUM ANALYZEd",
        "organisations": organisations,
        "organisations_in_database": Organisation.objects.count(),
        "generated_now": not there,
        "queries": len(mix),
        "seed": seed,
        "generate_seconds": round(seconds["generate"], 1),
        "index_seconds": round(seconds["index"], 1),
        "rebuilt_now": rebuilt,
        "rebuild_seconds": round(rebuild_seconds, 1),
        "vacuum_analyse_seconds": round(time.perf_counter() - started, 1),
        **_measure(mix),
    }


def bench_search(
    *, organisations: int, queries: int, seed: int, baseline_organisations: int = 10_000
) -> dict[str, Any]:
    rng = random.Random(seed)
    concepts = list(Concept.objects.all())
    sectors = list(Sector.objects.all())
    if len(concepts) < 10:
        raise ValueError("load the glossary first: silkbridge load_reference")
    baseline_size = min(baseline_organisations, organisations)
    mix = query_mix(concepts=concepts, sectors=sectors, count=queries, rng=rng)
    tokens = _Tokens()
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            existing = Organisation.objects.count()
            seconds = generate(start=0, count=baseline_size, concepts=concepts, rng=rng, tokens=tokens)
            trigram = _trigram_index(create=True)
            _analyse()
            _warm_up(mix)
            like, ours_small = _time_mix(mix, _like_page, _our_page)
            differing = [
                query
                for (_, query), like_page, our_page in zip(mix, like["pages"], ours_small["pages"], strict=True)
                if like_page != our_page
            ]
            _trigram_index(create=False)
            more = generate(
                start=baseline_size, count=organisations - baseline_size, concepts=concepts, rng=rng, tokens=tokens
            )
            _analyse()
            (ours,) = _time_mix(mix, _our_page)
            result = {
                "database": connection.vendor,
                "organisations": organisations,
                "organisations_already_there": existing,
                "index_rows": OrganisationSearchToken.objects.count(),
                "queries": len(mix),
                "seed": seed,
                "generate_seconds": round(seconds["generate"] + more["generate"], 1),
                "index_seconds": round(seconds["index"] + more["index"], 1),
                "index_ms_per_organisation": round(1000 * (seconds["index"] + more["index"]) / organisations, 3),
                "glossary_rows_current": search_index_current(),
                **_latency_figures(ours),
                **_recall(mix),
                "baseline": {
                    "organisations": baseline_size,
                    "like_scan_ms": _latency(like["seconds"]),
                    "like_scan_with_trigram_index": trigram,
                    "index_ms": _latency(ours_small["seconds"]),
                    "ratio_p50_like_over_index": round(
                        statistics.median(like["seconds"]) / statistics.median(ours_small["seconds"]), 1
                    ),
                    "ratio_p95_like_over_index": round(
                        _percentile(like["seconds"], 0.95) / _percentile(ours_small["seconds"], 0.95), 1
                    ),
                    "first_pages_that_differ": differing,
                },
            }
            raise _Rollback
    except _Rollback:
        pass
    return result
