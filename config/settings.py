"""Versus settings: one module, driven by the environment (see .env.example).

Safe by default: DEBUG is off unless DJANGO_DEBUG=true (which `make run` sets), and with
DEBUG off every security setting is on and the site refuses to start without a real secret
key. Development needs nothing else: SQLite and a local-memory cache by default.
"""

from datetime import timedelta
from pathlib import Path

import environ
import orjson
from corsheaders.defaults import default_headers as default_cors_headers
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is read when present; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# The development key is only ever accepted with DEBUG on.
DEVELOPMENT_SECRET_KEY = "django-insecure-versus-development-only"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (
    SECRET_KEY == DEVELOPMENT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or SECRET_KEY in {"change-me", "changeme", "secret", ""}
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    # SystemExit, not ImproperlyConfigured: manage.py, runserver and gunicorn then print
    # this one line and stop, with no traceback in front of it.
    raise SystemExit(
        "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG is false "
        "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'); "
        "for development, set DJANGO_DEBUG=true (make run does)."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "corsheaders",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "comparisons",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # An over-long URI is refused before any other work (a 414, JSON under /api/).
    "config.errors.URILengthLimitMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After, not a 500.
    "comparisons.middleware.DatabaseUnavailableMiddleware",
    # Pages for anonymous readers, from the cache: inside the security headers, which every
    # response gets; before the rest, which a cached public page does not need (static files
    # and CORS are for other paths; what sessions, CSRF and clickjacking protection add to a
    # page, e.g. X-Frame-Options, is stored with it).
    "comparisons.caching.PublicCacheMiddleware",
    # Static files too get Cross-Origin-Resource-Policy (so before WhiteNoise).
    "config.headers.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # API reads, from the same cache: after auth, as a hit still counts against DRF's throttles.
    "api.caching.APICacheMiddleware",
    # Inside both caches, so a cached page or API read is stored with these headers and a hit
    # costs nothing to send them. Neither varies by request: public pages and API reads carry
    # no nonce (only the uncached ReDoc page does, api/docs.py).
    "config.headers.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out admin sign-in into its page.
    "axes.middleware.AxesMiddleware",
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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite by default; DATABASE_URL=postgres://... for PostgreSQL (psycopg 3 with its pool).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
    }
    # Each pooled connection is checked before it is lent (Django hands the pool
    # `check=ConnectionPool.check_connection`): after a PostgreSQL restart an idle connection
    # is dead, and is replaced instead of failing a request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound by the server, so psycopg can prepare the statements a page repeats
    # (its default: after 5 runs) and PostgreSQL skips planning them again.
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = env.bool(
        "DATABASE_SERVER_SIDE_BINDING", default=True
    )
    if DATABASES["default"]["OPTIONS"]["server_side_binding"]:
        # Django turns psycopg's preparing off (None) unless told a threshold.
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env.int(
            "DATABASE_PREPARE_THRESHOLD", default=5
        )
    # Django's pool and persistent connections are exclusive: the pool keeps them.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A separate database for `generate_synthetic_kb` and the benchmarks; never the site's own.
if env.str("SYNTHETIC_DATABASE_URL", default=""):
    DATABASES["synthetic"] = env.db("SYNTHETIC_DATABASE_URL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Names the deployed code in cache keys and ETags (default: a hash of the source files'
# contents, the same on every host running the same code).
VERSUS_RELEASE = env.str("VERSUS_RELEASE", default="")
# Never served from the public cache. The API's reads have their own (api.caching), which
# counts a cached read against the API's rate limits. /favicon.ico is a static file with its
# own week-long Cache-Control, which the page cache's revalidate-always would overwrite.
PUBLIC_CACHE_EXEMPT_PATHS = [
    "/admin/",
    "/healthz",
    "/readyz",
    "/static/",
    "/api/",
    "/favicon.ico",
]
# Each process's in-memory copy of the hottest cached responses, in bytes (0: none).
VERSUS_LOCAL_CACHE_BYTES = env.int("VERSUS_LOCAL_CACHE_BYTES", default=32 * 2**20)

# The package index `manage.py sync_registry` reads (a JSON API like PyPI's): empty means the
# client library's own default, PyPI. Seconds to wait for each answer.
PACKAGE_INDEX_URL = env.str("VERSUS_PACKAGE_INDEX_URL", default="")
PACKAGE_INDEX_TIMEOUT = env.int("VERSUS_PACKAGE_INDEX_TIMEOUT", default=10)
PACKAGE_INDEX_NAME = env.str("VERSUS_PACKAGE_INDEX_NAME", default="PyPI")  # as pages name it

# --- Cache --------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# How long a Redis command (or opening a connection) may take before it counts as failed:
# a dead or stalled Redis then costs each request a fraction of a second, not a hang.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.25)
# The public cache (comparisons/caching.py) reads and writes through its own alias, "public",
# on the same server: there a failure raises, so it can tell "unreachable" from "a miss"
# (and serves from the database, uncached, until the cache is back). Every other user of the
# cache (DRF's throttles) uses "default", where django-redis logs a failure and answers as
# for a miss (IGNORE_EXCEPTIONS): throttles fail open while Redis is away.


def redis_caches(url, *, key_prefix="versus", timeout=0.25):
    """CACHES for Redis at `url`: "default" and the public cache's own alias, "public".

    django-redis keeps its Redis client for the process; Django's own Redis backend builds a
    new one on every call (~380 µs for the generation read every request does, against
    ~160 µs: docs/performance.md). LOCATION may list several servers (the first takes
    writes), and OPTIONS reach django-redis and redis-py. Both aliases share one connection
    pool (django-redis keeps one per URL)."""
    options = {
        "SOCKET_CONNECT_TIMEOUT": timeout,
        "SOCKET_TIMEOUT": timeout,
        # Tells the public cache whenever a connection is (re)opened: Redis may have been
        # away, and come back with a content state older than the database's.
        "CONNECTION_POOL_CLASS": "comparisons.caching.WatchedConnectionPool",
    }
    default = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "TIMEOUT": 60 * 60,
        "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True},
    }
    return {"default": default, "public": {**default, "OPTIONS": options}}


if REDIS_URL:
    CACHES = redis_caches(
        REDIS_URL, key_prefix=env.str("CACHE_KEY_PREFIX", default="versus"), timeout=REDIS_TIMEOUT
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "versus",
            "TIMEOUT": 60 * 60,
        }
    }
    CACHES["public"] = CACHES["default"]  # the same store (local memory is keyed by LOCATION)
