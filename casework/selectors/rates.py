"""Summing the daily rate tallies for a unit and each unit below it, in one SQL query.

The tallies (``RateTally``) are kept per place and local day as events are written, so a
county's month is a few thousand rows to add up, however many cases and events lie behind them.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from casework.models import TALLY_FIELDS, OrgUnit, RateTally
from casework.rates import Counts

SUMS = {name: Sum(name) for name in TALLY_FIELDS}


def _days(start: datetime, end: datetime):
    return timezone.localtime(start).date(), timezone.localtime(end).date()


def _tallies(unit: OrgUnit, start: datetime, end: datetime):
    first, after = _days(start, end)
    return RateTally.objects.filter(
        unit__path__startswith=unit.path, day__gte=first, day__lt=after
    ).order_by()


def _counts(row: dict) -> Counts:
    return Counts(**{name: row[name] or 0 for name in TALLY_FIELDS})


def rate_counts(
    *, unit: OrgUnit, start: datetime, end: datetime, depth: int | None = None
) -> tuple[Counts, dict[int, Counts]]:
    """The counts of ``unit`` as a whole and of each unit below it at ``depth`` (default: the
    units directly below), over the local days of [start, end)."""
    depth = depth or unit.depth + 1
    children = dict(
        OrgUnit.objects.filter(path__startswith=unit.path, depth=depth).values_list("path", "pk")
    )
    rows = (
        _tallies(unit, start, end)
        .annotate(child=Substr("unit__path", 1, depth * OrgUnit.steplen))
        .values("child")
        .annotate(**SUMS)
    )
    total = Counts()
    by_child: dict[int, Counts] = {pk: Counts() for pk in children.values()}
    for row in rows:
        counts = _counts(row)
        total.add(counts)
        if row["child"] in children:
            by_child[children[row["child"]]].add(counts)
    return total, by_child


def rate_trend(*, unit: OrgUnit, months: list[tuple[datetime, datetime]]) -> list[Counts]:
    """The unit's counts for each month of ``months`` (calendar months), in one query."""
    if not months:
        return []
    rows = (
        _tallies(unit, months[0][0], months[-1][1])
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**SUMS)
    )
    by_month = {row["month"]: _counts(row) for row in rows}
    return [by_month.get(timezone.localtime(start).date(), Counts()) for start, _ in months]
