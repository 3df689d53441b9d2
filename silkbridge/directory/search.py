"""One search over an index for the directory's organisations and the marketplace's profiles, in
English, Chinese and Urdu.

A document (an organisation, a profile) is cut into tokens the way silkbridge.common.text indexes
text, and each distinct token is one row of the document type's token table (a subclass of
directory.models.SearchToken), written by the service that writes the document, in the same
transaction. Its glossary concepts and sectors are rows too ("#c12", "#s3": no word starts with "#").

A query is cut into tokens the same way. Runs of tokens that spell a glossary concept or a sector in
any of the three languages become one unit that matches every label and synonym of that concept and
every document tagged with it, so "crop disease detection", "作物病害识别" and the Urdu term find the
same documents. A query token matches a document token it begins (as "% tok" did in the text scan
this replaces). Every unit must match (AND). Each token is one range of the (term, document) index,
on SQLite and PostgreSQL alike, so both answer the same from indexes without reading every document.

A list page reads its matches through `RankedResults`: the count stops at COUNT_CAP ("1,000+"), and
the ranking is a list of tiers (the directory: the query as typed in a name, then in a description,
then the rest), each read in one order and only as far as the page needs. The match set is built
once per page: when it is small its ids come back and the ranking reads just those documents; when
it is large each tier walks the order's index and tests each document it passes with index probes
("has a word beginning ..."), so a query that matches half the directory costs about one page of
documents instead of sorting all of them.

Visibility is not the index's business: callers filter with their selectors' rules and then search.
The directory registers organisations; the marketplace registers its profiles (`register`), so a
rebuild (`silkbridge search_rebuild`) reaches every kind without the directory importing them.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections, router
from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _

from silkbridge.common.text import is_chinese, phrase_key, tokenize
from silkbridge.directory.models import Concept, Organisation, OrganisationSearchToken, SearchIndexState, Sector

MAX_QUERY_LENGTH = 200
MAX_PHRASE_TOKENS = 8
# Units (words or glossary phrases) a query may have: each one is a subquery per document a tier walk
# passes, so a query of many words costs many times a short one. Forms refuse more (`query_units_check`).
MAX_QUERY_UNITS = 8
MAX_TERM_LENGTH = 100  # SearchToken.term; longer words are cut, in documents and queries alike
BATCH_SIZE = 2000
# A list counts its matches up to here and says "1,000+" beyond (50 pages of 20): counting every match of
# a common word in a large directory costs more than the page itself, and nobody pages that far. At
# 100,000 organisations a cap of 10,000 read and sent ten times as many ids for a common word ("产品",
# a third of the directory) and cost about 15 ms more per search (docs/benchmarks.md).
COUNT_CAP = 1_000
# Up to this many matches, the ranking reads every match (by id); above, each tier walks its index.
SMALL_MATCH_SET = 1_000
# Index rows per counted match that a one-word query's count reads before it falls back to building
# the match set (see RankedResults._head_streamed): a document has one or two rows in most ranges.
HEAD_ROWS_PER_MATCH = 2
# A concrete subclass of SearchToken, with its `document` foreign key (which the abstract model,
# and so the type checker, does not know).
TokenModel = type[Any]


Wording = tuple[str, ...]


@dataclass
class LexiconEntry:
    concept_ids: set[int] = field(default_factory=set)
    sector_ids: set[int] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)
    # The tokens of each of `terms`: every wording that satisfies the unit.
    wordings: set[Wording] = field(default_factory=set)
    # The index rows that say a document's text spells one of `wordings` ("#wc<concept>", "#ws<sector>");
    # empty while the index's wording rows are not those of the current glossary (then the search reads
    # the wordings themselves).
    wording_tags: set[str] = field(default_factory=set)


@dataclass
class Lexicon:
    signature: tuple[object, ...]
    entries: dict[str, LexiconEntry]
    # For writing a document's wording rows: each wording's words (cut as index terms are), listed under
    # its first word, and every such word.
    wordings_by_word: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    words: frozenset[str] = frozenset()
    # Whether the index was rebuilt under this glossary and INDEX_FORMAT: only then does every document
    # have its wording rows and its name-word rows.
    index_current: bool = False


_lexicon_lock = threading.Lock()
_lexicon: Lexicon | None = None


def _signature() -> tuple[object, ...]:
    """Changes whenever a concept or sector is added, removed or relabelled (in any process), and when
    the index is rebuilt under another glossary: the glossary's counts, last ids and last changes, and
    the glossary the index was rebuilt under (`SearchIndexState`), in one query."""
    database = router.db_for_read(Concept) or "default"
    quote = connections[database].ops.quote_name
    selects = []
    for model in (Concept, Sector):
        table = quote(model._meta.db_table)
        selects += [f"(SELECT {aggregate} FROM {table})" for aggregate in ("COUNT(*)", "MAX(id)", "MAX(updated_at)")]
    selects.append(f"(SELECT glossary FROM {quote(SearchIndexState._meta.db_table)} WHERE id = 1)")
    with connections[database].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}")
        row = cursor.fetchone()
    return tuple(row)


# The shape of the rows a document gets (bump it when `document_terms` writes new kinds of rows): an
# index rebuilt under another format is not current, and searches do not read the rows it lacks.
# 2: name-word rows ("#n<word>"). 3: a Latin word ends where Chinese or Urdu letters begin ("AI害虫识别"
# gives "ai" and the Chinese words, where it gave one token).
INDEX_FORMAT = 3


def glossary_version(signature: tuple[object, ...]) -> str:
    """The index format and the glossary part of a signature as text (what `SearchIndexState.glossary`
    holds)."""
    return "|".join([f"v{INDEX_FORMAT}", *(str(value) for value in signature[:6])])


def _index_wordings(term: str) -> tuple[str, ...]:
    """A label's words as the index compares them: cut to MAX_TERM_LENGTH, each once."""
    return tuple(dict.fromkeys(token[:MAX_TERM_LENGTH] for token in tokenize(term)))


