"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP
from kombu import Queue

from .mail import mailer_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # local runtime state: SQLite file, file cache, embedded broker

env = environ.Env()
env.smart_cast = False
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = "Peerage"
SITE_URL = env("SITE_URL", default="")  # the public address, e.g. https://peerage.example.org
SITE_ID = 1

INSTALLED_APPS = [
    "apps.accounts.admin_config.PeerageAdminConfig",  # django.contrib.admin, signing in via allauth
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.core",
    "apps.accounts",
    "apps.records",
    "apps.ingest",
    "apps.audit",
    "apps.trust",
    "apps.notifications",
    "apps.follows",
    "apps.claims",
    "apps.moderation",
    "apps.collaboration",
    "allauth.socialaccount.providers.orcid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL in the query string is a 400 before any view (apps.core.middleware).
    "apps.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Domain errors a view let through become a message or an error page (apps.core.errors).
    "apps.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "apps.core.context_processors.site",
                "apps.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------
# PostgreSQL through psycopg 3 when DATABASE_URL is set; a SQLite file otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'peerage.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)


def with_replicas(databases: dict, middleware: list) -> tuple[dict, list, list]:
    """DATABASE_REPLICA_URLS (comma-separated) adds "replica0", ... with the router and the
    middleware of apps/core/replicas.py; without it, nothing changes."""
    urls = env.list("DATABASE_REPLICA_URLS", default=[])
    middleware = [m for m in middleware if m != "apps.core.replicas.ReplicaReadsMiddleware"]
    if not urls:
        return databases, middleware, []
    replicas = {
        f"replica{i}": {
            **env.db_url_config(url),
            "CONN_MAX_AGE": databases["default"]["CONN_MAX_AGE"],
        }
        for i, url in enumerate(urls)
    }
    return (
        {**databases, **replicas},
        ["apps.core.replicas.ReplicaReadsMiddleware", *middleware],
        ["apps.core.replicas.ReplicaRouter"],
    )


RECENT_WRITE_SECONDS = 10  # after a write, that browser reads from the primary this long
DATABASES, MIDDLEWARE, DATABASE_ROUTERS = with_replicas(DATABASES, MIDDLEWARE)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis serves the cache, the Celery broker and the shared upstream rate limits.
# Without it, a file cache and a file-system broker let every local process cooperate.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Reads fail open when Redis is down; counters and locks answer 503 (apps.core.cache).
            "BACKEND": "apps.core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "peerage",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": "peerage",
        }
    }

# --- Content-Security-Policy -------------------------------------------------
# Only this site's own files: no inline script or style anywhere (templates use static files),
# no framing. Forms may also post on to ORCID (signing in redirects there).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, "https://orcid.org", "https://sandbox.orcid.org"],
}

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, loading the moderator role with the user (one query).
AUTHENTICATION_BACKENDS = [
    "apps.accounts.backends.ModelBackend",
    "apps.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Claims decide where signing in lands: "Is this you?" until the person holds a record.
LOGIN_REDIRECT_URL = "claims:signed_in"
LOGIN_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Peerage] "
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_SIGNUP_FORM_CLASS = "apps.accounts.forms.SignupNameForm"  # adds the public name
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "apps.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # an ORCID email never logs into an existing account
SOCIALACCOUNT_STORE_TOKENS = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# ORCID sign-in (the /authenticate scope). BASE_DOMAIN is orcid.org or sandbox.orcid.org.
ORCID_BASE_DOMAIN = env("ORCID_BASE_DOMAIN", default="orcid.org")
ORCID_CLIENT_ID = env("ORCID_CLIENT_ID", default="")
ORCID_CLIENT_SECRET = env("ORCID_CLIENT_SECRET", default="")
# The two roots ORCID's OAuth and public API live under. Derived from the domain; tests point
# them at a local fake server.
ORCID_OAUTH_BASE_URL = f"https://{ORCID_BASE_DOMAIN}"
ORCID_API_BASE_URL = env("ORCID_API_BASE_URL", default=f"https://pub.{ORCID_BASE_DOMAIN}")
SOCIALACCOUNT_PROVIDERS = {
    "orcid": {
        "provider_class": "apps.accounts.orcid.provider.OrcidProvider",
        "SCOPE": ["/authenticate"],
        "APPS": (
            [{"client_id": ORCID_CLIENT_ID, "secret": ORCID_CLIENT_SECRET, "key": ""}]
            if ORCID_CLIENT_ID
            else []
        ),
    }
}

