"""SCO Tracker settings, read from the environment.

SQLite in the project folder is the default database; DATABASE_URL switches to PostgreSQL
(postgres://user@host:5432/name). DEBUG is off unless DEBUG=1.
"""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
PRODUCTION = env_bool("PRODUCTION")
# SECRET_KEY is mandatory; only a DEBUG=1 run on one's own machine gets a fixed, public key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("PRODUCTION=1 needs SECRET_KEY in the environment.")
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: give it in the environment, or DEBUG=1 for a local run "
            "with a public key."
        )
    SECRET_KEY = "insecure-debug-only-key-set-SECRET_KEY"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
if PRODUCTION and not env_list("ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "PRODUCTION=1 needs ALLOWED_HOSTS in the environment (comma-separated host names)."
    )

INSTALLED_APPS = [
    "editorial.apps.AdminWithTwoFactorConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "meetings",
    "initiatives",
    "public",
    "editorial",
    "reader",
    "datasets",
    "api",
    "insights",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "sco_tracker.ops.RequestLogMiddleware",
    "sco_tracker.addresses.RefuseNulMiddleware",
    "sco_tracker.limits.RateLimitMiddleware",
    "sco_tracker.routers.PrimaryForEditorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache: the language (from the address's prefix) is part of a cached
    # page's key (public.cache.page_key).
    "sco_tracker.languages.SiteLocaleMiddleware",
    "public.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "public.cache.PrivateResponseMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sco_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public.context_processors.menu",
                "sco_tracker.languages.language_links",
                "editorial.context_processors.task_queue",
            ],
        },
    },
]

WSGI_APPLICATION = "sco_tracker.wsgi.application"


# A request waits at most this long for a database connection (the pool's timeout; the connection
# timeout without the pool) before it is answered with a 503 and Retry-After (see
# sco_tracker/errors.py).
DB_CONNECT_TIMEOUT_SECONDS = int(os.environ.get("DB_CONNECT_TIMEOUT_SECONDS", "2"))


