"""A real Celery worker against a real Redis: delivered through the broker, nothing lost when
Redis stops, nothing sent twice when the worker is killed mid-task.

Each test runs its own redis-server (so stopping it disturbs nobody) and its own worker process,
which reads the test database.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from casework.models import Delivery
from casework.services.notifications import preference_set
from casework.services.sweep import deadline_sweep

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout=45.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Redis:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc = None

    def start(self):
        server = shutil.which("redis-server")
        if server is None:
            pytest.fail("redis-server is not installed")
        self.proc = subprocess.Popen(
            [
                server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self._answers, 10, "redis-server")

    def _answers(self):
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
        except redis.ConnectionError:
            return False

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


class Env:
    """The broker, the workers and the SMS file of one test."""

    def __init__(self, tmp_path: Path):
        self.redis = Redis(_free_port())
        self.sms_file = tmp_path / "sms.txt"
        self.sms_file.touch()
        self.workers: list[subprocess.Popen] = []
        self.logs = tmp_path

    def database_url(self) -> str:
        s = connection.settings_dict
        return (
            f"postgres://{s['USER']}:{s.get('PASSWORD') or ''}@{s['HOST'] or '127.0.0.1'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}"
        )

    def start_worker(self, *, delay: float = 0.0) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "off",
            "DATABASE_URL": self.database_url(),
            "REDIS_URL": self.redis.url,
            "MINQING_SMS_BACKEND": "tests.casework.sms_file.FileSMSBackend",
            "MINQING_SMS_FILE": str(self.sms_file),
            "MINQING_SMS_DELAY": str(delay),
            "MINQING_SWEEP_IN_PROCESS": "off",
            "CELERY_VISIBILITY_TIMEOUT": "3",
        }
        log = open(self.logs / f"worker{len(self.workers)}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(proc)
        _wait(
            lambda: "ready" in (self.logs / f"worker{len(self.workers) - 1}.log").read_text(),
            60,
            "the worker to start",
        )
        return proc

    def sent(self) -> list[str]:
        return self.sms_file.read_text().split()

    def close(self):
        for proc in self.workers:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.redis.stop()


def _use_broker(app, url: str) -> None:
    """Point this process's Celery app at ``url``, dropping connections made to the old one."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_env(tmp_path, settings):
    from config.celery_app import app

    env = Env(tmp_path)
    env.redis.start()
    saved = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_connection_retry = False
    _use_broker(app, env.redis.url)
    try:
        yield env
    finally:
        env.close()
        _use_broker(app, saved[0])
        app.conf.task_always_eager = saved[1]


@pytest.fixture
def sms_handler(people):
    people.handler_company.phone = "13812345678"
    people.handler_company.save()
    preference_set(user=people.handler_company, email=False, sms=True, digest=True)
    return people.handler_company


def _deliveries():
    return list(Delivery.objects.order_by("pk").values_list("pk", "status"))


def test_a_reminder_is_delivered_through_the_broker(celery_env, sms_handler, open_case, drive):
    celery_env.start_worker()
    case = drive(open_case(), "in_progress")  # "assigned" goes out on commit
    deadline_sweep(now=case.due_soon_at + timedelta(minutes=1))  # "due soon"
    _wait(lambda: len(celery_env.sent()) == 2, what="two messages")
    assert {status for _, status in _deliveries()} == {"sent"}
    assert sorted(celery_env.sent()) == sorted(str(pk) for pk, _ in _deliveries())


def test_stopping_redis_mid_run_loses_nothing(celery_env, sms_handler, open_case, drive, settings):
    settings.MINQING_REQUEUE_AFTER_SECONDS = 0
    celery_env.start_worker()
    first = drive(open_case(title="一"), "assigned")
    _wait(lambda: len(celery_env.sent()) == 1, what="the first message")
    celery_env.redis.stop()
    # Redis is down: the work still succeeds, the messages wait in the database.
    second = drive(open_case(title="二"), "in_progress")
    deadline_sweep(now=first.sign_due_at + timedelta(minutes=1))
    pending = [pk for pk, status in _deliveries() if status == "pending"]
    assert len(pending) >= 2 and second.pk
    celery_env.redis.start()
    deadline_sweep(now=first.sign_due_at + timedelta(minutes=2))
    _wait(lambda: all(s == "sent" for _, s in _deliveries()), what="everything to be sent")
    sent = celery_env.sent()
    assert len(sent) == len(set(sent)) == len(_deliveries())


def test_killing_the_worker_mid_task_sends_nothing_twice(
    celery_env, sms_handler, open_case, drive, settings
):
    settings.MINQING_REQUEUE_AFTER_SECONDS = 0
    # Each send takes 5 s: the kill lands inside the second even on a loaded machine.
    worker = celery_env.start_worker(delay=5)
    drive(open_case(title="一"), "assigned")
    drive(open_case(title="二"), "assigned")
    _wait(
        lambda: [s for _, s in _deliveries()] == ["sent", "sending"],
        what="the first to be sent and the second claimed",
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    assert len(celery_env.sent()) == 1  # killed before the second was sent
    celery_env.start_worker()
    # Redis hands the unacknowledged message to the new worker, which finds it claimed...
    time.sleep(6)
    assert len(celery_env.sent()) == 1
    # ...and the sweep takes back the claim of the dead worker once its lease is over.
    settings.MINQING_CLAIM_LEASE_SECONDS = 1
    deadline_sweep()
    _wait(lambda: all(s == "sent" for _, s in _deliveries()), what="everything to be sent")
    sent = celery_env.sent()
    assert len(sent) == len(set(sent)) == 2


def test_settings_point_the_suite_at_a_real_redis():
    assert os.environ.get("REDIS_URL") or django_settings.REDIS_URL
