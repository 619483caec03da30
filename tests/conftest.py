"""Shared fixtures: a small hierarchy built through the real services, and its people.

玉林市 (city)
└── 博白县 (county)
    ├── 住建局 (department)
    └── 博白镇 (town)
        ├── 城东社区 (community A)
        │   ├── 物业公司 (company)
        │   ├── A1 网格 ── 阳光小区 ── 1栋
        │   └── A2 网格
        └── 城西社区 (community B)
            └── B1 网格 ── 锦绣小区
"""

import io
import os
from contextlib import ExitStack
from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from casework.models import Role, UnitKind
from casework.services import membership_grant, person_create, unit_create

IN_CI = bool(os.environ.get("CI"))

# The browser tests' fixtures (Chromium, the login by cookie, the artefacts folder).
pytest_plugins = ["tests.browser_support"]

# Transactional tests (``django_db(transaction=True)``) run last and empty every table when they
# end, migration data included (the working calendar, the scoring rules): give them
# ``serialized_rollback=True`` so each one starts from the migrated database.


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres") and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)
        # Under pytest-xdist (``make test`` runs ``-n auto --dist loadgroup``) every test that
        # reads the shared demo goes to one worker, so the demo is built once per run, and the
        # browser tests to one worker, after everything else it runs. Before xdist's own hook,
        # which reads these marks to group the tests.
        if _uses_demo(item):
            item.add_marker(pytest.mark.xdist_group("demo"))
        elif item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Browser tests run last of all. pytest-playwright keeps an event loop in this thread for
    the rest of the session, and Django's connection handler then hands out another connection
    object, one without the serialized migration data the transactional tests restore from."""
    items = session.items
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser:
        session.items[:] = [item for item in items if item not in browser] + browser


@pytest.fixture(autouse=True)
def _require_services(request):
    """Skip tests whose service is missing; in CI a missing service fails the test instead."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        message = "needs PostgreSQL (set DATABASE_URL)"
        if IN_CI:
            pytest.fail(f"CI: {message}")
        pytest.skip(message)
    if request.node.get_closest_marker("redis"):
        from django.conf import settings

        url = os.environ.get("REDIS_URL") or getattr(settings, "REDIS_URL", "")
        ok = False
        if url:
            import redis

            try:
                ok = bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
            except Exception:
                ok = False
        if not ok:
            message = "needs Redis (set REDIS_URL)"
            if IN_CI:
                pytest.fail(f"CI: {message}")
            pytest.skip(message)


@pytest.fixture
def tree(db):
    t = SimpleNamespace()
    t.city = unit_create(name="玉林市", kind=UnitKind.CITY)
    t.county = unit_create(name="博白县", kind=UnitKind.COUNTY, parent=t.city)
    t.department = unit_create(name="住建局", kind=UnitKind.DEPARTMENT, parent=t.county)
    t.town = unit_create(name="博白镇", kind=UnitKind.TOWN, parent=t.county)
    t.community_a = unit_create(name="城东社区", kind=UnitKind.COMMUNITY, parent=t.town)
    t.company = unit_create(name="城东物业", kind=UnitKind.COMPANY, parent=t.community_a)
    t.grid_a1 = unit_create(name="A1网格", kind=UnitKind.GRID, parent=t.community_a)
    t.grid_a2 = unit_create(name="A2网格", kind=UnitKind.GRID, parent=t.community_a)
    t.compound_a1 = unit_create(name="阳光小区", kind=UnitKind.COMPOUND, parent=t.grid_a1)
    t.building_a1 = unit_create(name="1栋", kind=UnitKind.BUILDING, parent=t.compound_a1)
    t.community_b = unit_create(name="城西社区", kind=UnitKind.COMMUNITY, parent=t.town)
    t.grid_b1 = unit_create(name="B1网格", kind=UnitKind.GRID, parent=t.community_b)
    t.compound_b1 = unit_create(name="锦绣小区", kind=UnitKind.COMPOUND, parent=t.grid_b1)
    return t


