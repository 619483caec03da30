"""Idempotent writes, the part every app shares: the ``Idempotency-Key`` header, its parsing, the
body's fingerprint, and the call that runs a write once per key.

The keys are stored by ``requests_app`` (``IdempotencyKey``, which came first); casework does not
import it. requests_app registers its store in ``AppConfig.ready()``
(:func:`register_store`), the way it registers the case page's panels, and casework's API calls
:func:`idempotent_call` here. Without a registered store a call simply runs.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 255

#: ``store(*, user, key, endpoint, fingerprint, run) -> (status, body, replayed)``.
_store: list[Callable[..., tuple[int, dict, bool]]] = []


def register_store(store: Callable[..., tuple[int, dict, bool]]) -> None:
    _store[:] = [store]


def idempotency_key_parse(raw: str | None) -> uuid.UUID | None:
    """The key as a UUID; ``None`` when absent; ``ValidationFailed`` when malformed."""
    if raw is None:
        return None
    if len(raw) > KEY_MAX_LENGTH:
        raise ValidationFailed(
            _("The idempotency key is longer than 255 characters."), field=HEADER, code="too_long"
        )
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise ValidationFailed(
            _("The idempotency key must be a UUID."), field=HEADER, code="invalid"
        ) from None


def fingerprint(data: Any) -> str:
    """SHA-256 of a canonical JSON form of the parsed body (key order does not matter)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def body_fingerprint(request) -> str:
    """A fingerprint of a DRF request's parsed body: the same JSON in another key order, or the
    same form sent again with a new multipart boundary, is the same body."""
    data = request.data
    if hasattr(data, "getlist"):
        canonical = {}
        for key in sorted(data.keys()):
            values = []
            for value in data.getlist(key):
                if hasattr(value, "chunks"):
                    digest = hashlib.sha256()
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                    values.append("sha256:" + digest.hexdigest())
                else:
                    values.append(value)
            canonical[key] = values
        return fingerprint(canonical)
    return fingerprint(as_json(data))


def as_json(data: Any) -> Any:
    """``data`` as plain JSON values (dates as ISO strings), the form a stored answer takes."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def idempotent_call(
    *,
    user,
    key: uuid.UUID | None,
    endpoint: str,
    fingerprint: str,
    run: Callable[[], tuple[int, dict]],
) -> tuple[int, dict, bool]:
    """Run ``run`` once per ``(user, key)`` through the registered store; answer
    ``(status, body, replayed)``. With no key (or no store) ``run`` simply runs."""
    if key is None or not _store:
        status, body = run()
        return status, body, False
    return _store[0](user=user, key=key, endpoint=endpoint, fingerprint=fingerprint, run=run)


def idempotent_response(request, *, key: uuid.UUID | None, endpoint: str, run):
    """The API's answer to ``run`` under ``key`` (``idempotent_call``): a DRF ``Response``,
    marked ``Idempotent-Replayed: true`` when it is the stored answer of an earlier call."""
    from rest_framework.response import Response

    code, answer, replayed = idempotent_call(
        user=request.user,
        key=key,
        endpoint=endpoint,
        fingerprint=body_fingerprint(request) if key is not None else "",
        run=run,
    )
    response = Response(answer, status=code)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response
