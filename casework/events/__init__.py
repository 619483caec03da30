"""The only writers of case history: one small constructor per kind of event.

Events are append-only: nothing in the code, the admin or the API updates or deletes one.
:data:`DATA_KEYS` (``casework/events/keys.py``) is the one place where the keys of each kind's
``data`` are written down; every constructor writes exactly those keys (``None`` where a value
does not apply), ``_record`` refuses anything else, and readers elsewhere (tallies, rates,
scoring) go through ``casework.selectors.events`` rather than spelling the keys themselves.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from casework.events.keys import DATA_KEYS
from casework.models import Case, CaseEvent, EventKind
from casework.tallies import tally_event

K = EventKind

#: Sent with ``events`` (a list of ``CaseEvent``) once they are written, inside the writer's
#: transaction: apps that casework does not import (webhooks, group robots) queue their work here
#: and send it after commit, so a rolled-back change tells nobody.
recorded = Signal()


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


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
    moved: bool = False,
    note: str = "",
    data: dict[str, Any] | None = None,
    at=None,
) -> CaseEvent:
    """Write one event. ``moved`` records the case's current state as where it went."""
    data = data or {}
    if set(data) != set(DATA_KEYS[kind]):
        raise ValueError(f"{kind} event data keys {sorted(data)} are not the documented ones")
    _changed()
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        created_at=at or timezone.now(),
        from_state=from_state,
        to_state=case.state if moved else "",
        note=note,
        data=data,
    )
    tally_event(event, unit_id=case.unit_id)
    recorded.send(sender=CaseEvent, events=[event])
    return event


# --- Opening and dispatch -------------------------------------------------------------------


def case_opened(case: Case, *, actor, request_id: int | None, channel: str | None, at=None):
    return _record(
        case,
        K.OPENED,
        actor=actor,
        moved=True,
        data={"request": request_id, "channel": channel},
        at=at,
    )


def case_assigned(case: Case, *, actor, from_state: str, note: str, fallback: bool, at):
    """The case's handler, units and deadlines are read from the case as it now stands."""
    return _record(
        case,
        K.ASSIGNED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=note,
        data={
            "handler": case.handler_id,
            "unit": case.owner_unit_id,
            "co_handlers": sorted(unit.pk for unit in case.co_handlers.all()),
            "sign_due_at": _iso(case.sign_due_at),
            "due_at": _iso(case.due_at),
            "calendar_fallback": fallback,
        },
        at=at,
    )


def case_transferred(case: Case, *, actor, from_state: str, from_unit_id, reason: str, at):
    return _record(
        case,
        K.TRANSFERRED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=reason,
        data={
            "reason": reason,
            "from_unit": from_unit_id,
            "unit": case.owner_unit_id,
            "handler": case.handler_id,
            "sign_due_at": _iso(case.sign_due_at),
            "due_at": _iso(case.due_at),
        },
        at=at,
    )


def case_sent_up(case: Case, *, actor, from_state: str, from_unit_id, reason: str, at):
    return _record(
        case,
        K.SENT_UP,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=reason,
        data={
            "reason": reason,
            "from_unit": from_unit_id,
            "unit": case.owner_unit_id,
            "sign_due_at": _iso(case.sign_due_at),
            "due_at": _iso(case.due_at),
        },
        at=at,
    )


def case_accepted(case: Case, *, actor, from_state: str, on_time: bool, note: str, at):
    return _record(
        case,
        K.ACCEPTED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=note,
        data={"on_time": on_time},
        at=at,
    )


def case_returned(case: Case, *, actor, from_state: str, reason: str, handler_id, unit_id, at):
    return _record(
        case,
        K.RETURNED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=reason,
        data={"reason": reason, "handler": handler_id, "unit": unit_id},
        at=at,
    )


# --- Handling -------------------------------------------------------------------------------


def case_resolved(case: Case, *, actor, from_state: str, result: str, co_pending, at):
    return _record(
        case,
        K.RESOLVED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=result,
        data={**_judged(case, at), "co_pending": sorted(co_pending)},
        at=at,
    )


def _judged(case: Case, at: datetime) -> dict[str, Any]:
    """How a resolution is judged: against the deadline in force (an approved extension's)."""
    return {
        "on_time": case.due_at is None or at <= case.due_at,
        "due_at": _iso(case.due_at),
        "handler": case.handler_id,
        "unit": case.owner_unit_id,
    }


def co_handling_reported(case: Case, *, actor, unit_id: int, opinion: str, at):
    return _record(case, K.CO_REPORTED, actor=actor, note=opinion, data={"unit": unit_id}, at=at)


def extension_requested(case: Case, *, actor, extension, at):
    return _record(
        case,
        K.EXTENSION_REQUESTED,
        actor=actor,
        note=extension.reason,
        data={
            "extension": extension.pk,
            "due_at": _iso(extension.due_at),
            "old_due_at": _iso(extension.old_due_at),
        },
        at=at,
    )


