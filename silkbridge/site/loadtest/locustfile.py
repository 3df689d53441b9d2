"""What the simulated users of `silkbridge bench load` do (run by locust in its own process).

Half of them are visitors, half signed-in members (with a session the runner prepared: see
`data.py`). Both read the home page, search the directory in English, Chinese and Urdu, browse the
marketplace and page through the API; members also open their matches. Each waits 1 to 3 seconds
between pages, as a person reading would (LOADTEST_WAIT_MIN / LOADTEST_WAIT_MAX change that). A
static file is the baseline: what the server costs when the application does nothing.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, events, task

SESSIONS: list[str] = json.loads(os.environ.get("LOADTEST_SESSIONS", "[]"))
_next_session = itertools.count()
WAIT = between(float(os.environ.get("LOADTEST_WAIT_MIN", "1")), float(os.environ.get("LOADTEST_WAIT_MAX", "3")))

BASELINE = "baseline static file"

# Every application request (not the baseline) after all users are running, for exact overall
# percentiles: locust's own aggregate mixes the static file in.
_application_times: list[float] = []
_application_errors = 0


@events.spawning_complete.add_listener
def _reset(user_count: int, **_: Any) -> None:
    global _application_errors
    _application_times.clear()
    _application_errors = 0


@events.request.add_listener
def _record(name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
    global _application_errors
    if name != BASELINE:
        _application_times.append(response_time)
        _application_errors += exception is not None


@events.quitting.add_listener
def _write(**_: Any) -> None:
    path = os.environ.get("LOADTEST_APPLICATION_STATS")
    if not path:
        return
    ordered = sorted(_application_times)

    def percentile(fraction: float) -> float | None:
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1) if ordered else None

    figures = {
        "requests": len(ordered),
        "errors": _application_errors,
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "max_ms": round(ordered[-1], 1) if ordered else None,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(figures, handle)


# Searches people type: a focus field, a concept in each language, a multi-word phrase, a name.
SEARCHES = (
    "artificial intelligence",
    "人工智能",
    "مصنوعی ذہانت",
    "crop disease detection",
    "作物病害识别",
    "robotics",
    "blockchain",
    "区块链",
    "cloud computing",
    "Load Test Organisation 7",
)


class Visitor(HttpUser):
    """Someone who is not signed in."""

    wait_time = WAIT
    weight = 1

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def directory_search(self) -> None:
        self.client.get("/directory/", params={"q": random.choice(SEARCHES)}, name="directory search")

    @task(1)
    def directory(self) -> None:
        self.client.get("/directory/", params={"page": random.randint(1, 50)}, name="directory list")

    @task(2)
    def marketplace(self) -> None:
        self.client.get("/marketplace/", name="marketplace")

    @task(2)
    def api_list(self) -> None:
        self.client.get("/api/v1/organisations", params={"page": random.randint(1, 50)}, name="api organisations")

    @task(1)
    def baseline(self) -> None:
        self.client.get("/static/silkbridge/site.css", name=BASELINE)


class Member(Visitor):
    """A signed-in member of an organisation with live profiles and stored matches."""

    weight = 1

    def on_start(self) -> None:
        if not SESSIONS:
            raise RuntimeError("LOADTEST_SESSIONS is empty: run through `silkbridge bench load`")
        self.client.cookies.set("sessionid", SESSIONS[next(_next_session) % len(SESSIONS)])

    @task(3)
    def matches(self) -> None:
        # Not following redirects: a lost session would otherwise count as a fast sign-in page.
        with self.client.get(
            "/matches/", name="matches dashboard (signed in)", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}, not the dashboard")
