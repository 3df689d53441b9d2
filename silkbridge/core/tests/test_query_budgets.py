"""Query budgets of the pages the load test drives (docs/benchmarks.md): each page runs a fixed
number of queries, whether it lists 2 rows or 20. A lazy relation read in a template or schema (an
N+1) makes the second count larger than the first; a new query on a page makes it exceed its budget.
Raise a budget only with a reason in the commit message.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from silkbridge.accounts.models import User
from silkbridge.matching.models import Match
from silkbridge.site.loadtest.data import ORGANISATION_KEY, USER_EMAIL, load_data_ensure

pytestmark = pytest.mark.django_db

SEARCH = "Load Test Organisation"
# page (as the load test names it): (path, signed in, most queries)
BUDGETS = {
    "home": ("/", False, 7),
    # +1 on signed-in pages: the header's count of unread notifications.
    "home (signed in)": ("/", True, 11),
    "directory search": (f"/directory/?q={SEARCH}", False, 6),
    "directory search (signed in)": (f"/directory/?q={SEARCH}", True, 9),
    "marketplace": ("/marketplace/", False, 4),
    "marketplace (signed in)": ("/marketplace/", True, 8),  # +1: the unread-notification badge
    "api organisations": (f"/api/v1/organisations?q={SEARCH}", False, 5),
    # +2: whether the glossary changed (its reasons' labels come from the database, the one source);
    # +1: the filter form's sector choices (members filter their matches with the staff's FilterSet).
    # +1: the header's unread-notification badge.
    "matches dashboard (signed in)": ("/matches/", True, 11),
}


def _rows(response) -> int:
    """A measure of how much the page lists (card and match markup, or API items)."""
    if response["Content-Type"].startswith("application/json"):
        return len(response.json()["items"])
    content = response.content.decode()
    return content.count('class="card') + content.count('<tr class="match')


def _queries(client: Client, path: str) -> tuple[int, int]:
    client.get(path)  # caches that fill once per process (the search lexicon) are not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), _rows(response)


def _clients() -> dict[bool, Client]:
    member = Client()
    member.force_login(User.objects.get(email=USER_EMAIL.format(number=0)))
    return {False: Client(), True: member}


def test_page_queries_do_not_grow_with_the_rows_they_list():
    # Few rows: 5 organisations, 3 live profiles, 1 match for each of the member's 2 profiles.
    load_data_ensure(organisations=5, members=1, matches_per_profile=1)
    clients = _clients()
    small = {page: _queries(clients[signed_in], path) for page, (path, signed_in, _) in BUDGETS.items()}
    # Many rows: 60 organisations, 17 live profiles, 10 matches for each of the member's profiles.
    Match.objects.filter(opportunity__organisation__key=ORGANISATION_KEY.format(number=0)).delete()
    load_data_ensure(organisations=60, members=1, matches_per_profile=10)
    large = {page: _queries(clients[signed_in], path) for page, (path, signed_in, _) in BUDGETS.items()}

    for page, (_path, _signed_in, budget) in BUDGETS.items():
        (small_queries, small_rows), (large_queries, large_rows) = small[page], large[page]
        if not page.startswith("home"):  # the home page shows a fixed number of organisations
            assert small_rows < large_rows, f"{page}: the second page should list more rows"
        assert large_queries == small_queries, (
            f"{page}: {small_queries} queries listing {small_rows} rows, {large_queries} listing {large_rows}"
        )
        assert large_queries <= budget, f"{page}: {large_queries} queries, budget {budget}"
