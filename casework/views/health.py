"""``/healthz``: is the database reachable, is the broker reachable."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone


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


def _last_sweep() -> dict:
    from casework.models import SweepRun

    try:
        run = (
            SweepRun.objects.order_by("-started_at")
            .values("started_at", "finished_at", "counts")
            .first()
        )
    except Exception as exc:
        return {"last_sweep_age_seconds": None, "sweep": f"unknown: {exc.__class__.__name__}"}
    if run is None:
        return {"last_sweep_age_seconds": None, "sweep": "never"}
    age = (timezone.now() - run["started_at"]).total_seconds()
    stale = age > 5 * float(getattr(settings, "MINQING_SWEEP_SECONDS", 60))
    return {
        "last_sweep_age_seconds": round(age, 1),
        # How long the last sweep waited in its queue before a worker took it.
        "last_sweep_waited_seconds": (run["counts"] or {}).get("waited_seconds"),
        "sweep": "late" if stale else "ok",
    }


def _queue_lengths() -> dict:
    """Messages waiting in each Celery queue (Redis keeps each queue as a list of its name)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {}
    try:
        import redis

        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        return {q.name: client.llen(q.name) for q in settings.CELERY_TASK_QUEUES}
    except Exception:
        return {}


def healthz(request):
    """200 when the database and the broker answer; the sweep's age is reported, not judged."""
    database = _check_database()
    broker = _check_broker()
    healthy = database == "ok" and broker in ("ok", "eager")
    body = {"status": "ok" if healthy else "degraded", "database": database, "broker": broker}
    if database == "ok":
        body.update(_last_sweep())
    if broker == "ok":
        body["queues"] = _queue_lengths()
    return JsonResponse(body, status=200 if healthy else 503)
