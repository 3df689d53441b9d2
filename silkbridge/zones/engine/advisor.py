"""The relocation advisor: ranks zones for one relocation request, with a score and reasons.

Plain Python (no Django): zones' facts and the request's needs come in as dataclasses, and each zone
comes out with a score out of 100, whether it is disqualified, and its reasons as codes with
parameters. The Django layer renders the codes in the reader's language (zones/relocation_messages.py);
no sentence is built here.

Scoring (weights add up to 100; docs/zones.md explains each to the reader):
- sector fit, 30: the matching engine's sector model, 0.75 x cosine of the sub-field sets plus
  0.25 x cosine of the field sets (a sub-field also counts for its field; matching/engine/index.py);
- space, 15, and power, 15: full points when the zone's known space of the asked type and its power
  available cover the request; a known shortfall disqualifies; an unknown figure earns nothing and is
  said to be "not known", never taken as a pass;
- incentives, 10: an STZ's regime (STZA Act 2021, cl. 21) 10, a CPEC SEZ's (SEZ Act 2012) 7, none 0;
- must-haves, 10: the share of the request's must-haves the zone is known to have; one it is known
  to lack disqualifies; an unknown one earns nothing;
- preferred city, 10 (5 to every zone when the request names none);
- distance to the company's matched partners, 5, and to the nearest international airport, 5.

A zone that is withdrawn is disqualified too. Disqualified zones keep their score (so that the reader
sees how close they came) but rank after every qualified zone; ties are broken by zone key.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

EARTH_RADIUS_KM = 6371.0088

WEIGHT_SECTOR = 30.0
WEIGHT_SPACE = 15.0
WEIGHT_POWER = 15.0
WEIGHT_INCENTIVES = 10.0
WEIGHT_MUST_HAVES = 10.0
WEIGHT_CITY = 10.0
WEIGHT_PARTNERS = 5.0
WEIGHT_AIRPORT = 5.0

# The incentive regime a zone's kind brings, and the share of WEIGHT_INCENTIVES it earns: an STZ's
# exemptions are wider (all income taxes, sales tax, customs, property tax, 10 years from licence)
# than a CPEC SEZ's (one-time capital-goods duty, a 10- or 5-year income-tax holiday).
REGIME_SHARE = {"stz": 1.0, "sez": 0.7, "none": 0.0}

# Distances: full points at or under the near figure, none at or beyond the far one, linear between.
PARTNER_NEAR_KM, PARTNER_FAR_KM = 50.0, 500.0
AIRPORT_NEAR_KM, AIRPORT_FAR_KM = 30.0, 200.0
PARTNER_CLOSE_KM = 100.0  # "n of your partners within 100 km"

MUST_HAVES = ("bonded_warehouse", "fibre", "housing", "data_center")
SPACE_KINDS = ("office", "plot", "rack")
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ZoneFacts:
    """What the advisor knows of a zone; None everywhere it is not known."""

    key: str
    regime: str = "none"  # "stz", "sez" or "none"
    status: str = ""
    city: str = ""
    sectors: frozenset[str] = frozenset()  # sector codes: fields ("ai") and sub-fields ("ai.agri")
    location: Point | None = None
    power_available_kw: float | None = None
    office_space_m2: float | None = None
    plots_available: int | None = None
    racks_available: int | None = None
    has_fibre: bool | None = None
    has_housing: bool | None = None
    has_bonded_warehouse: bool | None = None
    data_center_tier: int | None = None  # 0: no data center on site
    airport_km: float | None = None


@dataclass(frozen=True)
class RequestNeeds:
    """What a relocation request asks for; None where it asks nothing."""

    sectors: frozenset[str] = frozenset()
    space_kind: str = "office"  # one of SPACE_KINDS
    space_amount: float | None = None  # m² of office, plots, or racks, by space_kind
    power_kw: float | None = None
    data_center_tier: int | None = None  # the lowest Tier the request accepts, when it needs one
    must_haves: frozenset[str] = frozenset()
    preferred_cities: frozenset[str] = frozenset()
    partners: tuple[Point, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One reason: a code the Django layer renders, its parameters, and its effect.

    effect: "plus" (earns points), "minus" (earns none or few), "unknown" (not known: earns nothing),
    "disqualifies"."""

    code: str
    effect: str
    params: tuple[tuple[str, object], ...] = ()

    def param(self, name: str) -> object:
        return dict(self.params)[name]


@dataclass(frozen=True)
class Advice:
    zone_key: str
    score: float
    disqualified: bool
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def disqualifying(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if reason.effect == "disqualifies")


class AdvisorError(ValueError):
    """Needs the engine cannot read; `field` names the offending one."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


# --- geometry and the sector model ----------------------------------------------------------------


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in km."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def split_sectors(codes: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Sub-fields and fields, as the matching engine splits them: a sub-field also counts for its field."""
    subfields: set[str] = set()
    fields: set[str] = set()
    for code in codes:
        field_code = code.split(".", 1)[0]
        fields.add(field_code)
        if code != field_code:
            subfields.add(code)
    return frozenset(subfields), frozenset(fields)


