"""`GET /healthz`: what a load balancer and the production smoke test probe."""

import secrets

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_and_the_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_health_names_the_cache_when_its_table_was_never_made(client, settings):
    table = f"silkbridge_cache_{secrets.token_hex(4)}"  # a table no earlier run can have left behind
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}}
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "failing", "database": "ok", "cache": "failing"}

        call_command("createcachetable", verbosity=0)  # what a deploy runs
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


@pytest.mark.django_db
def test_health_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