def _build_lexicon(signature: tuple[object, ...]) -> Lexicon:
    tags_current = signature[6] == glossary_version(signature)
    entries: dict[str, LexiconEntry] = {}
    wordings_by_word: dict[str, list[tuple[str, tuple[str, ...]]]] = {}

    def add(key_terms: set[str], tag: str, *, concept_ids: Iterable[int] = (), sector_ids: Iterable[int] = ()) -> None:
        """One concept's labels and synonyms (or a sector's names), all found by any one of them."""
        wordings = {tuple(tokens) for term in key_terms if (tokens := tokenize(term))}
        for words in {_index_wordings(term) for term in key_terms} - {()}:
            wordings_by_word.setdefault(words[0], []).append((tag, words))
        for term in key_terms:
            key = phrase_key(term)
            if key:
                entry = entries.setdefault(key, LexiconEntry())
                entry.concept_ids.update(concept_ids)
                entry.sector_ids.update(sector_ids)
                entry.terms |= key_terms
                entry.wordings |= wordings
                if tags_current:
                    entry.wording_tags.add(tag)

    children: dict[int, set[int]] = {}
    for sector_id, parent_id in Sector.objects.values_list("id", "parent_id"):
        if parent_id:
            children.setdefault(parent_id, set()).add(sector_id)
    for sector in Sector.objects.all():
        ids = {sector.id, *children.get(sector.id, set())}
        add({sector.name_en, sector.name_zh, sector.name_ur}, sector_wording_term(sector.id), sector_ids=ids)
    for concept in Concept.objects.all():
        add(set(concept.all_terms()), concept_wording_term(concept.id), concept_ids={concept.id})
    words = frozenset(word for wordings in wordings_by_word.values() for _tag, wording in wordings for word in wording)
    return Lexicon(
        signature=signature, entries=entries, wordings_by_word=wordings_by_word, words=words, index_current=tags_current
    )


def lexicon() -> Lexicon:
    """The glossary and sector names keyed by token phrase, rebuilt when the glossary changes."""
    global _lexicon
    signature = _signature()
    current = _lexicon
    if current is not None and current.signature == signature:
        return current
    with _lexicon_lock:
        if _lexicon is None or _lexicon.signature != signature:
            _lexicon = _build_lexicon(signature)
        return _lexicon


def search_index_current() -> bool:
    """Whether the index's wording rows are those of the current glossary (see SearchIndexState)."""
    signature = _signature()
    return signature[6] == glossary_version(signature)