# --- Upstream sources -------------------------------------------------------
CONTACT_EMAIL = env("CONTACT_EMAIL", default="")
OPENALEX_API_KEY = env("OPENALEX_API_KEY", default="")

# --- Email ------------------------------------------------------------------
# Mail leaves the request: the default mailer writes an outbox item, and the worker delivers it
# through the "delivery" mailer (SMTP in production, the console locally, memory in tests).
# Django 6.1+ configures mailers with MAILERS; older Django with EMAIL_* (see mailer_settings).
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
SMTP_OPTIONS = {
    "host": env("EMAIL_HOST", default="localhost"),
    "port": env.int("EMAIL_PORT", default=25),
    "username": env("EMAIL_HOST_USER", default=""),
    "password": env("EMAIL_HOST_PASSWORD", default=""),
    "use_tls": env.bool("EMAIL_USE_TLS", default=False),
    "timeout": 10,
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Peerage <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(mailer_settings(EMAIL_DELIVERY_BACKEND, SMTP_OPTIONS))

# --- Celery -----------------------------------------------------------------
# The hard limit on any task's run; the other timings below are derived from it.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 5 // 6
# How long Redis waits for an unacked task before handing it to another worker. Longer than a
# task may run (its hard limit), so a live task is never run twice; not much longer, so the
# tasks of a worker killed outright run again soon. Retry countdowns (at most
# REFRESH_DB_RETRY's max_wait) must stay below it too: a waiting retry is held unacked.
CELERY_VISIBILITY_MARGIN = env.int("CELERY_VISIBILITY_MARGIN", default=30)
CELERY_VISIBILITY_TIMEOUT = CELERY_TASK_TIME_LIMIT + CELERY_VISIBILITY_MARGIN
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # kombu's file-system transport expects its folders to exist.
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# The Redis transport polls a worker's queues in the order its -Q lists them, so a worker
# serving several queues always takes mail before a waiting bulk refresh.
CELERY_BROKER_TRANSPORT_OPTIONS["queue_order_strategy"] = "priority"
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Every task is idempotent (STYLE.md), so a task whose worker dies is delivered again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_TIMEZONE = "UTC"
# Queues by urgency: someone is waiting on mail and on what they just asked for; nobody is
# waiting on scheduled refreshes, digests or snapshot loads. Every task is routed by name
# (tests/core/test_queues.py checks that none is left out). Procfile.dev's one worker lists
# URGENT_QUEUES first; docker-compose.yml gives each group its own worker service.
# "turns" carries scheduled refreshes continuing at a source's turn (apps/ingest/tasks.py): listed
# before "scheduled", so a worker takes each one (and holds it until its countdown ends) as soon
# as it is sent, not after the backlog it would otherwise sit behind.
URGENT_QUEUES = ("mail", "interactive")
BULK_QUEUES = ("turns", "scheduled", "digests", "snapshots")
CELERY_TASK_QUEUES = [Queue(name) for name in URGENT_QUEUES + BULK_QUEUES]
CELERY_TASK_DEFAULT_QUEUE = "scheduled"
CELERY_TASK_ROUTES = {
    "core.email_deliver": {"queue": "mail"},
    # After-commit work (mail included) and the sweep that retries it: never behind the bulk.
    "core.outbox_deliver": {"queue": "mail"},
    "core.outbox_sweep": {"queue": "mail"},
    "follows.notify_new_works": {"queue": "mail"},
    "ingest.refresh_author_now": {"queue": "interactive"},
    "claims.record_create": {"queue": "interactive"},
    "trust.recompute_authors": {"queue": "interactive"},
    "ingest.refresh_author": {"queue": "scheduled"},
    "ingest.schedule_refreshes": {"queue": "scheduled"},
    "trust.recompute_all": {"queue": "scheduled"},
    "moderation.mixups_scan": {"queue": "scheduled"},
    "follows.repoint_merged": {"queue": "scheduled"},
    "collaboration.expire_invitations": {"queue": "scheduled"},
    "core.sessions_clear_expired": {"queue": "scheduled"},
    "follows.digests_enqueue": {"queue": "digests"},
    "follows.digest_batch_send": {"queue": "digests"},
    "follows.subscriber_digest_batch_send": {"queue": "digests"},
    "follows.subscribers_purge": {"queue": "scheduled"},
    "ingest.snapshot_*": {"queue": "snapshots"},
}
CELERY_BEAT_SCHEDULE = {
    "sessions-clear-expired": {
        "task": "core.sessions_clear_expired",
        "schedule": crontab(hour=3, minute=17),
    },
    # After-commit work whose hand-off the broker missed, and retries (apps.core.outbox).
    "outbox-sweep": {"task": "core.outbox_sweep", "schedule": 60},
    "schedule-refreshes": {"task": "ingest.schedule_refreshes", "schedule": 10 * 60},
    # Each run sends the last ended day (and week) to whoever has not had it yet.
    "follows-digests": {"task": "follows.digests_enqueue", "schedule": crontab(hour=6, minute=5)},
    # Addresses that never confirmed the trending digest (apps.follows.subscribers).
    "follows-subscribers-purge": {
        "task": "follows.subscribers_purge",
        "schedule": crontab(hour=4, minute=47),
    },
    "follows-repoint-merged": {"task": "follows.repoint_merged", "schedule": crontab(minute=41)},
    "collaboration-expire": {"task": "collaboration.expire_invitations", "schedule": 15 * 60},
    # Time-based inputs (recency, tenure) and co-authors' levels move without an event.
    "trust-recompute-all": {"task": "trust.recompute_all", "schedule": crontab(hour=2, minute=23)},
}
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=200)  # users per digest batch task
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
WORKER_HEARTBEAT_INTERVAL = 15  # seconds between a worker's heartbeats
WORKER_HEARTBEAT_MAX_AGE = 60  # older than this, /healthz calls the worker stale
HEALTHZ_REQUIRE_WORKER = env.bool("HEALTHZ_REQUIRE_WORKER", default=False)

