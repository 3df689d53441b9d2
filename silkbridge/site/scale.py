"""`silkbridge demo scale`: a database filled with fictional data of realistic shape, for the analytics
benchmark and for anyone trying the platform at size.

Organisations come from the one generator of synthetic organisations (directory.benchmarks.generate),
given here their shape: Chinese companies named in Chinese and English, Pakistani ones in English or
Urdu, universities, investors and agencies; most in CN and PK, a long tail elsewhere; cities and
glossary concepts drawn with a Zipf-like skew. Around them: opportunity profiles of every type and
status, stored matches with feedback and expressions of interest, events over 24 months with
participants, requests, meetings (never two for one participant or one table in a slot), ratings and
leads, deals at every stage with their stage history, MoUs and data-center assessments.

Everything is bulk-written in one transaction (an interrupted run stores nothing), without services
or history hooks, and flagged `is_demo` where the model has the flag; keys and e-mail addresses start
with `scale-`. The same seed gives the same data. The search index rows are written with the rows,
as the services write them, and the index is rebuilt if the glossary it was built under is stale.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.accounts.models import User
from silkbridge.analytics.summary import summary_build, summary_invalidate
from silkbridge.datacenters.models import Assessment
from silkbridge.datacenters.services import UploadedText, assessment_evaluate
from silkbridge.deals.models import Deal, DealEvent, DealParty, Mou, Signatory
from silkbridge.directory.benchmarks import _Tokens, generate
from silkbridge.directory.models import Concept, Membership, Organisation, OrganisationSearchToken, Sector
from silkbridge.directory.search import (
    MAX_TERM_LENGTH,
    concept_term,
    index_bulk_create,
    lexicon,
    rebuild_all,
    search_index_current,
    sector_term,
    wording_terms,
)
from silkbridge.events.models import Booking, Event, Meeting, MeetingRating, MeetingRequest, Participant, Slot
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity, OpportunitySearchToken
from silkbridge.matching.models import Match, MatchFeedback

KEY_PREFIX = "scale-"
STAFF_EMAIL = "scale-staff@silkbridge.example"
MEMBER_EMAIL = "scale-member-{number}@silkbridge.example"
BATCH = 5000
MONTHS = 24
MATCHES_PER_PROFILE = 3

# Countries: most organisations in China and Pakistan, a long tail of partners elsewhere.
COUNTRIES = (
    ("CN", 52),
    ("PK", 36),
    ("AE", 2.5),
    ("SA", 1.5),
    ("SG", 1.2),
    ("MY", 1),
    ("TR", 1),
    ("GB", 0.8),
    ("DE", 0.7),
    ("US", 0.7),
    ("KZ", 0.5),
    ("UZ", 0.5),
    ("TH", 0.4),
    ("ID", 0.4),
    ("BD", 0.3),
    ("LK", 0.3),
    ("EG", 0.2),
)
# Cities in their order of weight (Zipf within the country); the province in the comment.
CITIES = {
    "CN": (
        ("Shenzhen", "深圳"),  # Guangdong
        ("Beijing", "北京"),  # Beijing
        ("Shanghai", "上海"),  # Shanghai
        ("Hangzhou", "杭州"),  # Zhejiang
        ("Guangzhou", "广州"),  # Guangdong
        ("Chengdu", "成都"),  # Sichuan
        ("Wuhan", "武汉"),  # Hubei
        ("Nanjing", "南京"),  # Jiangsu
        ("Suzhou", "苏州"),  # Jiangsu
        ("Xi'an", "西安"),  # Shaanxi
        ("Hefei", "合肥"),  # Anhui
        ("Urumqi", "乌鲁木齐"),  # Xinjiang
        ("Kashgar", "喀什"),  # Xinjiang
    ),
    "PK": (
        ("Lahore", "لاہور"),  # Punjab
        ("Karachi", "کراچی"),  # Sindh
        ("Islamabad", "اسلام آباد"),  # Islamabad Capital Territory
        ("Rawalpindi", "راولپنڈی"),  # Punjab
        ("Faisalabad", "فیصل آباد"),  # Punjab
        ("Peshawar", "پشاور"),  # Khyber Pakhtunkhwa
        ("Multan", "ملتان"),  # Punjab
        ("Sialkot", "سیالکوٹ"),  # Punjab
        ("Quetta", "کوئٹہ"),  # Balochistan
        ("Gwadar", "گوادر"),  # Balochistan
    ),
}
OTHER_CITIES = {
    "AE": "Dubai",
    "SA": "Riyadh",
    "SG": "Singapore",
    "MY": "Kuala Lumpur",
    "TR": "Istanbul",
    "GB": "London",
    "DE": "Berlin",
    "US": "San Francisco",
    "KZ": "Almaty",
    "UZ": "Tashkent",
    "TH": "Bangkok",
    "ID": "Jakarta",
    "BD": "Dhaka",
    "LK": "Colombo",
    "EG": "Cairo",
}
KINDS = (
    ("company", 78),
    ("research", 9),
    ("investor", 6),
    ("government", 3),
    ("association", 3),
    ("zone_developer", 1),
)
ZH_SYLLABLES = "华 创 智 云 联 数 海 天 新 科 信 达 恒 远 瑞 博 盛 鼎 星 腾".split()
ZH_ENDINGS = {
    "company": "科技有限公司",
    "research": "大学",
    "investor": "创业投资有限公司",
    "government": "科技发展署",
    "association": "产业协会",
    "zone_developer": "园区开发有限公司",
}
UR_WORDS = ("شاہین", "مہران", "روشن", "سبز", "ستارہ", "النور", "الفلاح", "قائد", "سرحد", "پارس", "کوہسار", "نیلم")
UR_ENDINGS = {
    "company": "ٹیکنالوجیز",
    "research": "یونیورسٹی",
    "investor": "کیپیٹل",
    "government": "ٹیکنالوجی اتھارٹی",
    "association": "صنعتی انجمن",
    "zone_developer": "زون ڈویلپرز",
}
LATIN_SYLLABLES = "ka ra vo zen tal mir qua dex lo bri sun nor pax vel tor ami gul han sha ze fi ro du mek".split()
EN_ENDINGS = {
    "company": ("Technologies", "Systems", "Solutions", "Networks", "Labs", "Industries"),
    "research": ("University", "Institute of Technology", "Research Institute"),
    "investor": ("Capital", "Ventures", "Investment Partners"),
    "government": ("Technology Agency", "Investment Board"),
    "association": ("Industry Association", "Chamber of Technology"),
    "zone_developer": ("Zone Developers", "Tech Park Company"),
}
FILLER = {
    "en": "Fictional demo organisation. We look for partners in",
    "zh": "虚构的演示机构。我们寻找以下领域的合作伙伴：",
    "ur": "فرضی نمونہ ادارہ۔ ہم ان شعبوں میں شراکت دار تلاش کرتے ہیں:",
}
PROFILE_KINDS = {
    "company": (
        ("technology_offer", 30),
        ("technology_request", 22),
        ("business_offer", 14),
        ("business_request", 12),
        ("investment_request", 12),
        ("rnd_request", 4),
    ),
    "research": (("technology_offer", 45), ("rnd_request", 45), ("technology_request", 10)),
    "investor": (("investment_offer", 100),),
    "government": (("business_request", 60), ("rnd_request", 40)),
    "association": (("business_offer", 50), ("business_request", 50)),
    "zone_developer": (("business_offer", 100),),
}
COMPLEMENT = {
    "technology_offer": "technology_request",
    "technology_request": "technology_offer",
    "business_offer": "business_request",
    "business_request": "business_offer",
    "investment_offer": "investment_request",
    "investment_request": "investment_offer",
    "rnd_request": "rnd_request",
}
PROFILE_STATUSES = (("published", 62), ("draft", 10), ("under_review", 6), ("expired", 14), ("closed", 8))
PROFILE_TITLES = {
    "technology_offer": {"en": "Technology offer: {}", "zh": "技术转让：{}", "ur": "ٹیکنالوجی کی پیشکش: {}"},
    "technology_request": {"en": "Looking for technology: {}", "zh": "寻求技术：{}", "ur": "ٹیکنالوجی درکار: {}"},
    "business_offer": {"en": "Partners wanted for {}", "zh": "寻找合作伙伴：{}", "ur": "شراکت داروں کی تلاش: {}"},
    "business_request": {"en": "Suppliers wanted: {}", "zh": "寻找供应商：{}", "ur": "فراہم کنندگان درکار: {}"},
    "rnd_request": {"en": "Joint research on {}", "zh": "联合研发：{}", "ur": "مشترکہ تحقیق: {}"},
    "investment_offer": {"en": "We invest in {}", "zh": "投资方向：{}", "ur": "ہم سرمایہ کاری کرتے ہیں: {}"},
    "investment_request": {"en": "Investment sought for {}", "zh": "寻求投资：{}", "ur": "سرمایہ کاری درکار: {}"},
}
DEAL_TYPES = ("licence", "joint_venture", "equity", "acquisition", "joint_rnd", "technical_cooperation", "service")
IPR = ("patent_granted", "patent_applied", "secret_know_how", "copyright", "none")
CURRENCIES = {"CN": "CNY", "PK": "PKR"}
DECLINE_INTEREST = ("too_early", "benefit_unclear", "commercial_route_unclear", "description_unclear", "not_our_field")
INTEREST_STATUSES = (("accepted", 40), ("pending", 25), ("declined", 25), ("withdrawn", 10))
REQUEST_STATUSES_PAST = (("accepted", 62), ("declined", 22), ("pending", 8), ("cancelled", 8))
REQUEST_DECLINE = ("not_relevant", "no_time", "already_in_contact", "too_early", "other")
OUTCOMES = (("cooperation_possible", 30), ("informative", 40), ("insufficient_interest", 25), ("did_not_take_place", 5))
# A deal's path; a deal that ends early leaves it for one of the end stages.
DEAL_PATH = ("lead", "proposal", "under_review", "approved", "mou_drafting", "vetting", "signed", "implementation")
DEAL_ENDS = ("declined", "withdrawn", "stalled")
DEAL_STAGES = (*DEAL_PATH, *DEAL_ENDS)
DEAL_STAGE_WEIGHTS = (30, 14, 9, 6, 5, 4, 7, 5, 9, 5, 6)
DEAL_SUBJECTS = ("licence", "joint_venture", "investment", "relocation", "data_center", "joint_research", "service")
END_REASONS = {
    "declined": "The committee found the proposal too early for investment.",
    "withdrawn": "The company withdrew to focus on its home market.",
    "stalled": "No answer from the partner for three months.",
}
EXAMPLE_DESIGNS = Path(settings.BASE_DIR) / "examples" / "datacenters"


class ScaleRefused(Exception):
    """The database is not one this command may fill; the message says why and what to do."""


@dataclass(frozen=True)
class ScaleSize:
    organisations: int
    profiles: int
    events: int
    participants_per_event: int
    seed: int = 1

    def check(self) -> None:
        if min(self.organisations, self.profiles, self.events, self.participants_per_event) < 1:
            raise ScaleRefused(
                _("--organisations, --profiles, --events and --participants-per-event must be at least 1.")
            )
        if self.participants_per_event > self.organisations:
            raise ScaleRefused(_("--participants-per-event must not exceed --organisations."))

    @property
    def members(self) -> int:
        """Organisations with a (demo) member account: the active ones, who judge matches and go to events."""
        return min(self.organisations, max(2 * self.participants_per_event, self.organisations // 10))


def _weighted(rng: random.Random, table: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def _zipf_index(rng: random.Random, cumulative: list[float]) -> int:
    return bisect.bisect_left(cumulative, rng.random() * cumulative[-1])


def _zipf_cumulative(count: int, exponent: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


@contextmanager
def _timestamps_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created/updated times given (spread over 24 months) instead of now.
    A command runs alone in its process, so switching the fields' flags for its duration is safe."""
    fields = [
        field
        for model in model_classes
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]  # type: ignore[attr-defined]
    for field in fields:
        field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]