def set_cosine(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def sector_fit(request_sectors: frozenset[str], zone_sectors: frozenset[str]) -> float:
    """0..1 as the matching engine's sector feature: 0.75 x sub-field cosine + 0.25 x field cosine."""
    request_subs, request_fields = split_sectors(request_sectors)
    zone_subs, zone_fields = split_sectors(zone_sectors)
    return 0.75 * set_cosine(request_subs, zone_subs) + 0.25 * set_cosine(request_fields, zone_fields)


def _linear(distance: float, near: float, far: float) -> float:
    if distance <= near:
        return 1.0
    if distance >= far:
        return 0.0
    return (far - distance) / (far - near)


# --- checking the needs ----------------------------------------------------------------------------


def needs_check(needs: RequestNeeds) -> None:
    """Refuse needs the engine cannot score, naming the field."""
    if needs.space_kind not in SPACE_KINDS:
        raise AdvisorError("space_kind", f"must be one of {', '.join(SPACE_KINDS)}")
    for name in ("space_amount", "power_kw"):
        value = getattr(needs, name)
        if value is not None and (not math.isfinite(value) or value < 0):
            raise AdvisorError(name, "must be a number of 0 or more")
    if needs.data_center_tier is not None and needs.data_center_tier not in (1, 2, 3, 4):
        raise AdvisorError("data_center_tier", "must be 1, 2, 3 or 4")
    unknown = sorted(needs.must_haves - set(MUST_HAVES))
    if unknown:
        raise AdvisorError("must_haves", f"unknown must-have {unknown[0]!r}")


# --- one zone ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    """A zone's facts with what every request reuses computed once (sector sets, location in radians)."""

    facts: ZoneFacts
    subfields: frozenset[str]
    fields: frozenset[str]
    radians: tuple[float, float, float] | None  # latitude, longitude, cos(latitude)


def _prepare(zone: ZoneFacts) -> _Prepared:
    subfields, fields = split_sectors(zone.sectors)
    radians = None
    if zone.location is not None:
        latitude = math.radians(zone.location.latitude)
        radians = (latitude, math.radians(zone.location.longitude), math.cos(latitude))
    return _Prepared(zone, subfields, fields, radians)


def _distance(zone: tuple[float, float, float], point: tuple[float, float, float]) -> float:
    dlat = point[0] - zone[0]
    dlon = point[1] - zone[1]
    h = math.sin(dlat / 2) ** 2 + zone[2] * point[2] * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _sector_part(zone: _Prepared, subfields: frozenset[str], fields: frozenset[str]) -> tuple[float, Reason]:
    if not subfields and not fields:
        return WEIGHT_SECTOR / 2, Reason("sector_not_stated", "unknown")
    if not zone.fields:
        return 0.0, Reason("sector_zone_unknown", "unknown")
    fit = 0.75 * set_cosine(subfields, zone.subfields) + 0.25 * set_cosine(fields, zone.fields)
    shared = sorted(subfields & zone.subfields) or sorted(fields & zone.fields)
    if not shared:
        return 0.0, Reason("sector_none", "minus")
    return WEIGHT_SECTOR * fit, Reason("sector_match", "plus", (("sectors", tuple(shared)), ("fit", round(fit, 2))))


_SPACE_FIELD = {"office": "office_space_m2", "plot": "plots_available", "rack": "racks_available"}


def _space_part(zone: ZoneFacts, needs: RequestNeeds) -> tuple[float, Reason | None]:
    if needs.space_amount is None:
        return WEIGHT_SPACE / 2, None
    available = getattr(zone, _SPACE_FIELD[needs.space_kind])
    params: tuple[tuple[str, object], ...] = (("kind", needs.space_kind), ("asked", needs.space_amount))
    if available is None:
        return 0.0, Reason("space_unknown", "unknown", params)
    params += (("available", available),)
    if available < needs.space_amount:
        return 0.0, Reason("space_short", "disqualifies", params)
    return WEIGHT_SPACE, Reason("space_enough", "plus", params)


def _power_part(zone: ZoneFacts, needs: RequestNeeds) -> tuple[float, Reason | None]:
    if needs.power_kw is None:
        return WEIGHT_POWER / 2, None
    params: tuple[tuple[str, object], ...] = (("asked", needs.power_kw),)
    if zone.power_available_kw is None:
        return 0.0, Reason("power_unknown", "unknown", params)
    params += (("available", zone.power_available_kw),)
    if zone.power_available_kw < needs.power_kw:
        return 0.0, Reason("power_short", "disqualifies", params)
    return WEIGHT_POWER, Reason("power_enough", "plus", params)


def _must_have_state(zone: ZoneFacts, must_have: str, needs: RequestNeeds) -> bool | None:
    if must_have == "data_center":
        if zone.data_center_tier is None:
            return None
        return zone.data_center_tier >= (needs.data_center_tier or 1)
    value: bool | None = getattr(zone, f"has_{must_have}")
    return value


def _must_haves_part(zone: ZoneFacts, needs: RequestNeeds) -> tuple[float, list[Reason]]:
    wanted = sorted(needs.must_haves)
    if needs.data_center_tier is not None and "data_center" not in wanted:
        wanted = sorted([*wanted, "data_center"])
    if not wanted:
        return WEIGHT_MUST_HAVES / 2, []
    reasons: list[Reason] = []
    met = 0
    for must_have in wanted:
        params: tuple[tuple[str, object], ...] = (("must_have", must_have),)
        if must_have == "data_center":
            params += (("tier", needs.data_center_tier or 1), ("zone_tier", zone.data_center_tier))
        state = _must_have_state(zone, must_have, needs)
        if state is None:
            reasons.append(Reason("must_have_unknown", "unknown", params))
        elif state:
            met += 1
            reasons.append(Reason("must_have_met", "plus", params))
        else:
            reasons.append(Reason("must_have_missed", "disqualifies", params))
    return WEIGHT_MUST_HAVES * met / len(wanted), reasons


def _city_part(zone: ZoneFacts, needs: RequestNeeds) -> tuple[float, Reason | None]:
    if not needs.preferred_cities:
        return WEIGHT_CITY / 2, None
    if zone.city in needs.preferred_cities:
        return WEIGHT_CITY, Reason("city_preferred", "plus", (("city", zone.city),))
    return 0.0, Reason("city_not_preferred", "minus", (("city", zone.city),))


def _partners_part(zone: _Prepared, partners: Sequence[tuple[float, float, float]]) -> tuple[float, Reason]:
    if not partners:
        return 0.0, Reason("partners_none", "unknown")
    if zone.radians is None:
        return 0.0, Reason("location_unknown", "unknown")
    distances = [_distance(zone.radians, partner) for partner in partners]
    nearest = min(distances)
    close = sum(1 for distance in distances if distance <= PARTNER_CLOSE_KM)
    share = _linear(nearest, PARTNER_NEAR_KM, PARTNER_FAR_KM)
    params = (("nearest_km", round(nearest)), ("close", close), ("partners", len(partners)))
    return WEIGHT_PARTNERS * share, Reason(
        "partners_near" if share > 0 else "partners_far", "plus" if share else "minus", params
    )


def _airport_part(zone: ZoneFacts) -> tuple[float, Reason]:
    if zone.airport_km is None:
        return 0.0, Reason("airport_unknown", "unknown")
    share = _linear(zone.airport_km, AIRPORT_NEAR_KM, AIRPORT_FAR_KM)
    return WEIGHT_AIRPORT * share, Reason(
        "airport_distance", "plus" if share else "minus", (("km", round(zone.airport_km)),)
    )


def _advise_one(
    zone: _Prepared,
    needs: RequestNeeds,
    subfields: frozenset[str],
    fields: frozenset[str],
    partners: Sequence[tuple[float, float, float]],
) -> Advice:
    facts = zone.facts
    reasons: list[Reason] = []
    score = 0.0
    if facts.status == WITHDRAWN:
        reasons.append(Reason("zone_withdrawn", "disqualifies"))
    points, reason = _sector_part(zone, subfields, fields)
    score += points
    reasons.append(reason)
    for points, maybe in (_space_part(facts, needs), _power_part(facts, needs)):
        score += points
        if maybe is not None:
            reasons.append(maybe)
    share = REGIME_SHARE.get(facts.regime, 0.0)
    score += WEIGHT_INCENTIVES * share
    reasons.append(
        Reason(f"incentives_{facts.regime if facts.regime in REGIME_SHARE else 'none'}", "plus" if share else "minus")
    )
    points, must_have_reasons = _must_haves_part(facts, needs)
    score += points
    reasons += must_have_reasons
    points, maybe = _city_part(facts, needs)
    score += points
    if maybe is not None:
        reasons.append(maybe)
    for points, reason in (_partners_part(zone, partners), _airport_part(facts)):
        score += points
        reasons.append(reason)
    disqualified = any(reason.effect == "disqualifies" for reason in reasons)
    return Advice(facts.key, round(score, 2), disqualified, tuple(reasons))


def _rank_key(advice: Advice) -> tuple[bool, float, str]:
    return (advice.disqualified, -advice.score, advice.zone_key)


class Advisor:
    """Zones prepared once; `rank(needs)` ranks all of them for one request."""

    def __init__(self, zones: Iterable[ZoneFacts]):
        self._zones = [_prepare(zone) for zone in zones]

    def rank(self, needs: RequestNeeds) -> list[Advice]:
        needs_check(needs)
        subfields, fields = split_sectors(needs.sectors)
        partners = [
            (math.radians(p.latitude), math.radians(p.longitude), math.cos(math.radians(p.latitude)))
            for p in needs.partners
        ]
        advice = [_advise_one(zone, needs, subfields, fields, partners) for zone in self._zones]
        advice.sort(key=_rank_key)
        return advice


def rank_zones(zones: Iterable[ZoneFacts], needs: RequestNeeds) -> list[Advice]:
    """Every zone for one request, best first (disqualified ones last, ties by zone key)."""
    return Advisor(zones).rank(needs)
