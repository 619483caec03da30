"""Settings shared by every environment; values come from the environment.

Only ``local``, ``production`` and ``test`` are meant to be used as ``DJANGO_SETTINGS_MODULE``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- Database --------------------------------------------------------------------------------
# With no DATABASE_URL the project runs on a SQLite file: a newcomer needs no server.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a lock rather than fail at once when the demo sweep and a request overlap.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Ours, in dependency order: casework is the core the other two build on.
    "casework",
    "requests_app",
    "scoring",
    "open311",
    # Signed webhooks and group robots: listens to casework's events, casework knows it not.
    "webhooks",
    # Category and unit suggested from a request's text (智能派单); reads requests and cases.
    "dispatch",
    # The residents' own door (channel online) and their rating of the result.
    "selfservice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casework.logins.SessionIdleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "casework.logins.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "casework.context_processors.navigation",
            ],
        },
    },
]

# --- People ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "casework.User"
# django-axes first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "casework.auth.DemoAwareBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout (django-axes): every door that checks a password goes through authenticate(),
# so the login page and the admin's login are both counted. A username+address pair is locked,
# whether or not the username exists, so the lockout tells nothing about who has an account.
AXES_ENABLED = env.bool("MINQING_LOGIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env.int("MINQING_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("MINQING_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.logins.lockout_response"
# The address is casework.throttle.client_address, the same as the API's throttles and the
# public pages' budget: REMOTE_ADDR unless the deployment declares its proxy header below.
AXES_CLIENT_IP_CALLABLE = "casework.throttle.client_address"
# The client's address behind a reverse proxy: the META name of the header the proxies write
# (e.g. HTTP_X_FORWARDED_FOR) and how many proxies are in front. Unset: REMOTE_ADDR, and no
# header is trusted (a client can write any header itself).
MINQING_CLIENT_IP_HEADER = env("MINQING_CLIENT_IP_HEADER", default="")
MINQING_TRUSTED_PROXIES = env.int("MINQING_TRUSTED_PROXIES", default=1)

# Two factors (django-otp, TOTP with recovery codes) for supervisors, administrators, staff and
# superusers. Off outside production so that a fresh checkout and the tests log in with a password.
MINQING_REQUIRE_2FA = env.bool("MINQING_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "Minqing"

# Shared tablets: a session ends after this long without a request, and when the browser closes.
MINQING_IDLE_MINUTES = env.int("MINQING_IDLE_MINUTES", default=30)
# casework.logins.SessionIdleMiddleware saves an active session again once a minute.
SESSION_COOKIE_AGE = MINQING_IDLE_MINUTES * 60
# How long a field page kept on a device is shown with no network (a working day by default);
# after that, and whenever the session is found ended, the device shows the offline page.
MINQING_OFFLINE_KEEP_HOURS = env.int("MINQING_OFFLINE_KEEP_HOURS", default=12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Browser security --------------------------------------------------------------------------
# Shared by every environment, so a page that breaks the policy breaks on a developer's machine
# and in the tests first, not in production. HTTPS-only settings live in production.py.
X_FRAME_OPTIONS = "DENY"
# Tracking codes travel in /track/ URLs: never send a path to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# The offline intake page (static/requests_app/intake.js) reads the CSRF cookie to resend queued
# requests, so it stays readable by scripts; Django's docs explain why that costs nothing.
CSRF_COOKIE_HTTPONLY = False
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Scripts only from our own static files: no inline <script>, no onclick="…", no eval.
        "script-src": ["'self'"],
        # Stylesheets only from our own files, and no <style> elements (htmx's are turned off in
        # base.html, Swagger UI's are replaced in templates/api/swagger_ui.html). Style
        # *attributes* are allowed: the server-drawn bars of the dashboard and the scoring summary
        # carry their length as style="--w: 40" / style="width: 40%", a value per row that no
        # hash can cover. Autoescaping keeps user text out of attributes, and a style attribute
        # cannot run script; a browser without CSP level 3 falls back to style-src and merely
        # draws the bars empty.
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        # Swagger UI's stylesheet draws its icons as data: SVG images.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a refused or missing token answers 401 with WWW-Authenticate: Token.
        "casework.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's own JSON parser, with a bound on nesting (a deeply nested body is a 400, not a 500).
    "DEFAULT_PARSER_CLASSES": [
        "casework.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "casework.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "casework.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # casework/throttle.py: per person, per token, per anonymous address, and stricter scopes
    # (reveal, export, track) per person. 429 with Retry-After; counted in the default cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "casework.throttle.AnonThrottle",
        "casework.throttle.UserThrottle",
        "casework.throttle.TokenThrottle",
        "casework.throttle.ScopeThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("MINQING_RATE_ANON", default="60/min"),
        "user": env("MINQING_RATE_USER", default="600/min"),
        "token": env("MINQING_RATE_TOKEN", default="300/min"),
        "reveal": env("MINQING_RATE_REVEAL", default="10/min"),
        "export": env("MINQING_RATE_EXPORT", default="20/hour"),
        "track": env("MINQING_RATE_TRACK", default="30/min"),
        "door": env("MINQING_RATE_DOOR", default="30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minqing 民情 API",
    "DESCRIPTION": "Residents' requests, casework and star ratings.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files: the site works with no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    # The API's one error shape on every operation (401, 403, 429 with Retry-After, 400, 404).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casework.api.schema.add_error_responses",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for each choice set that several fields share (a case's state, before and after).
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "casework.models.cases.CaseState",
        "EventKindEnum": "casework.models.cases.EventKind",
        "UnitKindEnum": "casework.models.org.UnitKind",
        "ExtensionStateEnum": "casework.models.cases.ExtensionState",
        "VisitKindEnum": "requests_app.models.visits.VisitKind",
        "ServiceCardKindEnum": "scoring.models.ServiceCardKind",
        "AppealStatusEnum": "scoring.models.appeals.AppealStatus",
        "AppealEventKindEnum": "scoring.models.appeals.AppealEventKind",
        "CadenceKindEnum": "scoring.models.dual_cadence.CadenceKind",
        "RoundStatusEnum": "scoring.models.honours.RoundStatus",
        "NominationStatusEnum": "scoring.models.honours.NominationStatus",
        "HonourActionKindEnum": "scoring.models.honours.HonourActionKind",
        "CallbackOutcomeEnum": "requests_app.models.callbacks.CallbackOutcome",
    },
}

# Outside production anyone may read the schema and its docs; production requires a login.
MINQING_API_DOCS_LOGIN_REQUIRED = env.bool("MINQING_API_DOCS_LOGIN_REQUIRED", default=False)
# A personal API token expires this long after it is made (the expiry is fixed then: a change
# applies to tokens made afterwards); the person makes a new one on /me/tokens/.
MINQING_TOKEN_TTL_HOURS = env.int("MINQING_TOKEN_TTL_HOURS", default=24 * 30)
# Live (not revoked, not expired) tokens one person may hold.
MINQING_TOKENS_PER_PERSON = env.int("MINQING_TOKENS_PER_PERSON", default=10)

# --- Celery and cache ------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
        }
    }
else:
    # Embedded default: tasks run in-process, the cache lives in memory.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "casework.tasks.sweep_deadlines",
        "schedule": env.float("MINQING_SWEEP_SECONDS", default=60.0),
        # A sweep that could not start within its minute is dropped: the next one catches up.
        "options": {"expires": env.float("MINQING_SWEEP_SECONDS", default=60.0)},
    },
    "prune-idempotency-keys": {
        "task": "requests_app.prune_idempotency_keys",
        "schedule": crontab(hour=3, minute=17),
    },
    "scoring-compute-due": {
        "task": "scoring.compute_due",
        "schedule": crontab(hour=2, minute=30),
    },
    "daily-digest": {
        "task": "casework.tasks.daily_digest",
        "schedule": crontab(hour=7, minute=30),
    },
    "anonymise-residents": {
        "task": "requests_app.anonymise_residents",
        "schedule": crontab(hour=3, minute=41),
    },
    "webhooks-retry-due": {
        "task": "webhooks.retry_due",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    # 遍访: from MINQING_VISIT_REMINDER_DAY on, secretaries with no visit this month are told,
    # once a month each (the task is safe to run daily and twice at once).
    "remind-visits": {
        "task": "requests_app.remind_visits",
        "schedule": crontab(hour=9, minute=7),
    },
    "draw-callback-samples": {
        "task": "requests_app.draw_callback_samples",
        "schedule": crontab(day_of_month=1, hour=1, minute=23),
    },
    # 智能派单: a new version of the suggestion model from the week's history, Monday night.
    "dispatch-train": {
        "task": "dispatch.train",
        "schedule": crontab(day_of_week=1, hour=2, minute=47),
        "options": {"queue": "scoring"},
    },
}
# One queue per kind of work, so a burst of deliveries or a quarter's scoring never holds up the
# minute's sweep: production runs one worker on "sweep" alone and others on the rest (README).
# A worker started without -Q consumes every queue listed here (a developer's machine, tests).
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "sweep", "deliveries", "scoring")]
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "casework.tasks.sweep_deadlines": {"queue": "sweep"},
    "casework.tasks.deliver": {"queue": "deliveries"},
    "casework.tasks.daily_digest": {"queue": "deliveries"},
    "scoring.*": {"queue": "scoring"},
    "webhooks.*": {"queue": "deliveries"},
    "selfservice.*": {"queue": "deliveries"},
    "dispatch.*": {"queue": "scoring"},
}
# Redis redelivers a message whose worker died once this many seconds have passed.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 3600)
}

# The site's address as residents reach it (https://minqing.example.org), for links sent by SMS
# (the resident's rating link). Without it the link is a path only.
MINQING_PUBLIC_URL = env("MINQING_PUBLIC_URL", default="")

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Minqing ---------------------------------------------------------------------------------
# Demo logins (users flagged is_demo) are refused unless DEBUG is on.
# Public on purpose (README): demo users are refused whenever DEBUG is off.
MINQING_DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105
# Days a resident may stay unreachable after a case is resolved before it may be closed without
# feedback (回访不上).
MINQING_FEEDBACK_WAIT_DAYS = env.int("MINQING_FEEDBACK_WAIT_DAYS", default=3)
# How many times one unit may have the deadline of one case moved (延期).
MINQING_MAX_EXTENSIONS = env.int("MINQING_MAX_EXTENSIONS", default=2)
# How long an overdue case waits at one level before it climbs to the next (督办).
MINQING_ESCALATION_PERIOD_HOURS = env.int("MINQING_ESCALATION_PERIOD_HOURS", default=24)
# SMS goes through this class (``send(*, phone, text, key)``); the default writes to the log.
MINQING_SMS_BACKEND = env("MINQING_SMS_BACKEND", default="casework.channels.ConsoleSMSBackend")
# webhooks.sms.AliyunSMSBackend (阿里云短信 SendSms) reads these; see docs for the template.
MINQING_ALIYUN_SMS_ACCESS_KEY_ID = env("MINQING_ALIYUN_SMS_ACCESS_KEY_ID", default="")
MINQING_ALIYUN_SMS_ACCESS_KEY_SECRET = env("MINQING_ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
MINQING_ALIYUN_SMS_SIGN_NAME = env("MINQING_ALIYUN_SMS_SIGN_NAME", default="")
MINQING_ALIYUN_SMS_TEMPLATE_CODE = env("MINQING_ALIYUN_SMS_TEMPLATE_CODE", default="")
MINQING_ALIYUN_SMS_TEMPLATE_PARAM = env("MINQING_ALIYUN_SMS_TEMPLATE_PARAM", default="text")
MINQING_ALIYUN_SMS_PARAM_LIMIT = env.int("MINQING_ALIYUN_SMS_PARAM_LIMIT", default=35)
MINQING_ALIYUN_SMS_ENDPOINT = env(
    "MINQING_ALIYUN_SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com/"
)
MINQING_ALIYUN_SMS_REGION = env("MINQING_ALIYUN_SMS_REGION", default="cn-hangzhou")
# Webhooks and group robots (webhooks/): outbound HTTP timeout (also the Aliyun SMS call), the
# attempts before a delivery is given up, and the waits between them (seconds, last repeats).
MINQING_WEBHOOK_TIMEOUT_SECONDS = env.float("MINQING_WEBHOOK_TIMEOUT_SECONDS", default=5.0)
MINQING_WEBHOOK_MAX_ATTEMPTS = env.int("MINQING_WEBHOOK_MAX_ATTEMPTS", default=6)
MINQING_WEBHOOK_BACKOFF_SECONDS = env.list(
    "MINQING_WEBHOOK_BACKOFF_SECONDS", cast=int, default=[60, 300, 1800, 7200, 43200]
)
MINQING_SWEEP_SECONDS = env.float("MINQING_SWEEP_SECONDS", default=60.0)
# With no broker (the embedded default), the web process runs the sweep itself on this timer.
MINQING_SWEEP_IN_PROCESS = env.bool("MINQING_SWEEP_IN_PROCESS", default=not REDIS_URL)
# A worker that claimed an email/SMS this long ago and never finished is taken to be dead.
MINQING_CLAIM_LEASE_SECONDS = env.int("MINQING_CLAIM_LEASE_SECONDS", default=600)
# The sweep queues again a pending email/SMS older than this (the broker may have lost it).
MINQING_REQUEUE_AFTER_SECONDS = env.int("MINQING_REQUEUE_AFTER_SECONDS", default=60)
# Fernet key(s) for residents' ID numbers, newest first; unset: derived from SECRET_KEY (then
# rotating SECRET_KEY makes stored ID numbers unreadable). Production refuses to start without it.
MINQING_FIELD_KEY = env.list("MINQING_FIELD_KEY", default=[])
MINQING_HASH_KEY = env("MINQING_HASH_KEY", default="")  # phone look-up HMAC; see personal.py
# Residents whose requests were all settled (cases closed or cancelled) more than this many
# years ago are anonymised by the nightly job (requests_app/services/retention.py).
MINQING_RETENTION_YEARS = env.int("MINQING_RETENTION_YEARS", default=3)
# Open311 GeoReport v2 (/open311/v2/): reads allowed per client address per 10 minutes; how far
# (metres) a reported point may be from a known place to be filed there; the discovery contact.
MINQING_OPEN311_READ_LIMIT = env.int("MINQING_OPEN311_READ_LIMIT", default=300)
MINQING_OPEN311_PLACE_RADIUS_M = env.int("MINQING_OPEN311_PLACE_RADIUS_M", default=2000)
MINQING_OPEN311_CONTACT = env("MINQING_OPEN311_CONTACT", default="")
# From this day of the month, each 民情书记 with no visit yet this month gets one reminder (遍访).
MINQING_VISIT_REMINDER_DAY = env.int("MINQING_VISIT_REMINDER_DAY", default=20)
# Call-back verification (抽查回访) of on-the-spot answers: each month's sample per worker is this
# share (percent) of their answers, at least MIN (all when fewer); RAISED after a failed
# call-back or for a flagged worker. Flagged: on-the-spot share more than OUTLIER_POINTS
# percentage points above the median of their town's workers who collected at least
# MIN_VOLUME requests that month (requests_app/services/callbacks.py).
MINQING_CALLBACK_RATE = env.int("MINQING_CALLBACK_RATE", default=10)
MINQING_CALLBACK_MIN = env.int("MINQING_CALLBACK_MIN", default=3)
MINQING_CALLBACK_RAISED_RATE = env.int("MINQING_CALLBACK_RAISED_RATE", default=30)
MINQING_CALLBACK_OUTLIER_POINTS = env.int("MINQING_CALLBACK_OUTLIER_POINTS", default=25)
MINQING_CALLBACK_MIN_VOLUME = env.int("MINQING_CALLBACK_MIN_VOLUME", default=10)
# 星级社区工作者: how many candidates a county's nomination round proposes from cumulative points
# by default (ties with the last included); the county may choose another number per round.
MINQING_HONOUR_CANDIDATES = env.int("MINQING_HONOUR_CANDIDATES", default=10)
# The issuing organisation printed on certificates, before the county's name is used.
MINQING_HONOUR_ISSUER = env("MINQING_HONOUR_ISSUER", default="中共{county}委组织部")
# The map's base tiles (requests_app/views/map.py): a Leaflet URL template such as the province's
# 天地图 service with its key, e.g. https://t{s}.tianditu.gov.cn/vec_w/wmts?…&TILEMATRIX={z}&
# TILEROW={y}&TILECOL={x}&tk=KEY, with MINQING_MAP_SUBDOMAINS=01234567. Unset (the default): no
# tiles are fetched, the points are drawn on a plain background. The tile host is added to the
# CSP's img-src only when set ({s} in the host becomes a * wildcard).
MINQING_MAP_TILES = env("MINQING_MAP_TILES", default="")
MINQING_MAP_ATTRIBUTION = env("MINQING_MAP_ATTRIBUTION", default="")
MINQING_MAP_SUBDOMAINS = env("MINQING_MAP_SUBDOMAINS", default="abc")
MINQING_MAP_TILE_SOURCE = ""
if MINQING_MAP_TILES:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MINQING_MAP_TILES)
    if _tiles.scheme not in ("https", "http") or not _tiles.netloc:
        raise ValueError("MINQING_MAP_TILES must be an http(s) URL template")
    _host = _tiles.netloc.split(".")
    if "{" in _host[0]:
        _host[0] = "*"
    MINQING_MAP_TILE_SOURCE = f"{_tiles.scheme}://{'.'.join(_host)}"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MINQING_MAP_TILE_SOURCE)