# --- writing the index -------------------------------------------------------------------------------


def concept_term(concept_id: int) -> str:
    return f"#c{concept_id}"


def sector_term(sector_id: int) -> str:
    return f"#s{sector_id}"


def concept_wording_term(concept_id: int) -> str:
    """The row of a document whose text spells a label or synonym of the concept."""
    return f"#wc{concept_id}"


def sector_wording_term(sector_id: int) -> str:
    """The row of a document whose text spells a name of the sector."""
    return f"#ws{sector_id}"


NAME_PREFIX = "#n"


def name_terms(names: Iterable[str]) -> set[str]:
    """The name-word rows of a document: one per index token of its names ("#n<word>"), so that "a word
    of the name begins with the query" is a range of the index, for queries too short for trigrams."""
    cut = MAX_TERM_LENGTH - len(NAME_PREFIX)
    return {NAME_PREFIX + token[:cut] for name in names if name for token in tokenize(name, for_index=True)}


def name_word_condition(token_model: TokenModel, query: str) -> Q | None:
    """Documents with a name word that begins with each word of `query` (read from the name-word rows),
    or None while the index lacks those rows (not rebuilt since INDEX_FORMAT 2) or the query has no
    word: the caller then tests the names themselves."""
    tokens = tokenize(query)
    if not tokens or not lexicon().index_current:
        return None
    condition = Q()
    for token in dict.fromkeys(tokens):
        prefix = NAME_PREFIX + token[: MAX_TERM_LENGTH - len(NAME_PREFIX)]
        rows = token_model.objects.filter(term__gte=prefix, term__lt=_successor(prefix)).values("document_id")
        condition &= Q(pk__in=rows)
    return condition


def wording_terms(text_terms: Iterable[str], lexicon: Lexicon) -> set[str]:
    """The wording rows of a document with these index tokens: a concept's (or sector's) when every
    word of one of its labels begins one of the tokens, as a query's words would find it."""
    words = lexicon.words
    present = {token[:end] for token in text_terms for end in range(1, len(token) + 1) if token[:end] in words}
    found: set[str] = set()
    for word in present:
        for tag, wording in lexicon.wordings_by_word.get(word, ()):
            if tag not in found and all(other in present for other in wording):
                found.add(tag)
    return found


def document_terms(
    parts: Iterable[str],
    *,
    concept_ids: Iterable[int] = (),
    sector_ids: Iterable[int] = (),
    names: Iterable[str] = (),
) -> set[str]:
    """The index rows of one document: the distinct index tokens of its text, the glossary wordings
    its text spells, its tags, and the words of its `names` (which `parts` should hold too)."""
    terms = {token[:MAX_TERM_LENGTH] for part in parts if part for token in tokenize(part, for_index=True)}
    terms |= wording_terms(terms, lexicon())
    terms |= name_terms(names)
    terms.update(concept_term(concept_id) for concept_id in concept_ids)
    terms.update(sector_term(sector_id) for sector_id in sector_ids)
    return terms


def index_replace(*, token_model: TokenModel, document_id: int, terms: set[str]) -> None:
    """Make the document's rows exactly `terms`, touching only what changed. Call it inside the
    transaction that writes the document, so that nobody ever finds words it no longer has."""
    rows = token_model.objects.filter(document_id=document_id)
    existing = set(rows.values_list("term", flat=True))
    if existing - terms:
        rows.filter(term__in=sorted(existing - terms)).delete()
    token_model.objects.bulk_create(
        [token_model(document_id=document_id, term=term) for term in sorted(terms - existing)],
        batch_size=BATCH_SIZE,
    )


def index_bulk_create(*, token_model: TokenModel, documents: Iterable[tuple[int, set[str]]]) -> int:
    """Add the rows of documents that have none yet (bulk loads: the benchmark's generator, the load
    test's data); the number of rows. PostgreSQL takes them through COPY, SQLite in batches."""
    table = connection.ops.quote_name(token_model._meta.db_table)
    document = connection.ops.quote_name(token_model._meta.get_field("document").column)
    rows = ((document_id, term) for document_id, terms in documents for term in sorted(terms))
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({document}, term) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        while batch := list(itertools.islice(rows, BATCH_SIZE * 10)):
            cursor.executemany(f"INSERT INTO {table} ({document}, term) VALUES (%s, %s)", batch)
            count += len(batch)
    return count


