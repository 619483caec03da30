"""Settings for the test suite.

Uses ``DATABASE_URL`` when set (CI sets it to PostgreSQL) and SQLite otherwise. Tasks run eagerly
unless a test starts a real worker itself.
"""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env

# Under pytest-xdist each worker has its own database (pytest-django adds ``_gw0``, ``_gw1``) and
# here its own Redis database, so that rate budgets and queues kept in Redis by one worker's
# tests (whose users have the same ids as the other's) never meet the other's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and os.environ.get("REDIS_URL"):
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(os.environ["REDIS_URL"])
    _base = int(_parts.path.strip("/") or 0)
    os.environ["REDIS_URL"] = urlunsplit(
        _parts._replace(path=f"/{(_base + 1 + int(_WORKER[2:])) % 16}")
    )
    REDIS_URL = os.environ["REDIS_URL"]

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105  (the test suite's; production reads its own)
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A folder per xdist worker: tests that check no file is left behind must not see the other's.
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=BASE_DIR / f".test-media{_WORKER}")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "zh-hans"
MINQING_SWEEP_IN_PROCESS = False
# Django's test client logs in without a request, which django-axes refuses: the login tests
# turn it on with the ``settings`` fixture and post to the real doors.
AXES_ENABLED = False
MINQING_REQUIRE_2FA = False
# The API's rates count in the cache, which one test run shares across tests (and reuses ids):
# off here, switched on by the throttling tests (tests/casework/api/test_throttling.py).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}  # noqa: F405
