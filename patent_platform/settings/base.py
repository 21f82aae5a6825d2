"""Settings shared by every environment; every value is read through environ.Env()."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "core",
    "accounts",
    "imports",
    "patents",
    "enterprises",
    "matching",
    "dashboards",
    "demo",
    "portal",
]

MIDDLEWARE = [
    "core.middleware.HealthCheckMiddleware",  # first: /healthz answers before the host check and HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstMiddleware",
    "core.middleware.NulCharacterMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.ServiceUnavailableMiddleware",  # Redis down: 503 with Retry-After, not a 500
    # axes last: it needs the authenticated user and must see every login attempt
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "patent_platform.urls"
WSGI_APPLICATION = "patent_platform.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.platform",
                "accounts.access.nav_access",
            ],
        },
    },
]

# Embedded default: SQLite in the project folder; DATABASE_URL switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` writes from several threads at once (runserver's request threads, the matching run's thread), and
    # SQLite has one writer at a time. WAL: readers never wait for the writer (nor it for them); synchronous=NORMAL is
    # safe in WAL (a power cut may lose the last commits, never corrupt the file). IMMEDIATE: every transaction
    # takes the write lock when it begins, so a busy database makes it wait (up to `timeout` seconds) instead of
    # failing at once with "database is locked" — what a transaction that read first and then wanted to write got —
    # and two transactions that check a state before changing it (a docking request signed twice at once) run one
    # after the other: the second sees the first's change and answers 409. The matching run keeps its own write
    # transactions short (matching.runs.writes), so nobody waits long.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": env.int("DJANGO_SQLITE_BUSY_TIMEOUT", default=30),
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock out a username from one address after repeated failures: an attacker elsewhere cannot lock the owner out, and
# a whole university behind one NAT address is not locked out by one person (the per-IP throttles below cap guessing).
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# the platform's lockout page (registration/lockout.html: how long, until when, what to do; Chinese first, English
# catalog) instead of axes' English one-liner, with Retry-After; the status stays axes' 429
AXES_LOCKOUT_CALLABLE = "core.lockout.sign_in_locked_out_response"
# The client's address: REMOTE_ADDR, or the last X-Forwarded-For hop only behind our own reverse proxy (a header a
# client sets itself would otherwise pick its lockout and throttle bucket).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
# API tokens stop working this many days after they were issued; signing out revokes the token at once.
API_TOKEN_TTL_DAYS = env.int("DJANGO_API_TOKEN_TTL_DAYS", default=30)

# Content-Security-Policy (django-csp 4): scripts and styles only from our own files (ECharts and Swagger UI are served
# from static/ and the sidecar). No inline script, on…= handler, <style> element or style="…" attribute anywhere:
# templates link static/css, and scripts style elements through element.style (CSSOM), which the policy allows —
# ECharts draws that way, and the dashboard's tooltips are DOM built by static/js/dashboard.js. data: images are
# Swagger UI's icons. tests/core/test_content_security_policy.py and tests/browser/test_content_security_policy.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# zh-hans numbers read 13,460 like English (Django's own zh_Hans formats print 13460): see core/formatting.py.
FORMAT_MODULE_PATH = ["patent_platform.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))


def artifacts_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """STORAGES["artifacts"], where matching runs keep their files (matching.runs.artifacts), from the environment:
    an S3-compatible bucket (django-storages) when PLATFORM_ARTIFACTS_S3_BUCKET is set — so workers on other hosts
    read what the preparing worker wrote —, else a directory: PLATFORM_ARTIFACTS_ROOT (a volume every host mounts),
    by default the media directory. Credentials: boto3's own AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an
    instance role); PLATFORM_ARTIFACTS_S3_ENDPOINT_URL for MinIO or another S3-compatible service."""
    bucket = environ.get("PLATFORM_ARTIFACTS_S3_BUCKET", "")
    if not bucket:
        root = environ.get("PLATFORM_ARTIFACTS_ROOT", "")  # none: MEDIA_ROOT, followed when a test changes it
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root} if root else {}}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": environ.get("PLATFORM_ARTIFACTS_S3_PREFIX", ""),
        "file_overwrite": True,  # a run's files have unique paths and are replaced on purpose
        "querystring_auth": False,  # never served: only workers and web processes read them, with credentials
        "default_acl": None,
    }
    for name, option in (("ENDPOINT_URL", "endpoint_url"), ("REGION", "region_name")):
        if environ.get(f"PLATFORM_ARTIFACTS_S3_{name}"):
            options[option] = environ[f"PLATFORM_ARTIFACTS_S3_{name}"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "artifacts": artifacts_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="locmemcache://patent-platform")}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="专利盘活对接平台 <noreply@patent-platform.local>")

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # token first: its WWW-Authenticate challenge makes a refused call 401 rather than 403
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # JSON only: DRF's browsable API (HTML) is for development (settings/local.py adds it when DEBUG); people read the
    # API at /api/docs/ (Swagger UI), which works under the Content-Security-Policy
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.IdFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.api_exception_handler",
    # per client address (core.http.client_ip); the sign-in page and the sign-up page use the same rates
    "DEFAULT_THROTTLE_RATES": {
        "login": env("DJANGO_THROTTLE_LOGIN", default="10/min"),
        "registration": env("DJANGO_THROTTLE_REGISTRATION", default="10/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "专利盘活对接平台 API",
    "DESCRIPTION": "Patent-to-enterprise matching platform: inventory, enterprises, docking, matching.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # `<id:pk>` (common.numbers.IdConverter): an integer id
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    # One name per choice set, so clients get stable enum names.
    "ENUM_NAME_OVERRIDES": {
        "InventoryStatusEnum": "patents.models.InventoryStatus",
        "TransferModeEnum": "patents.models.TransferMode",
        "InstitutionKindEnum": "patents.models.Institution.Kind",
        "ImportJobKindEnum": "imports.models.ImportJob.Kind",
        "ImportJobStatusEnum": "imports.models.ImportJob.Status",
        "MatchRunStatusEnum": "matching.models.MatchRun.Status",
        "TechNeedStatusEnum": "enterprises.models.TechNeed.Status",
        "DockingStatusEnum": "enterprises.models.DockingStatus",
        "DockingKindEnum": "enterprises.models.DockingRequest.Kind",
        "EnterpriseVerificationEnum": "enterprises.models.Enterprise.Verification",
        "EnterpriseClaimStatusEnum": "enterprises.models.EnterpriseClaim.Status",
        "EnterpriseClaimMethodEnum": "enterprises.models.EnterpriseClaim.Method",
    },
}

# --- Celery -----------------------------------------------------------------------------------
# No broker configured → tasks run in-process (eager), so `make run` needs nothing but Python.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not (REDIS_URL or env("CELERY_BROKER_URL", default=""))
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = False  # opt in per idempotent task
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Unacked messages come back after this many seconds when a worker dies; must exceed every time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60),
}
CELERY_TASK_ROUTES = {"matching.tasks.*": {"queue": "matching"}}
CELERY_BEAT_SCHEDULE: dict = {
    "docking-expire-due": {"task": "enterprises.tasks.docking_expire_due_task", "schedule": 3600.0},
    "matching-nightly": {"task": "matching.tasks.match_run_nightly_task", "schedule": crontab(hour=2, minute=30)},
    "stalled-work-redispatch": {"task": "core.stalled_work_redispatch_task", "schedule": 60.0},
    "import-files-purge": {"task": "core.import_files_purge_task", "schedule": crontab(hour=3, minute=15)},
    "import-jobs-expire": {"task": "imports.import_jobs_expire_task", "schedule": 3600.0},
    "alerts-daily": {"task": "matching.tasks.alerts_send_task", "schedule": crontab(hour=7, minute=0)},
}
# at most this many patents of one change are re-ranked for at once (a bulk pooling of hundreds waits for the next
# full run for the stored lists), and the best this many enterprises of each are considered
MATCHING_POOL_REFRESH_PATENTS = env.int("PLATFORM_MATCHING_POOL_REFRESH_PATENTS", default=20)
MATCHING_POOL_REFRESH_ENTERPRISES = env.int("PLATFORM_MATCHING_POOL_REFRESH_ENTERPRISES", default=50)
# unfinished matching runs and imports that show no progress for this long are sent to the workers again (a broker
# message lost when Redis restarted without persistence); longer than any single chunk or import step takes. The
# apps that own the work register their sweepers in AppConfig.ready (core.jobs.register_sweeper); a changed need or
# pool reaches matching through enterprises.hooks / patents.hooks, registered the same way (no dotted paths here)
RECOVERY_STALLED_SECONDS = env.int("PLATFORM_RECOVERY_STALLED_SECONDS", default=180)
# no broker (`make run`): a full matching run goes to a background thread of the server, not into the request
MATCHING_LOCAL_EXECUTOR = env.bool("PLATFORM_MATCHING_LOCAL_EXECUTOR", default=CELERY_TASK_ALWAYS_EAGER)
# with a broker, a run still pending/running after this long is abandoned (failed) so a new one can start
MATCHING_RUN_ABANDONED_SECONDS = env.int("PLATFORM_MATCHING_RUN_ABANDONED_SECONDS", default=6 * 3600)

# --- Platform ---------------------------------------------------------------------------------
PLATFORM_PROVINCE_CODE = env("PLATFORM_PROVINCE_CODE", default="42")  # Hubei
# county-level divisions a province administers directly (省直辖县级行政区划; code,name,cityCode,provinceCode): a
# region naming one of them belongs to its cityCode (core.selectors.city_for_region)
PLATFORM_COUNTIES_FILE = Path(
    env("PLATFORM_COUNTIES_FILE", default=str(BASE_DIR / "core" / "data" / "province-administered-counties.csv"))
)
UPLOAD_MAX_BYTES = env.int("PLATFORM_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
# caps on an uploaded table, checked before its rows are parsed (common.tabular); errors kept per import job
IMPORT_MAX_COLUMNS = env.int("PLATFORM_IMPORT_MAX_COLUMNS", default=200)
IMPORT_MAX_ROWS = env.int("PLATFORM_IMPORT_MAX_ROWS", default=500_000)
IMPORT_MAX_CELLS = env.int("PLATFORM_IMPORT_MAX_CELLS", default=5_000_000)
IMPORT_MAX_CELL_CHARS = env.int("PLATFORM_IMPORT_MAX_CELL_CHARS", default=100_000)
IMPORT_MAX_SHARED_STRINGS = env.int("PLATFORM_IMPORT_MAX_SHARED_STRINGS", default=500_000)
IMPORT_MAX_XML_PART_BYTES = env.int("PLATFORM_IMPORT_MAX_XML_PART_BYTES", default=100 * 1024 * 1024)
IMPORT_MAX_STORED_ERRORS = env.int("PLATFORM_IMPORT_MAX_STORED_ERRORS", default=1000)
IMPORT_FILE_RETENTION_DAYS = env.int("PLATFORM_IMPORT_FILE_RETENTION_DAYS", default=30)
# a previewed import not confirmed this many hours after its upload expires (beat, hourly) and its upload is deleted
IMPORT_CONFIRM_HOURS = env.int("PLATFORM_IMPORT_CONFIRM_HOURS", default=24)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# deepest nesting a JSON request body may have: deeper is a 400 (the API's own bodies are a few levels deep)
API_JSON_MAX_DEPTH = env.int("PLATFORM_API_JSON_MAX_DEPTH", default=32)
# largest JSON request body, refused (413) before it is parsed: the API's bodies are a few KB (5,000 ids ~ 50 KB)
API_JSON_MAX_BYTES = env.int("PLATFORM_API_JSON_MAX_BYTES", default=1024 * 1024)
# matching, search, push, alerts and supply-and-demand: patent_platform/settings/matching.py
from patent_platform.settings.matching import *  # noqa: E402, F403

DOCKING_OVERDUE_DAYS = env.int("PLATFORM_DOCKING_OVERDUE_DAYS", default=7)
# days a docking request stays open when the enterprise gives no deadline; largest signed contract accepted (never
# above UPLOAD_MAX_BYTES)
DOCKING_EXPIRY_DAYS = env.int("PLATFORM_DOCKING_EXPIRY_DAYS", default=60)
DOCKING_CONTRACT_MAX_BYTES = env.int("PLATFORM_DOCKING_CONTRACT_MAX_BYTES", default=10 * 1024 * 1024)
# days a claim code the bureau issues for a registry enterprise stays valid (single use; a newer code revokes it)
CLAIM_CODE_DAYS = env.int("PLATFORM_CLAIM_CODE_DAYS", default=14)
# dashboards: how long computed figures stay cached (services that write invalidate sooner), and the national
# share (%) of inventions among granted patents shown beside the invention share (CNIPA annual report, ~2023)
DASHBOARD_CACHE_SECONDS = env.int("PLATFORM_DASHBOARD_CACHE_SECONDS", default=900)
DASHBOARD_NATIONAL_INVENTION_SHARE = env.float("PLATFORM_DASHBOARD_NATIONAL_INVENTION_SHARE", default=25.2)
# where users reach the platform: e-mails carry absolute links (a notification's page is stored as a path)
SITE_URL = env("PLATFORM_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SHOW_DEMO_BANNER = env.bool("PLATFORM_SHOW_DEMO_BANNER", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# Open-licence (开放许可) caps checked when an officer declares terms. Configurable: confirm against the
# CNIPA rules in force before production (see README).
OPEN_LICENCE_CAPS = {
    "royalty_rate_max": env.int("PLATFORM_OPEN_LICENCE_ROYALTY_MAX_PCT", default=10),
    "lump_sum_max": env.int("PLATFORM_OPEN_LICENCE_LUMP_SUM_MAX", default=5_000_000),
    "entry_fee_max": env.int("PLATFORM_OPEN_LICENCE_ENTRY_FEE_MAX", default=1_000_000),
}
