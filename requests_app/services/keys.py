"""Rotating the key that encrypts residents' ID numbers at rest (``MINQING_FIELD_KEY``).

The procedure (docs/SECURITY.md): put a new key first in ``MINQING_FIELD_KEY`` and keep the old
one after it; run ``manage.py rotate_field_key``, which encrypts every stored ID number again with
the new key; then remove the old key.
"""

from __future__ import annotations

from django.db import transaction

from requests_app.models import Request
from requests_app.personal import reencrypt

BATCH = 500


def field_key_rotate(*, batch: int = BATCH) -> int:
    """Encrypt every stored ID number again with the newest key, in batches; returns how many.

    Idempotent: a value already under the newest key is encrypted again, harmlessly. Raises
    ``ValueError`` (and leaves the batch unwritten) when a value can be read by no configured key.
    """
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(
                Request.objects.select_for_update()
                .filter(pk__gt=last)
                .exclude(id_number_encrypted="")
                .order_by("pk")
                .only("pk", "id_number_encrypted")[:batch]
            )
            for row in rows:
                row.id_number_encrypted = reencrypt(row.id_number_encrypted)
            Request.objects.bulk_update(rows, ["id_number_encrypted"])
        if not rows:
            return done
        done += len(rows)
        last = rows[-1].pk
