"""Recording what each collected request was suggested, and whether the worker filed it.

Every door (the intake page, the API, Open311, the residents' own page) collects through
``requests_app.services.request_collect``, which writes a ``collected`` ``RequestEvent``;
``dispatch.receivers`` notes the request's id and, once the collection commits, this module
computes the suggestion from the description as filed and stores it. Requests collected in one
transaction (a batch, the demo) are suggested together: one pass of the model, one query over
the cases, one insert. A failure here is logged and never undoes a collection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from dispatch.models import Suggestion
from dispatch.services.serving import suggest_many
from requests_app.models import Request

logger = logging.getLogger("minqing.dispatch")

#: Requests recorded per batch (one model pass, one query, one insert each).
BATCH = 500


class _Batch:
    """The requests collected in one transaction, recorded together once it commits."""

    def __init__(self, outer):
        self.ids: set[int] = set()
        self.outer = outer
        self.done = False

    def __call__(self) -> None:
        self.done = True
        ids, self.ids = self.ids, set()
        if not ids:
            return
        try:
            suggestions_record(request_ids=ids)
        except Exception:
            # A suggestion is a by-product: the request is collected whatever happens here.
            logger.exception("Dispatch suggestions not recorded for %d requests", len(ids))


def request_collected(request_id: int) -> None:
    """Note a request collected in the current transaction; it is suggested once committed.

    The requests of one transaction share a batch: each registers it with ``on_commit`` (the
    first call records them all, the others find it empty), so whichever of them runs, all
    are recorded together. A batch belongs to its outermost transaction and ends when it runs;
    one left by a rolled-back transaction is never joined (its ids name nothing).
    """
    connection = transaction.get_connection()
    outer = connection.atomic_blocks[0] if connection.in_atomic_block else None
    batch = getattr(connection, "_minqing_dispatch_batch", None)
    if batch is None or batch.done or outer is None or batch.outer is not outer:
        batch = _Batch(outer)
        connection._minqing_dispatch_batch = batch
    batch.ids.add(request_id)
    # Outside a transaction this runs at once; inside, when the outermost one commits.
    transaction.on_commit(batch)


def suggestions_record(*, request_ids: Iterable[int]) -> int:
    """Record the suggestion of each request that has none yet; return how many were written.

    Ids of requests that do not exist (a rolled-back collection) are skipped. The category
    filed is the request's category as collected: requests keep it (a case may later be
    reclassified, the request and this record do not change).
    """
    ids = sorted(set(request_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _record_batch(ids[start : start + BATCH])
    return written


def _record_batch(ids: list[int]) -> int:
    requests = list(
        Request.objects.filter(pk__in=ids, suggestion__isnull=True)
        .select_related("unit")
        .only("pk", "description", "category_id", "channel", "collected_at", "unit")
        .order_by("pk")
    )
    if not requests:
        return 0
    results = suggest_many([(r.description, r.unit) for r in requests])
    rows = []
    for request, result in zip(requests, results, strict=True):
        suggested = result.category_ids
        rows.append(
            Suggestion(
                request=request,
                model_id=result.model.version,
                kind=result.model.kind,
                categories=[{"category": c.category, "score": c.score} for c in result.categories],
                units=[{"unit": u.unit, "score": u.score} for u in result.units],
                suggested_id=suggested[0] if suggested else None,
                chosen_id=request.category_id,
                accepted=bool(suggested) and suggested[0] == request.category_id,
                in_top3=request.category_id in suggested,
                channel=request.channel,
                collected_at=request.collected_at,
            )
        )
    # Two commits racing over one request: the first record stands.
    Suggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