def database(url):
    db = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    if db["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with a pool that drops every dead connection at once after a
        # restart of PostgreSQL (sco_tracker/postgresql/base.py).
        db["ENGINE"] = "sco_tracker.postgresql"
        db.setdefault("OPTIONS", {}).setdefault("connect_timeout", DB_CONNECT_TIMEOUT_SECONDS)
    if db["ENGINE"] == "sco_tracker.postgresql" and env_bool("DB_POOL", True):
        # psycopg's connection pool (DB_POOL=0 turns it off); it requires CONN_MAX_AGE = 0. With
        # CONN_HEALTH_CHECKS Django has the pool check each connection as it leaves the pool
        # (ConnectionPool.check_connection), so none left dead by a restart of PostgreSQL reaches
        # a request, and the first dead one has every idle connection checked at once
        # (sco_tracker/postgresql/base.py); without the pool, Django checks a kept connection
        # before each request.
        # While PostgreSQL is down the pool stops reconnecting in the background after
        # reconnect_timeout, and the next request that needs a connection tries again at once:
        # otherwise its back-off (doubling from 1 s) could keep the site answering 503s for
        # half as long again as the outage. Each process keeps DB_POOL_SIZE connections open:
        # one for each of gunicorn's threads (deploy/gunicorn.conf.py) and /healthz's own check.
        # A pool of a fixed size, as a growing one would wait for its next try after an outage.
        db["CONN_MAX_AGE"] = 0
        size = int(os.environ.get("DB_POOL_SIZE", "10"))
        db["OPTIONS"]["pool"] = {
            "timeout": DB_CONNECT_TIMEOUT_SECONDS,
            "reconnect_timeout": DB_CONNECT_TIMEOUT_SECONDS,
            "min_size": size,
            "max_size": size,
        }
    if db["ENGINE"] == "sco_tracker.postgresql":
        # No statement runs longer than DB_STATEMENT_TIMEOUT_MS (0 is no limit; 5000 by default
        # with PRODUCTION=1), so that one runaway query cannot hold a worker and its connection.
        # Unset elsewhere, the database role's own statement_timeout applies (none by default:
        # tests and bulk loads run long statements). Merged into any other OPTIONS.
        # No statement waits longer than DB_LOCK_TIMEOUT_MS for a lock (0 is no limit; 2000 by
        # default with PRODUCTION=1): a table or row held by a long transaction (a restore, a
        # migration, an import, an operator in psql) costs a request a 503 within that time, as
        # an outage does, instead of a worker held until the statement timeout.
        limits = {
            "statement_timeout": os.environ.get(
                "DB_STATEMENT_TIMEOUT_MS", "5000" if PRODUCTION else ""
            ),
            "lock_timeout": os.environ.get("DB_LOCK_TIMEOUT_MS", "2000" if PRODUCTION else ""),
        }
        for name, value in limits.items():
            if value:
                options = db.setdefault("OPTIONS", {})
                limit = f"-c {name}={int(value)}"
                options["options"] = f"{options.get('options', '')} {limit}".strip()
    return db


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# DATABASE_REPLICA_URL adds a read replica of the primary: sco_tracker/routers.py sends reads
# there, except those of editors, the admin and transactions. Tests read it as the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **database(os.environ["DATABASE_REPLICA_URL"]),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["sco_tracker.routers.ReplicaRouter"]

# Local memory by default; REDIS_URL (redis://127.0.0.1:6379/0) shares the cache between processes.
# Redis is an optimisation, not a dependency: an error or an answer slower than REDIS_TIMEOUT_MS is
# a miss (sco_tracker/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT_MS = int(os.environ.get("REDIS_TIMEOUT_MS", "250"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "sco_tracker.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_MS / 1000,
                "socket_timeout": REDIS_TIMEOUT_MS / 1000,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
# The clients' request counts (sco_tracker/limits.py): the same Redis, or a local memory of their
# own, so that counts of many addresses never push cached pages out.
CACHES["limits"] = {**CACHES["default"], "KEY_PREFIX": "limits"}
if not REDIS_URL:
    CACHES["limits"] = {**CACHES["limits"], "LOCATION": "limits", "OPTIONS": {"MAX_ENTRIES": 20000}}
# APP_SERVERS: how many app servers serve the site. Two or more need the shared cache: in local
# memory each server would render and keep its own cached pages and its own API rate counts.
APP_SERVERS = int(os.environ.get("APP_SERVERS", "1"))
if PRODUCTION and APP_SERVERS > 1 and not REDIS_URL:
    raise ImproperlyConfigured(f"APP_SERVERS={APP_SERVERS} needs REDIS_URL (a shared cache).")
# Anonymous readers get pages from the cache for at most this long (meetings/cache.py); 0 is off.
# Derived data (search vectors, the whole list's facet counts) is refreshed by tasks queued after
# each committed change (public/tasks.py). The default queue is a table in the site's own database,
# worked by `manage.py db_worker` (make run starts one beside the server); TASKS_BACKEND=immediate
# runs each task at once in the request that queued it, with no worker.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND]
    }
}
# /healthz reports the queue as stuck when a task has waited longer than this for a worker.
TASKS_STUCK_SECONDS = int(os.environ.get("TASKS_STUCK_SECONDS", "120"))

PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# After that, for up to this much longer, while one request renders a page again the other
# readers of its address get the older copy (still the current content: any change retires it).
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "600"))
# A facet query that runs longer than this (PostgreSQL) is left out of the page with a note.
FACET_TIME_LIMIT_MS = int(os.environ.get("FACET_TIME_LIMIT_MS", "500"))
# A download (CSV, JSON) of more rows than this, or a calendar of more events, is refused up front
# with a message: each is what one request streams well within the workers' timeout.
EXPORT_ROW_LIMIT = int(os.environ.get("EXPORT_ROW_LIMIT", "200000"))
CALENDAR_EVENT_LIMIT = int(os.environ.get("CALENDAR_EVENT_LIMIT", "10000"))
# Requests per client address (sco_tracker/limits.py; "count/period", period s, m, h or e.g. 10s;
# empty for no limit): downloads of whole lists (exports, calendars, feeds) and every other page.
# Past it, a 429 with Retry-After. With Redis down the counts are lost and requests let through.
DOWNLOAD_RATE = os.environ.get("DOWNLOAD_RATE", "10/m")
PAGE_RATE = os.environ.get("PAGE_RATE", "120/m")
# At most this many downloads of whole lists stream at once over all clients (0: no limit).
DOWNLOADS_AT_ONCE = int(os.environ.get("DOWNLOADS_AT_ONCE", "1"))
RATELIMIT_USE_CACHE = "limits"
RATELIMIT_FAIL_OPEN = True
# BENCH_PING=1 serves /bench/ping/, a constant page that `make bench` measures as the floor.
BENCH_PING = env_bool("BENCH_PING")

