"""The skeleton every case service shares: lock → authorise → move, deadlines, telling people.

Each service locks the case row, checks the client's ``version``, the state against
``casework.workflow`` and the actor's parties against ``casework.policies``; writes with
``update_fields``; appends exactly one ``CaseEvent``; and leaves side effects (notifications) to
the same transaction (inbox rows) or ``transaction.on_commit`` (email, SMS).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import alerts
from casework.errors import Conflict, ValidationFailed
from casework.models import Case, CoHandling, ExtensionState, OrgUnit, User
from casework.text import clean_text

#: A note, a reason or a result: at most this many characters.
TEXT_LIMIT = 4000


def lock(case: Case | int, *, version: int | None) -> Case:
    """Lock the case row and check the client's version. The lock serialises concurrent actors."""
    case_id = case if isinstance(case, int) else case.pk
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "owner_unit", "category")
        .get(pk=case_id)
    )
    if version is not None and int(version) != locked.version:
        raise Conflict(
            _("The case was changed by someone else. Reload it and try again."),
            code="stale_version",
            extra={"state": locked.state, "version": locked.version},
        )
    return locked


def refuse(case: Case, message: str, *, code: str) -> Conflict:
    """A 409 for a rule about the case's data (not its state), with its state and version."""
    return Conflict(message, code=code, extra={"state": case.state, "version": case.version})


def text(value: str, *, field: str, required: bool = False, limit: int = TEXT_LIMIT) -> str:
    return clean_text(value, field=field, required=required, limit=limit)


def escalation_period() -> timedelta:
    """How long an overdue case waits at one level before it climbs to the next (督办)."""
    return timedelta(hours=getattr(settings, "MINQING_ESCALATION_PERIOD_HOURS", 24))


def clock(case: Case) -> alerts.CaseClock:
    """The case's alert clock, with its open co-handling parts read from the database."""
    co_due = CoHandling.objects.filter(
        case=case, done_at__isnull=True, due_at__isnull=False
    ).values_list("due_at", flat=True)
    return alerts.clock_of(case, co_due=tuple(co_due), tz=timezone.get_current_timezone())


def replan(case: Case, now: datetime) -> None:
    """Tell the sweep when to look at the case next, after its state or deadlines changed."""
    case.next_alert_at = alerts.next_alert_after_change(clock(case), now, escalation_period())


def save_moved(case: Case, to_state: str | None, fields: Iterable[str], *, now=None) -> str:
    """Change the state (``None`` keeps it), bump the version, re-plan the alerts, save."""
    from_state = case.state
    if to_state is not None:
        case.state = to_state
    case.version += 1
    replan(case, now or timezone.now())
    case.save(update_fields=["state", "version", "next_alert_at", *fields])
    return from_state


DEADLINE_FIELDS = ["sign_due_at", "due_soon_at", "due_at"]


def clear_deadlines(case: Case) -> list[str]:
    """A case waiting for a new assignment has no deadlines (and no escalation) until it gets
    one."""
    case.sign_due_at = case.due_soon_at = case.due_at = None
    case.escalation_level = 0
    return [*DEADLINE_FIELDS, "escalation_level"]


def reopen_for_redo(case: Case) -> list[str]:
    """Send the case back for redo (重办): the answer belongs to the result that was refused
    (its event keeps it), and the next result waits for its own answers. Returns the fields."""
    case.satisfaction = ""
    case.reopen_count += 1
    case.resolved_at = None
    return ["satisfaction", "reopen_count", "resolved_at", *clear_deadlines(case)]


def withdraw_extension(case: Case, *, now: datetime, why: str) -> None:
    """End an application for more time that no decision can apply to any more: the case
    changed hands, or the work it was for is over (resolved, parked, cancelled)."""
    case.extensions.filter(state=ExtensionState.PENDING).update(
        state=ExtensionState.WITHDRAWN, decided_at=now, decision_note=why
    )


def set_deadlines(case: Case, *, now: datetime, due_at: datetime | None) -> bool:
    """Deadlines from the category and urgency on the working calendar, or ``due_at`` when a
    supervisor sets one. Returns whether the calendar fell back to weekends only."""
    from casework.deadlines import compute_deadlines

    deadlines = compute_deadlines(category=case.category, urgency=case.urgency, start=now)
    if due_at is not None:
        if due_at <= now:
            raise ValidationFailed(_("The deadline must be in the future."), field="due_at")
        resolve_due = due_at
    else:
        resolve_due = deadlines.due_at
    case.sign_due_at = min(deadlines.sign_due_at, resolve_due)
    case.due_at = resolve_due
    move_due(case, resolve_due, now=now)
    return deadlines.fallback


def move_due(case: Case, due_at: datetime, *, now: datetime) -> None:
    """Set the resolve deadline; "due soon" starts at the category's share of the time left."""
    case.due_at = due_at
    case.due_soon_at = due_at - (due_at - now) * float(case.category.due_soon_share)


def hand_to(
    case: Case, *, unit: OrgUnit | None, handler: User | None, now: datetime, due_at=None
) -> tuple[bool, list[str]]:
    """Put the case in the hands of ``unit``/``handler`` with fresh deadlines, to be signed for.

    Shared by assign, transfer and send-up. Returns the calendar fallback flag and the fields.
    """
    fallback = set_deadlines(case, now=now, due_at=due_at)
    withdraw_extension(case, now=now, why=_("Withdrawn: the case changed hands."))
    case.handler = handler
    case.owner_unit = unit
    case.assigned_at = now
    case.signed_at = None
    case.escalation_level = 0
    return fallback, [
        "handler",
        "owner_unit",
        "assigned_at",
        "signed_at",
        "escalation_level",
        *DEADLINE_FIELDS,
    ]


def tell(case: Case, kind: str, who: str, message: str = "") -> None:
    """Notify the people an action concerns (inbox rows in this transaction).

    ``who`` is ``handlers`` (the lead), ``co_handlers`` (open parts), ``supervisors`` or
    ``collectors``.
    """
    from casework.services.notifications import Recipients, notify

    book = Recipients([case])
    user_ids = getattr(book, who)(case)
    notify(user_ids=user_ids, kind=kind, case=case, text=message)
