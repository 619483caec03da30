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
