"""Review of w-review10: directory search with pathological input."""

from __future__ import annotations

import time

import pytest

from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# 100 one-letter words, each the start of a word in most descriptions: within the 200-character limit.
MANY_WORDS = " ".join(chr(ord("a") + n % 11) for n in range(100))[:200]


def test_a_query_of_many_short_words_over_a_large_match_set_is_not_slow(client):
    """Above SMALL_MATCH_SET (1,000) matches, each tier walks the rank index and runs every unit's
    probe on every document it passes: a query of 100 units makes an anonymous API call cost
    100 correlated subqueries per organisation scanned, and the first two tiers (the whole query in a
    name, in a description) match nothing, so they scan the whole match set."""
    for number in range(1_100):
        OrganisationFactory(key=f"org-{number}", name_en=f"Alpha Beta {number}", description="a b c d e f g h i j k")
    client.get("/api/v1/organisations", {"q": "alpha"})
    started = time.perf_counter()
    one_word = client.get("/api/v1/organisations", {"q": "alpha"})
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    response = client.get("/api/v1/organisations", {"q": MANY_WORDS})
    elapsed = time.perf_counter() - started
    print(f"one word {baseline:.3f}s, {len(MANY_WORDS.split())} words {elapsed:.3f}s", response.json()["count"])
    assert one_word.status_code == response.status_code == 200
    assert elapsed < 0.5, f"{elapsed:.1f}s for one page of an anonymous search (one word: {baseline:.2f}s)"
