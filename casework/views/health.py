"""``/healthz``: is the database reachable, is the broker reachable."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is reported, not raised
        return f"down: {exc.__class__.__name__}"
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        import redis

        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except Exception as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


def healthz(request):
    database = _check_database()
    broker = _check_broker()
    healthy = database == "ok" and broker in ("ok", "eager")
    body = {"status": "ok" if healthy else "degraded", "database": database, "broker": broker}
    return JsonResponse(body, status=200 if healthy else 503)
