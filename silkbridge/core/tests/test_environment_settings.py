"""Settings come from the environment through django-environ (issue 10, section 3 and 4).

Settings are read once per process, so each case imports them in a fresh interpreter with exactly the
environment given (nothing inherited from the test run but PATH and the Python path), the way a
deployment starts the platform.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from silkbridge.core.environment import StrictEnv, tile_server_origin

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, django
django.setup()
from django.conf import settings
names = [name for name in dir(settings) if name.isupper() and name not in {"SETTINGS_MODULE", "ENV_FILE"}]
print(json.dumps({name: repr(getattr(settings, name)) for name in names}))
"""


def _start(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
        "SILKBRIDGE_VAR_DIR": str(tmp_path),
        # An empty .env of the test's own, so that a developer's .env in the checkout never leaks in.
        "SILKBRIDGE_ENV_FILE": str(tmp_path / "absent.env"),
        **environment,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def _settings(tmp_path: Path, **environment: str) -> dict[str, str]:
    done = _start(tmp_path, **environment)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _refusal(tmp_path: Path, **environment: str) -> str:
    """The last line of a start-up that stops: the error a person reads."""
    done = _start(tmp_path, **environment)
    assert done.returncode != 0, "start-up should have been refused"
    assert done.stdout == ""
    return done.stderr.strip().splitlines()[-1]


def test_without_environment_the_embedded_defaults_hold(tmp_path):
    settings = _settings(tmp_path)
    assert settings["DEBUG"] == "False"
    assert settings["ALLOWED_HOSTS"] == "['127.0.0.1', 'localhost', '[::1]', 'testserver']"
    assert settings["CSRF_TRUSTED_ORIGINS"] == "[]"
    assert "'ENGINE': 'django.db.backends.sqlite3'" in settings["DATABASES"]
    assert f"'NAME': '{tmp_path}/silkbridge.sqlite3'" in settings["DATABASES"]
    assert (
        settings["CACHES"]
        == "{'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'LOCATION': ''}}"
    )
    assert settings["EMAIL_BACKEND"] == "'django.core.mail.backends.console.EmailBackend'"
    assert settings["STORAGES"] == (
        "{'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}, "
        "'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}"
    )
    assert settings["MEDIA_ROOT"] == f"PosixPath('{tmp_path}/media')"
    assert settings["TASKS"] == "{'default': {'BACKEND': 'django_tasks.backends.immediate.ImmediateBackend'}}"
    # The embedded key is made on first start and kept under the var folder.
    assert settings["SECRET_KEY"] == repr((tmp_path / "secret_key").read_text().strip())


def test_the_example_file_holds_exactly_the_defaults(tmp_path):
    """Copying .env.example to .env changes nothing: every value in it is the embedded default."""
    assert _settings(tmp_path, SILKBRIDGE_ENV_FILE=str(ROOT / ".env.example")) == _settings(tmp_path)


def test_the_example_file_lists_every_variable_the_settings_read():
    source = (ROOT / "silkbridge" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env\.[a-z_]+\(\s*"([A-Z0-9_]+)"', source))
    listed = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.MULTILINE))
    assert len(read) > 40
    assert read - listed == set()


def test_a_dotenv_file_is_read_and_the_process_environment_wins(tmp_path):
    env_file = tmp_path / "silkbridge.env"
    env_file.write_text(
        "SILKBRIDGE_MODE=production\n"
        "DJANGO_SECRET_KEY=$a-key-that-starts-with-a-dollar-and-is-long-enough-0123456789\n"
        "DJANGO_ALLOWED_HOSTS=silkbridge.example.org, www.silkbridge.example.org\n"
        "SILKBRIDGE_SITE_URL=https://silkbridge.example.org/\n"
        "SILKBRIDGE_LOGIN_FREE_FAILURES=7\n"
        "EMAIL_URL=smtp+tls://mailer:p%40ss@smtp.example.org:587\n",
        encoding="utf-8",
    )
    settings = _settings(tmp_path, SILKBRIDGE_ENV_FILE=str(env_file), SILKBRIDGE_LOGIN_FREE_FAILURES="9")
    assert settings["IS_PRODUCTION"] == "True"
    # Taken as written: no "$NAME" indirection that would turn a password into a variable's name.
    assert settings["SECRET_KEY"] == "'$a-key-that-starts-with-a-dollar-and-is-long-enough-0123456789'"
    assert settings["ALLOWED_HOSTS"] == "['silkbridge.example.org', 'www.silkbridge.example.org']"
    assert settings["LOGIN_FREE_FAILURES"] == "9"
    assert settings["SITE_URL"] == "'https://silkbridge.example.org'"
    assert settings["EMAIL_BACKEND"] == "'django.core.mail.backends.smtp.EmailBackend'"
    assert [settings[name] for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD")] == [
        "'smtp.example.org'",
        "587",
        "'mailer'",
        "'p@ss'",
    ]
    assert settings["EMAIL_USE_TLS"] == "True"
    # Production shares one cache between processes and hosts: the database's.
    assert settings["CACHES"] == (
        "{'default': {'BACKEND': 'django.core.cache.backends.db.DatabaseCache', 'LOCATION': 'silkbridge_cache'}}"
    )


def test_the_site_address_is_kept_in_lower_case_scheme_and_host(tmp_path):
    settings = _settings(tmp_path, SILKBRIDGE_SITE_URL="HTTPS://Silkbridge.Example.ORG/platform/")
    assert settings["SITE_URL"] == "'https://silkbridge.example.org/platform'"


def test_the_cache_and_the_database_come_from_urls(tmp_path):
    settings = _settings(
        tmp_path,
        CACHE_URL="redis://cache.internal:6379/1",
        DATABASE_URL="postgres://silkbridge:secret@db.internal:5432/silkbridge",
    )
    assert settings["CACHES"] == (
        "{'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', "
        "'LOCATION': 'redis://cache.internal:6379/1'}}"
    )
    assert "'ENGINE': 'django.db.backends.postgresql'" in settings["DATABASES"]
    assert "'HOST': 'db.internal'" in settings["DATABASES"]
    assert "'CONN_MAX_AGE': 60" in settings["DATABASES"]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DJANGO_DEBUG": "flase"},
            "DJANGO_DEBUG='flase' is not valid: expected one of 1, true, yes, on, 0, false, no, off.",
        ),
        (
            {"SILKBRIDGE_LOGIN_DELAY_BASE": "1.5s"},
            "SILKBRIDGE_LOGIN_DELAY_BASE='1.5s' is not valid: expected a number.",
        ),
        (
            {"SILKBRIDGE_IMPORT_MAX_BYTES": "5MB"},
            "SILKBRIDGE_IMPORT_MAX_BYTES='5MB' is not valid: expected a whole number.",
        ),
        (
            {"SILKBRIDGE_LOGIN_FREE_FAILURES": "-1"},
            "SILKBRIDGE_LOGIN_FREE_FAILURES=-1 is not valid: expected a whole number of at least 0.",
        ),
        (
            {"SILKBRIDGE_MODE": "prod"},
            "SILKBRIDGE_MODE='prod' is not valid: expected one of embedded, production.",
        ),
        (
            {"SILKBRIDGE_STORAGE": "ftp"},
            "SILKBRIDGE_STORAGE='ftp' is not valid: expected one of filesystem, s3.",
        ),
        (
            {"CACHE_URL": "mongo://cache.internal"},
            "CACHE_URL='mongo://cache.internal' is not valid: expected a cache URL such as "
            "dbcache://silkbridge_cache, locmemcache:// or redis://host:6379/0.",
        ),
        (
            # The password never reaches the log that records a refused start.
            {"EMAIL_URL": "smpt://mailer:hunter2@smtp.example.org:587"},
            "EMAIL_URL='smpt://mailer:***@smtp.example.org:587' is not valid: expected an e-mail URL such as "
            "smtp+tls://user:password@host:587 or consolemail://.",
        ),
        (
            {"DATABASE_URL": "postgres://silkbridge:secret@db.internal:port/silkbridge"},
            "DATABASE_URL='postgres://silkbridge:***@db.internal:port/silkbridge' is not valid: expected a "
            "database URL such as postgres://user:password@host:5432/name.",
        ),
        (
            {"EMAIL_HOST": "smtp.example.org"},
            "EMAIL_HOST is no longer read: set EMAIL_URL instead, e.g. smtp+tls://user:password@smtp.example.org:587.",
        ),
        (
            {"SILKBRIDGE_MODE": "production", "DJANGO_ALLOWED_HOSTS": "silkbridge.example.org"},
            "DJANGO_SECRET_KEY must be set in production mode.",
        ),
        (
            {
                "SILKBRIDGE_MODE": "production",
                "DJANGO_ALLOWED_HOSTS": "silkbridge.example.org",
                "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-the-test-0123456789",
            },
            "SILKBRIDGE_SITE_URL must be set in production mode: the address users reach the site at, "
            "e.g. https://silkbridge.example.org (links in e-mails and .ics files start with it).",
        ),
        (
            {"SILKBRIDGE_SITE_URL": "silkbridge.example.org"},
            "SILKBRIDGE_SITE_URL='silkbridge.example.org' is not valid: expected an address such as "
            "https://silkbridge.example.org.",
        ),
        (
            {"SILKBRIDGE_SITE_URL": "http://:"},
            "SILKBRIDGE_SITE_URL='http://:' is not valid: expected an address such as https://silkbridge.example.org.",
        ),
        (
            {"SILKBRIDGE_SITE_URL": "https://example.org?x=1"},
            "SILKBRIDGE_SITE_URL='https://example.org?x=1' is not valid: expected an address such as "
            "https://silkbridge.example.org.",
        ),
        (
            {"SILKBRIDGE_SITE_URL": "https://user:pw@example.org"},
            "SILKBRIDGE_SITE_URL='https://user:pw@example.org' is not valid: expected an address such as "
            "https://silkbridge.example.org.",
        ),
        (
            {"SILKBRIDGE_MAP_TILES_URL": "http://tile.openstreetmap.org/{z}/{x}/{y}.png"},
            "SILKBRIDGE_MAP_TILES_URL='http://tile.openstreetmap.org/{z}/{x}/{y}.png' is not valid: expected an "
            "https tile address such as https://tile.openstreetmap.org/{z}/{x}/{y}.png.",
        ),
        (
            {"SILKBRIDGE_MAP_TILES_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png"},
            "SILKBRIDGE_MAP_TILES_ATTRIBUTION must be set with SILKBRIDGE_MAP_TILES_URL: tile providers require "
            'their credit on the map, e.g. "© OpenStreetMap contributors" for tile.openstreetmap.org.',
        ),
        (
            {"SILKBRIDGE_STORAGE": "s3", "SILKBRIDGE_S3_BUCKET": "silkbridge"},
            "SILKBRIDGE_STORAGE=s3 needs django-storages and boto3: pip install 'silkbridge[s3]'.",
        ),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, environment, message):
    assert _refusal(tmp_path, **environment) == f"django.core.exceptions.ImproperlyConfigured: {message}"


