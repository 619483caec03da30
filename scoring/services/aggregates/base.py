"""What every aggregate pass shares: the window, the row it yields, the id-list aggregate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Aggregate, QuerySet, TextField

from casework.models import CaseEvent
from casework.selectors.events import case_events_between
from scoring.models import (
    SourceKind,
)

S = SourceKind


class IdList(Aggregate):
    """The aggregated ids as one comma-separated string (``GROUP_CONCAT`` / ``STRING_AGG``)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        clone = self.copy()
        clone.function = "STRING_AGG"
        clone.template = "%(function)s((%(expressions)s)::text, ',')"
        return clone.as_sql(compiler, connection, **extra_context)


@dataclass
class Row:
    """One would-be ledger entry: ``quantity`` of ``source`` for a person or a unit."""

    source: str
    person_id: int | None
    unit_id: int | None
    quantity: Decimal
    refs: str = ""
    #: Overrides the rule's category (a pledge counts in its own category).
    indicator_id: int | None = None
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Window:
    """The quarter being computed: ``[start, end)`` in time and its first and last day."""

    start: datetime
    end: datetime
    first_day: date
    last_day: date
    quarter_id: int


def events_in(window: Window, *kinds: str) -> QuerySet[CaseEvent]:
    """The case events of ``kinds`` written in the quarter."""
    return case_events_between(*kinds, start=window.start, end=window.end)


def pairs(rows: Iterable[dict], split: dict[str, tuple[str, str]], person_key: str) -> list[Row]:
    """Turn ``{person, <count>, <refs>}`` rows into one ``Row`` per non-zero count."""
    found = []
    for row in rows:
        person = row[person_key]
        if person is None:
            continue
        for source, (count_key, refs_key) in split.items():
            if row[count_key]:
                found.append(
                    Row(source, person, None, Decimal(row[count_key]), row[refs_key] or "")
                )
    return found
