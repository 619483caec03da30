"""Keeping the daily rate tallies: what each event adds, applied as it is written, or rebuilt.

:func:`deltas` is the one definition of which event counts toward which rate counter; the
writer (:func:`tally_event`) and the rebuild (:func:`tallies_rebuild`) both follow it, and a
test checks they agree.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework.models import TALLY_FIELDS, CaseEvent, EventKind, RateTally
from casework.selectors.events import (
    APPROVED,
    ON_TIME,
    PLEASED,
    SATISFACTION,
    SOLVED,
    approved_q,
    on_time_q,
    pleased_q,
    solved_q,
)

#: Dispatches: what a return (回退) can follow, the return rate's denominator.
DISPATCHES = (EventKind.ASSIGNED, EventKind.TRANSFERRED, EventKind.SENT_UP)
#: A resident's answer about a result: at the return visit a worker records (回访), or their own
#: rating (tracking page, SMS link). Each counts as one answer (see ``casework.rates``).
ANSWERS = (EventKind.FEEDBACK, EventKind.RESIDENT_FEEDBACK)


def deltas(kind: str, to_state: str, data: dict) -> dict[str, int]:
    """What one event adds to its day's tally (empty when it does not count toward a rate)."""
    on_time = bool(data.get(ON_TIME))
    if kind == EventKind.ACCEPTED:
        return {"signed": 1, "signed_on_time": int(on_time)}
    if kind in DISPATCHES:
        return {"assigned": 1}
    if kind == EventKind.EXTENSION_DECIDED:
        return {"extended": int(bool(data.get(APPROVED)))}
    if kind == EventKind.PARKED:
        return {"parked": 1}
    if kind == EventKind.RETURNED:
        return {"returned": 1}
    if kind == EventKind.RESOLVED or (kind == EventKind.CONSULTED and to_state == "resolved"):
        return {"resolved": 1, "resolved_on_time": int(on_time)}
    if kind in ANSWERS:
        result = {
            "answered": 1,
            "solved": int(bool(data.get(SOLVED))),
            "pleased": int(data.get(SATISFACTION) in PLEASED),
        }
        if to_state == "reopened":
            result["reopened"] = 1
        return result
    if kind == EventKind.REOPENED:
        return {"reopened": 1}
    return {}


def tally_event(event: CaseEvent, *, unit_id: int) -> None:
    """Add ``event`` to the tally of its case's place and (local) day, in the caller's
    transaction."""
    add = {k: v for k, v in deltas(event.kind, event.to_state, event.data).items() if v}
    if not add:
        return
    day = timezone.localtime(event.created_at).date()
    rows = RateTally.objects.filter(unit_id=unit_id, day=day)
    if rows.update(**{name: F(name) + n for name, n in add.items()}):
        return
    try:
        with transaction.atomic():
            RateTally.objects.create(unit_id=unit_id, day=day, **add)
    except IntegrityError:  # another transaction created the row first
        rows.update(**{name: F(name) + n for name, n in add.items()})


#: The kinds :func:`deltas` counts (every other kind adds nothing to a tally).
COUNTED_KINDS = (
    EventKind.ACCEPTED,
    *DISPATCHES,
    EventKind.EXTENSION_DECIDED,
    EventKind.PARKED,
    EventKind.RETURNED,
    EventKind.RESOLVED,
    EventKind.CONSULTED,
    *ANSWERS,
    EventKind.REOPENED,
)


def tally_counts() -> dict[str, Count]:
    """:func:`deltas` as SQL: one ``Count`` per tally field, to annotate grouped events with.
    The rebuild groups by place and day; the rates per worker group by person."""
    on_time = on_time_q()
    resolved = Q(kind=EventKind.RESOLVED) | Q(kind=EventKind.CONSULTED, to_state="resolved")
    feedback = Q(kind__in=ANSWERS)
    return {
        "signed": Count("pk", filter=Q(kind=EventKind.ACCEPTED)),
        "signed_on_time": Count("pk", filter=Q(kind=EventKind.ACCEPTED) & on_time),
        "answered": Count("pk", filter=feedback),
        "solved": Count("pk", filter=feedback & solved_q()),
        "pleased": Count("pk", filter=feedback & pleased_q()),
        "resolved": Count("pk", filter=resolved),
        "resolved_on_time": Count("pk", filter=resolved & on_time),
        "assigned": Count("pk", filter=Q(kind__in=DISPATCHES)),
        "returned": Count("pk", filter=Q(kind=EventKind.RETURNED)),
        "extended": Count("pk", filter=Q(kind=EventKind.EXTENSION_DECIDED) & approved_q()),
        "parked": Count("pk", filter=Q(kind=EventKind.PARKED)),
        "reopened": Count(
            "pk", filter=(feedback & Q(to_state="reopened")) | Q(kind=EventKind.REOPENED)
        ),
    }


@transaction.atomic
def tallies_rebuild() -> int:
    """Recompute every tally from the events (one grouped query); returns the rows written."""
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = (
        CaseEvent.objects.order_by()
        .annotate(day=TruncDate("created_at", tzinfo=local))
        .values("case__unit_id", "day")
        .annotate(**tally_counts())
    )
    RateTally.objects.all().delete()
    batch = []
    written = 0
    for row in rows.iterator(chunk_size=5000):
        if not any(row[name] for name in TALLY_FIELDS):
            continue
        batch.append(
            RateTally(
                unit_id=row["case__unit_id"], day=row["day"], **{n: row[n] for n in TALLY_FIELDS}
            )
        )
        if len(batch) >= 5000:
            RateTally.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    RateTally.objects.bulk_create(batch)
    return written + len(batch)
