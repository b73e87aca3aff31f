"""Dealsite settings: one module, configured by environment variables.

With no environment set it runs on SQLite, a local-memory cache and eager Celery, but with
production-safe switches (DEBUG off, secure cookies, HSTS). `bin/dev` sets DEBUG=1 for local use.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: DEBUG is on, so this key never protects a real deployment.
    SECRET_KEY = "django-insecure-dealsite-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Absolute base for links made outside a request (feeds, JSON-LD, annotation targets, tasks).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",  # brute-force protection of sign-ins (dealsite/lockout.py)
    "reversion",  # revisions of briefs with their links
    "briefs",  # the core domain
    "search",  # reacts to the core's events
    "webhooks",  # reacts to the core's events
    "corrections",  # corrections and updates of published briefs (adds to briefs through briefs.extensions)
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # Outermost, so that responses short-circuited by any later middleware (caches, redirects) carry
    # the strict Content-Security-Policy too (dealsite/security.py).
    "dealsite.security.ContentSecurityPolicyMiddleware",
    # Next, so a write's deadline counts from the moment the request reached the app.
    "dealsite.write_deadline.WriteDeadlineMiddleware",
    # gzip for HTML and JSON (never a page with a CSRF token); cache hits come already compressed.
    "dealsite.compression.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # as high as possible, so every API answer has its headers
    # Anonymous API reads answered from the versioned response cache, before the rest of the stack.
    "briefs.freshness.responses.ApiResponseCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # JSON errors under /api/ for everything below it (including CommonMiddleware's 404s).
    "briefs.api.middleware.ApiJsonErrorsMiddleware",
    # Page-cache hits and 304s of the public pages: after security and static files, before the
    # sessions, CSRF and auth work that would not change a page that is the same for everyone.
    "briefs.freshness.pages.PageCacheMiddleware",
    # Then limits on the pages that are expensive to render (search, deep list pages), per address.
    "dealsite.page_throttle.PageThrottleMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes, dealsite/lockout.py): account and address together, so nobody can
# lock an editor out from elsewhere; each further lockout the same day doubles the wait.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "dealsite.lockout.cool_off"
AXES_LOCKOUT_CALLABLE = "dealsite.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind a proxy, the number of proxies whose X-Forwarded-For entries are trusted (0: REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_int("TRUSTED_PROXY_COUNT", 0) else ["REMOTE_ADDR"]
)
# A sign-in whose next= is off-site (or missing) lands on the admin, not Django's /accounts/profile/.
LOGIN_REDIRECT_URL = "admin:index"

ROOT_URLCONF = "dealsite.urls"

TEMPLATES = [
    {
        "BACKEND": "dealsite.printable_templates.PrintableTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "briefs.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "dealsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes write (saves, a party page storing its parts, workers). A transaction that
    # reads and then writes cannot upgrade its lock while another connection is writing, and SQLite
    # fails it at once ("database is locked") rather than deadlock. Begun IMMEDIATE, a transaction
    # takes the write lock at its start and waits for it (up to the timeout) instead.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dealsite"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the app's static folders when collectstatic has not run (dev, tests).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG

# Celery: eager in-process unless a broker is configured.
CELERY_TASK_ALWAYS_EAGER = not (env_str("CELERY_BROKER_URL") or REDIS_URL)
# Eager mode never touches the broker; the in-memory transport keeps kombu from looking for one.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL) or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

# Editorial workflow: beat schedule, broker visibility, previews, link checks.
# A task taken by a worker that dies (even SIGKILL) goes back to the queue after the visibility
# timeout (Redis transport; acks_late). It must exceed the longest retry countdown/ETA of a task.
# Workers sweep for such abandoned messages every interval × throttle seconds (kombu's defaults: 10 × 10).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BEAT_SCHEDULE = {
    # Scheduled briefs are already visible by the publication rule; this finalises their status and
    # runs the publication side effects (once, whoever runs it).
    "finalise-scheduled-briefs": {
        "task": "briefs.finalise_scheduled_briefs",
        "schedule": float(env_int("WORKFLOW_FINALISE_EVERY_SECONDS", 60)),
    },
    "recheck-source-links": {
        "task": "briefs.recheck_source_links",
        "schedule": float(env_int("LINKCHECK_EVERY_SECONDS", 6 * 3600)),
    },
}
# The currency the admin's deal, participant, stage and figure forms start with (ISO 4217); the
# editor changes it per row. Empty: no default.
DEFAULT_CURRENCY = env_str("DEFAULT_CURRENCY", "USD")

WORKFLOW = {
    "PREVIEW_MAX_AGE_SECONDS": env_int("PREVIEW_MAX_AGE_SECONDS", 3 * 24 * 3600),
    # Someone whose tab closed leaves "also open by" within TTL + one heartbeat (TTL/3): under 30 s.
    "PRESENCE_TTL_SECONDS": 21,
    "LINKCHECK_TIMEOUT_SECONDS": env_int("LINKCHECK_TIMEOUT_SECONDS", 10),
    "LINKCHECK_RECHECK_AFTER_HOURS": env_int("LINKCHECK_RECHECK_AFTER_HOURS", 7 * 24),
    # Source URLs come from editors: never probe loopback/private networks unless told to (tests).
    "LINKCHECK_ALLOW_PRIVATE": env_bool("LINKCHECK_ALLOW_PRIVATE", False),
}
# Write limits (the admin and the API refuse more, naming the field): body characters and annotations
# per brief. 2,000 annotations save in well under a second.
BRIEF_MAX_BODY_CHARS = env_int("BRIEF_MAX_BODY_CHARS", 100_000)
BRIEF_MAX_ANNOTATIONS = env_int("BRIEF_MAX_ANNOTATIONS", 2_000)
# A write not ready to commit this many seconds after its request began is rolled back with a clean
# error (503 in the API, a form error in the admin), well before gunicorn's worker timeout
# (GUNICORN_TIMEOUT, gunicorn.conf.py) would kill it with the client told nothing while it commits.
WRITE_DEADLINE_SECONDS = float(env_str("WRITE_DEADLINE_SECONDS", "") or env_int("GUNICORN_TIMEOUT", 30) * 2 / 3)
# --- end editorial workflow ---

# Security: on by default whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_str("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (env_str("SECURE_PROXY_SSL_HEADER"), "https")
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

# LOG_FORMAT=json: one JSON object per line (dealsite/logs.py), for log collectors.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "dealsite.logs.JSONFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        # django-axes logs every failed sign-in and lockout (axes.handlers…) at WARNING; its start-up
        # banner (axes.apps) would print on every management command.
        "axes.apps": {"level": "WARNING"},
    },
}

DEALSITE = {
    "SITE_NAME": "Dealsite",
    "HOME_PAGE_SIZE": 20,
    "PARTY_PAGE_SIZE": 20,  # a party page's list of briefs
    "PARTY_TIMELINE_SIZE": 200,  # the latest deals on a party page's timeline chart and its table
}

# JSON API (briefs/api/).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "briefs.api.authentication.LockingTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["briefs.api.permissions.ReadOnlyOrModelPermissions"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["briefs.api.parsers.BoundedJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "briefs.api.negotiation.StrictFormatNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["briefs.api.throttling.AnonThrottle", "briefs.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/min"),
        "user": env_str("API_USER_RATE", "1200/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "briefs.api.schema.DealsiteAutoSchema",
    "EXCEPTION_HANDLER": "briefs.api.exceptions.api_exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dealsite API",
    "DESCRIPTION": "Annotated deal briefs: deal facts, parties with roles, sources, quotes and "
    "W3C Web Annotations. Reads are public (published content only); writes need a token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PartyKindEnum": "briefs.models.choices.PartyKind",
        "SourceKindEnum": "briefs.models.choices.SourceKind",
        "AnnotationKindEnum": "briefs.models.choices.AnnotationKind",
        "BriefStatusEnum": "briefs.models.choices.BriefStatus",
        "DealStatusEnum": "briefs.models.choices.DealStatus",
        "DatePrecisionEnum": "briefs.models.choices.DatePrecision",
        "FigureKindEnum": "briefs.models.choices.FigureKind",
        "FigureBasisEnum": "briefs.models.choices.FigureBasis",
        "PartyRoleEnum": "briefs.models.choices.PartyRole",
        "ParticipantRoleEnum": "briefs.models.choices.ParticipantRole",
        "CorrectionKindEnum": "corrections.models.CorrectionKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "briefs.api.schema.add_error_responses",
        "briefs.api.schema.add_write_dependencies",
        "briefs.api.schema.add_extension_fields",
    ],
}
# CORS: any origin may read public data; no credentials, no Authorization header, so a browser
# on another origin can neither write nor read with someone's token.
CORS_URLS_REGEX = r"^/api/(v1|schema)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "content-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After"]

DEALSITE_API = {
    # Cache-Control max-age for anonymous reads (seconds); the server-side cache never goes stale.
    "PUBLIC_MAX_AGE": env_int("API_PUBLIC_MAX_AGE", 60),
    "RESPONSE_CACHE": env_bool("API_RESPONSE_CACHE", True),
    "ANNOTATION_PAGE_SIZE": 100,
    "WEBHOOK_TIMEOUT": env_int("WEBHOOK_TIMEOUT", 5),
    "WEBHOOK_MAX_RETRIES": env_int("WEBHOOK_MAX_RETRIES", 5),
    "WEBHOOK_BACKOFF_BASE": env_int("WEBHOOK_BACKOFF_BASE", 30),
}

# Per-address limit on searches and deep list pages (?page= beyond PAGE_THROTTLE_FREE_PAGES); empty: off.
PAGE_THROTTLE_RATE = env_str("PAGE_THROTTLE_RATE", "60/min")
PAGE_THROTTLE_FREE_PAGES = env_int("PAGE_THROTTLE_FREE_PAGES", 5)

# Page cache, Content-Security-Policy, benchmark ceiling.
# Whole-page cache of the public pages and feeds, keyed by the database content version (the one
# the API's cache uses; briefs/freshness/), so it is never stale with any cache and any number of
# processes. Off with DEBUG (templates edited under runserver would not show); PAGE_CACHE=0/1 decides.
PAGE_CACHE = env_bool("PAGE_CACHE", not DEBUG)
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 24 * 3600)
# Each process also keeps its most recent pages and API responses in memory, up to this many bytes.
PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024)
# Browsers and proxies revalidate every time (ETag/Last-Modified make that a cheap 304).
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 0)
# Extra or replaced CSP directives, e.g. {"img-src": ["'self'", "https://images.example.com"]}.
CONTENT_SECURITY_POLICY = {}
# The API's browsable pages, Swagger UI and Redoc style themselves inline; their scripts stay 'self'.
# Redoc runs its search in a worker made from a blob: URL.
CONTENT_SECURITY_POLICY_PATHS = {
    "/api/": {"style-src": ["'self'", "'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# Benchmarks only: the trivial-view ceiling at /_bench/ceiling/ (benchmarks/page_benchmark.py and
# api_benchmark.py), mounted only when this is set.
BENCHMARK_CEILING = env_bool("BENCHMARK_CEILING", False)
