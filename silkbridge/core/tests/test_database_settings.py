"""Web workers keep their PostgreSQL connection between requests (and SQLite's stays per request)."""

import json
import os
import subprocess
import sys

import pytest


def _database_settings(**environment: str) -> dict:
    code = (
        "import json; from django.conf import settings; d = settings.DATABASES['default'];"
        "print(json.dumps({'age': d['CONN_MAX_AGE'], 'checks': d['CONN_HEALTH_CHECKS'], 'engine': d['ENGINE']}))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "DJANGO_SETTINGS"))}
    env.update(DJANGO_SETTINGS_MODULE="silkbridge.settings", **environment)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        (
            {"DATABASE_URL": "postgres://user:secret@db.example:5432/silkbridge"},
            {"age": 60, "checks": True, "engine": "django.db.backends.postgresql"},
        ),
        (
            {"DATABASE_URL": "postgres://user:secret@db.example:5432/silkbridge", "DATABASE_CONN_MAX_AGE": "0"},
            {"age": 0, "checks": True, "engine": "django.db.backends.postgresql"},
        ),
        (
            {"DATABASE_URL": "sqlite:////tmp/silkbridge-test.sqlite3"},
            {"age": 0, "checks": True, "engine": "django.db.backends.sqlite3"},
        ),
        ({}, {"age": 0, "checks": True, "engine": "django.db.backends.sqlite3"}),
    ],
)
def test_postgresql_connections_are_kept_for_a_minute_unless_configured(environment, expected):
    assert _database_settings(**environment) == expected