# Rebuilders of every kind of document, registered by the apps that own them (AppConfig.ready).
_rebuilders: dict[str, Callable[[], int]] = {}


def register(name: str, rebuild: Callable[[], int]) -> None:
    """Make `search_rebuild` rebuild this kind of document; `rebuild` returns how many it indexed."""
    _rebuilders[name] = rebuild


def rebuild_all(progress: Callable[[float, str], None] | None = None) -> dict[str, int]:
    """Rebuild the index of every registered kind of document (after a glossary edit, a bulk load or a
    restore), then record the glossary it was rebuilt under, read before it started: an edit made
    meanwhile leaves the index marked with the older glossary, so searches keep reading wordings until
    the next rebuild."""
    version = glossary_version(_signature())
    counts: dict[str, int] = {}
    for number, (name, rebuild) in enumerate(sorted(_rebuilders.items())):
        if progress is not None:
            progress(number / max(1, len(_rebuilders)), name)
        counts[name] = rebuild()
    SearchIndexState.objects.update_or_create(pk=1, defaults={"glossary": version})
    return counts


# --- querying the index ------------------------------------------------------------------------------


def _successor(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` (code point order)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates are not characters: skip them
        last = 0xE000
    return prefix[:-1] + chr(last)


def unit_wordings(entry: LexiconEntry | None, tokens: list[str]) -> list[tuple[str, ...]]:
    """Every wording that satisfies a unit: its own tokens and those of each label and synonym."""
    return sorted({tuple(tokens), *(entry.wordings if entry is not None else ())})


def _unit_tags(entry: LexiconEntry | None, tokens: list[str]) -> tuple[list[str], bool]:
    """The index rows that place a document in the unit (the concepts and sectors it is tagged with,
    and, while they are current, the wording rows of those it spells), and whether those rows answer
    for every wording (else the wordings must be read too)."""
    if entry is None:
        return [], False
    tags = [concept_term(pk) for pk in sorted(entry.concept_ids)] + [sector_term(pk) for pk in sorted(entry.sector_ids)]
    covered = bool(entry.wording_tags) and tuple(tokens) in entry.wordings
    return tags + sorted(entry.wording_tags), covered


def _wording_words(entry: LexiconEntry | None, tokens: list[str]) -> list[list[str]]:
    """The unit's wordings as the index reads them (each word cut to MAX_TERM_LENGTH, once, less a
    word that begins another word of the wording), less those that another wording implies: a
    document that has every word of ("data", "quality", "management") has those of ("data",
    "quality") too, so the longer wording can add no document to the unit. A wording implies another
    when each of the other's words begins one of its words."""
    wordings: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for wording in unit_wordings(entry, tokens):
        words = list(dict.fromkeys(token[:MAX_TERM_LENGTH] for token in wording))
        # A word that begins another word of the wording adds nothing to it: ("data", "database").
        words = [word for word in words if not any(other != word and other.startswith(word) for other in words)]
        if frozenset(words) not in seen:
            seen.add(frozenset(words))
            wordings.append(words)

    def implies(longer: list[str], shorter: list[str]) -> bool:
        return all(any(word.startswith(prefix) for word in longer) for prefix in shorter)

    kept: list[list[str]] = []
    for number, words in enumerate(wordings):
        # Of two wordings that imply each other (("data",) and ("data", "database")), keep the first.
        if not any(
            implies(words, other) and (not implies(other, words) or other_number < number)
            for other_number, other in enumerate(wordings)
            if other_number != number
        ):
            kept.append(words)
    return kept


def _unit_condition(token_model: TokenModel, entry: LexiconEntry | None, tokens: list[str]) -> Q:
    """Documents that match one unit of the query: their text holds the unit's words or, for a
    glossary phrase, the words of any label or synonym of it, or they are tagged with the concept or
    sector.

    Written out as SQL, one UNION arm per wording (less those another implies): a word is one range
    of the (term, document) index (an index-only scan), the words of a wording an INTERSECT of those,
    wrapped in a sub-select because SQLite gives UNION and INTERSECT the same precedence and takes no
    parentheses. An OR of the ranges made PostgreSQL fetch every matching row from the table (200 ms
    per wording at 100,000 organisations), and nested INs made it rescan a subquery per row. Reading
    the rarest word's range and probing its documents for the others (EXISTS) was tried: it pays only
    when that word is about 15 times rarer than the others together, counting the ranges to know that
    costs about as much as reading them, and PostgreSQL, which estimates every prefix range at about
    one row, turned the probes round (see docs/benchmarks.md)."""
    quote = connection.ops.quote_name
    table, term = quote(token_model._meta.db_table), quote("term")
    document = quote(token_model._meta.get_field("document").column)
    word = f"SELECT {document} FROM {table} WHERE {term} >= %s AND {term} < %s"
    arms: list[str] = []
    params: list[str] = []
    tags, covered = _unit_tags(entry, tokens)
    for number, words in enumerate([] if covered else _wording_words(entry, tokens)):
        for token in words:
            params += [token, _successor(token)]
        if len(words) == 1:
            arms.append(word)
        else:
            arms.append(f"SELECT {document} FROM ({' INTERSECT '.join([word] * len(words))}) AS wording_{number}")
    if tags:
        arms.append(f"SELECT {document} FROM {table} WHERE {term} IN ({', '.join(['%s'] * len(tags))})")
        params += tags
    return Q(pk__in=RawSQL(" UNION ".join(arms), params))


Units = list[tuple[LexiconEntry | None, list[str]]]


def query_units(query: str) -> Units:
    """The query's units, in order: each a run of tokens and the glossary entry it spells (or None);
    the same unit once, and at most MAX_QUERY_UNITS of them (the rest is ignored)."""
    return _all_query_units(query)[:MAX_QUERY_UNITS]


def query_units_check(query: str) -> None:
    """Refuse (ValidationError, for the search field) a query of more than MAX_QUERY_UNITS words."""
    if len(tokenize((query or "")[:MAX_QUERY_LENGTH])) <= MAX_QUERY_UNITS:
        return  # a unit is one token or more, so this many tokens cannot make too many units
    count = len(_all_query_units(query))
    if count > MAX_QUERY_UNITS:
        raise ValidationError(
            _("Search with at most %(limit)d words; this search has %(count)d."),
            code="too_many_words",
            params={"limit": MAX_QUERY_UNITS, "count": count},
        )


def _all_query_units(query: str) -> Units:
    """Every distinct unit of the query. A free word of one character that is not Chinese ("a", "x",
    an Urdu letter) is left out: it begins a word in nearly every document, so it narrows nothing and
    costs a scan; a single Chinese character is a word and stays."""
    units: Units = []
    seen: set[tuple[str, ...]] = set()
    for entry, tokens in _query_units_in_order(query):
        key = tuple(tokens)
        if key in seen or (entry is None and len(tokens[0]) == 1 and not is_chinese(tokens[0])):
            continue
        seen.add(key)
        units.append((entry, tokens))
    return units


def _query_units_in_order(query: str) -> Units:
    tokens = tokenize((query or "")[:MAX_QUERY_LENGTH])
    entries = lexicon().entries if tokens else {}
    units: Units = []
    position = 0
    while position < len(tokens):
        for end in range(min(len(tokens), position + MAX_PHRASE_TOKENS), position, -1):
            entry = entries.get(" ".join(tokens[position:end]))
            if entry is not None:
                units.append((entry, tokens[position:end]))
                position = end
                break
        else:
            units.append((None, [tokens[position]]))
            position += 1
    return units


def search_condition(
    query: str, *, token_model: TokenModel = OrganisationSearchToken, units: Units | None = None
) -> Q | None:
    """The filter (on the document's primary key) for a free-text query, or None when the query has
    no searchable word. `units`: the query's, when the caller has them already."""
    units = query_units(query) if units is None else units
    if not units:
        return None
    condition = Q()
    for entry, tokens in units:
        condition &= _unit_condition(token_model, entry, tokens)
    return condition


def search(queryset: QuerySet[Any], query: str, *, token_model: TokenModel) -> QuerySet[Any]:
    """`queryset` (already narrowed to what the viewer may see) narrowed to the query's matches."""
    condition = search_condition(query, token_model=token_model)
    return queryset if condition is None else queryset.filter(condition)


def search_organisations(queryset: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    return search(queryset, query, token_model=OrganisationSearchToken)


def _unit_probe(token_model: TokenModel, entry: LexiconEntry | None, tokens: list[str]) -> Q:
    """`_unit_condition` as a test of one document (index probes on its (document, term) rows), for a
    walk that passes few documents: the same documents, without building the set of all of them."""
    rows = token_model.objects.filter(document_id=OuterRef("pk"))

    def has(found: QuerySet[Any]) -> Q:
        # "(SELECT document FROM … LIMIT 1) IS NOT NULL" rather than EXISTS: PostgreSQL turns an
        # EXISTS into a join or a hashed subplan that reads the word's whole range (it estimates a
        # prefix range at one row), while a scalar subquery stays a probe of the one document.
        return Q(IsNull(Subquery(found.values("document_id")[:1]), False))

    condition = Q(pk__in=[])
    tags, covered = _unit_tags(entry, tokens)
    for words in [] if covered else _wording_words(entry, tokens):
        has_wording = Q()
        for token in words:
            has_wording &= has(rows.filter(term__gte=token, term__lt=_successor(token)))
        condition |= has_wording
    # One probe per tag: PostgreSQL reads "term IN (…)" as a filter over every row of the document
    # (about 110 at 100,000 organisations) instead of a condition of the (document, term) index, which
    # made a tier walk that passes a thousand organisations cost 40 ms instead of 3.
    for tag in tags:
        condition |= has(rows.filter(term=tag))
    return condition


def single_row_set(units: Units) -> dict[str, Any] | None:
    """For a query of one unit that one set of index rows answers (one word's range, or the tag and
    wording rows of a glossary phrase while they are current), the lookups on the rows' term that
    select them; None otherwise (several units, or wordings of several words, need the set form)."""
    if len(units) != 1:
        return None
    entry, tokens = units[0]
    tags, covered = _unit_tags(entry, tokens)
    if covered:
        return {"term__in": tags}
    wordings = _wording_words(entry, tokens)
    if tags or len(wordings) != 1 or len(wordings[0]) != 1:
        return None
    (word,) = wordings[0]
    return {"term__gte": word, "term__lt": _successor(word)}


def search_probe(units: Units, *, token_model: TokenModel) -> Q | None:
    """`search_condition` as per-document probes (see `_unit_probe`); None without searchable words."""
    if not units:
        return None
    condition = Q()
    for entry, tokens in units:
        condition &= _unit_probe(token_model, entry, tokens)
    return condition


def tier_of(tiers: Sequence[Q]) -> Case:
    """The number of the first tier a document meets (len(tiers) for none): the rank's first key."""
    whens = [When(tier, then=Value(number)) for number, tier in enumerate(tiers)]
    return Case(*whens, default=Value(len(tiers)), output_field=IntegerField())


def ranked(queryset: QuerySet[Any], *, tiers: Sequence[Q], order: Sequence[str]) -> QuerySet[Any]:
    """`queryset` in rank order: by tier, then by `order` (which must end with a unique key)."""
    if not tiers:
        return queryset.order_by(*order)
    return queryset.annotate(search_tier=tier_of(tiers)).order_by("search_tier", *order)


class RankedResults:
    """The matches of a query among `queryset` in rank order, for a paginator (Django's, the API's):
    `count()` stops at COUNT_CAP (`is_capped` says so) and a slice reads only what its page needs.

    `tiers` are conditions on the document (the first one it meets places it), `order` orders each
    tier and must end with a unique key, `prepare` shapes the queryset of the page's documents
    (prefetches). Iterating gives every match, ranked (tests, exports)."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        query: str,
        *,
        token_model: TokenModel,
        tiers: Sequence[Q] = (),
        order: Sequence[str] = ("pk",),
        prepare: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda documents: documents,
    ) -> None:
        self.queryset = queryset.order_by()
        self.query = query
        self.token_model = token_model
        self.tiers = list(tiers)
        self.order = list(order)
        self.prepare = prepare

    @cached_property
    def _units(self) -> Units:
        return query_units(self.query)

    @cached_property
    def _head(self) -> list[Any]:
        """The ids of the first COUNT_CAP + 1 matches, in no order: one pass over the match set."""
        streamed = self._head_streamed()
        if streamed is not None:
            return streamed
        condition = search_condition(self.query, token_model=self.token_model, units=self._units)
        matches = self.queryset if condition is None else self.queryset.filter(condition)
        return list(matches.values_list("pk", flat=True)[: COUNT_CAP + 1])

    def _head_streamed(self) -> list[Any] | None:
        """`_head` for a query that one set of index rows answers (`single_row_set`), read as a join
        of those rows (in index order) to the documents that stops after HEAD_ROWS_PER_MATCH rows per
        counted match: a common word ("产品", a third of the directory) then reads about two thousand
        rows instead of hashing its whole range (35,000 rows, 30-60 ms at 100,000 organisations). A
        document has one or a few rows in a range, so None (build the set) when the rows read held
        COUNT_CAP documents or fewer and there may be more."""
        lookups = single_row_set(self._units)
        if lookups is None:
            return None
        rows = self.token_model._meta.get_field("document").related_query_name()
        joined = self.queryset.filter(**{f"{rows}__{lookup}": value for lookup, value in lookups.items()})
        limit = HEAD_ROWS_PER_MATCH * (COUNT_CAP + 1)
        read = list(joined.values_list("pk", flat=True)[:limit])
        ids = list(dict.fromkeys(read))
        if len(read) == limit and len(ids) <= COUNT_CAP:
            return None
        return ids[: COUNT_CAP + 1]

    def count(self) -> int:
        return min(len(self._head), COUNT_CAP)

    def __len__(self) -> int:
        return self.count()

    @property
    def is_capped(self) -> bool:
        """Whether there are more matches than `count()` says (the list shows "1,000+")."""
        return len(self._head) > COUNT_CAP

    def __iter__(self) -> Iterator[Any]:
        condition = search_condition(self.query, token_model=self.token_model, units=self._units)
        matches = self.queryset if condition is None else self.queryset.filter(condition)
        return iter(self.prepare(ranked(matches, tiers=self.tiers, order=self.order)))

    def __getitem__(self, window: int | slice, /) -> Any:
        if isinstance(window, int):
            found = self[window : window + 1] if window >= 0 else []
            if not found:
                raise IndexError(window)
            return found[0]
        if window.step not in (None, 1):
            raise TypeError("RankedResults reads pages: slice it as results[start:stop]")
        # Nobody reads past the cap: the count says no more, and each page is as cheap as the first.
        start, stop = max(0, window.start or 0), min(COUNT_CAP, COUNT_CAP if window.stop is None else window.stop)
        if stop <= start or not self._head:
            return []
        if len(self._head) <= SMALL_MATCH_SET and not self.is_capped:
            # Few matches: rank just those, by id (the match set is not built again). A capped head is
            # some of the matches, not the best ones: that walks the tiers.
            return list(
                self.prepare(ranked(self.queryset.filter(pk__in=self._head), tiers=self.tiers, order=self.order))[
                    start:stop
                ]
            )
        ids = self._walk_tiers(stop)[start:stop]
        documents = {document.pk: document for document in self.prepare(self.queryset.model.objects.filter(pk__in=ids))}
        return [documents[pk] for pk in ids]

    def _walk_tiers(self, stop: int) -> list[Any]:
        """The ids of the first `stop` matches: each tier in order, read along `order` as far as needed
        (an index walk that probes each document passed), stopping once the page is filled."""
        probe = search_probe(self._units, token_model=self.token_model)
        matches = self.queryset if probe is None else self.queryset.filter(probe)
        ids: list[Any] = []
        for tier in [*self.tiers, Q()]:
            # Every earlier tier was read to its end (else the page would be full), so its members are
            # `ids`: excluding them by id spares testing each document passed against the earlier
            # tiers' conditions (a LIKE over its description, read from the table: 18 ms instead of
            # 4 for a walk past a thousand organisations).
            in_tier = matches.filter(tier).exclude(pk__in=ids) if ids else matches.filter(tier)
            ids += in_tier.order_by(*self.order).values_list("pk", flat=True)[: stop - len(ids)]
            if len(ids) >= stop:
                break
        return ids
