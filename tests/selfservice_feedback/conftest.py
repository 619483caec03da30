"""Fixtures for the resident's rating: requests collected and cases driven by the real
services, an SMS outbox, and a fresh throttle budget for the public pages."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from casework import services
from requests_app.services import request_collect, request_open_case

#: What the test SMS backend was asked to send: ``(phone, text, key)``.
OUTBOX: list[tuple[str, str, str]] = []


class OutboxSMSBackend:
    def send(self, *, phone, text, key):
        OUTBOX.append((phone, text, key))


@pytest.fixture(autouse=True)
def _fresh(settings):
    """Each test starts with the address's budgets unspent and an empty SMS outbox."""
    cache.clear()
    OUTBOX.clear()
    settings.MINQING_SMS_BACKEND = "tests.selfservice_feedback.conftest.OutboxSMSBackend"
    settings.MINQING_PUBLIC_URL = "https://minqing.example.cn"
    yield
    cache.clear()
    OUTBOX.clear()


@pytest.fixture
def outbox():
    return OUTBOX


@pytest.fixture
def collect(tree, people, category):
    """Collect a request through the real intake service (a resident with a phone)."""

    def make(**overrides):
        fields = {
            "actor": people.grid_a1,
            "channel": "onsite",
            "category": category,
            "unit": tree.building_a1,
            "description": "1栋电梯停在半层，王伟家门口",
            "resident": {"name": "王伟", "phone": "13812345678", "address": "阳光小区1栋301"},
        }
        fields.update(overrides)
        return request_collect(**fields)

    return make


@pytest.fixture
def intake(collect, people):
    """A request and the case opened for it: ``(request, case)``."""

    def make(**overrides):
        request = collect(**overrides)
        case = request_open_case(request=request, actor=people.grid_a1, title="电梯停了")
        return request, case

    return make


@pytest.fixture
def resolved(intake, drive):
    """A request whose case has its result (resolved, waiting for feedback)."""

    def make(**overrides):
        request, case = intake(**overrides)
        case = drive(case, "resolved")
        request.refresh_from_db()
        return request, case

    return make


@pytest.fixture
def visit(people):
    """The worker's return visit (回访), recorded through casework's service."""

    def record(case, *, solved=True, satisfaction="satisfied", actor=None):
        return services.feedback_record(
            case=case.pk, actor=actor or people.grid_a1, solved=solved, satisfaction=satisfaction
        )

    return record


@pytest.fixture
def redo(people, tree):
    """Assign, accept and resolve a reopened case again: its next result."""

    def again(case):
        case = services.case_assign(case=case.pk, actor=people.supervisor_a, unit=tree.company)
        case = services.case_accept(case=case, actor=people.handler_company)
        return services.case_resolve(case=case, actor=people.handler_company, result="重新修好了")

    return again


@pytest.fixture
def answer():
    return SimpleNamespace(
        pleased={"solved": "yes", "satisfaction": "satisfied", "comment": "师傅很负责"},
        unhappy={"solved": "no", "satisfaction": "unsatisfied", "comment": "电梯还是停"},
    )
