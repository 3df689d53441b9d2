"""Production mode serves HTTPS only (issue 9, item 13d): HSTS, a redirect from HTTP, a referrer policy.

Settings are read once per process, so each case imports them in a fresh interpreter with the
environment a production deployment has, and sends requests there through Django's test client
(the OpenAPI document needs no database).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
plain = client.get("/api/v1/openapi.json", HTTP_HOST="silkbridge.example.org")
secure = client.get("/api/v1/openapi.json", HTTP_HOST="silkbridge.example.org", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in (
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SECURE_REFERRER_POLICY", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_REDIRECT_EXEMPT")},
    "plain": [plain.status_code, plain.headers.get("Location")],
    "secure": [secure.status_code, secure.headers.get("Strict-Transport-Security"),
               secure.headers.get("Referrer-Policy"),
               "default-src 'self'" in secure.headers.get("Content-Security-Policy", "")],
}))
"""


def _probe(tmp_path, **environment: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SILKBRIDGE_", "DJANGO_", "DATABASE_URL", "SECURE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "silkbridge.settings",
            "SILKBRIDGE_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/unused.sqlite3",
            **environment,
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


PRODUCTION = {
    "SILKBRIDGE_MODE": "production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-the-test-0123456789",
    "DJANGO_ALLOWED_HOSTS": "silkbridge.example.org",
    "SILKBRIDGE_SITE_URL": "https://silkbridge.example.org",
}


def test_production_redirects_http_and_sends_hsts_and_a_referrer_policy(tmp_path):
    result = _probe(tmp_path, **PRODUCTION)
    assert result["settings"] == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_REDIRECT_EXEMPT": [],
    }
    assert result["plain"] == [301, "https://silkbridge.example.org/api/v1/openapi.json"]
    assert result["secure"] == [
        200,
        "max-age=31536000; includeSubDomains",
        "same-origin",
        True,
    ]


def test_subdomains_preload_and_a_health_check_exemption_are_configurable(tmp_path):
    result = _probe(
        tmp_path,
        **PRODUCTION,
        SILKBRIDGE_HSTS_SECONDS="600",
        SILKBRIDGE_HSTS_INCLUDE_SUBDOMAINS="false",
        SILKBRIDGE_HSTS_PRELOAD="true",
        SILKBRIDGE_SSL_REDIRECT_EXEMPT=r"^api/v1/openapi\.json$",
    )
    assert result["plain"] == [200, None]  # exempt: a load balancer may probe it over HTTP
    assert result["secure"][1] == "max-age=600; preload"


def test_embedded_mode_neither_redirects_nor_sends_hsts(tmp_path):
    result = _probe(tmp_path, DJANGO_ALLOWED_HOSTS="silkbridge.example.org")
    assert result["plain"] == [200, None]
    assert result["secure"][:3] == [200, None, "same-origin"]
    assert result["settings"]["SECURE_HSTS_SECONDS"] == 0
