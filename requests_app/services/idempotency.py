"""Idempotent writes: a client-made key makes a resent call answer as the first one did.

This is the store behind ``casework.idempotency`` (registered in ``RequestsAppConfig.ready``):
the case API uses it too. The header, the key's parsing and the body's fingerprint are
casework.idempotency's."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict
from casework.idempotency import HEADER
from requests_app.models import IdempotencyKey


class _KeyTaken(Exception):
    pass


def _replay(row: IdempotencyKey, endpoint: str, print_: str) -> tuple[int, dict]:
    if row.endpoint != endpoint or row.fingerprint != print_:
        raise Conflict(
            _("This idempotency key was used for a different request."),
            field=HEADER,
            code="idempotency_key_reused",
        )
    return row.status_code, row.response


def idempotent_call(
    *,
    user,
    key: uuid.UUID | None,
    endpoint: str,
    fingerprint: str,
    run: Callable[[], tuple[int, dict]],
) -> tuple[int, dict, bool]:
    """Run ``run`` once per ``(user, key)``; answer ``(status, body, replayed)``.

    The key's row is inserted before ``run`` and in the same transaction: a concurrent call with
    the same key waits on the unique index, and once the first commits it replays the stored
    answer without running anything. If ``run`` fails, the key is rolled back with it and the
    client may try again. The same key with another body or endpoint is a ``Conflict``.
    """
    if key is None:
        with transaction.atomic():
            status, body = run()
        return status, body, False
    existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is not None:
        return (*_replay(existing, endpoint, fingerprint), True)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(
                        user=user,
                        key=key,
                        endpoint=endpoint,
                        fingerprint=fingerprint,
                        status_code=0,
                        response={},
                    )
            except IntegrityError:
                raise _KeyTaken from None
            status, body = run()
            row.status_code, row.response = status, body
            row.save(update_fields=["status_code", "response"])
            return status, body, False
    except _KeyTaken:
        existing = IdempotencyKey.objects.get(user=user, key=key)
        return (*_replay(existing, endpoint, fingerprint), True)


def idempotency_prune(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete keys older than ``older_than``; a tablet does not resend after a month."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
