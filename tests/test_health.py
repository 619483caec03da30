"""/healthz reports the database and the broker."""

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_eager_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["broker"] == "eager"
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_broker_that_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_a_live_redis(client, settings):
    import os

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ.get("REDIS_URL") or settings.REDIS_URL
    assert client.get("/healthz").json()["broker"] == "ok"


@pytest.mark.postgres
def test_the_suite_runs_on_postgresql_in_ci():
    from django.db import connection

    assert connection.vendor == "postgresql"


def test_the_sweep_has_a_queue_of_its_own_apart_from_deliveries_and_scoring():
    """A burst of deliveries once made five sweeps in a row expire unread in the shared queue."""
    from config.celery_app import app

    def queue(task):
        return app.amqp.router.route({}, task)["queue"].name

    assert queue("casework.tasks.sweep_deadlines") == "sweep"
    assert queue("casework.tasks.deliver") == "deliveries"
    assert queue("scoring.compute_due") == "scoring"
    # A worker started without -Q still consumes every queue.
    assert {q.name for q in app.conf.task_queues} >= {"celery", "sweep", "deliveries", "scoring"}


def test_a_sweep_knows_how_long_it_waited_in_its_queue(settings):
    from datetime import UTC, datetime, timedelta

    from casework.services.sweep import queue_wait

    settings.MINQING_SWEEP_SECONDS = 60
    now = datetime(2026, 12, 1, 8, 0, 30, tzinfo=UTC)
    sent = now - timedelta(seconds=42)
    assert queue_wait((sent + timedelta(seconds=60)).isoformat(), now=now) == 42.0
    assert queue_wait(None, now=now) is None


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_shows_how_long_the_last_sweep_waited_and_what_each_queue_holds(client, settings):
    import os

    import redis

    from casework.services.sweep import deadline_sweep

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ.get("REDIS_URL") or settings.REDIS_URL
    deadline_sweep(waited=12.5)
    backlog = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    backlog.delete("deliveries")
    backlog.rpush("deliveries", *[b"{}"] * 3)
    try:
        body = client.get("/healthz").json()
    finally:
        backlog.delete("deliveries")
    assert body["last_sweep_waited_seconds"] == 12.5
    assert body["queues"]["deliveries"] == 3
    assert set(body["queues"]) == {"celery", "sweep", "deliveries", "scoring"}
