"""One shape for every error the API answers, whatever raised it.

Every 4xx and 5xx body under ``/api/`` is a JSON object with

- ``detail``: one sentence a person can read, in their language;
- ``code``: a stable machine word (``invalid``, ``not_authenticated``, ``permission_denied``,
  ``not_found``, ``method_not_allowed``, ``conflict``, ``throttled``, ``parse_error``,
  ``server_error``…);
- for a refused field, the field's name with its list of messages (``{"reason": ["…"]}``), as
  DRF's validation errors and the domain errors have always given them; errors not tied to one
  field are listed under ``non_field_errors``;
- and what else the refusal says (a conflict's ``state`` and ``version``, a throttle's ``wait``).

Domain errors (``casework.errors``), DRF's exceptions, Django's ``Http404`` and
``PermissionDenied`` go through ``exception_handler``; a URL no API route matches and an
unexpected failure go through ``not_found`` and ``server_error`` (``config/urls.py``'s
``handler404`` and ``handler500``), which answer the same shape for ``/api/`` paths and the
site's pages elsewhere. ``ERROR_SCHEMA`` describes it in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from casework.errors import DomainError, Throttled

#: Keys of the shape itself: a field of that name keeps its messages under ``fields``.
_RESERVED = {"detail", "code"}


def error_body(*, detail: str, code: str, **extra: Any) -> dict[str, Any]:
    """The error shape, for the few answers made outside DRF (lockout, second factor)."""
    return {"detail": str(detail), "code": code, **extra}


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for value in errors.values():
            found = _first_message(value)
            if found:
                return found
        return ""
    if isinstance(errors, list):
        for value in errors:
            found = _first_message(value)
            if found:
                return found
        return ""
    return str(errors)


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    errors = exc.detail
    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors if isinstance(errors, list) else [errors]}
    body = error_body(detail=_first_message(errors) or _("Invalid input."), code="invalid")
    for field, messages in errors.items():
        if field in _RESERVED:
            body.setdefault("fields", {})[field] = messages
        else:
            body[field] = messages
    return body


def _domain_response(exc: DomainError) -> Response:
    headers = {}
    if isinstance(exc, Throttled):
        seconds = exc.extra.get("retry_after") or 60 * exc.extra.get("window_minutes", 1)
        headers["Retry-After"] = str(int(seconds))
    return Response(exc.as_dict(), status=exc.status, headers=headers)


def _as_json(context) -> None:
    """An error on a file answer (``?format=xlsx``) is JSON all the same, and says so."""
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and not isinstance(renderer, JSONRenderer):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type


def exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: every refusal in the one shape; ``None`` (a 500) else."""
    _as_json(context)
    if isinstance(exc, DomainError):
        set_rollback()
        return _domain_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc)
    else:
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        body = error_body(detail=_first_message(detail), code=code)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["wait"] = int(exc.wait)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """``handler404``: the error shape under ``/api/``, the site's 404 page elsewhere."""
    if _is_api(request):
        body = error_body(detail=_("Not found."), code="not_found")
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)


def server_error(request):
    """``handler500``: the error shape under ``/api/``, the site's 500 page elsewhere."""
    if _is_api(request):
        body = error_body(
            detail=_("Something went wrong on the server; it has been logged."),
            code="server_error",
        )
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
    return defaults.server_error(request)
