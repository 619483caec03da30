"""``compute_quarter`` and the Celery tasks: the same service the pages call."""

import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from scoring import services
from scoring.models import Quarter, QuarterAction, ScoreResult
from scoring.services.quarters import quarters_due
from scoring.tasks import compute_due_task, quarter_compute_task


def test_the_command_computes_and_publishes_an_ended_quarter(people, card, quarters, capsys):
    card(people.grid_a1, kind="special", n=3)
    call_command("compute_quarter", quarters.last.code, "--publish")
    out = capsys.readouterr().out
    assert quarters.last.code in out and "6" in out
    quarter = Quarter.objects.get(code=quarters.last.code)
    assert quarter.is_published
    assert ScoreResult.objects.get(quarter=quarter, person=people.grid_a1).total == 3
    kinds = list(QuarterAction.objects.filter(quarter=quarter).values_list("kind", "actor"))
    assert sorted(kinds) == [("computed", None), ("published", None)]


def test_the_command_computes_the_quarter_in_progress_as_provisional(people, quarters, capsys):
    call_command("compute_quarter", quarters.this.code.lower())
    assert "provisional" in capsys.readouterr().out
    with translation.override("en"), pytest.raises(CommandError, match="ended"):
        call_command("compute_quarter", quarters.this.code, "--publish")


def test_the_command_says_what_is_wrong(db):
    with pytest.raises(CommandError, match="2026Q3"):
        call_command("compute_quarter", "2026-3")


def test_the_task_computes_a_quarter(people, card, quarters):
    card(people.grid_a1, kind="special", n=2)
    result = quarter_compute_task.delay(quarters.last.code).get()
    assert result["quarter"] == quarters.last.code
    assert result["results"] == 6


def test_the_nightly_task_keeps_the_current_quarter_and_catches_up_the_last_one(people, quarters):
    after_end = quarters.last.next().first_day
    assert quarters_due(today=after_end) == [quarters.last, quarters.last.next()]
    later = after_end.replace(day=28)
    assert quarters_due(today=later) == [quarters.last.next()]
    services.quarter_compute(quarter=quarters.last, actor=None)
    services.quarter_publish(quarter=quarters.last, actor=None)
    assert quarters_due(today=after_end) == [quarters.last.next()]


def test_the_nightly_task_never_touches_a_published_quarter(people, quarters):
    done = compute_due_task.delay().get()
    assert quarters.this.code in done
    assert Quarter.objects.get(code=quarters.this.code).is_provisional


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_runs_on_a_real_worker_through_redis(settings, people, card, quarters):
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app

    url = settings.REDIS_URL or "redis://127.0.0.1:6379/4"
    card(people.grid_a1, kind="special", n=2)
    previous = app.conf.task_always_eager, app.conf.broker_url
    app.conf.update(task_always_eager=False, broker_url=url)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False):
            # An explicit connection: the app's producer pool may still point at the eager
            # tests' in-memory broker.
            with app.connection_for_write(url) as connection:
                quarter_compute_task.apply_async(args=[quarters.last.code], connection=connection)
            # Results are not kept (CELERY_TASK_IGNORE_RESULT): the database is the answer.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if Quarter.objects.filter(code=quarters.last.code, status="computed").exists():
                    break
                time.sleep(0.1)
    finally:
        app.conf.update(task_always_eager=previous[0], broker_url=previous[1])
    quarter = Quarter.objects.get(code=quarters.last.code)
    assert quarter.status == "computed"
    assert ScoreResult.objects.get(quarter=quarter, person=people.grid_a1).total == 2
