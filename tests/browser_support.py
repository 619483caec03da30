"""What every browser test shares (a pytest plugin, loaded from ``tests/conftest.py``): Debian's
Chromium through pytest-playwright, the test database made before Playwright's event loop, a login
by session cookie and the artefacts folder.

A test marked ``browser`` needs pytest-playwright and ``/usr/bin/chromium``: in CI (``CI`` set) a
missing one fails the test; on a developer's machine it skips.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

try:
    import playwright.sync_api  # noqa: F401

    HAVE_PLAYWRIGHT = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_PLAYWRIGHT = False

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]


def _need_browser() -> None:
    if not HAVE_PLAYWRIGHT or not shutil.which(CHROMIUM):
        message = "needs pytest-playwright and Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {message}")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # itself (building data, checking rows, flushing the database after it) are still
    # synchronous and safe. Left set: the flush runs after the test's fixtures are torn down.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Check for the browser before any of the test's fixtures (Playwright's among them)."""
    if item.get_closest_marker("browser"):
        _need_browser()


@pytest.fixture(scope="session", autouse=True)
def _database_before_browser(request):
    """Create the test database before Playwright starts its event loop in this thread; only
    when browser tests were collected, so other runs make it when (and if) they need it."""
    if any(item.get_closest_marker("browser") for item in request.session.items):
        request.getfixturevalue("django_db_setup")


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Keep this thread's database connections once Playwright's event loop runs in it.

    Django keeps connections per thread, but per context when an event loop runs: without this,
    the test's own ORM calls would get new connections. On SQLite the live server shares this
    thread's in-memory test connection; a second one beside it fails with "database table is
    locked" (SQLite's shared cache), and lacks the migration data transactional tests restore."""
    if fixturedef.argname != "playwright":
        return (yield)
    from django.db import connections

    kept = {alias: connections[alias] for alias in connections}
    result = yield
    for alias, connection in kept.items():
        connections[alias] = connection
    return result


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": {"width": 768, "height": 1024}, "locale": "zh-CN"}


@pytest.fixture(scope="session")
def artefacts_dir():
    """Where screenshots go: ``$MINQING_ARTEFACTS``, else ``artefacts/screenshots/`` (ignored
    by git; CI keeps the folder)."""
    path = Path(os.environ.get("MINQING_ARTEFACTS") or REPO / "artefacts" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def login_as(live_server):
    """Sign a browser context in as ``user`` with a session cookie (no login form, no 2FA)."""

    def login(context, user, language="zh-hans"):
        client = Client()
        client.force_login(user)
        context.clear_cookies()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                },
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": live_server.url,
                },
            ]
        )
        return context

    return login