# What django-redis ignores under IGNORE_EXCEPTIONS, it logs (logger django_redis.cache).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Auth ---------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Client addresses and sign-in lock-out ------------------------------------------------
# How many reverse proxies in front of Versus append the client's address to
# X-Forwarded-For. 0 (the default): none, the client is the connection's address
# (REMOTE_ADDR) and X-Forwarded-For is ignored, so a client cannot choose its own address.
# With N, the Nth address from the right is the client's. The API's rate limits (DRF's
# NUM_PROXIES) and the sign-in lock-out (api.throttling.client_address, DRF's own rule)
# both read this one number.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# django-axes: after LOGIN_FAILURE_LIMIT failed sign-ins for one account, or from one
# address, sign-ins (the admin's and the API's token endpoint) are refused for
# LOGIN_LOCKOUT_MINUTES after the last failure, even with the right password. The attempts
# are kept in the database (the admin lists them under Axes), so a lock-out holds across
# workers and while the cache is away.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; development serves files as they are.
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}

# --- Security -----------------------------------------------------------------------------
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# config/headers.py: nobody else may embed our responses.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# django-csp. Nothing but what we serve ourselves, and nothing inline: every script and style
# is a file under /static/ (no 'unsafe-inline', no 'unsafe-eval', no style="" attributes).
# The API docs add what they need on their own responses (api/views.py). docs/deploy.md says
# why each directive is there.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}
# django-permissions-policy: no page uses any of these browser features, so none may.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera",
        "display-capture", "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid",
        "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
}  # fmt: skip
# Request size limits, answered under /api/ in the JSON error shape (config/errors.py): a
# body over 2.5 MiB (Django's default, also the API parser's limit) is a 413, a URI over
# MAX_URI_LENGTH bytes of path and query a 414. gunicorn lets request lines up to 8,190
# bytes through (config/gunicorn.py), so URIs between the two limits reach Django.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_URI_LENGTH = 4_096