def _person(username, unit, role, **extra):
    user = person_create(username=username, name=username, password="pw-for-tests-9731")
    membership_grant(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(tree):
    p = SimpleNamespace()
    p.admin = _person("admin", tree.city, Role.ADMIN)
    p.town_supervisor = _person("town-sup", tree.town, Role.SUPERVISOR)
    p.supervisor_a = _person("sup-a", tree.community_a, Role.SUPERVISOR)
    p.supervisor_b = _person("sup-b", tree.community_b, Role.SUPERVISOR)
    p.grid_a1 = _person("grid-a1", tree.grid_a1, Role.GRID_WORKER)
    p.grid_b1 = _person("grid-b1", tree.grid_b1, Role.GRID_WORKER)
    p.volunteer_a1 = _person("vol-a1", tree.grid_a1, Role.VOLUNTEER)
    p.handler_company = _person("handler-co", tree.company, Role.HANDLER)
    p.handler_department = _person("handler-dept", tree.department, Role.HANDLER)
    p.outsider = person_create(username="outsider", name="outsider", password="pw-for-tests-9731")
    return p


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(api_client):
    def login(user):
        # A session login loads the user afresh on every request, as in production, so
        # nothing cached on one request's user object leaks into the next.
        api_client.force_login(user)
        return api_client

    return login


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- Cases -----------------------------------------------------------------------------------


@pytest.fixture
def category(db):
    from casework.services import category_create

    parent = category_create(code="property", name="物业管理")
    return category_create(code="property-lift", name="电梯故障", parent=parent)


@pytest.fixture
def verified_category(db):
    from casework.services import category_create

    return category_create(
        code="safety-fire", name="消防隐患", deadline_class="emergency", requires_verification=True
    )


@pytest.fixture
def open_case(tree, people, category):
    """Open a case in grid A1 (by its grid worker) and return a function for more."""
    from casework.services import case_open

    def make(*, unit=None, who=None, title="电梯停了", category_=None, urgency="normal"):
        return case_open(
            actor=who or people.grid_a1,
            category=category_ or category,
            unit=unit or tree.compound_a1,
            title=title,
            description="3栋电梯停在5楼",
            urgency=urgency,
        )

    return make


@pytest.fixture
def drive(tree, people):
    """Bring a case to a state along the normal path, through the real services."""
    from datetime import timedelta

    from django.utils import timezone

    from casework import services

    def to(case, state):
        path = {
            "new": [],
            "assigned": ["assign"],
            "in_progress": ["assign", "accept"],
            "resolved": ["assign", "accept", "resolve"],
            "reopened": ["assign", "accept", "resolve", "unsatisfied"],
            "closed": ["assign", "accept", "resolve", "satisfied"],
            "cancelled": ["cancel"],
            "parked": ["park"],
        }[state]
        for step in path:
            if step == "assign":
                case = services.case_assign(
                    case=case, actor=people.supervisor_a, unit=tree.company
                )
            elif step == "accept":
                case = services.case_accept(case=case, actor=people.handler_company)
            elif step == "resolve":
                case = services.case_resolve(
                    case=case, actor=people.handler_company, result="修好了"
                )
            elif step in ("satisfied", "unsatisfied"):
                case = services.feedback_record(
                    case=case,
                    actor=people.grid_a1,
                    solved=step == "satisfied",
                    satisfaction=step,
                )
            elif step == "cancel":
                case = services.case_cancel(case=case, actor=people.supervisor_a, reason="重复")
            elif step == "park":
                case = services.case_park(
                    case=case,
                    actor=people.supervisor_a,
                    plan="列入明年改造计划",
                    review_on=timezone.localdate() + timedelta(days=90),
                )
        assert case.state == state
        return case

    return to


# --- The demo, built once and shared ----------------------------------------------------------
# Seeding the demo takes far longer than any other test, so it is built once, in a transaction
# on the test database that is never committed, and shared:
#
# * ``demo_data``, for tests that read the demo, opens the test's usual ``db`` transaction
#   inside the demo's: what a test writes is rolled back after it, and the next test finds the
#   demo as it was built.
# * After the last test that uses the demo, its transaction is rolled back
#   (``pytest_runtest_teardown`` below), so every other test finds the empty database it
#   expects. Collection puts the tests that use the demo next to each other, so the demo is built
#   once per session; in any other order it is built again where it is needed: slower, never
#   wrong.
#
# A rolled-back transaction rather than a template database: it works the same on SQLite and on
# PostgreSQL, needs no second database, and leaves nothing behind when a run is interrupted.
# A test that rebuilds the demo (``test_seed_demo_is_deterministic``) asks for ``shared_demo``
# and calls ``discard()`` and ``build()`` outside any test transaction.

_SHARED_DEMO = pytest.StashKey["SharedDemo"]()


class SharedDemo:
    """``seed_demo`` run into the test database, inside a transaction that is never committed."""

    seed = 2026

    def __init__(self, blocker):
        from django.utils import timezone

        self._blocker = blocker
        self._atomic = None
        self._held = None
        # One moment for the whole session, so that every build makes the same data.
        self.now = timezone.now().replace(microsecond=0)
        self.output = ""

    @property
    def built(self) -> bool:
        return self._held is not None

    def build(self) -> None:
        """Seed the demo, unless it is already there."""
        from django.core.management import call_command

        if self.built:
            return
        if connection.atomic_blocks:
            raise RuntimeError(
                "The shared demo must be built outside any test transaction: request "
                "`demo_data` before any fixture that uses the database."
            )
        out = io.StringIO()
        with self._blocker.unblock(), ExitStack() as stack:
            atomic = transaction.atomic()
            # As under a TestCase: a durable atomic block in the demo may nest in this one.
            atomic._from_testcase = True
            stack.enter_context(atomic)
            call_command("seed_demo", seed=self.seed, now=self.now.isoformat(), stdout=out)
            # Check the demo's deferred foreign keys now, once, as a commit would. Otherwise
            # PostgreSQL checks them all again after every test (a TestCase checks constraints
            # before it rolls back, and the rollback puts the pending checks back).
            connection.check_constraints()
            self._atomic, self._held = atomic, stack.pop_all()
        self.output = out.getvalue()

    def discard(self) -> None:
        """Roll the demo back, leaving the database as the migrations made it."""
        if not self.built:
            return
        if connection.atomic_blocks[-1:] != [self._atomic]:
            raise RuntimeError("The shared demo cannot be discarded inside a test transaction.")
        held, self._atomic, self._held = self._held, None, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            held.close()


@pytest.fixture(scope="session")
def shared_demo(request, django_db_setup, django_db_blocker):
    """The session's demo, built on demand; tests that read it want ``demo_data``."""
    demo = SharedDemo(django_db_blocker)
    request.config.stash[_SHARED_DEMO] = demo
    yield demo
    demo.discard()


@pytest.fixture
def _demo_built(request, shared_demo):
    # Before ``db``: the test's transaction must open inside the demo's, not under it.
    if request.node.get_closest_marker("django_db") or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames):
        pytest.fail(
            "`demo_data` opens the test's transaction itself, inside the demo's: drop the "
            "django_db marker and transactional fixtures."
        )
    shared_demo.build()
    return shared_demo


@pytest.fixture
def demo_data(_demo_built, db):
    """The demo as ``seed_demo`` builds it (``.output``, ``.now``), shared by the tests that
    read it; what this test writes is rolled back after it."""
    return _demo_built


class _SharedDemoPlugin:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        """Run the tests that use the demo one after another, where the first of them was."""
        users = [item for item in items if _uses_demo(item)]
        if users:
            at = items.index(users[0])
            others = [item for item in items if not _uses_demo(item)]
            items[:] = others[:at] + users + others[at:]

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item, nextitem):
        """Discard the demo once the test after this one does not use it."""
        try:
            return (yield)
        finally:
            demo = item.config.stash.get(_SHARED_DEMO, None)
            if demo is not None and (nextitem is None or not _uses_demo(nextitem)):
                demo.discard()


def _uses_demo(item) -> bool:
    return "shared_demo" in getattr(item, "fixturenames", ())


def pytest_configure(config):
    config.pluginmanager.register(_SharedDemoPlugin(), "minqing-shared-demo")
