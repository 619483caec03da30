"""The OpenAPI schema and its Swagger UI, behind a login when ``MINQING_API_DOCS_LOGIN_REQUIRED``.

drf-spectacular's ``SERVE_PERMISSIONS`` is read once at import; these views read the setting on
each request, so one process (and the tests) can switch it.
"""

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated


class _DocsPermissionMixin:
    def get_permissions(self):
        if settings.MINQING_API_DOCS_LOGIN_REQUIRED:
            return [IsAuthenticated()]
        return [AllowAny()]


class SchemaView(_DocsPermissionMixin, SpectacularAPIView):
    """``/api/schema/``: the OpenAPI document."""


class SchemaDocsView(_DocsPermissionMixin, SpectacularSwaggerSplitView):
    """``/api/docs/``: Swagger UI, its set-up script served as a file (no inline script)."""

    template_name = "api/swagger_ui.html"


# --- What every operation may answer ----------------------------------------------------------

from drf_spectacular.extensions import OpenApiAuthenticationExtension  # noqa: E402


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` in the schema (a person's own tokens, /me/tokens/)."""

    target_class = "casework.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: make a key on your API tokens page (/me/tokens/) "
            "or with POST /api/v1/tokens/ from a signed-in session.",
        }


ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Every error: `detail` (a sentence to show), `code` (a stable word), and for each "
        "refused field its name with a list of messages (`non_field_errors` for the rest); a "
        "conflict adds `state` and `version`, a throttle `wait` (seconds)."
    ),
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
    "required": ["detail", "code"],
    "additionalProperties": True,
}

_DESCRIPTIONS = {
    400: "Bad input: the fields at fault are named",
    401: "No valid token or session (unknown, expired or revoked token; demo account)",
    403: "Not allowed to you",
    404: "Not found, or not in your scope",
    405: "Method not allowed",
    409: "Conflict with the current state",
    429: "Too many requests: wait `Retry-After` seconds",
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the one error shape on every API operation.

    Each operation under ``/api/`` gets 401, 403 and 429 (with ``Retry-After``), 400 when it
    takes parameters or a body, 404 when its path names something; every 4xx it declared itself
    answers the ``Error`` schema too.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            wanted = {401, 403, 429}
            if operation.get("parameters") or operation.get("requestBody"):
                wanted.add(400)
            if "{" in path:
                wanted.add(404)
            wanted |= {int(code) for code in responses if str(code).startswith("4")}
            for code in sorted(wanted):
                answer = responses.setdefault(str(code), {})
                answer["description"] = answer.get("description") or _DESCRIPTIONS.get(
                    code, "Refused"
                )
                answer["content"] = {"application/json": {"schema": ref}}
                if code == 429:
                    answer["headers"] = _RETRY_AFTER
    return result
