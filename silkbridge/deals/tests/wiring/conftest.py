from __future__ import annotations

import pytest

from silkbridge.deals import seal


@pytest.fixture(autouse=True)
def _own_var_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test has its own embedded seal key and media folder (as in tests/routing)."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEAL_KEY_FILE = ""
    settings.SEAL_CERT_FILE = ""
    seal._embedded_read.cache_clear()
    seal._configured_key.cache_clear()
