"""What the engine extracts from one profile once, before any pair is scored."""

from __future__ import annotations

from dataclasses import dataclass

from silkbridge.common.rates import Rates
from silkbridge.common.text import tokenize

from .glossary import Extraction, Glossary, passing_phrases, split_context_phrases, split_phrases
from .profiles import Profile


@dataclass(frozen=True)
class ProfileFeatures:
    """A profile with its concepts (code -> the words that spelled them), sectors, residual words, money."""

    profile: Profile
    concepts: dict[str, str]  # strongest first
    concept_weights: dict[str, float]  # 1.0 when named exactly, the covered share when approximate
    supported: frozenset[str]  # concepts the text names (not weak hints): the ones shown as reasons
    # What the profile says it is about: the supported concepts its title names, and those given with it.
    subject: frozenset[str]
    subfields: frozenset[str]
    fields: frozenset[str]
    tokens: tuple[str, ...]
    money_usd: tuple[float, float] | None
    # Supported concepts the description names only in passing: as one item of a list, or where the product
    # has been used (see glossary.passing_phrases); shown only beside a profile that is about them.
    passing: frozenset[str] = frozenset()


def _sector_codes(codes: set[str], glossary: Glossary) -> tuple[set[str], set[str]]:
    """Split sector codes into sub-fields and fields; a sub-field also counts for its field."""
    subfields: set[str] = set()
    fields: set[str] = set()
    for code in codes:
        field_code = glossary.field_of(code) or code.split(".", 1)[0]
        fields.add(field_code)
        if code != field_code:
            subfields.add(code)
    return subfields, fields


# A weak approximate concept (see Glossary.approximate_all) counts towards concept similarity at this
# fraction of its share; it is never shown as a reason and never votes for a sector. Chosen on the tuning
# half only (issue 12, w-match12), from 1.0 / 0.75 / 0.5 / 0.25 / 0: tuning MRR 0.919 / 0.919 / 0.922 /
# 0.921 / 0.911 (at 0, hints no longer break ties and tuning technology recall@5 fell 0.974 -> 0.962).
WEAK_FACTOR = 0.5
# A field is inferred only on this much evidence (one concept or sector name found exactly, one
# approximate concept covering most of its term, or several adding up to as much): a field inferred
# from less would be asserted ("Same field: Fintech") and scored on the strength of a stray word.
MIN_FIELD_EVIDENCE = 0.7
# A concept the description names but the title (which names others) does not: its weight factor.
PASSING_FACTOR = 0.5
STRONG_APPROXIMATE = 0.75  # an approximate concept this well covered also tells the sector
# A sub-field is inferred when its evidence reaches this share of the best-supported sub-field's.
SECTOR_VOTE_SHARE = 0.5


def _sector_votes(extraction: Extraction, glossary: Glossary) -> dict[str, float]:
    """Evidence per sector: 1 for each concept or sector name found exactly, the covered share for an
    approximate one (its words standing together; see Glossary.approximate)."""
    votes: dict[str, float] = {}

    def add(code: str, weight: float) -> None:
        votes[code] = votes.get(code, 0.0) + weight

    for code in extraction.concepts:
        add(glossary.concepts[code].sector, 1.0)
    for code in extraction.sectors:
        add(code, 1.0)
    for code, share in extraction.approximate.items():  # words standing together (see Glossary.approximate)
        add(glossary.concepts[code].sector, share)
    for code, share in extraction.approximate_sectors.items():
        add(code, share if share >= STRONG_APPROXIMATE else share / 2)
    return votes


def infer_sectors(profile: Profile, extraction: Extraction, concepts: dict[str, str], glossary: Glossary) -> set[str]:
    """The sectors a profile states; else the best-supported ones its concepts and sector names imply.

    Votes are summed per sector and a sector's votes also count for its field, so that many weak,
    scattered matches do not outvote a coherent description; sectors within SECTOR_VOTE_SHARE of
    the best are kept.
    """
    if profile.sectors:
        stated = set(profile.sectors)
        # A stated field is refined by the sub-fields of concepts named exactly in that field.
        for code in extraction.concepts:
            sector = glossary.concepts[code].sector
            if (glossary.field_of(sector) or sector.split(".")[0]) in stated:
                stated.add(sector)
        return stated
    votes = _sector_votes(extraction, glossary)
    if not votes:
        return set()
    field_votes: dict[str, float] = {}
    for code, weight in votes.items():
        field_code = glossary.field_of(code) or code.split(".", 1)[0]
        field_votes[field_code] = field_votes.get(field_code, 0.0) + weight
    best_field = max(field_votes.values())
    if best_field < MIN_FIELD_EVIDENCE:
        return set()
    fields = {
        code
        for code, weight in field_votes.items()
        if weight >= max(SECTOR_VOTE_SHARE * best_field, MIN_FIELD_EVIDENCE)
    }
    in_fields = {code: weight for code, weight in votes.items() if (glossary.field_of(code) or code) in fields}
    best = max(in_fields.values())
    return {code for code, weight in in_fields.items() if weight >= SECTOR_VOTE_SHARE * best} | fields


