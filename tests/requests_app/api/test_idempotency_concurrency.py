"""Two tablets resending at the same moment with one key create exactly one request.

Needs PostgreSQL: two real connections, two real transactions racing on the unique index.
"""

import threading
import uuid

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from casework.models import Role
from casework.services import category_create, membership_grant, person_create, unit_create
from requests_app.models import IdempotencyKey, Request
from requests_app.services import idempotent_call


@pytest.fixture
def setup(transactional_db):
    city = unit_create(name="市", kind="city")
    county = unit_create(name="县", kind="county", parent=city)
    town = unit_create(name="镇", kind="town", parent=county)
    community = unit_create(name="社区", kind="community", parent=town)
    grid = unit_create(name="网格", kind="grid", parent=community)
    worker = person_create(username="worker", name="网格员")
    membership_grant(user=worker, unit=grid, role=Role.GRID_WORKER)
    category = category_create(code="c", name="电梯")
    return worker, grid, category


def _race(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_posts_with_one_key_create_one_request(setup):
    worker, grid, category = setup
    key = str(uuid.uuid4())
    body = {
        "channel": "onsite",
        "category": category.pk,
        "unit": grid.pk,
        "description": "电梯坏了",
        "resident": {"name": "王伟", "phone": "13812345678"},
    }

    def post():
        client = APIClient()
        client.force_authenticate(worker)
        response = client.post("/api/v1/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        return response.status_code, response.json()

    results, errors = _race(4, post)
    assert errors == []
    assert [status for status, _ in results] == [201] * 4
    assert len({data["id"] for _, data in results}) == 1
    assert Request.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_caller_waits_for_the_first_and_never_runs(setup):
    """The key row is inserted before the work: a racer blocks on it, then replays."""
    worker, _grid, _category = setup
    key = uuid.uuid4()
    runs = []
    started = threading.Event()
    release = threading.Event()

    def slow():
        runs.append(1)
        started.set()
        release.wait(timeout=10)
        return 201, {"id": 1}

    def first():
        return idempotent_call(user=worker, key=key, endpoint="e", fingerprint="f", run=slow)

    def second():
        started.wait(timeout=10)
        # The first transaction holds the key row uncommitted: this insert must wait.
        timer = threading.Timer(0.5, release.set)
        timer.start()
        return idempotent_call(
            user=worker, key=key, endpoint="e", fingerprint="f", run=lambda: (500, {})
        )

    out = []
    errors = []

    def wrap(fn):
        try:
            out.append(fn())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert len(runs) == 1
    assert sorted(out, key=lambda r: r[2]) == [(201, {"id": 1}, False), (201, {"id": 1}, True)]
    assert connection.vendor == "postgresql"
