"""The only writers of case history. One small function per kind of event.

Events are append-only: nothing in the code, the admin or the API updates or deletes one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.models import Case, CaseEvent, EventKind
from casework.tallies import tally_event


def _changed() -> None:
    """Cached dashboards read events: tell them, once the new events are committed."""
    from casework.selectors.dashboard import events_changed

    transaction.on_commit(events_changed)


def _record(
    case: Case,
    kind: str,
    *,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    at=None,
) -> CaseEvent:
    _changed()
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        created_at=at or timezone.now(),
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )
    tally_event(event, unit_id=case.unit_id)
    return event


def transition_recorded(
    case: Case, kind: str, *, actor, from_state: str, note: str = "", data=None, at=None
) -> CaseEvent:
    """A change of state: ``from_state`` → the case's current state."""
    return _record(
        case,
        kind,
        actor=actor,
        from_state=from_state,
        to_state=case.state,
        note=note,
        data=data,
        at=at,
    )


def case_opened(case: Case, *, actor, data=None, at=None) -> CaseEvent:
    return _record(case, EventKind.OPENED, actor=actor, to_state=case.state, data=data, at=at)


def case_escalated(case: Case, *, level: int, unit_id: int | None, at=None) -> CaseEvent:
    return _record(
        case,
        EventKind.ESCALATED,
        data={"level": level, "unit": unit_id},
        at=at,
    )


def case_chased(case: Case, *, actor, note: str = "", at=None) -> CaseEvent:
    return _record(case, EventKind.CHASED, actor=actor, note=note, at=at)


def case_reminded(case: Case, *, kind: str, level: int = 0, at=None) -> CaseEvent:
    return _record(case, EventKind.REMINDED, data={"reminder": kind, "level": level}, at=at)


def request_merged(case: Case, *, actor, request_id: int, at=None) -> CaseEvent:
    return _record(
        case, EventKind.REQUEST_MERGED, actor=actor, data={"request": request_id}, at=at
    )


def consultation_decided(
    case: Case,
    *,
    actor,
    meeting_id: int,
    decision: str,
    from_state: str = "",
    data: dict | None = None,
    at=None,
) -> CaseEvent:
    """A four-party consultation's decision; with ``from_state`` it also moved the case."""
    return _record(
        case,
        EventKind.CONSULTED,
        actor=actor,
        from_state=from_state,
        to_state=case.state if from_state else "",
        note=decision,
        data={"meeting": meeting_id, **(data or {})},
        at=at,
    )


def note_added(case: Case, *, actor, note: str, at=None) -> CaseEvent:
    return _record(case, EventKind.NOTE, actor=actor, note=note, at=at)


def sweep_recorded(rows: list[tuple[Case, str, int, dict]], *, at) -> list[CaseEvent]:
    """The deadline sweep's events, in bulk: ``(case, kind, level, data)`` for each reminder
    sent (``reminded``) and each climb up the hierarchy (``escalated``)."""
    _changed()
    return CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=kind, actor=None, created_at=at, data={"level": level, **data})
        for case, kind, level, data in rows
    )
