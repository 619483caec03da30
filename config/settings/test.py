"""Settings for the test suite.

Uses ``DATABASE_URL`` when set (CI sets it to PostgreSQL) and SQLite otherwise. Tasks run eagerly
unless a test starts a real worker itself.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105  (the test suite's; production reads its own)
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=BASE_DIR / ".test-media")
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
