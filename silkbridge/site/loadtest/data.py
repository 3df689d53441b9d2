"""Volume for the load test: synthetic organisations, live profiles with stored matches, and members
who are already signed in (their session keys go to the load generator, so the test measures pages,
not password hashing at start-up).

Everything is keyed (`load-org-N`, `load-user-N@…`), so running it again only adds what is missing.
It writes to whatever database the settings point at: the runner gives it a database of its own.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone

from silkbridge.accounts.models import User
from silkbridge.common.text import index_document
from silkbridge.directory.models import Concept, Membership, Organisation, Sector
from silkbridge.directory.services import organisation_reindex
from silkbridge.marketplace.choices import OpportunityStatus, OpportunityType
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.services import opportunity_reindex
from silkbridge.matching.models import Match

ORGANISATION_KEY = "load-org-{number}"
USER_EMAIL = "load-user-{number}@silkbridge.example"
LANGUAGES = ("en", "zh", "ur")
KINDS = ("company", "company", "company", "research", "investor", "association")
FILLER = {
    "en": "We build products for customers in Pakistan and China and look for partners in",
    "zh": "我们为中国和巴基斯坦的客户提供产品，寻找以下领域的合作伙伴：",
    "ur": "ہم پاکستان اور چین کے صارفین کے لیے مصنوعات بناتے ہیں اور ان شعبوں میں شراکت دار تلاش کرتے ہیں:",
}
OFFER_KINDS = (OpportunityType.TECHNOLOGY_OFFER, OpportunityType.BUSINESS_OFFER)
REQUEST_KINDS = (OpportunityType.TECHNOLOGY_REQUEST, OpportunityType.BUSINESS_REQUEST)
MATCHES_PER_PROFILE = 10


def _label(concept: Concept, language: str) -> str:
    return str(getattr(concept, f"label_{language}") or concept.label_en)


def _organisations(count: int, concepts: list[Concept], rng: random.Random) -> list[Organisation]:
    """The first `count` synthetic organisations, created where missing, in key order."""
    keys = [ORGANISATION_KEY.format(number=number) for number in range(count)]
    existing = {organisation.key: organisation for organisation in Organisation.objects.filter(key__in=keys)}
    sectors = {sector.pk: sector for sector in Sector.objects.all()}
    rows: list[Organisation] = []
    tags: list[tuple[list[Concept], set[int]]] = []
    for number, key in enumerate(keys):
        language = LANGUAGES[number % 3]
        chosen = rng.sample(concepts, 3)
        if key in existing:
            continue
        sector_ids = {concept.sector_id for concept in chosen if concept.sector_id}
        sector_ids |= {sectors[pk].parent_id for pk in sector_ids if sectors[pk].parent_id}  # type: ignore[misc]
        name = f"Load Test Organisation {number}"
        description = " ".join([FILLER[language], *(_label(concept, language) for concept in chosen)])
        terms = [term for concept in chosen for term in concept.all_terms()]
        terms += [name for pk in sector_ids for name in (sectors[pk].name_en, sectors[pk].name_zh, sectors[pk].name_ur)]
        rows.append(
            Organisation(
                key=key,
                kind=KINDS[number % len(KINDS)],
                name_en=name,
                language=language,
                country="CN" if language == "zh" else "PK",
                city="Lahore" if language != "zh" else "Beijing",
                description=description,
                # Mostly public, as a directory is; some members-only and private ones keep the
                # visibility filters honest.
                visibility="private" if number % 20 == 19 else "members" if number % 10 == 9 else "public",
                is_verified=number % 5 < 2,
                is_demo=True,
                search_document=index_document([name, description, *terms]),
            )
        )
        tags.append((chosen, sector_ids))
    created = Organisation.objects.bulk_create(rows, batch_size=500)
    concept_through = Organisation.concepts.through
    sector_through = Organisation.sectors.through
    concept_through.objects.bulk_create(
        [
            concept_through(organisation_id=organisation.pk, concept_id=concept.pk)
            for organisation, (chosen, _) in zip(created, tags, strict=True)
            for concept in chosen
        ],
        batch_size=2000,
    )
    sector_through.objects.bulk_create(
        [
            sector_through(organisation_id=organisation.pk, sector_id=sector_id)
            for organisation, (_, sector_ids) in zip(created, tags, strict=True)
            for sector_id in sector_ids
        ],
        batch_size=2000,
    )
    # The search index, as the services write it.
    for organisation in Organisation.objects.filter(pk__in=[row.pk for row in created]).prefetch_related(
        "concepts", "sectors"
    ):
        organisation_reindex(organisation=organisation)
    return list(Organisation.objects.filter(key__in=keys).order_by("pk"))


def _profiles(organisations: list[Organisation], per_member_org: int, members: int) -> list[Opportunity]:
    """Live profiles: `per_member_org` for each organisation that has a load-test member, one for
    every fourth organisation after that (public ones only, so that others may see them)."""
    existing = set(Opportunity.objects.filter(organisation__in=organisations).values_list("organisation_id", flat=True))
    now = timezone.now()
    rows: list[Opportunity] = []
    concept_rows: list[tuple[int, list[int]]] = []
    for number, organisation in enumerate(organisations):
        if organisation.pk in existing or organisation.visibility != "public":
            continue
        count = per_member_org if number < members else 1 if number % 4 == 0 else 0
        concept_ids = list(organisation.concepts.values_list("pk", flat=True))
        for index in range(count):
            kinds = OFFER_KINDS if (number + index) % 2 == 0 else REQUEST_KINDS
            rows.append(
                Opportunity(
                    organisation=organisation,
                    kind=kinds[index % 2],
                    title=f"{organisation.name_en}: {organisation.description[-60:]}",
                    summary=organisation.description[:200],
                    description=organisation.description,
                    language=organisation.language,
                    trl=5 + (number + index) % 5,
                    deal_types=["licence", "joint_venture"],
                    target_countries=["PK" if organisation.country == "CN" else "CN"],
                    expires_on=timezone.localdate() + timedelta(days=365),
                    status=OpportunityStatus.PUBLISHED,
                    submitted_at=now,
                    published_at=now - timedelta(minutes=len(rows)),
                    is_demo=True,
                )
            )
            concept_rows.append((len(rows) - 1, concept_ids))
    created = Opportunity.objects.bulk_create(rows, batch_size=500)
    through = Opportunity.concepts.through
    through.objects.bulk_create(
        [
            through(opportunity_id=created[index].pk, concept_id=concept_id)
            for index, concept_ids in concept_rows
            for concept_id in concept_ids
        ],
        batch_size=2000,
    )
    for opportunity in Opportunity.objects.filter(pk__in=[row.pk for row in created]).prefetch_related(
        "concepts", "sectors"
    ):
        opportunity_reindex(opportunity=opportunity)
    return list(Opportunity.objects.filter(organisation__in=organisations).order_by("pk"))


def _matches(profiles: list[Opportunity], rng: random.Random, per_profile: int) -> int:
    """Stored matches between the synthetic profiles, as the engine would leave them (up to `per_profile` each, with
    reasons the pages render), where a profile has none yet. The engine itself is benchmarked on
    its own (`silkbridge bench matching`); here only reading them matters."""
    have = set(Match.objects.filter(opportunity__in=profiles).values_list("opportunity_id", flat=True).distinct())
    now = timezone.now()
    rows = []
    for profile in profiles:
        if profile.pk in have:
            continue
        others = [other for other in profiles if other.organisation_id != profile.organisation_id]
        others = rng.sample(others, min(per_profile, len(others)))
        for rank, other in enumerate(others, start=1):
            reasons: list[dict[str, Any]] = [
                {"code": "trl_meets", "params": {"asked": 5, "offered": other.trl or 5}},
                {"code": "deal_types_common", "params": {"deal_types": ["licence"]}},
                {"code": "target_country", "params": {"this": "PK", "other": "CN"}},
            ]
            rows.append(
                Match(
                    opportunity=profile,
                    other=other,
                    score=round(0.9 - rank * 0.05, 3),
                    rank=rank,
                    features={"trl": 1.0, "deal_types": 1.0, "country": 1.0},
                    reasons=reasons,
                    first_seen_at=now,
                    computed_at=now,
                )
            )
    Match.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _members(organisations: list[Organisation], count: int) -> list[User]:
    users = []
    for number in range(count):
        user, created = User.objects.get_or_create(
            email=USER_EMAIL.format(number=number),
            defaults={"full_name": f"Load Test Member {number}", "email_verified_at": timezone.now()},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, organisation=organisations[number], defaults={"role": "owner"})
        users.append(user)
    return users


def _session_key(user: User) -> str:
    """A signed-in session, as the login page would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def load_data_ensure(
    *, organisations: int, members: int, matches_per_profile: int = MATCHES_PER_PROFILE, seed: int = 1
) -> dict[str, Any]:
    """Make the database hold at least `organisations` synthetic organisations (the first `members`
    of them with a signed-in member and two live profiles each) and return the session keys."""
    if members > organisations:
        raise ValueError("--users must not exceed --organisations")
    rng = random.Random(seed)
    concepts = list(Concept.objects.order_by("code"))
    if len(concepts) < 10:
        raise ValueError("load the reference data first: silkbridge load_demo")
    with transaction.atomic():
        synthetic = _organisations(organisations, concepts, rng)
        profiles = _profiles(synthetic, per_member_org=2, members=members)
        matches = _matches(profiles, rng, matches_per_profile)
        users = _members(synthetic, members)
        sessions = [_session_key(user) for user in users]
    return {
        "organisations": Organisation.objects.count(),
        "profiles_live": Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).count(),
        "matches": Match.objects.count(),
        "matches_added": matches,
        "sessions": sessions,
    }
