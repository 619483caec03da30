"""Counting the events behind the six rates, for a unit and each unit below it, in SQL.

Two queries per period whatever the number of cases or child units: one pass with conditional
counts over the period's workflow events, one over each case's last return visit.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Max, Q
from django.db.models.functions import Substr

from casework.models import CaseEvent, EventKind, OrgUnit, Satisfaction
from casework.rates import Counts

PLEASED = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]
RESOLVED_Q = Q(kind=EventKind.RESOLVED) | Q(kind=EventKind.CONSULTED, to_state="resolved")
REOPENED_Q = Q(kind=EventKind.FEEDBACK, to_state="reopened") | Q(kind=EventKind.REOPENED)


def _events(unit: OrgUnit, start: datetime, end: datetime):
    return CaseEvent.objects.filter(
        created_at__gte=start, created_at__lt=end, case__unit__path__startswith=unit.path
    ).order_by()


def rate_counts(
    *, unit: OrgUnit, start: datetime, end: datetime, depth: int | None = None
) -> tuple[Counts, dict[int, Counts]]:
    """The counts of ``unit`` as a whole and of each unit below it at ``depth`` (default: the
    units directly below), over [start, end)."""
    depth = depth or unit.depth + 1
    child_len = depth * OrgUnit.steplen
    children = dict(
        OrgUnit.objects.filter(path__startswith=unit.path, depth=depth).values_list("path", "pk")
    )
    prefix = Substr("case__unit__path", 1, child_len)
    flows = (
        _events(unit, start, end)
        .filter(
            kind__in=[
                EventKind.ACCEPTED,
                EventKind.ASSIGNED,
                EventKind.RETURNED,
                EventKind.RESOLVED,
                EventKind.CONSULTED,
                EventKind.FEEDBACK,
                EventKind.REOPENED,
            ]
        )
        .annotate(child=prefix)
        .values("child")
        .annotate(
            signed=Count("pk", filter=Q(kind=EventKind.ACCEPTED)),
            signed_on_time=Count("pk", filter=Q(kind=EventKind.ACCEPTED, data__on_time=True)),
            assigned=Count("pk", filter=Q(kind=EventKind.ASSIGNED)),
            returned=Count("pk", filter=Q(kind=EventKind.RETURNED)),
            resolved=Count("pk", filter=RESOLVED_Q),
            resolved_on_time=Count("pk", filter=RESOLVED_Q & Q(data__on_time=True)),
            reopened=Count("pk", filter=REOPENED_Q),
        )
    )
    last_visits = (
        _events(unit, start, end)
        .filter(kind=EventKind.FEEDBACK)
        .values("case_id")
        .annotate(last=Max("pk"))
        .values("last")
    )
    answers = (
        CaseEvent.objects.filter(pk__in=last_visits)
        .order_by()
        .annotate(child=prefix)
        .values("child")
        .annotate(
            answered=Count("pk"),
            solved=Count("pk", filter=Q(data__solved=True)),
            pleased=Count("pk", filter=Q(data__satisfaction__in=PLEASED)),
        )
    )
    total = Counts()
    by_child: dict[int, Counts] = {pk: Counts() for pk in children.values()}
    for row in [*flows, *answers]:
        child = row.pop("child")
        counts = Counts(**row)
        total.add(counts)
        if child in children:
            by_child[children[child]].add(counts)
    return total, by_child


def rate_trend(*, unit: OrgUnit, months: list[tuple[datetime, datetime]]) -> list[Counts]:
    """The unit's counts for each period of ``months`` (two queries per period)."""
    return [
        rate_counts(unit=unit, start=start, end=end, depth=unit.depth)[0] for start, end in months
    ]