def money_in_usd(profile: Profile, rates: Rates) -> tuple[float, float] | None:
    """The profile's amount range in USD; None when it gives no amount or a currency the rates lack."""
    if profile.currency is None or not rates.knows(profile.currency):
        return None
    low = profile.amount_min if profile.amount_min is not None else profile.amount_max
    high = profile.amount_max if profile.amount_max is not None else profile.amount_min
    if low is None or high is None:
        return None
    return rates.to_usd(low, profile.currency), rates.to_usd(high, profile.currency)


def _set_context_aside(profile: Profile, extraction: Extraction, glossary: Glossary) -> None:
    """Turn the concepts (and sector names) that the description names only as what the product connects
    to, runs on or reads from ("has to work with our existing hospital information system", 对接本地身份核验系统,
    see `glossary.context_phrases`) into weak hints: they still count a little towards similarity, but they
    are not stated, shown, or counted for a sector. The title is never cut: what it names is the subject."""
    if not profile.description:
        return
    masked, cut = split_context_phrases(profile.description)
    named_here = [*extraction.concepts, *extraction.approximate]
    named_here += [f"sector:{code}" for code in [*extraction.sectors, *extraction.approximate_sectors]]
    if not cut or not glossary.could_name(cut, named_here):
        return  # nothing found in the text has a word in what was cut out
    kept = glossary.extract(f"{profile.title}\n{masked}")
    named = set(kept.concepts) | set(kept.approximate)
    for code in [code for code in extraction.concepts if code not in named]:
        del extraction.concepts[code]
        extraction.weak[code] = 1.0
    for code in [code for code in extraction.approximate if code not in named]:
        extraction.weak[code] = max(extraction.weak.get(code, 0.0), extraction.approximate.pop(code))
    for code in [code for code in extraction.sectors if code not in kept.sectors]:
        del extraction.sectors[code]
    for code in [code for code in extraction.approximate_sectors if code not in kept.approximate_sectors]:
        del extraction.approximate_sectors[code]


def _named_in_passing(profile: Profile, found: set[str], glossary: Glossary) -> frozenset[str]:
    """Of the concepts found in a profile's text, those that its title does not name and that its description
    names only as one item of a list or where the product has been used (`glossary.passing_phrases`): the
    temperature sensors among the methane, carbon monoxide and air-flow sensors of a mine-safety system, the
    anti-fraud scenario a privacy-computing platform has been deployed in."""
    if not profile.description or not found:
        return frozenset()
    masked, cut = split_phrases(profile.description, passing_phrases(profile.description))
    if not cut or not glossary.could_name(cut, found):
        return frozenset()
    kept = glossary.extract(f"{profile.title}\n{masked}")
    return frozenset(found - set(kept.concepts) - set(kept.approximate))


def extract_features(profile: Profile, glossary: Glossary, rates: Rates, *, max_tokens: int = 48) -> ProfileFeatures:
    """Concepts and sectors from the glossary (given ones first, then found in the text), residual words."""
    extraction = glossary.extract(profile.text)
    _set_context_aside(profile, extraction, glossary)
    concepts: dict[str, str] = {}
    for code in profile.concepts:
        if code in glossary.concepts:
            concepts[code] = glossary.label(code, profile.language)
    for code, surface in extraction.concepts.items():
        concepts.setdefault(code, surface)
    weights = dict.fromkeys(concepts, 1.0)
    for code, share in sorted(extraction.approximate.items(), key=lambda item: (-item[1], item[0])):
        if code not in concepts:
            concepts[code] = glossary.label(code, profile.language).casefold()
            weights[code] = share
    # A concept found without its head is not stated (see Extraction.headless), though it weighs as found.
    supported = frozenset(code for code in concepts if code not in extraction.headless or code in profile.concepts)
    subject = set(profile.concepts) & supported
    # The title says what the profile is about: when it names concepts, those named only in the
    # description are passing mentions ("with an Urdu interface") and weigh less than the subject.
    if profile.title and profile.description:
        title = glossary.extract(profile.title)
        in_title = set(title.concepts) | set(title.approximate)
        subject |= in_title & supported
        if in_title & set(concepts):
            for code in concepts:
                if code not in in_title and code not in profile.concepts:
                    weights[code] *= PASSING_FACTOR
    # A weak hint (one common word of a term) counts towards similarity (WEAK_FACTOR), and for nothing else.
    for code, share in sorted(extraction.weak.items(), key=lambda item: (-item[1], item[0])):
        if code not in concepts:
            concepts[code] = glossary.label(code, profile.language).casefold()
            weights[code] = share * WEAK_FACTOR
    sector_codes = infer_sectors(profile, extraction, concepts, glossary)
    subfields, fields = _sector_codes(sector_codes, glossary)
    # One-letter words (a lone Chinese character, a digit) say too little to count as shared wording.
    words = (token for token in tokenize(extraction.residual_text) if len(token) > 1)
    tokens = tuple(dict.fromkeys(words))[:max_tokens]
    return ProfileFeatures(
        profile=profile,
        concepts=concepts,
        concept_weights=weights,
        supported=supported,
        subject=frozenset(subject),
        subfields=frozenset(subfields),
        fields=frozenset(fields),
        tokens=tokens,
        money_usd=money_in_usd(profile, rates),
        passing=_named_in_passing(profile, set(supported - subject - set(profile.concepts)), glossary),
    )