def extension_decided(case: Case, *, actor, extension, at):
    return _record(
        case,
        K.EXTENSION_DECIDED,
        actor=actor,
        note=extension.decision_note,
        data={
            "extension": extension.pk,
            "approved": extension.state == "approved",
            "due_at": _iso(case.due_at),
            "old_due_at": _iso(extension.old_due_at),
            "unit": extension.unit_id,
        },
        at=at,
    )


# --- Feedback and closing -------------------------------------------------------------------


def feedback_recorded(
    case: Case, *, actor, from_state: str, solved: bool, satisfaction: str, note: str, at
):
    return _record(
        case,
        K.FEEDBACK,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=note,
        data={
            "solved": solved,
            "satisfaction": satisfaction,
            "handler": case.handler_id,
            "unit": case.owner_unit_id,
        },
        at=at,
    )


def resident_feedback_recorded(
    case: Case,
    *,
    from_state: str,
    moved: bool,
    solved: bool,
    satisfaction: str,
    comment: str,
    round_: int,
    via: str,
    at,
):
    """The resident's own rating of the result (no actor: the resident is not a user). It moved
    the case (``moved``) only when it reopened it for redo."""
    return _record(
        case,
        K.RESIDENT_FEEDBACK,
        actor=None,
        from_state=from_state if moved else "",
        moved=moved,
        note=comment,
        data={
            "solved": solved,
            "satisfaction": satisfaction,
            "handler": case.handler_id,
            "unit": case.owner_unit_id,
            "round": round_,
            "via": via,
        },
        at=at,
    )


def case_closed(case: Case, *, actor, from_state: str, reason: str, note: str, at):
    return _record(
        case,
        K.CLOSED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=note,
        data={"reason": reason},
        at=at,
    )


def case_reopened(case: Case, *, actor, from_state: str, reason: str, at=None):
    return _record(
        case,
        K.REOPENED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=reason,
        data={"reason": reason},
        at=at,
    )


def case_cancelled(case: Case, *, actor, from_state: str, reason: str, at=None):
    return _record(
        case,
        K.CANCELLED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=reason,
        data={"reason": reason},
        at=at,
    )


def consultation_decided(
    case: Case, *, actor, meeting_id: int, decision: str, from_state: str = "", at=None
) -> CaseEvent:
    """A four-party consultation's decision; with ``from_state`` it also settled the case."""
    at = at or timezone.now()
    judged = _judged(case, at) if from_state else dict.fromkeys(_judged(case, at))
    return _record(
        case,
        K.CONSULTED,
        actor=actor,
        from_state=from_state,
        moved=bool(from_state),
        note=decision,
        data={"meeting": meeting_id, **judged},
        at=at,
    )


# --- Parking --------------------------------------------------------------------------------


def case_parked(case: Case, *, actor, from_state: str, plan: str, at=None):
    return _record(
        case,
        K.PARKED,
        actor=actor,
        from_state=from_state,
        moved=True,
        note=plan,
        data={"review_on": _iso(case.review_on)},
        at=at,
    )


def case_unparked(case: Case, *, actor, note: str, at=None):
    return _record(
        case,
        K.UNPARKED,
        actor=actor,
        from_state="parked",
        moved=True,
        note=note,
        data={"due_at": _iso(case.due_at)},
        at=at,
    )


# --- Around the work ------------------------------------------------------------------------


def case_chased(case: Case, *, actor, note: str = "", at=None) -> CaseEvent:
    return _record(case, K.CHASED, actor=actor, note=note, at=at)


def note_added(case: Case, *, actor, note: str, at=None) -> CaseEvent:
    return _record(case, K.NOTE, actor=actor, note=note, at=at)


def photo_added(
    case: Case, *, actor, photo_id: int, caption: str, stage: str, at=None
) -> CaseEvent:
    return _record(
        case, K.PHOTO, actor=actor, note=caption, data={"photo": photo_id, "stage": stage}, at=at
    )


def request_merged(case: Case, *, actor, request_id: int, at=None) -> CaseEvent:
    return _record(case, K.REQUEST_MERGED, actor=actor, data={"request": request_id}, at=at)


def sweep_recorded(rows: list[tuple[Case, str, dict]], *, at) -> list[CaseEvent]:
    """The deadline sweep's events, in bulk: ``(case, kind, data)`` for each reminder sent
    (``reminded``: ``reminder``, ``level``) and each climb (``escalated``: ``level``, ``unit``)."""
    for _case, kind, data in rows:
        if set(data) != set(DATA_KEYS[kind]):
            raise ValueError(f"{kind} event data keys {sorted(data)} are not the documented ones")
    _changed()
    written = CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=kind, actor=None, created_at=at, data=data)
        for case, kind, data in rows
    )
    if written:
        recorded.send(sender=CaseEvent, events=written)
    return written