# --- REST framework and OpenAPI -----------------------------------------------------------
# Anonymous users read; writes need a token (programs) or a session with CSRF (the browser)
# and the model's Django permission, so the admin's editor group governs the API too.
# TokenAuthentication comes first: its WWW-Authenticate header is what turns an anonymous
# write into a 401 (rather than a 403).
API_THROTTLE_ANON = env.str("API_THROTTLE_ANON", default="120/minute")
API_THROTTLE_USER = env.str("API_THROTTLE_USER", default="600/minute")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.VersusAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    # orjson writes the JSON (a page of 100 cells in ~0.15 ms against ~1 ms), datetimes as
    # DRF's own fields write them (ISO 8601, "Z" for UTC).
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "ORJSON_RENDERER_OPTIONS": [orjson.OPT_UTC_Z],
    # JSON only, at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes and 32 levels deep (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "api.filters.StrictFilterBackend",
        "api.filters.StrictSearchFilter",
        "api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON, "user": API_THROTTLE_USER},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Versus API",
    "DESCRIPTION": (
        "Sourced, typed comparisons of Python web frameworks: everything the website shows, "
        "as JSON.\n\n"
        "**Reading** needs no account. Lists are paginated (`page`, `page_size` up to 100) "
        "and take filters, `search` and `ordering`. Records are looked up by slug where they "
        "have one; cells, claims, results, points and recommendations by id.\n\n"
        "**Writing** needs a token (`Authorization: Token <key>`, from "
        "`POST /api/v1/auth/token/`) or a browser session with its CSRF token, and the "
        "matching Django permission (the admin's editor group). Drafts are visible only to "
        "users who may change them. A change saves only the fields you send; send the "
        "record's `ETag` in `If-Match` and a stale change (or delete) is refused with 412.\n\n"
        "**Errors** always have the same shape, 500s included: "
        '`{"error": {"status", "code", "message", "fields"}}`.\n\n'
        "**Limits**: a request body is JSON of at most 2,621,440 bytes (2.5 MiB; larger is a "
        "413) nested at most 32 levels deep (deeper is a 400); a URL is at most 4,096 bytes "
        "of path and query (longer is a 414). Values must have the type the schema gives "
        "them: a string in quotes, a number without, `true`/`false` for booleans (`0` for "
        'a string or `"1"` for a number is a 400).'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.error_response_components",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SupportLevelEnum": "comparisons.choices.SupportLevel",
        "StatusEnum": "comparisons.choices.Status",
        "ToneEnum": "comparisons.choices.Tone",
        "FrameworkKindEnum": "comparisons.choices.FrameworkKind",
        "InterfaceEnum": "comparisons.choices.Interface",
        "FeatureKindEnum": "comparisons.choices.FeatureKind",
        "SourceKindEnum": "comparisons.choices.SourceKind",
        "DatePrecisionEnum": "comparisons.choices.DatePrecision",
        "PlaceEnum": "comparisons.choices.Place",
        "FigureEnum": "comparisons.choices.Figure",
        "PointKindEnum": "comparisons.choices.PointKind",
        "FitEnum": "comparisons.choices.Fit",
        "RequirementKindEnum": "comparisons.choices.RequirementKind",
    },
    "TAGS": [
        {"name": "frameworks", "description": "The frameworks Versus compares."},
        {"name": "categories", "description": "Groups of features, in display order."},
        {"name": "features", "description": "What is compared, with rating scales."},
        {"name": "supports", "description": "Cells: one framework × one feature, the verdict."},
        {"name": "sources", "description": "Articles, documentation and reports we cite."},
        {"name": "claims", "description": "What one source says about one cell."},
        {"name": "benchmarks", "description": "Benchmarks with their context and results."},
        {"name": "benchmark-results", "description": "One framework's figure in a benchmark."},
        {"name": "points", "description": "Strengths and weaknesses, each from a source."},
        {"name": "use-cases", "description": "Situations, with the frameworks recommended."},
        {"name": "recommendations", "description": "A source recommends a framework for a case."},
        {"name": "compare", "description": "The comparison matrix the website renders."},
        {"name": "auth", "description": "Tokens for programs."},
    ],
    # No validator badge: it would send the schema to an outside service.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "persistAuthorization": False,
        "validatorUrl": None,
    },
}

# The API from any origin, never with credentials (cookies): a page elsewhere reads, and
# writes only with a token it holds (`Authorization`), never with a visitor's session.
# Conditional requests work across origins too, and a script may read the headers that
# carry meaning: validators, pagination links, the new record's URL, when to retry.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
CORS_ALLOW_HEADERS = (*default_cors_headers, "if-match", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Link", "Location", "Retry-After")

# --- Bulk import/export (admin) -----------------------------------------------------------
# One transaction per file; importing needs the model's change permission, exporting its view
# permission. Formula-looking cells are escaped by the formats themselves
# (comparisons/spreadsheets.py): the library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only
# strips one leading "=", which leaves "==1+1", "+", "-" and "@" live in a spreadsheet.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # Not the line django-axes logs at every start (every manage.py command); its sign-in
    # failures and lock-outs still are.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}
