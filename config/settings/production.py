"""Production settings: PostgreSQL, Redis, everything from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, MIDDLEWARE, REDIS_URL, env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not REDIS_URL:
    raise RuntimeError("REDIS_URL must be set in production")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise RuntimeError("DATABASE_URL must point at PostgreSQL in production")
# Residents' ID numbers are encrypted with their own key: a key derived from SECRET_KEY would be
# lost with every SECRET_KEY rotation and leak with every SECRET_KEY leak.
MINQING_FIELD_KEY = env.list("MINQING_FIELD_KEY", default=[])
if not MINQING_FIELD_KEY:
    raise ImproperlyConfigured(
        "MINQING_FIELD_KEY must be set in production (a Fernet key: python -c 'from "
        "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
    )
# Phones are looked up by a keyed hash (HMAC): its key is its own for the same reasons, and a
# changed key makes every stored hash unfindable, so it must be set once and kept.
MINQING_HASH_KEY = env("MINQING_HASH_KEY", default="")
if len(MINQING_HASH_KEY) < 32:
    raise ImproperlyConfigured(
        "MINQING_HASH_KEY must be set in production: at least 32 random characters, kept for "
        "good (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
    )

# WhiteNoise serves the collected static files from the app process, right after security.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- HTTPS -----------------------------------------------------------------------------------
# The proxy in front terminates TLS and must set X-Forwarded-Proto (and strip it from clients).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer's health probe speaks plain HTTP to the app; a redirect would fail it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# One year; start lower (e.g. 3600) on a new domain, as browsers remember it for this long.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading binds the whole registrable domain (a county's gov.cn domain and all its sites) to
# HTTPS in browsers' built-in lists, beyond quick undoing: its owner's decision, not this app's.
# Off by default, and the check that asks for it is silenced only while it is off.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The API's schema describes every endpoint and field: only people who log in may read it.
MINQING_API_DOCS_LOGIN_REQUIRED = env.bool("MINQING_API_DOCS_LOGIN_REQUIRED", default=True)
# Supervisors, administrators and staff sign in with a second factor (TOTP or a recovery code).
MINQING_REQUIRE_2FA = env.bool("MINQING_REQUIRE_2FA", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