def test_an_empty_value_means_the_default():
    env = StrictEnv()
    env.ENVIRON = {"A": "", "B": " ", "C": ","}  # type: ignore[misc]
    assert env.int("A", default=5) == 5
    assert env.bool("B", default=True) is True
    assert env.list("C", default=["x"]) == ["x"]


@pytest.mark.parametrize(
    "url",
    [
        "http://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "javascript:alert(1)//{z}/{x}/{y}",
        "https:///{z}/{x}/{y}.png",
        "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://user@tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org;script-src *//{z}/{x}/{y}.png",
        "https://tiles.example.org/{z}/{x}.png",
        "https://tiles.example.org:99999/{z}/{x}/{y}.png",
        "tile.openstreetmap.org/{z}/{x}/{y}.png",
    ],
)
def test_a_tile_address_that_is_not_plain_https_is_refused_naming_the_variable(url):
    with pytest.raises(ImproperlyConfigured) as refused:
        tile_server_origin("SILKBRIDGE_MAP_TILES_URL", url)
    assert str(refused.value) == f"SILKBRIDGE_MAP_TILES_URL={url!r} " + (
        "is not valid: expected an https tile address such as https://tile.openstreetmap.org/{z}/{x}/{y}.png."
    )


def test_the_tile_origin_is_the_scheme_host_and_port_only():
    assert tile_server_origin("V", "https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert tile_server_origin("V", "https://Tiles.Example.org:8443/a/{z}/{x}/{y}{r}.png?key=1") == (
        "https://tiles.example.org:8443"
    )


def test_the_csp_allows_images_from_the_tile_server_only_when_one_is_configured(tmp_path):
    default = _settings(tmp_path)
    assert "'img-src': [\"'self'\", 'data:']" in default["CONTENT_SECURITY_POLICY"]
    assert default["MAP_TILES_URL"] == "''"
    configured = _settings(
        tmp_path,
        SILKBRIDGE_MAP_TILES_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        SILKBRIDGE_MAP_TILES_ATTRIBUTION="© OpenStreetMap contributors",
    )
    assert "'img-src': [\"'self'\", 'data:', 'https://tile.openstreetmap.org']" in configured["CONTENT_SECURITY_POLICY"]
    # nothing else widens: scripts, styles and connections stay our own
    assert "'script-src': [\"'self'\", csp.constants.NONCE]" in configured["CONTENT_SECURITY_POLICY"]
    assert "'connect-src': [\"'self'\"]" in configured["CONTENT_SECURITY_POLICY"]
