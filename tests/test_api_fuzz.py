"""The whole API, fuzzed from its own OpenAPI schema (schemathesis): no input makes a 500, and
every answer matches the schema.

Every operation is called with generated parameters and bodies as an administrator who sees a
small hierarchy with a case; each must answer without a server error, with a status and body
the schema describes (errors in the one error shape, ``casework/api/errors.py``).
"""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from config.wsgi import application  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def token(people, open_case, drive):
    """A live key for the administrator, made afresh if the fuzzing revoked the last one
    (``DELETE /api/v1/tokens/{id}/`` is fuzzed too, with ids that may be its own)."""
    from casework.models import ApiToken
    from casework.services.tokens import key_digest, token_create

    drive(open_case(), "in_progress")
    keys = []

    def live() -> str:
        if (
            not keys
            or ApiToken.objects.filter(
                key_hash=key_digest(keys[-1]), revoked_at__isnull=False
            ).exists()
        ):
            ApiToken.objects.filter(user=people.admin, revoked_at__isnull=False).delete()
            keys.append(token_create(user=people.admin, name="fuzz")[1])
        return keys[-1]

    return live


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Django's handlers close "old" connections around each request, which would close
    # pytest-django's connection mid-test; Django's own test client disconnects them too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_a_server_error(case, token):
    from schemathesis.checks import not_a_server_error, response_schema_conformance

    response = case.call(headers={"Authorization": f"Token {token()}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
