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

A list page reads its matches through `RankedResults`: the count stops at COUNT_CAP ("10,000+"), and
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
from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _

from silkbridge.common.text import is_chinese, phrase_key, tokenize
from silkbridge.directory.models import Concept, Organisation, OrganisationSearchToken, Sector

MAX_QUERY_LENGTH = 200
MAX_PHRASE_TOKENS = 8
# Units (words or glossary phrases) a query may have: each one is a subquery per document a tier walk
# passes, so a query of many words costs many times a short one. Forms refuse more (`query_units_check`).
MAX_QUERY_UNITS = 8
MAX_TERM_LENGTH = 100  # SearchToken.term; longer words are cut, in documents and queries alike
BATCH_SIZE = 2000
# A list counts its matches up to here and says "10,000+" beyond: counting every match of a common
# word in a large directory costs more than the page itself, and nobody pages that far.
COUNT_CAP = 10_000
# Up to this many matches, the ranking reads every match (by id); above, each tier walks its index.
SMALL_MATCH_SET = 1_000
# A concrete subclass of SearchToken, with its `document` foreign key (which the abstract model,
# and so the type checker, does not know).
TokenModel = type[Any]


@dataclass
class LexiconEntry:
    concept_ids: set[int] = field(default_factory=set)
    sector_ids: set[int] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)


@dataclass
class Lexicon:
    signature: tuple[object, ...]
    entries: dict[str, LexiconEntry]


_lexicon_lock = threading.Lock()
_lexicon: Lexicon | None = None


def _signature() -> tuple[object, ...]:
    """Changes whenever a concept or sector is added, removed or relabelled, in any process."""
    concepts = Concept.objects.aggregate(count=Count("id"), last=Max("id"), changed=Max("updated_at"))
    sectors = Sector.objects.aggregate(count=Count("id"), last=Max("id"), changed=Max("updated_at"))
    return (*concepts.values(), *sectors.values())


def _build_lexicon(signature: tuple[object, ...]) -> Lexicon:
    entries: dict[str, LexiconEntry] = {}
    children: dict[int, set[int]] = {}
    for sector_id, parent_id in Sector.objects.values_list("id", "parent_id"):
        if parent_id:
            children.setdefault(parent_id, set()).add(sector_id)
    for sector in Sector.objects.all():
        ids = {sector.id, *children.get(sector.id, set())}
        terms = {sector.name_en, sector.name_zh, sector.name_ur}
        for term in terms:
            key = phrase_key(term)
            if key:
                entry = entries.setdefault(key, LexiconEntry())
                entry.sector_ids |= ids
                entry.terms |= terms
    for concept in Concept.objects.all():
        terms = set(concept.all_terms())
        for term in terms:
            key = phrase_key(term)
            if key:
                entry = entries.setdefault(key, LexiconEntry())
                entry.concept_ids.add(concept.id)
                entry.terms |= terms
    return Lexicon(signature=signature, entries=entries)


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


# --- writing the index -------------------------------------------------------------------------------


def concept_term(concept_id: int) -> str:
    return f"#c{concept_id}"


def sector_term(sector_id: int) -> str:
    return f"#s{sector_id}"


def document_terms(
    parts: Iterable[str], *, concept_ids: Iterable[int] = (), sector_ids: Iterable[int] = ()
) -> set[str]:
    """The index rows of one document: the distinct index tokens of its text and its tags."""
    terms = {token[:MAX_TERM_LENGTH] for part in parts if part for token in tokenize(part, for_index=True)}
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


def rebuild_all() -> dict[str, int]:
    """Rebuild the index of every registered kind of document (after a bulk load or a restore)."""
    return {name: rebuild() for name, rebuild in sorted(_rebuilders.items())}


# --- querying the index ------------------------------------------------------------------------------


def _successor(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` (code point order)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates are not characters: skip them
        last = 0xE000
    return prefix[:-1] + chr(last)


def unit_wordings(entry: LexiconEntry | None, tokens: list[str]) -> list[tuple[str, ...]]:
    """Every wording that satisfies a unit: its own tokens and those of each label and synonym."""
    wordings = {tuple(tokens)}
    for term in entry.terms if entry is not None else ():
        term_tokens = tokenize(term)
        if term_tokens:
            wordings.add(tuple(term_tokens))
    return sorted(wordings)


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
    for number, words in enumerate(_wording_words(entry, tokens)):
        for token in words:
            params += [token, _successor(token)]
        if len(words) == 1:
            arms.append(word)
        else:
            arms.append(f"SELECT {document} FROM ({' INTERSECT '.join([word] * len(words))}) AS wording_{number}")
    if entry is not None and (entry.concept_ids or entry.sector_ids):
        tags = [concept_term(pk) for pk in sorted(entry.concept_ids)]
        tags += [sector_term(pk) for pk in sorted(entry.sector_ids)]
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
    for words in _wording_words(entry, tokens):
        has_wording = Q()
        for token in words:
            has_wording &= has(rows.filter(term__gte=token, term__lt=_successor(token)))
        condition |= has_wording
    if entry is not None and (entry.concept_ids or entry.sector_ids):
        tags = [concept_term(pk) for pk in sorted(entry.concept_ids)] + [
            sector_term(pk) for pk in sorted(entry.sector_ids)
        ]
        condition |= has(rows.filter(term__in=tags))
    return condition


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
        condition = search_condition(self.query, token_model=self.token_model, units=self._units)
        matches = self.queryset if condition is None else self.queryset.filter(condition)
        return list(matches.values_list("pk", flat=True)[: COUNT_CAP + 1])

    def count(self) -> int:
        return min(len(self._head), COUNT_CAP)

    def __len__(self) -> int:
        return self.count()

    @property
    def is_capped(self) -> bool:
        """Whether there are more matches than `count()` says (the list shows "10,000+")."""
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
        earlier = Q()
        for tier in [*self.tiers, Q()]:
            in_tier = matches.filter(earlier & tier).order_by(*self.order).values_list("pk", flat=True)
            ids += in_tier[: stop - len(ids)]
            if len(ids) >= stop:
                break
            earlier &= ~tier
        return ids