# What the About page states: the licence of the data, and where a reader reports an error (a
# mailto: or web address; without one the page asks readers to write to the site's editors).
DATA_LICENCE_NAME = os.environ.get("DATA_LICENCE_NAME", "CC BY 4.0")
DATA_LICENCE_URL = os.environ.get(
    "DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
CORRECTIONS_URL = os.environ.get("CORRECTIONS_URL", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The public pages in English at their unprefixed addresses, in Russian under /ru/ and in
# Simplified Chinese under /zh-hans/ (sco_tracker/urls.py). The admin follows the reader's
# choice of language, remembered in Django's language cookie (sco_tracker/languages.py).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("ru", "Русский"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "admin:login"

# Security headers and cookies: the same everywhere, except what needs HTTPS (PRODUCTION=1).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Editors' sessions end 8 hours after login.
SESSION_COOKIE_AGE = 8 * 60 * 60
SECURE_SSL_REDIRECT = PRODUCTION
# A load balancer may ask for /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (and strips it from clients),
# TRUST_X_FORWARDED_PROTO=1 lets Django see the request as HTTPS.
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere, the admin and the API docs included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# One JSON line per request on stdout (sco_tracker/ops.py); LOG_LEVEL=WARNING quiets it. Warnings
# and errors go to stderr, one JSON line each with the request's id and the traceback
# (sco_tracker/errors.py): every 5xx leaves one.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "message": {"format": "%(message)s"},
        "json": {"()": "sco_tracker.errors.JSONLines"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "message",
        },
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "sco_tracker.requests": {
            "handlers": ["stdout"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # Django's own: its errors (every 5xx, with the traceback) but not each 404.
        "django": {"handlers": [], "level": "ERROR"},
    },
}

# SENTRY_DSN sends errors to Sentry as well (sentry-sdk), without personal data.
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], send_default_pii=False)

# Admin logins are refused for 30 minutes after 5 failures for one username from one address,
# after 10 from one address whatever the usernames, and after 10 for one username from any
# addresses (sco_tracker/logins.py gives each its limit).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "sco_tracker.logins.LimitPerClientHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
LOGIN_FAILURE_LIMITS = {
    ("username", "ip_address"): AXES_FAILURE_LIMIT,
    ("ip_address",): 10,
    ("username",): 10,
}
AXES_CLIENT_IP_CALLABLE = "sco_tracker.ops.client_address"
AXES_RESET_ON_SUCCESS = True
# Lockouts are lifted from the command line (manage.py axes_reset_username NAME), not the admin.
AXES_ENABLE_ADMIN = False

# Two-factor sign-in to the admin (django-otp, editorial/two_factor.py): anyone with a device gives
# its code at login; with TWO_FACTOR_REQUIRED (on with PRODUCTION=1) Publishers, Administrators and
# superusers must have one, and set it up at /admin/two-factor/ before using the admin.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = "SCO Tracker"

# CSV import and export in admin (django-import-export, meetings/admin/imports.py). An import runs
# in one transaction, undone whole on any error; importing needs a model's add permission (and
# change, checked in admin), exporting its view permission. Exported cells never start as a
# formula (public.exports.neutralise_formula).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False  # RecordResource.export_field does it
# Where an uploaded file waits for its import to be confirmed (without Redis): a folder of its own.
IMPORT_UPLOAD_DIR = os.environ.get(
    "IMPORT_UPLOAD_DIR", os.path.join(tempfile.gettempdir(), "sco-tracker-imports")
)

# The read-only JSON API under /api/. Anonymous clients get API_ANON_RATE requests per client
# address, counted in the cache (each process's own, or shared through REDIS_URL); behind a
# proxy, API_NUM_PROXIES says how many X-Forwarded-For entries to trust.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/minute")},
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    # `format` is a filter (of summits), not a choice of renderer.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SCO Tracker API",
    "DESCRIPTION": "Read-only access to the published meetings, summits, initiatives, officials "
    "and countries of SCO Tracker.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator: the docs make no request off this site.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "PrecisionEnum": "meetings.dates.Precision",
        "SCOStatusEnum": "meetings.models.SCOStatus",
        "InitiativeStatusEnum": "initiatives.models.Status",
    },
}
