"""The site's security settings: production passes Django's deploy check, every answer carries
the browser security headers, pages need no inline script, the API docs sit behind a login.

The production settings are loaded in a subprocess with made-up values, as the real service
would be started: the test process itself runs on ``config.settings.test``.
"""

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 10 + Fernet.generate_key().decode(),
        ALLOWED_HOSTS="minqing.example.org",
        # Never connected to by the checks; only its shape (PostgreSQL) matters.
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/minqing_h3",
        REDIS_URL="redis://127.0.0.1:6379/9",
        MINQING_FIELD_KEY=Fernet.generate_key().decode(),
        MINQING_HASH_KEY="h" * 8 + Fernet.generate_key().decode(),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_own_phone_hash_key():
    env = _production_env()
    del env["MINQING_HASH_KEY"]
    result = _run(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: MINQING_HASH_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_its_own_field_key():
    env = _production_env()
    del env["MINQING_FIELD_KEY"]
    result = _run(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: MINQING_FIELD_KEY must be set in production" in result.stderr


_PROBE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.test import Client

    host = {"HTTP_HOST": "minqing.example.org"}
    client = Client()
    answers = {
        "http": client.get("/api/schema/", **host),
        "https": client.get("/api/schema/", secure=True, **host),
        "docs": client.get("/api/docs/", secure=True, **host),
        "healthz_http": client.get("/healthz", **host),
    }
    print(json.dumps({
        name: {"status": r.status_code, "headers": dict(r.headers)} for name, r in answers.items()
    }))
    """
)


@pytest.fixture(scope="module")
def production_answers() -> dict:
    result = _run(["-c", _PROBE], _production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production_answers):
    answer = production_answers["http"]
    assert answer["status"] == 301
    assert answer["headers"]["Location"] == "https://minqing.example.org/api/schema/"


def test_production_lets_the_health_probe_speak_plain_http(production_answers):
    assert production_answers["healthz_http"]["status"] in (200, 503)


def test_production_answers_carry_the_security_headers(production_answers):
    headers = production_answers["https"]["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    _assert_strict_policy(headers["Content-Security-Policy"])


def test_production_schema_and_docs_need_a_login(production_answers):
    assert production_answers["https"]["status"] == 401
    assert production_answers["docs"]["status"] == 401


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def _assert_strict_policy(policy: str) -> None:
    directives = _directives(policy)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["style-src-elem"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    # The one relaxation: style attributes (the bars' lengths), see config/settings/base.py.
    unsafe = {name for name, values in directives.items() if "'unsafe-inline'" in values}
    assert unsafe == {"style-src-attr"}
    assert "'unsafe-eval'" not in policy


def test_pages_carry_the_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    _assert_strict_policy(response["Content-Security-Policy"])
    assert response["X-Frame-Options"] == "DENY"


# --- Templates and static files follow the policy -------------------------------------------

_TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def _markup(path: Path) -> str:
    """The template less its comments (which may name what they avoid)."""
    text = re.sub(r"\{#.*?#\}", "", path.read_text())
    return re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.DOTALL)


@pytest.mark.parametrize("path", _TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_no_inline_script_nor_style_element(path):
    text = _markup(path)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler (on…=)"
    assert "javascript:" not in text
    assert "<style" not in text
    assert "hx-on" not in text, "htmx inline handlers need eval, which the CSP refuses"


@pytest.mark.parametrize("path", _TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_style_attributes_only_draw_bar_lengths(path):
    for value in re.findall(r'\sstyle="([^"]*)"', _markup(path)):
        assert re.fullmatch(r"--w: \{\{[^}]+\}\}|display:block;width:\{\{[^}]+\}\}%", value), value


def test_static_scripts_do_not_write_inline_handlers_or_styles():
    for path in (ROOT / "static").rglob("*.js"):
        if "vendor" in path.parts:
            continue
        text = path.read_text()
        assert not re.search(r"setAttribute\(\s*[\"'](on[a-z]+|style)[\"']", text), path
        assert not re.search(r"\beval\(|new Function\(", text), path


# --- API schema and docs --------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/docs/?script="])
def test_schema_and_docs_need_a_login_when_production_asks(url, api_client, settings, db):
    settings.MINQING_API_DOCS_LOGIN_REQUIRED = True
    assert api_client.get(url).status_code == 401


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_open_to_a_logged_in_person(url, api_as, people, settings):
    settings.MINQING_API_DOCS_LOGIN_REQUIRED = True
    assert api_as(people.grid_a1).get(url).status_code == 200


def test_schema_is_public_outside_production(api_client, db):
    assert settings.MINQING_API_DOCS_LOGIN_REQUIRED is False
    assert api_client.get("/api/schema/").status_code == 200


def test_docs_page_loads_its_set_up_as_a_script_file(api_client, db):
    page = api_client.get("/api/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page
    script = api_client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
