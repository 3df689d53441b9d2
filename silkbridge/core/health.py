"""The health check a load balancer or the production smoke test probes: `GET /healthz`.

It answers 200 with what it checked when the database and the cache both answer, and 503 naming the
part that failed otherwise (never a trace). It reads no user data and needs no session.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "not healthy"; the probe must answer, not raise
        return False


def _cache_answers() -> bool:
    token = secrets.token_hex(8)
    try:
        key = f"silkbridge:healthz:{token}"  # overlapping probes (several hosts) never read each other's
        cache.set(key, token, timeout=30)
        answered = cache.get(key) == token
        cache.delete(key)
        return answered
    except Exception:  # the database cache's table missing (createcachetable not run), Redis down...
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "failing",
        **{name: "ok" if ok else "failing" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
