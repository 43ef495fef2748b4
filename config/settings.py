"""Gemeinsam settings: one module, every difference between environments comes
from environment variables (see docs/operations.md for the full list)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


DEBUG = env.bool("DEBUG", default=False)
# Everything the embedded demo writes (database, broker, files, heartbeats) lives here.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = env_secret("SECRET_KEY") or ("insecure-dev-key-" + "x" * 40 if DEBUG else "")
if not SECRET_KEY:
    # manage.py prints this one line instead of a traceback.
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. For the demo use `make run` (or set DEBUG=1); "
        "in production set SECRET_KEY and FIELD_ENCRYPTION_KEYS (docs/operations.md)."
    )

# Hosts are checked by the tenant middleware against the Domain table; Django's
# own check only has to let them through.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
# Hosts without a city: the operator's admin and a neutral landing page.
PLATFORM_HOSTS = env.list("PLATFORM_HOSTS", default=["localhost", "127.0.0.1", "testserver"])
# Ports a Host header may carry; none in production (the ingress serves 443 and
# the header has no port). `make run` serves on 8000.
ALLOWED_PORTS = env.list("ALLOWED_PORTS", default=["8000"] if DEBUG else [])
SITE_PORT_SUFFIX = env.str("SITE_PORT_SUFFIX", default=":8000" if DEBUG else "")
SITE_SCHEME = env.str("SITE_SCHEME", default="http" if DEBUG else "https")

INSTALLED_APPS = [
    "forms_engine.tenants",
    "forms_engine.staff",
    "forms_engine.backoffice",
    "forms_engine.catalog",
    "forms_engine.fim",
    "forms_engine.wizard",
    "forms_engine.submissions",
    "forms_engine.documents",
    "forms_engine.delivery",
    "forms_engine.payments",
    "forms_engine.identity",
    # Delivery channels: one plugin app each (docs/writing-a-channel.md).
    "forms_engine.delivery.contrib.email",
    "forms_engine.delivery.contrib.webhook",
    "forms_engine.delivery.contrib.pullapi",
    "forms_engine.delivery.contrib.fitconnect",
    "forms_engine.analytics",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    # Online services: one app each.
    "services.unterhaltsvorschuss",
    "services.bewohnerparkausweis",
    "services.fundsache",
    "services.sondernutzung",
    "services.hundesteuer",
    "services.gaststaette",
]

MIDDLEWARE = [
    "forms_engine.lib.metrics.MetricsMiddleware",
    "forms_engine.lib.request_id.RequestIdMiddleware",
    "forms_engine.lib.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "forms_engine.lib.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "forms_engine.tenants.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "forms_engine.lib.body_limit.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "forms_engine.tenants.middleware.CityMiddleware",
    "forms_engine.lib.logging.CityLogContextMiddleware",
    # After the city is known: when the session cannot be read (database down),
    # the 503 page still carries the city's layout.
    "forms_engine.staff.middleware.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "forms_engine" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "forms_engine.tenants.context_processors.city",
                "forms_engine.wizard.preview.context",
            ],
        },
    }
]

# Plain widgets are written in Python, not one template each (lib/formrender.py).
FORM_RENDERER = "forms_engine.lib.formrender.WidgetRenderer"

# Embedded default (make run): SQLite. Tests and production: DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server threads and the worker share the file. WAL: readers never block
    # the writer. IMMEDIATE: a transaction takes the write lock when it begins,
    # so it waits (busy timeout) instead of failing with "database is locked"
    # when it upgrades from reading to writing. select_for_update is a no-op on
    # SQLite; the immediate transactions serialise the writers instead.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        }
    )
    # The inbox's covering indexes (INCLUDE columns) are a PostgreSQL feature;
    # the embedded demo database does without them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A cache that is away must cost a request little: callers fail open to the
    # database (forms_engine/lib/cache.py) after at most this long.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "socket_connect_timeout": env.float("CACHE_TIMEOUT", default=0.25),
            "socket_timeout": env.float("CACHE_TIMEOUT", default=0.25),
        }
    )

AUTH_USER_MODEL = "backoffice.StaffUser"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff-login"

# Sign-in protection (forms_engine/staff/throttle.py): a delay per address, a
# lock per user name *and* address (axes), and a name lock only when failures
# for one name come from STAFF_NAME_LOCK_ADDRESSES addresses (credential
# stuffing; password plus backup code still works). The address is the one
# lib.client_ip trusts: X-Forwarded-For only from TRUSTED_PROXIES.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "forms_engine.lib.client_ip.client_address"
STAFF_LOGIN_FREE_FAILURES = env.int("STAFF_LOGIN_FREE_FAILURES", default=10)
STAFF_LOGIN_DELAY_SECONDS = env.int("STAFF_LOGIN_DELAY_SECONDS", default=1)
STAFF_LOGIN_MAX_DELAY_SECONDS = env.int("STAFF_LOGIN_MAX_DELAY_SECONDS", default=15 * 60)
STAFF_NAME_LOCK_ADDRESSES = env.int("STAFF_NAME_LOCK_ADDRESSES", default=5)
# Resume codes (forms_engine/wizard/resume_throttle.py): wrong codes per client and
# city, and openings per draft, within one window.
RESUME_WINDOW_SECONDS = env.int("RESUME_WINDOW_SECONDS", default=15 * 60)
RESUME_CLIENT_FAILURES = env.int("RESUME_CLIENT_FAILURES", default=10)
RESUME_DRAFT_OPENS = env.int("RESUME_DRAFT_OPENS", default=20)
# Download links in confirmation emails of services that do not attach the PDF
# (submissions/receipt_links.py): days a link works, wrong codes before it locks.
RECEIPT_LINK_DAYS = env.int("RECEIPT_LINK_DAYS", default=7)
RECEIPT_LINK_MAX_FAILURES = env.int("RECEIPT_LINK_MAX_FAILURES", default=5)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Gemeinsam")

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
# forms_engine/lib is no app; its catalogue is found through LOCALE_PATHS.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "forms_engine" / "lib" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns (an error in tests) when STATIC_ROOT is missing on a fresh clone.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The engine's own assets (KERN UX, site.css): forms_engine is no app, so its
# static folder is named here for the finders and collectstatic.
STATICFILES_DIRS = [BASE_DIR / "forms_engine" / "static"]
# Public media (coats of arms) and private files (uploads, PDFs: encrypted, never
# served directly) live apart.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
PRIVATE_FILES_ROOT = Path(env.str("PRIVATE_FILES_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Shared object storage (S3-compatible, django-storages) for clusters where web
# and workers do not share a disk. Private files stay encrypted by us either way.
PRIVATE_FILES_S3_BUCKET = env.str("PRIVATE_FILES_S3_BUCKET", default="")
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
if PRIVATE_FILES_S3_BUCKET or MEDIA_S3_BUCKET:
    _s3_options = {
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env_secret("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_secret("S3_SECRET_ACCESS_KEY") or None,
        "default_acl": None,
        "file_overwrite": False,
    }
    if PRIVATE_FILES_S3_BUCKET:
        STORAGES["private"] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3_options, "bucket_name": PRIVATE_FILES_S3_BUCKET, "querystring_auth": True},
        }
    if MEDIA_S3_BUCKET:
        STORAGES["default"] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3_options, "bucket_name": MEDIA_S3_BUCKET, "querystring_auth": False},
        }

# Personal data at rest: MultiFernet keys, newest first. Rotating = prepend a new
# key, run `manage.py reencrypt`, then drop the old key.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or (
    ["ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZDE="] if DEBUG else []
)
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS is not set. For the demo use `make run` (or set DEBUG=1); "
        "in production set it as docs/operations.md describes."
    )
# Key for blind indexes (HMAC of normalised names) and resume-code hashing.
BLIND_INDEX_KEY = env_secret("BLIND_INDEX_KEY") or SECRET_KEY

# Uploads: per-file default limit; the body limit refuses oversize requests early.
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_SUBMISSION_BYTES = env.int("UPLOAD_MAX_SUBMISSION_BYTES", default=30 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A request may carry all of a draft's files at once (plus 1 MiB of form fields), so
# that a single file over its own limit is read and refused on its field, never by
# the body limit (issue 21, item 7).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=UPLOAD_MAX_SUBMISSION_BYTES + 1024 * 1024)
CLAMD_ADDRESS = env.str("CLAMD_ADDRESS", default="")  # "host:port"; empty = no scanner
COAT_OF_ARMS_MAX_BYTES = env.int("COAT_OF_ARMS_MAX_BYTES", default=512 * 1024)

# Back office: idle sign-out, when an undecided submission counts as overdue,
# how long a link for handing in documents works.
# Every staff page (back office, /admin/, dashboard): forms_engine/staff/middleware.py.
STAFF_IDLE_TIMEOUT_SECONDS = env.int("STAFF_IDLE_TIMEOUT_SECONDS", default=30 * 60)
# Days before a case's due date that its assignee (or team) is reminded.
BACKOFFICE_REMINDER_DAYS = env.int("BACKOFFICE_REMINDER_DAYS", default=3)
BACKOFFICE_PAGE_SIZE = env.int("BACKOFFICE_PAGE_SIZE", default=50)
# The inbox counts each status up to this many rows and then says "more than";
# a count that grows with years of closed cases would make every page slower.
BACKOFFICE_COUNT_LIMIT = env.int("BACKOFFICE_COUNT_LIMIT", default=1000)

# Celery. Embedded default: kombu's filesystem transport, no server needed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
_broker_dir = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Remote control (broadcast) tables; kombu's default is ./control in the cwd.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=3600)}
    if env.str("CELERY_BROKER_KEY_PREFIX", default=""):  # several deployments (or test runs) on one Redis
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env.str("CELERY_BROKER_KEY_PREFIX")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# WeasyPrint's caches grow a pool process's memory with every PDF
# (bench/worker_memory.py measures it; docs/performance.md has the figures):
# replace a pool process after this many tasks, or when it grows past the cap.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=500)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300 * 1024)  # KiB
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Heartbeat file written by the worker, read by /healthz/ready and probes.
WORKER_HEARTBEAT_FILE = Path(env.str("WORKER_HEARTBEAT_FILE", default=str(VAR_DIR / "worker-heartbeat")))
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=120)
WORKER_HEARTBEAT_INTERVAL = env.float("WORKER_HEARTBEAT_INTERVAL", default=10.0)
# A worker whose heartbeat is older than this is dead: the sweep re-claims its
# running steps (three missed heartbeats; docs/processing.md).
WORKER_DEAD_AFTER = env.float("WORKER_DEAD_AFTER", default=30.0)
# Beat touches this file on every scheduler tick (config.celery.HeartbeatScheduler);
# the beat container's liveness probe checks its age.
BEAT_HEARTBEAT_FILE = Path(env.str("BEAT_HEARTBEAT_FILE", default=str(VAR_DIR / "beat-heartbeat")))

# Prometheus (forms_engine/lib/metrics.py). /metrics answers a bearer token or
# the listed addresses/networks (REMOTE_ADDR); everyone else gets 404.
METRICS_TOKEN = env_secret("METRICS_TOKEN")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# Workers serve their task durations on this port (0 = off).
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
# bench/run.py only: a minimal page at /bench/ceiling/ through the full middleware stack.
BENCH_CEILING_VIEW = env.bool("BENCH_CEILING_VIEW", default=False)

# Usage analytics (docs/analytics.md).
# A draft with no activity for this many hours counts as abandoned (once) in the funnel.
ANALYTICS_ABANDON_AFTER_HOURS = env.int("ANALYTICS_ABANDON_AFTER_HOURS", default=24)
# Events of web requests are written after the response, in one INSERT per this many
# events or after this many seconds (forms_engine/analytics/recorder.py).
ANALYTICS_BUFFER_EVENTS = env.int("ANALYTICS_BUFFER_EVENTS", default=25)
ANALYTICS_BUFFER_SECONDS = env.float("ANALYTICS_BUFFER_SECONDS", default=10.0)
# A city sees the comparison only when at least this many OTHER opted-in cities offer the service.
ANALYTICS_MIN_PEERS = env.int("ANALYTICS_MIN_PEERS", default=3)
# Open data catalogue (DCAT-AP.de): the data provider id GovData assigns (info@govdata.de),
# published as dcatde:contributorID, and the contact for the platform's own catalogue.
OPENDATA_CONTRIBUTOR_ID = env.str("OPENDATA_CONTRIBUTOR_ID", default="")
OPENDATA_CONTACT_EMAIL = env.str("OPENDATA_CONTACT_EMAIL", default="")

# Processing pipeline (docs/processing.md): retry delays in seconds after each
# failed attempt; after the last one a step is `failed`. The sweep re-enqueues
# pending steps this long after they were planned or enqueued.
PROCESSING_RETRY_DELAYS = [float(x) for x in env.list("PROCESSING_RETRY_DELAYS", default=[60, 300, 1800, 7200, 43200])]
PROCESSING_SWEEP_GRACE = env.float("PROCESSING_SWEEP_GRACE", default=120.0)
# An unpaid online payment expires after this; its submission is closed and the draft released.
PAYMENT_EXPIRY_SECONDS = env.int("PAYMENT_EXPIRY_SECONDS", default=2 * 3600)
# Fault tests only: seconds the PDF renderer sleeps, so a test can kill a worker mid-render.
PDF_RENDER_TEST_DELAY = env.float("PDF_RENDER_TEST_DELAY", default=0.0)
# Delivery: webhooks to private, loopback or link-local addresses are refused (SSRF)
# unless this is on (tests with receivers on 127.0.0.1).
DELIVERY_ALLOW_PRIVATE_TARGETS = env.bool("DELIVERY_ALLOW_PRIVATE_TARGETS", default=False)
DELIVERY_WEBHOOK_TIMEOUT = env.float("DELIVERY_WEBHOOK_TIMEOUT", default=15.0)
# Circuit breaker per delivery target (forms_engine/delivery/breaker.py).
DELIVERY_BREAKER_THRESHOLD = env.int("DELIVERY_BREAKER_THRESHOLD", default=3)
DELIVERY_BREAKER_PAUSE = env.float("DELIVERY_BREAKER_PAUSE", default=120.0)
DELIVERY_LINK_MAX_AGE = env.int("DELIVERY_LINK_MAX_AGE", default=7 * 24 * 3600)
FITCONNECT_TIMEOUT = env.float("FITCONNECT_TIMEOUT", default=30.0)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@gemeinsam.localhost")

# Security. Production differs only by environment: DEBUG off turns these on.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
# No SESSION_COOKIE_DOMAIN / CSRF_COOKIE_DOMAIN: cookies stay per host (per city).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "forms_engine.tenants.views.csrf_failure"

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gemeinsam API",
    "DESCRIPTION": "Submissions for back-office systems and data schemas of online services.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# One JSON object per line (structlog), personal data redacted: forms_engine/lib/logging.py.
# LOG_FORMAT=console gives readable lines for development.
LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
# BundID (forms_engine/identity): pysaml2 signs, verifies and decrypts with Debian's xmlsec1.
XMLSEC_BINARY = env.str("XMLSEC_BINARY", default="/usr/bin/xmlsec1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": {"()": "forms_engine.lib.logging.json_formatter", "renderer": LOG_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # WeasyPrint and fontTools log every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pysaml2 logs whole SAML messages at DEBUG and INFO: they carry the
        # citizen's BundID attributes, which never go to a log.
        "saml2": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
    },
}