# How the snapshot loader stages works partitions on PostgreSQL: "python" (reader processes
# parse the lines) or "sql" (the lines are COPYed into a jsonb table and staged set-based);
# `load_openalex_snapshot --staging` overrides it. docs/benchmarks.md compares the two.
SNAPSHOT_STAGING = env("SNAPSHOT_STAGING", default="python")

# Upstream API roots (tests and the fake upstream server point these elsewhere).
OPENALEX_API_URL = env("OPENALEX_API_URL", default="https://api.openalex.org")
CROSSREF_API_URL = env("CROSSREF_API_URL", default="https://api.crossref.org")
ARXIV_API_URL = env("ARXIV_API_URL", default="https://export.arxiv.org")
# Per-source request rates shared by every worker, e.g. {"openalex": 10, "arxiv": [1, 3]}
# (requests per second, or [requests, seconds]); unset sources use apps/ingest/ratelimit.py.
UPSTREAM_RATE_LIMITS = env.json("UPSTREAM_RATE_LIMITS", default={})
# Retry policy override for every client: {"max_attempts": 5, "max_wait": 60, "backoff_base": 1}.
UPSTREAM_RETRY = env.json("UPSTREAM_RETRY", default={})

# --- Records refresh --------------------------------------------------------
# Requests per source per 24 h (each fetch counts once, retries inside it do not).
REFRESH_DAILY_BUDGET = {
    "openalex": env.int("REFRESH_BUDGET_OPENALEX", default=50_000),
    "orcid": env.int("REFRESH_BUDGET_ORCID", default=50_000),
    "crossref": env.int("REFRESH_BUDGET_CROSSREF", default=20_000),
    "arxiv": env.int("REFRESH_BUDGET_ARXIV", default=5_000),
}
REFRESH_INTERVALS = {"claimed": 86_400, "followed": 3 * 86_400, "normal": 14 * 86_400}  # seconds
REFRESH_RETRY_AFTER = 3_600  # seconds before a failed refresh is due again; doubles per failure
REFRESH_RETRY_MAX = 7 * 86_400  # the longest a failing record waits between attempts
# A refresh the database cut short (lost connection, deadlock, lost race) is run again at once
# with jittered exponential backoff: attempts in all, the longest wait, the first wait's ceiling.
REFRESH_DB_RETRY = env.json(
    "REFRESH_DB_RETRY", default={"max_attempts": 6, "max_wait": 20, "backoff_base": 2}
)
# Each source at its own pace (apps/ingest/refresh.py): a refresh waits in place for a source's
# rate slot at most REFRESH_SLOT_WAIT seconds; a longer wait frees the worker and the task is
# queued again for its turn, at most REFRESH_DEFER_MAX seconds ahead (held unacked meanwhile, so
# below CELERY_VISIBILITY_MARGIN, as retry countdowns are).
REFRESH_SLOT_WAIT = env.float("REFRESH_SLOT_WAIT", default=0.25)
REFRESH_DEFER_MAX = env.int("REFRESH_DEFER_MAX", default=20)
REFRESH_BATCH_SIZE = env.int("REFRESH_BATCH_SIZE", default=200)  # authors queued per scheduler run
# Anonymous author, work, topic, recent-day and trending pages are served from the cache for up
# to this long; writes invalidate them at once (apps/core/pagecache.py). 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=600)
REFRESH_MANUAL_COOLDOWN = 600  # seconds between one person's "refresh now" on one record

