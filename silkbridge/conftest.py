"""Test set-up shared by every app: reference and demo data are loaded once per test database."""

from __future__ import annotations

import os

import pytest

from silkbridge.deals.services.mou import clause_library_load
from silkbridge.directory.loaders import DATA_DIR, concepts_load, organisations_load, sectors_load
from silkbridge.directory.search import rebuild_all
from silkbridge.zones.services import zones_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    # The taxonomy, glossary, zones and demo organisations are what users see on first run; most
    # tests read them, so they are loaded once into the test database, outside test transactions.
    with django_db_blocker.unblock():
        reference_data_load()


def reference_data_load() -> None:
    """Load (or re-load: every load is an upsert) the taxonomy, glossary, zones and organisations."""
    sectors_load()
    concepts_load()
    zones_load()
    clause_library_load()  # in the migrations too; reloaded here after a test that emptied the database
    organisations_load(DATA_DIR / "reference_organisations.yaml", is_demo=False)
    organisations_load(DATA_DIR / "demo_organisations.yaml", is_demo=True)
    rebuild_all()  # the index's glossary rows are current, as `load_reference` leaves them


@pytest.fixture(autouse=True)
def _english_by_default(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Leave out the tests that can only mean something on PostgreSQL when the suite runs on SQLite.

    They are deselected, not skipped: `.ci/run` runs the whole suite again on PostgreSQL, where they run.
    """
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
