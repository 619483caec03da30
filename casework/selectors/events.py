"""Case events read by what their data means: the one place queries name the JSON keys.

``casework.events`` writes each kind's ``data`` with the keys written down in its ``DATA_KEYS``.
Readers that count or score events (the rate tallies, the quarter's ledger) build their queries
from the pieces here, so a key is spelled once and a test can check it against ``DATA_KEYS``.

Each key is read only from the kinds listed for it in :data:`READ_FROM`; apply a piece to
events of those kinds (a ``Q`` does not filter on the kind itself).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import BigIntegerField, Q, QuerySet, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, NullIf

from casework.models import CaseEvent, EventKind, Satisfaction

K = EventKind

#: The ``data`` keys read here.
ON_TIME = "on_time"
SOLVED = "solved"
SATISFACTION = "satisfaction"
HANDLER = "handler"
UNIT = "unit"
APPROVED = "approved"

#: The kinds each key is read from; each is documented for them in ``casework.events``.
READ_FROM: dict[str, tuple[str, ...]] = {
    ON_TIME: (K.ACCEPTED, K.RESOLVED, K.CONSULTED),
    SOLVED: (K.FEEDBACK, K.RESIDENT_FEEDBACK),
    SATISFACTION: (K.FEEDBACK, K.RESIDENT_FEEDBACK),
    HANDLER: (K.ASSIGNED, K.RETURNED, K.FEEDBACK, K.RESIDENT_FEEDBACK),
    UNIT: (K.ASSIGNED, K.RETURNED),
    APPROVED: (K.EXTENSION_DECIDED,),
}

#: The answers that count as a pleased resident: satisfied or basically satisfied (满意、基本满意).
PLEASED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


def _path(key: str) -> str:
    return f"data__{key}"


def case_events_between(*kinds: str, start: datetime, end: datetime) -> QuerySet[CaseEvent]:
    """The events of ``kinds`` (every kind when none is given) written in ``[start, end)``,
    unordered, ready to group."""
    events = CaseEvent.objects.filter(created_at__gte=start, created_at__lt=end)
    if kinds:
        events = events.filter(kind__in=kinds)
    return events.order_by()


def on_time_q() -> Q:
    """Signed for, or resolved, within the deadline."""
    return Q(**{_path(ON_TIME): True})


def late_q() -> Q:
    """Signed for, or resolved, after the deadline. A consultation that did not settle its case
    holds a null here and is neither on time nor late."""
    return Q(**{_path(ON_TIME): False})


def solved_q() -> Q:
    """A return visit where the resident says the problem was solved."""
    return Q(**{_path(SOLVED): True})


def satisfaction_q(*answers: str) -> Q:
    """A return visit whose answer is one of ``answers`` (values of ``Satisfaction``)."""
    return Q(**{f"{_path(SATISFACTION)}__in": list(answers)})


def pleased_q() -> Q:
    """A return visit where the resident is satisfied or basically satisfied."""
    return satisfaction_q(*PLEASED)


def approved_q() -> Q:
    """An extension decision that moved the deadline (延期 approved)."""
    return Q(**{_path(APPROVED): True})


def satisfaction_of() -> KT:
    """The resident's answer at the return visit, as text."""
    return KT(_path(SATISFACTION))


def _id_of(key: str) -> NullIf:
    # SQLite reads a JSON ``null`` as the text 'null', which casts to 0; no row has id 0, so 0
    # is taken as NULL too.
    return NullIf(Cast(KT(_path(key)), BigIntegerField()), Value(0))


def handler_of() -> NullIf:
    """The id of the handler the event names (who held, or was given, the case), or NULL."""
    return _id_of(HANDLER)


def unit_of() -> NullIf:
    """The id of the leading unit the event names, or NULL."""
    return _id_of(UNIT)