# --- Collaboration -----------------------------------------------------------
COLLABORATION_MESSAGES_PER_MINUTE = env.int("COLLABORATION_MESSAGES_PER_MINUTE", default=10)

# --- Claims ---------------------------------------------------------------
CLAIMS_PER_USER_PER_DAY = env.int("CLAIMS_PER_USER_PER_DAY", default=5)
CLAIMS_ORCID_WORKS_CACHE_SECONDS = 3_600  # a user's public ORCID works, for suggestions/scores

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    # The one translation of domain errors to JSON (apps.core.errors).
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    # Token first: DRF answers an anonymous caller with the first class's challenge, so
    # they get 401 and WWW-Authenticate: Token (a session-first list has none: 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Personal API tokens (apps.accounts.tokens): hashed at rest, scoped, throttled.
        "apps.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Lists page with apps.core.api.KeysetPagination, named by each viewset; none by default.
    "DEFAULT_PAGINATION_CLASS": None,
    # OPTIONS is not part of the API (the schema describes it): 405, as for any other method.
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    # The same throttles hold HTML search (apps.core.throttles.throttled).
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.core.throttles.AnonThrottle",
        "apps.core.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
        # The trending digest's subscribe form, per address (apps.follows.views).
        "digest_subscribe": env("DIGEST_SUBSCRIBE_RATE", default="5/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peerage API",
    "DESCRIPTION": (
        "Public author records, claims, follows and collaboration. To act as yourself, make a "
        "personal API token at /settings/tokens/ and send it: "
        "`curl -H 'Authorization: Token pgr_…' https://<this site>/api/v1/notifications/`. "
        "Read tokens only read; moderation endpoints need a token with the moderation scope. "
        "More in docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API browser is served from this site, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.schema.document_refusals",
    ],
}

# Personal API tokens (django-rest-knox, our own model with a name and scopes).
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105  (a model name, not a secret)
# knox's own migrations would create its stock token table even though ours replaces it.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token", "TOKEN_PREFIX": "pgr_"}
API_TOKEN_RATE = env("API_TOKEN_RATE", default="300/minute")  # requests per token
API_TOKENS_PER_USER = 20

# --- I18n, static -----------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- Logging ----------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="text")  # "json" for structured logs
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