def refusal(*, force: bool) -> str | None:
    """Why the database must not be filled (None when it may): scale data already there (always
    refused: a second run would duplicate it), or data that is not demo data (unless forced)."""
    there = Organisation.objects.filter(key__startswith=KEY_PREFIX).count()
    if there:
        return _(
            "This database already holds scale demo data (%(count)s organisations); a second run would "
            "duplicate it, so nothing was added. Fill an empty database instead."
        ) % {"count": there}
    # Reference institutions are not demo data but are not users' data either: they cite their sources.
    organisations = Organisation.objects.filter(is_demo=False, sources=[]).count()
    profiles = Opportunity.objects.filter(is_demo=False).count()
    if (organisations or profiles) and not force:
        return _(
            "This database holds data that is not demo data (%(organisations)s organisations, %(profiles)s "
            "opportunity profiles); nothing was added. Use --force to add fictional data beside it."
        ) % {"organisations": organisations, "profiles": profiles}
    return None


class _Generator:
    """One run: the random source, the clock it spreads times over, and what earlier steps made."""

    def __init__(self, size: ScaleSize, progress: Callable[[str], None]) -> None:
        self.size = size
        self.rng = random.Random(size.seed)
        self.progress = progress
        # A fixed day at midnight (not now): the same seed gives the same times, whenever it runs.
        self.now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.start = self.now - timedelta(days=30 * MONTHS)
        self.counts: dict[str, int] = {}
        self.concepts = list(Concept.objects.order_by("code"))
        if len(self.concepts) < 10:
            raise ScaleRefused(_("Load the reference data first: silkbridge load_reference"))
        self.rng.shuffle(self.concepts)  # which concepts are popular is the seed's choice
        self.concept_weights = _zipf_cumulative(len(self.concepts))

    def when(self, low: float = 0.0, high: float = 1.0) -> datetime:
        """A time between the start of the 24 months (0) and today (1)."""
        span = (self.now - self.start).total_seconds()
        return self.start + timedelta(seconds=int(span * self.rng.uniform(low, high)))

    def count(self, name: str, rows: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + rows

    def bulk(self, model: type[models.Model], rows: list[Any], name: str) -> list[Any]:
        created = model._default_manager.bulk_create(rows, batch_size=BATCH)
        self.count(name, len(rows))
        return list(created)

    # --- organisations -------------------------------------------------------------------------------

    def pick_concepts(self) -> list[Concept]:
        chosen: dict[int, Concept] = {}
        wanted = self.rng.randint(2, 4)
        while len(chosen) < wanted:
            concept = self.concepts[_zipf_index(self.rng, self.concept_weights)]
            chosen[concept.pk] = concept
        return list(chosen.values())

    def shape(self, number: int, chosen: list[Concept]) -> dict[str, Any]:
        rng = self.rng
        country = _weighted(rng, COUNTRIES)
        kind = _weighted(rng, KINDS)
        word = "".join(rng.choice(LATIN_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        name_local = ""
        if country == "CN":
            language = "zh"
            city, city_local = CITIES["CN"][_zipf_index(rng, self._cn_cities)]
            name_en = f"{city} {word} {rng.choice(EN_ENDINGS[kind])}"
            name_local = city_local + "".join(rng.sample(ZH_SYLLABLES, 2)) + ZH_ENDINGS[kind]
        elif country == "PK":
            language = "ur" if rng.random() < 0.3 else "en"
            city, city_local = CITIES["PK"][_zipf_index(rng, self._pk_cities)]
            name_en = f"{word} {rng.choice(EN_ENDINGS[kind])}" + (" (Pvt) Ltd" if kind == "company" else "")
            if language == "ur":
                name_local = f"{rng.choice(UR_WORDS)} {UR_ENDINGS[kind]} {city_local}"
        else:
            language, city = "en", OTHER_CITIES[country]
            name_en = f"{word} {rng.choice(EN_ENDINGS[kind])}"
        labels = [str(getattr(concept, f"label_{language}") or concept.label_en) for concept in chosen]
        created_at = self.when(0.0, 0.97)
        return {
            "key": f"{KEY_PREFIX}org-{number}",
            "kind": kind,
            "name_en": name_en[:200],
            "name_local": name_local[:200],
            "language": language,
            "country": country,
            "city": city,
            "website": f"https://{word.lower()}-{number}.example",
            "description_parts": [FILLER[language], *labels],
            "visibility": "private" if number % 25 == 24 else "members" if number % 10 == 9 else "public",
            "is_verified": rng.random() < 0.45,
            "is_demo": True,
            "founded_year": rng.randint(1950, 2025),
            "created_at": created_at,
            "updated_at": created_at,
        }

    def organisations(self) -> None:
        self._cn_cities = _zipf_cumulative(len(CITIES["CN"]))
        self._pk_cities = _zipf_cumulative(len(CITIES["PK"]))
        tokens = _Tokens()
        total = self.size.organisations
        with _timestamps_as_given(Organisation):
            for start in range(0, total, 10_000):
                part = min(10_000, total - start)
                generate(
                    start=start,
                    count=part,
                    concepts=self.concepts,
                    rng=self.rng,
                    tokens=tokens,
                    shape=self.shape,
                    pick=self.pick_concepts,
                )
                self.progress(f"organisations: {start + part}/{total}")
        self.count("directory.Organisation", total)
        tokens_written = OrganisationSearchToken.objects.filter(document__key__startswith=KEY_PREFIX).count()
        self.count("directory.OrganisationSearchToken", tokens_written)
        self.orgs = list(
            Organisation.objects.filter(key__startswith=KEY_PREFIX)
            .order_by("pk")
            .values_list("pk", "kind", "country", "language", "visibility")
        )
        through = Organisation.concepts.through.objects.filter(organisation__key__startswith=KEY_PREFIX)
        self.org_concepts: dict[int, list[int]] = {}
        for organisation_id, concept_id in through.order_by("organisation_id", "concept_id").values_list(
            "organisation_id", "concept_id"
        ):
            self.org_concepts.setdefault(organisation_id, []).append(concept_id)
        self.count("directory.Organisation.concepts", through.count())

    def users(self) -> None:
        """The demo staff account (owner of the deals) and one member account each for the active
        organisations; no passwords (unusable), so nobody signs in as them."""
        staff = User(email=STAFF_EMAIL, full_name="Scale Demo Staff", role="staff", time_zone="Asia/Karachi")
        staff.set_unusable_password()
        staff.save()
        self.staff = staff
        self.active = [pk for pk, *_ in self.orgs[: self.size.members]]
        members = []
        for number, _organisation in enumerate(self.active):
            user = User(email=MEMBER_EMAIL.format(number=number), full_name=f"Demo Member {number}", password="!")
            members.append(user)
        created = self.bulk(User, members, "accounts.User")
        self.count("accounts.User", 1)
        self.member_of = {organisation: user.pk for organisation, user in zip(self.active, created, strict=True)}
        self.bulk(
            Membership,
            [Membership(user_id=user, organisation_id=org, role="owner") for org, user in self.member_of.items()],
            "directory.Membership",
        )
        self.progress(f"accounts: {len(created) + 1}")

    # --- marketplace and matching ---------------------------------------------------------------------

    def profiles(self) -> None:
        rng = self.rng
        labels = {concept.pk: concept for concept in self.concepts}
        # Active organisations publish more: the first tenth draws half the profiles.
        weights = [4.0 if number < self.size.members else 1.0 for number in range(len(self.orgs))]
        owners = rng.choices(self.orgs, weights=weights, k=self.size.profiles)
        glossary = lexicon()
        sectors = {sector.pk: sector for sector in Sector.objects.all()}
        tokens = _Tokens()
        rows, documents = [], []
        statuses = [status for status, _ in PROFILE_STATUSES]
        for number, (org, kind_of_org, country, language, _visibility) in enumerate(owners):
            kind = _weighted(rng, PROFILE_KINDS[kind_of_org])
            if number < len(COMPLEMENT):  # the first profiles go through every type once
                kind = list(COMPLEMENT)[number]
            # The first profiles go through every status once, so that each is present at any size.
            status = statuses[number] if number < len(statuses) else _weighted(rng, PROFILE_STATUSES)
            concept_ids = self.org_concepts.get(org) or [self.concepts[0].pk]
            concept = labels[rng.choice(concept_ids)]
            label = str(getattr(concept, f"label_{language}") or concept.label_en)
            title = PROFILE_TITLES[kind][language].format(label)
            created_at = self.when(0.0, 0.95)
            submitted = created_at + timedelta(days=rng.randint(0, 10)) if status != "draft" else None
            published = (
                submitted + timedelta(days=rng.randint(1, 7)) if submitted and status != "under_review" else None
            )
            if status == "expired":
                expires_on = (published or created_at).date() + timedelta(days=rng.randint(30, 365))
                expires_on = min(expires_on, self.now.date() - timedelta(days=1))
            else:
                expires_on = self.now.date() + timedelta(days=rng.randint(10, 365))
            money = kind.startswith("investment") or rng.random() < 0.3
            amount_min = Decimal(rng.choice((50, 100, 250, 500, 1000, 5000))) * 1000 if money else None
            currency = rng.choice(("USD", CURRENCIES.get(country, "USD"))) if money else ""
            rows.append(
                Opportunity(
                    organisation_id=org,
                    created_by_id=self.member_of.get(org),
                    kind=kind,
                    title=title[:200],
                    summary=label,
                    description=f"{FILLER[language]} {label}",
                    language=language,
                    trl=rng.randint(1, 9)
                    if kind in {"technology_offer", "technology_request", "rnd_request"}
                    else None,
                    ipr_status=rng.choice(IPR) if kind == "technology_offer" else "",
                    deal_types=sorted(rng.sample(DEAL_TYPES, rng.randint(1, 3))),
                    amount_min=amount_min,
                    amount_max=amount_min * rng.choice((2, 4, 10)) if amount_min is not None else None,
                    currency=currency,
                    target_countries=["PK"] if country == "CN" else ["CN"] if country == "PK" else ["CN", "PK"],
                    expires_on=expires_on,
                    status=status,
                    visibility="private" if number % 30 == 29 else "members" if number % 8 == 7 else "public",
                    is_demo=True,
                    submitted_at=submitted,
                    published_at=published,
                    closed_at=(published or created_at) + timedelta(days=rng.randint(20, 200))
                    if status == "closed"
                    else None,
                    created_at=created_at,
                    updated_at=published or submitted or created_at,
                )
            )
            documents.append((concept, language))
        with _timestamps_as_given(Opportunity):
            created = self.bulk(Opportunity, rows, "marketplace.Opportunity")
        self.progress(f"opportunity profiles: {len(created)}")
        concept_through = Opportunity.concepts.through
        sector_through = Opportunity.sectors.through
        self.bulk(
            concept_through,
            [
                concept_through(opportunity_id=profile.pk, concept_id=concept.pk)
                for profile, (concept, _) in zip(created, documents, strict=True)
            ],
            "marketplace.Opportunity.concepts",
        )
        self.bulk(
            sector_through,
            [
                sector_through(opportunity_id=profile.pk, sector_id=concept.sector_id)
                for profile, (concept, _) in zip(created, documents, strict=True)
            ],
            "marketplace.Opportunity.sectors",
        )

        def terms(profile: Opportunity, concept: Concept) -> set[str]:
            # What opportunity_reindex writes: title, summary, description, tag labels, the tags.
            sector = sectors[concept.sector_id]
            parts = [profile.title, profile.summary, FILLER[profile.language], *concept.all_terms()]
            parts += [sector.name_en, sector.name_zh, sector.name_ur]
            words = {word[:MAX_TERM_LENGTH] for word in tokens.document(parts)}
            return words | wording_terms(words, glossary) | {concept_term(concept.pk), sector_term(sector.pk)}

        rows_written = index_bulk_create(
            token_model=OpportunitySearchToken,
            documents=(
                (profile.pk, terms(profile, concept)) for profile, (concept, _) in zip(created, documents, strict=True)
            ),
        )
        self.count("marketplace.OpportunitySearchToken", rows_written)
        self.progress(f"profile search index: {rows_written} rows")
        self.profile_rows = [(profile.pk, profile.organisation_id, profile.kind, profile.status) for profile in created]

    def matches(self) -> None:
        """Each published profile's best complementary profiles (as the engine leaves them), a share
        of them judged by the owner's member, and expressions of interest in published profiles."""
        rng = self.rng
        published = [row for row in self.profile_rows if row[3] == "published"]
        by_kind: dict[str, list[tuple[int, int, str, str]]] = {}
        for row in published:
            by_kind.setdefault(row[2], []).append(row)
        rows: list[Match] = []
        feedback: list[MatchFeedback] = []
        interests: list[ExpressionOfInterest] = []
        seen_interest: set[tuple[int, int]] = set()
        for profile, org, kind, _status in published:
            if len(rows) >= 50_000:  # written as it goes: a million matches are not held in memory
                self.bulk(Match, rows, "matching.Match")
                rows = []
            pool = by_kind.get(COMPLEMENT[kind]) or []
            # A few more than needed, less those of the same organisation (never its own profiles).
            drawn = rng.sample(pool, min(MATCHES_PER_PROFILE + 2, len(pool)))
            chosen = [row for row in drawn if row[1] != org][:MATCHES_PER_PROFILE]
            for rank, (other, _other_org, _kind, _other_status) in enumerate(chosen, start=1):
                seen = self.when(0.2, 1.0)
                rows.append(
                    Match(
                        opportunity_id=profile,
                        other_id=other,
                        score=round(0.95 - 0.07 * rank - rng.random() * 0.1, 3),
                        rank=rank,
                        features={"concepts": 1.0, "trl": 1.0, "country": 1.0},
                        reasons=[{"code": "concepts_common", "params": {}}],
                        first_seen_at=seen,
                        computed_at=self.now,
                    )
                )
                user = self.member_of.get(org)
                if user is not None and rng.random() < 0.25:
                    feedback.append(
                        MatchFeedback(
                            opportunity_id=profile,
                            other_id=other,
                            user_id=user,
                            useful=rng.random() < 0.65,
                            features={"concepts": 1.0},
                            family="technology" if "technology" in kind else "business",
                            updated_at=seen + timedelta(days=rng.randint(0, 14)),
                        )
                    )
                if rng.random() < 0.08 and (other, org) not in seen_interest:
                    seen_interest.add((other, org))
                    interests.append(self._interest(opportunity=other, organisation=org, sent=seen))
        self.bulk(Match, rows, "matching.Match")
        with _timestamps_as_given(MatchFeedback, ExpressionOfInterest):
            self.bulk(MatchFeedback, feedback, "matching.MatchFeedback")
            self.interests = self.bulk(ExpressionOfInterest, interests, "marketplace.ExpressionOfInterest")
        matches = self.counts["matching.Match"]
        self.progress(f"matches: {matches}; feedback: {len(feedback)}; interests: {len(interests)}")

    def _interest(self, *, opportunity: int, organisation: int, sent: datetime) -> ExpressionOfInterest:
        rng = self.rng
        status = _weighted(rng, INTEREST_STATUSES)
        answered = status in {"accepted", "declined"}
        return ExpressionOfInterest(
            opportunity_id=opportunity,
            organisation_id=organisation,
            created_by_id=self.member_of.get(organisation),
            message="We would like to talk about a cooperation.",
            status=status,
            decline_reason=rng.choice(DECLINE_INTEREST) if status == "declined" else "",
            answered_at=min(self.now, sent + timedelta(days=rng.randint(1, 20))) if answered else None,
            created_at=sent,
        )

    # --- events ---------------------------------------------------------------------------------------

    def events(self) -> None:
        size, rng = self.size, self.rng
        self.leads: list[tuple[int, int, int, datetime]] = []  # meeting, two organisations, when
        kinds = ("physical", "virtual", "hybrid", "delegation")
        for number in range(size.events):
            # Spread over the 24 months; the last one (or two) still ahead.
            day = self.start + timedelta(days=int(30 * MONTHS * (number + 1) / size.events)) + timedelta(days=10)
            kind = kinds[number % len(kinds)]
            event = Event.objects.create(
                slug=f"{KEY_PREFIX}event-{number + 1}",
                title=f"China–Pakistan Technology Matchmaking {number + 1} (demo)",
                description=_("Fictional demo event."),
                kind=kind,
                time_zone="Asia/Shanghai" if number % 3 == 2 else "Asia/Karachi",
                venue="" if kind == "virtual" else rng.choice(("Islamabad", "Lahore", "Beijing", "Shenzhen")),
                registration_opens_at=day - timedelta(days=45),
                registration_closes_at=day - timedelta(days=3),
                request_mode="acceptance",
                scheduling_mode="organiser",
                created_by=self.staff,
            )
            self.count("events.Event", 1)
            self._event(event, day, is_past=day < self.now)
            self.progress(f"events: {number + 1}/{size.events}")

    def _event(self, event: Event, day: datetime, *, is_past: bool) -> None:
        rng, size = self.rng, self.size
        tables = None if event.kind == "virtual" else max(2, size.participants_per_event // 5)
        slots = self.bulk(
            Slot,
            [
                Slot(
                    event=event,
                    starts_at=day
                    + timedelta(hours=9 + index // 2 + (1 if index >= 8 else 0), minutes=30 * (index % 2)),
                    minutes=25,
                    tables=tables,
                    location=event.venue,
                )
                for index in range(16)
            ],
            "events.Slot",
        )
        chosen = rng.sample(self.active, size.participants_per_event)
        statuses = rng.choices(("approved", "pending", "rejected", "withdrawn"), weights=(88, 4, 4, 4), k=len(chosen))
        participants = self.bulk(
            Participant,
            [
                Participant(
                    event=event,
                    organisation_id=org,
                    status=status,
                    time_zone=event.time_zone,
                    max_meetings=8,
                    feed_token=hashlib.sha256(f"{self.size.seed}:{event.slug}:{org}".encode()).hexdigest()[:40],
                )
                for org, status in zip(chosen, statuses, strict=True)
            ],
            "events.Participant",
        )
        through = Participant.representatives.through
        self.bulk(
            through,
            [through(participant_id=p.pk, user_id=self.member_of[p.organisation_id]) for p in participants],
            "events.Participant.representatives",
        )
        approved = [p for p in participants if p.status == "approved"]
        requests: list[MeetingRequest] = []
        pairs: set[tuple[int, int]] = set()
        for participant in approved:
            for target in rng.sample(approved, min(len(approved), rng.randint(1, 6))):
                if target.pk == participant.pk or (target.pk, participant.pk) in pairs:
                    continue
                if (participant.pk, target.pk) in pairs:
                    continue
                pairs.add((participant.pk, target.pk))
                status = _weighted(rng, REQUEST_STATUSES_PAST) if is_past else rng.choice(("accepted", "pending"))
                requests.append(
                    MeetingRequest(
                        event=event,
                        requester=participant,
                        recipient=target,
                        status=status,
                        decline_reason=rng.choice(REQUEST_DECLINE) if status == "declined" else "",
                        created_by_id=self.member_of[participant.organisation_id],
                        created_at=day - timedelta(days=rng.randint(3, 30)),
                        answered_at=day - timedelta(days=rng.randint(1, 3)) if status != "pending" else None,
                    )
                )
        with _timestamps_as_given(MeetingRequest):
            requests = self.bulk(MeetingRequest, requests, "events.MeetingRequest")
        self._meetings(event, slots, [r for r in requests if r.status == "accepted"], day=day, is_past=is_past)

    def _meetings(
        self, event: Event, slots: list[Slot], accepted: list[MeetingRequest], *, day: datetime, is_past: bool
    ) -> None:
        """Place each accepted request in the first slot (from a random one on) where both sides are
        free and a table is left: no participant and no table is ever booked twice in a slot."""
        rng = self.rng
        busy: dict[int, set[int]] = {slot.pk: set() for slot in slots}
        tables_used: dict[int, int] = {slot.pk: 0 for slot in slots}
        placed: list[tuple[MeetingRequest, Slot, int | None]] = []
        for request in accepted:
            offset = rng.randrange(len(slots))
            for index in range(len(slots)):
                slot = slots[(offset + index) % len(slots)]
                taken = busy[slot.pk]
                if request.requester_id in taken or request.recipient_id in taken:
                    continue
                if slot.tables is not None and tables_used[slot.pk] >= slot.tables:
                    continue
                taken.update((request.requester_id, request.recipient_id))
                tables_used[slot.pk] += 1
                placed.append((request, slot, tables_used[slot.pk] if slot.tables is not None else None))
                break
        meetings = []
        for request, slot, table in placed:
            status = rng.choices(("checked_in", "no_show"), weights=(85, 15))[0] if is_past else "scheduled"
            meetings.append(
                Meeting(
                    event=event,
                    request=request,
                    slot=slot,
                    table=table,
                    status=status,
                    checked_in_at=slot.starts_at if status == "checked_in" else None,
                    created_at=day - timedelta(days=1),
                )
            )
        with _timestamps_as_given(Meeting):
            meetings = self.bulk(Meeting, meetings, "events.Meeting")
        bookings = [
            Booking(meeting=meeting, participant_id=participant, slot_id=meeting.slot_id)
            for meeting in meetings
            for participant in (meeting.request.requester_id, meeting.request.recipient_id)
        ]
        self.bulk(Booking, bookings, "events.Booking")
        ratings = []
        for meeting in meetings:
            if meeting.status != "checked_in":
                continue
            for participant in (meeting.request.requester, meeting.request.recipient):
                if rng.random() < 0.7:
                    outcome = _weighted(rng, OUTCOMES)
                    ratings.append(
                        MeetingRating(
                            meeting=meeting,
                            participant=participant,
                            outcome=outcome,
                            created_at=meeting.slot.starts_at + timedelta(hours=2),
                        )
                    )
                    if outcome == "cooperation_possible":
                        self.leads.append(
                            (
                                meeting.pk,
                                meeting.request.requester.organisation_id,
                                meeting.request.recipient.organisation_id,
                                meeting.slot.starts_at,
                            )
                        )
        with _timestamps_as_given(MeetingRating):
            self.bulk(MeetingRating, ratings, "events.MeetingRating")

    # --- deals, MoUs, assessments --------------------------------------------------------------------

    def deals(self) -> None:
        rng = self.rng
        # Origins: leads from meetings (one deal per meeting), accepted interests, and some by hand.
        sources: list[tuple[str, int | None, int, int, datetime]] = []
        used_meetings: set[int] = set()
        for meeting, first, second, when in self.leads:
            if meeting not in used_meetings and first != second and rng.random() < 0.5:
                used_meetings.add(meeting)
                sources.append(("meeting", meeting, first, second, when))
        profile_org = {pk: org for pk, org, *_ in self.profile_rows}
        for interest in self.interests:
            if interest.status == "accepted" and rng.random() < 0.5:
                owner = profile_org[interest.opportunity_id]
                sources.append(("interest", interest.pk, interest.organisation_id, owner, interest.answered_at))
        manual = max(len(DEAL_STAGES), self.size.organisations // 200)
        for _number in range(manual):
            first, second = rng.sample(self.active, 2)
            sources.append(("manual", None, first, second, self.when(0.0, 0.9)))
        deals, histories = [], []
        sector_ids = sorted({concept.sector_id for concept in self.concepts})
        for number, (origin, source, first, second, began) in enumerate(sources):
            stage = (
                DEAL_STAGES[number] if number < len(DEAL_STAGES) else rng.choices(DEAL_STAGES, DEAL_STAGE_WEIGHTS)[0]
            )
            path = self._deal_path(stage)
            times = sorted(
                began + timedelta(seconds=rng.uniform(0, (self.now - began).total_seconds())) for _ in path[1:]
            )
            money = rng.random() < 0.6
            deal = Deal(
                reference=f"SCALE-D{number + 1:06d}",
                title=f"Demo deal {number + 1}",
                subject=rng.choice(DEAL_SUBJECTS),
                stage=stage,
                stage_reason=END_REASONS.get(stage, ""),
                stage_changed_at=times[-1] if times else began,
                sector_id=rng.choice(sector_ids),
                owner=self.staff,
                origin=origin,
                interest_id=source if origin == "interest" else None,
                meeting_id=source if origin == "meeting" else None,
                amount=Decimal(rng.choice((1, 2, 5, 10, 50))) * 100_000 if money else None,
                currency="USD" if money else "",
                created_by=self.staff,
                created_at=began,
                updated_at=times[-1] if times else began,
            )
            deals.append(deal)
            histories.append((first, second, path, [began, *times]))
        with _timestamps_as_given(Deal, DealParty, DealEvent):
            deals = self.bulk(Deal, deals, "deals.Deal")
            parties, events = [], []
            for deal, (first, second, path, times) in zip(deals, histories, strict=True):
                parties += [
                    DealParty(deal=deal, organisation_id=first, role="initiator", added_at=times[0]),
                    DealParty(deal=deal, organisation_id=second, role="partner", added_at=times[0]),
                ]
                events.append(
                    DealEvent(deal=deal, kind="created", to_stage="lead", actor=self.staff, created_at=times[0])
                )
                for (before, after), at in zip(itertools.pairwise(path), times[1:], strict=True):
                    events.append(
                        DealEvent(
                            deal=deal,
                            kind="stage_changed",
                            from_stage=before,
                            to_stage=after,
                            note=END_REASONS.get(after, ""),
                            actor=self.staff,
                            created_at=at,
                        )
                    )
            self.bulk(DealParty, parties, "deals.DealParty")
            self.bulk(DealEvent, events, "deals.DealEvent")
        self.progress(f"deals: {len(deals)}")
        self._mous(deals)

    def _deal_path(self, stage: str) -> list[str]:
        """The stages a deal went through to reach `stage`: along the path, or off it to an end."""
        if stage in DEAL_PATH:
            return list(DEAL_PATH[: DEAL_PATH.index(stage) + 1])
        left_at = self.rng.randrange(0, DEAL_PATH.index("vetting") + 1)
        return [*DEAL_PATH[: left_at + 1], stage]

    def _mous(self, deals: list[Deal]) -> None:
        status_of = {"mou_drafting": "drafting", "vetting": "vetting", "signed": "signed", "implementation": "signed"}
        mous = []
        for deal in deals:
            status = status_of.get(deal.stage)
            if status is None:
                continue
            signed = status == "signed"
            mous.append(
                Mou(
                    reference=f"SCALE-M{deal.reference[7:]}",
                    deal=deal,
                    title=f"Memorandum of understanding: {deal.title}",
                    second_language=self.rng.choice(("zh", "ur")),
                    status=status,
                    sealed_at=deal.stage_changed_at if signed else None,
                    # A demo MoU has no sealed PDF: the hash stands for one, so that it counts as signed.
                    sealed_sha256=hashlib.sha256(deal.reference.encode()).hexdigest() if signed else "",
                    created_by=self.staff,
                    created_at=deal.stage_changed_at,
                    updated_at=deal.stage_changed_at,
                )
            )
        with _timestamps_as_given(Mou):
            mous = self.bulk(Mou, mous, "deals.Mou")
        signatories = [
            Signatory(
                mou=mou,
                name=name,
                title="Director",
                organisation_name=side,
                signed_on=mou.sealed_at.date(),
                place="Islamabad",
                position=position,
            )
            for mou in mous
            if mou.sealed_at is not None
            for position, (name, side) in enumerate((("Demo Signatory A", "Party A"), ("Demo Signatory B", "Party B")))
        ]
        self.bulk(Signatory, signatories, "deals.Signatory")
        self.progress(f"MoUs: {len(mous)}")

    def assessments(self) -> None:
        """Assessments of the example designs, each run once through the real engines (1,000
        simulated years) and stored for many fictional proposals."""
        verdicts = _example_verdicts()
        rows = []
        for number in range(max(len(verdicts), self.size.organisations // 2000)):
            path, design, result = (
                verdicts[number % len(verdicts)] if number < len(verdicts) else self.rng.choice(verdicts)
            )
            claimed = result["design"].get("claimed_tier")
            if number >= len(verdicts) and self.rng.random() < 0.3:
                claimed = min(4, result["tier"] + 1)  # a proposal claiming more than its design meets
            rows.append(
                Assessment(
                    reference=f"SCALE-A{number + 1:06d}",
                    name=f"{result['design']['name'][:150]} (demo {number + 1})",
                    file_name=path.name,
                    design_text=design.content.decode("utf-8-sig"),
                    created_by=self.staff,
                    created_at=self.when(0.0, 1.0),
                    tier=result["tier"],
                    claimed_tier=claimed,
                    availability=result["availability"]["analytical"],
                    downtime_minutes=result["availability"]["downtime_minutes_per_year"]["analytical"],
                    pue=result["pue"],
                    years=1000,
                    seed=0,
                    result=result,
                )
            )
        with _timestamps_as_given(Assessment):
            self.bulk(Assessment, rows, "datacenters.Assessment")
        self.progress(f"data-center assessments: {len(rows)}")


@functools.cache
def _example_verdicts() -> list[tuple[Path, UploadedText, dict[str, Any]]]:
    """The engines' verdict on each example design (a second each: computed once per process; the
    Monte Carlo seed is fixed, the verdict is the design's, not the demo data's)."""
    seed = 0
    verdicts = []
    for path in sorted(EXAMPLE_DESIGNS.glob("*.yaml")):
        design = UploadedText(name=path.name, content=path.read_bytes())
        verdicts.append((path, design, assessment_evaluate(design=design, years=1000, seed=seed)))
    return verdicts


def scale_fill(
    *, size: ScaleSize, force: bool = False, progress: Callable[[str], None] = lambda line: None
) -> dict[str, int]:
    """Fill the database with fictional data of the given size (all of it or, on any error, nothing);
    the rows created per table. Refuses (ScaleRefused) a database it must not fill (`refusal`)."""
    size.check()
    reason = refusal(force=force)
    if reason is not None:
        raise ScaleRefused(reason)
    with transaction.atomic():
        summary_invalidate()  # the rows below go around the services: count live until it is rebuilt
        generator = _Generator(size, progress)
        generator.organisations()
        generator.users()
        generator.profiles()
        generator.matches()
        generator.events()
        generator.deals()
        generator.assessments()
    if not search_index_current():
        # The rows were written under the current glossary, but earlier ones were not: rebuild all, as
        # after a glossary edit (the index is only trusted whole).
        progress("search index: rebuilding (the glossary changed since it was last built)")
        rebuild_all()
    progress("analytics summary: rebuilding")
    summary_build()
    return dict(sorted(generator.counts.items()))
