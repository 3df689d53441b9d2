"""`silkbridge bench relocation`: the advisor ranking synthetic zones for synthetic requests.

Synthetic data only (seeded): zones spread over Pakistan's bounding box with random facilities, some
facts left unknown as in the real data, and requests asking for random sectors, space, power and
must-haves, with up to 8 partners each. Prints latency per request (every zone ranked) and, as the
baseline, the same scoring done naively in the same run: each zone's sector sets and coordinates
rebuilt for every request (`rank_zones` without a prepared `Advisor`), and checks both agree.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from .advisor import MUST_HAVES, SPACE_KINDS, Advisor, Point, RequestNeeds, ZoneFacts, rank_zones

SECTORS = (
    "ai",
    "ai.agri",
    "ai.nlp",
    "iot",
    "iot.agri",
    "iot.energy",
    "bigdata",
    "cloud",
    "cloud.saas",
    "robotics",
    "fintech",
    "biotech",
    "blockchain",
)
CITIES = ("Islamabad", "Lahore", "Karachi", "Haripur", "Peshawar", "Quetta", "Faisalabad", "Rawalpindi")


def _maybe(rng: random.Random, value: Any, known: float = 0.7) -> Any:
    return value if rng.random() < known else None


def synthetic_zone(rng: random.Random, number: int) -> ZoneFacts:
    return ZoneFacts(
        key=f"zone-{number:04d}",
        regime=rng.choice(("stz", "stz", "sez", "none")),
        status=rng.choice(("operational", "notified", "planned", "withdrawn")),
        city=rng.choice(CITIES),
        sectors=frozenset(rng.sample(SECTORS, rng.randint(0, 4))),
        location=_maybe(rng, Point(rng.uniform(24.0, 36.5), rng.uniform(61.0, 75.5)), 0.9),
        power_available_kw=_maybe(rng, rng.uniform(100, 50_000)),
        office_space_m2=_maybe(rng, rng.uniform(500, 100_000)),
        plots_available=_maybe(rng, rng.randint(0, 40)),
        racks_available=_maybe(rng, rng.randint(0, 2000)),
        has_fibre=_maybe(rng, rng.random() < 0.8),
        has_housing=_maybe(rng, rng.random() < 0.5),
        has_bonded_warehouse=_maybe(rng, rng.random() < 0.4),
        data_center_tier=_maybe(rng, rng.randint(0, 4)),
        airport_km=_maybe(rng, rng.uniform(5, 300)),
    )


def synthetic_request(rng: random.Random) -> RequestNeeds:
    return RequestNeeds(
        sectors=frozenset(rng.sample(SECTORS, rng.randint(0, 3))),
        space_kind=rng.choice(SPACE_KINDS),
        space_amount=_maybe(rng, rng.uniform(1, 5000), 0.8),
        power_kw=_maybe(rng, rng.uniform(10, 20_000), 0.8),
        data_center_tier=_maybe(rng, rng.randint(1, 4), 0.3),
        must_haves=frozenset(rng.sample(MUST_HAVES, rng.randint(0, 3))),
        preferred_cities=frozenset(rng.sample(CITIES, rng.randint(0, 2))),
        partners=tuple(Point(rng.uniform(24.0, 36.5), rng.uniform(61.0, 75.5)) for _ in range(rng.randint(0, 8))),
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_relocation(
    *, zones: int = 100, requests: int = 10_000, baseline_requests: int = 1000, seed: int = 1
) -> dict[str, Any]:
    """Latency per request of ranking every zone, and the naive baseline's on the first requests."""
    rng = random.Random(seed)
    zone_facts = [synthetic_zone(rng, number) for number in range(zones)]
    needs = [synthetic_request(rng) for _ in range(requests)]
    started = time.perf_counter()
    advisor = Advisor(zone_facts)
    prepare_ms = (time.perf_counter() - started) * 1000
    timings: list[float] = []
    first: list[list[tuple[str, float]]] = []
    for number, request in enumerate(needs):
        started = time.perf_counter()
        ranked = advisor.rank(request)
        timings.append((time.perf_counter() - started) * 1000)
        if number < baseline_requests:
            first.append([(advice.zone_key, advice.score) for advice in ranked])
    naive: list[float] = []
    for number, request in enumerate(needs[:baseline_requests]):
        started = time.perf_counter()
        ranked = rank_zones(zone_facts, request)
        naive.append((time.perf_counter() - started) * 1000)
        if [(advice.zone_key, advice.score) for advice in ranked] != first[number]:
            raise AssertionError(f"request {number}: the naive ranking differs")
    mean = statistics.fmean(timings)
    naive_mean = statistics.fmean(naive)
    return {
        "benchmark": "relocation",
        "zones": zones,
        "requests": requests,
        "seed": seed,
        "prepare_ms": round(prepare_ms, 3),
        "ms_per_request": {
            "p50": round(_percentile(timings, 0.5), 3),
            "p95": round(_percentile(timings, 0.95), 3),
            "mean": round(mean, 3),
            "max": round(max(timings), 3),
        },
        "total_s": round(sum(timings) / 1000, 2),
        "target_ms_per_request": 20,
        "meets_target": _percentile(timings, 0.95) <= 20,
        "baseline": {
            "what": "naive: zones re-prepared (sector sets, coordinates) for every request; same rankings checked",
            "requests": len(naive),
            "mean_ms_per_request": round(naive_mean, 3),
            "ratio_naive_to_advisor": round(naive_mean / mean, 2) if mean else None,
        },
    }
