"""The project's domain errors. Services raise them; the API and pages turn them into answers."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused an action. ``status`` is the HTTP status it maps to."""

    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.code = code or self.default_code
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message, "code": self.code}
        if self.field:
            body[self.field] = [self.message]
        body.update(self.extra)
        return body


class ValidationFailed(DomainError):
    status = 400
    default_code = "invalid"


class NotPermitted(DomainError):
    status = 403
    default_code = "permission_denied"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    """The state moved under the caller: a forbidden transition, a stale version, a lost race."""

    status = 409
    default_code = "conflict"


class Throttled(DomainError):
    """Too many of something in too short a time; try again later."""

    status = 429
    default_code = "throttled"
