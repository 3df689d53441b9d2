"""Test set-up shared by every app: reference and demo data are loaded once per test database."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from silkbridge.deals.services.mou import clause_library_load
from silkbridge.directory.loaders import DATA_DIR, concepts_load, organisations_load, sectors_load
from silkbridge.directory.search import rebuild_all
from silkbridge.zones.incentives_services import incentive_rates_load
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
    incentive_rates_load()  # in migration 0002 too; reloaded here after a test that emptied the database
    clause_library_load()  # in the migrations too; reloaded here after a test that emptied the database
    organisations_load(DATA_DIR / "reference_organisations.yaml", is_demo=False)
    organisations_load(DATA_DIR / "demo_organisations.yaml", is_demo=True)
    rebuild_all()  # the index's glossary rows are current, as `load_reference` leaves them


# Django's default hasher (PBKDF2, a million rounds: half a second to a second per password on this
# machine) was most of some xdist workers' time in a py-spy profile of the suite (docs/benchmarks.md,
# "CI duration"): every factory user and every sign-in hashed once. Tests use the MD5 hasher Django's
# documentation advises for tests; the platform that the browser tests and the smoke test start in
# child processes keeps the real one, and a test whose behaviour depends on the hasher's cost carries
# the `real_password_hasher` mark.
QUICK_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # a hash made before the override still verifies
]


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing() -> Iterator[None]:
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=QUICK_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _real_password_hasher_where_marked(request, settings):  # type: ignore[no-untyped-def]
    if request.node.get_closest_marker("real_password_hasher") is not None:
        from django.conf import global_settings

        settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _english_by_default(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: a value cached by an earlier test on the same worker (the
    countries a list offers, a budget's count) must not leak into the next one's data."""
    from django.core.cache import cache

    cache.clear()


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# What lets a test reach the database: pytest-django unblocks it only for the django_db mark and these
# fixtures (and those named django_db_*); `django_db_blocker` lets a fixture or test unblock it by hand.
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "_django_db_helper"})
# The environment a database-free test's child processes see: a Django child that reads it fails at once.
UNREACHABLE_DATABASE_URL = "postgres://no-database:for-a-test-without-the-django_db-mark@127.0.0.1:9/none"


def pytest_addoption(parser):  # type: ignore[no-untyped-def]
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that can reach the database (the PostgreSQL pass of .ci/run; the SQLite pass "
        "runs them all). The others run identically on any database: the guard below fails them otherwise.",
    )


def reaches_database(item: pytest.Item) -> bool:
    """Whether a test can reach the database: the same facts pytest-django unblocks database access on."""
    if any(item.get_closest_marker(name) for name in ("django_db", "postgres", "postgres_only")):
        return True
    fixtures = set(getattr(item, "fixturenames", ())) - {"django_db_blocker"}
    if any(name in DATABASE_FIXTURES or name.startswith("django_db_") for name in fixtures):
        return True
    if _unblocks_by_hand(item):
        return True
    from django.test import SimpleTestCase

    cls = getattr(item, "cls", None)
    return cls is not None and issubclass(cls, SimpleTestCase) and bool(cls.databases)


def _unblocks_by_hand(item: pytest.Item) -> bool:
    """Whether the test, or a fixture it uses that pytest-django does not own, takes `django_db_blocker`
    (pytest-django's own autouse fixtures take it for every test, so its mere presence says nothing)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    if "django_db_blocker" in info.argnames:
        return True
    return any(
        "django_db_blocker" in definition.argnames and not definition.func.__module__.startswith("pytest_django")
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


@pytest.fixture(autouse=True)
def _database_free_guard(request, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A test that cannot reach the database (see reaches_database) must not try, in any pass.

    pytest-django already refuses its connection; this also fails the test when it swallowed that refusal,
    and points its child processes at a database that does not exist. So a test `--database-tests-only`
    leaves out of the PostgreSQL pass behaves the same on every database, or fails in the SQLite pass.
    """
    if reaches_database(request.node):
        yield
        return
    from django.db.backends.base.base import BaseDatabaseWrapper

    attempts: list[str] = []

    def refuse(wrapper, *args, **kwargs):  # type: ignore[no-untyped-def]
        attempts.append(wrapper.alias)
        raise RuntimeError("Database access not allowed: the test has no django_db mark and no database fixture.")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE_DATABASE_URL)
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    yield
    if attempts:
        pytest.fail(
            f"{request.node.nodeid} reached for the database ({', '.join(sorted(set(attempts)))}) without the "
            "django_db mark or a database fixture; mark it, or the PostgreSQL pass would leave it out."
        )


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Leave out the tests that can only mean something on PostgreSQL when the suite runs on SQLite, and,
    with --database-tests-only, the tests that cannot reach the database.

    They are deselected, not skipped: `.ci/run` runs the whole suite on SQLite and again on PostgreSQL
    with --database-tests-only, so every test runs at least once and every database test on both.
    """
    from django.conf import settings

    kept = list(items)
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        kept = [item for item in kept if item.get_closest_marker("postgres_only") is None]
    if config.getoption("database_tests_only"):
        kept = [item for item in kept if reaches_database(item)]
    if len(kept) != len(items):
        kept_ids = {id(item) for item in kept}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept_ids])
        items[:] = kept
    items.sort(key=run_order)  # stable: the files' own order within each step


def run_order(item: pytest.Item) -> tuple[int, int]:
    """Where a test runs in the order xdist hands tests out: those that cannot reach the database first,
    then the database tests in transactions, then the transactional ones (which empty the database, so
    they come after every test that reads what the migrations wrote); within each, the `long` and
    `browser` tests first.

    pytest-django puts the database-free tests last, and xdist's load scheduling hands tests out in order,
    so the browser tests and other minute-long tests ended the run on one worker while the other idled
    (docs/benchmarks.md, "CI duration"). Started first, they run beside the short ones. The order within a
    worker still never puts a test in a transaction after a transactional one."""
    if not reaches_database(item):
        step = 0
    elif _transactional(item):
        step = 2
    else:
        step = 1
    long = item.get_closest_marker("long") is not None or item.get_closest_marker("browser") is not None
    return step, 0 if long else 1


def _transactional(item: pytest.Item) -> bool:
    """pytest-django's test: a transactional TestCase, `django_db(transaction=True)` (or reset_sequences),
    or the transactional_db or live_server fixture."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or (marker.args and marker.args[0])
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))
