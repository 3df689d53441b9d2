import pytest

from silkbridge.matching import services as matching


@pytest.fixture(autouse=True)
def _fresh_match_index():
    """Each test starts with an empty per-process index (it resyncs from the database on use)."""
    matching.reset_index()
    yield
    matching.reset_index()
