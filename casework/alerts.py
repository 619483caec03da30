"""What a case's deadlines owe at a moment: pure functions, no ORM.

The deadline sweep asks :func:`owed` for the reminders due at ``now`` and :func:`next_alert` for
the next moment it must look at the case again; the services call :func:`next_alert` after every
transition, so the sweep only ever reads the cases whose moment has come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

#: Escalation climbs grid → community (1) → town (2) → county (3).
MAX_LEVEL = 3
#: States whose deadlines are watched.
WATCHED_STATES = frozenset({"assigned", "in_progress"})
PARKED = "parked"
#: When on its review date a parked case's supervisors are reminded (local time).
REVIEW_HOUR = 9


@dataclass(frozen=True)
class CaseClock:
    """The fields of a case the alerts depend on."""

    state: str
    sign_due_at: datetime | None
    due_soon_at: datetime | None
    due_at: datetime | None
    escalation_level: int = 0
    #: Parked (挂账): the moment its review is due.
    review_at: datetime | None = None
    #: The deadlines of the co-handling parts (协办) not yet reported.
    co_due: tuple[datetime, ...] = ()


@dataclass(frozen=True)
class Owed:
    kind: str
    level: int
    deadline: datetime


def target_level(due_at: datetime, now: datetime, period: timedelta) -> int:
    """The escalation level an overdue case should be at: 1 at the due time, +1 per period."""
    if now < due_at:
        return 0
    return min(MAX_LEVEL, 1 + int((now - due_at) / period))


def owed(clock: CaseClock, now: datetime, period: timedelta) -> list[Owed]:
    """Every reminder the case's deadlines owe at ``now`` (the caller skips those already sent)."""
    if clock.state == PARKED:
        if clock.review_at and now >= clock.review_at:
            return [Owed("park_review", 0, clock.review_at)]
        return []
    if clock.state not in WATCHED_STATES:
        return []
    result: list[Owed] = []
    for part_due in sorted(set(clock.co_due)):
        if now >= part_due:
            result.append(Owed("co_overdue", 0, part_due))
        elif clock.due_soon_at and clock.due_soon_at <= now:
            result.append(Owed("co_due_soon", 0, part_due))
    if clock.state == "assigned" and clock.sign_due_at and now >= clock.sign_due_at:
        result.append(Owed("sign_overdue", 0, clock.sign_due_at))
    if clock.due_at is None:
        return result
    if clock.due_soon_at and clock.due_soon_at <= now < clock.due_at:
        result.append(Owed("due_soon", 0, clock.due_at))
    if now >= clock.due_at:
        result.append(Owed("due_now", 0, clock.due_at))
        top = target_level(clock.due_at, now, period)
        result.extend(
            Owed("escalated", level, clock.due_at)
            for level in range(clock.escalation_level + 1, top + 1)
        )
    return result


def next_alert(clock: CaseClock, now: datetime, period: timedelta) -> datetime | None:
    """The next moment after ``now`` at which the case will owe something, or ``None``."""
    if clock.state == PARKED:
        return clock.review_at if clock.review_at and clock.review_at > now else None
    if clock.state not in WATCHED_STATES:
        return None
    moments = [d for d in clock.co_due if d > now]
    if clock.co_due and clock.due_soon_at and clock.due_soon_at > now:
        moments.append(clock.due_soon_at)
    if clock.state == "assigned" and clock.sign_due_at and clock.sign_due_at > now:
        moments.append(clock.sign_due_at)
    if clock.due_at:
        if clock.due_soon_at and clock.due_soon_at > now:
            moments.append(clock.due_soon_at)
        if clock.due_at > now:
            moments.append(clock.due_at)
        else:
            level = max(target_level(clock.due_at, now, period), clock.escalation_level)
            if level < MAX_LEVEL:
                moments.append(clock.due_at + period * level)
    return min(moments) if moments else None


def review_moment(review_on: date | None, tz) -> datetime | None:
    """The moment on the review date when a parked case is due for review."""
    if review_on is None:
        return None
    return datetime.combine(review_on, time(REVIEW_HOUR), tzinfo=tz)


def clock_of(case, *, co_due: tuple[datetime, ...] = (), tz=None) -> CaseClock:
    """The clock of a case; ``co_due`` are its open co-handling parts' deadlines (the caller
    reads them), ``tz`` the local zone of review dates (default UTC)."""
    return CaseClock(
        state=case.state,
        sign_due_at=case.sign_due_at,
        due_soon_at=case.due_soon_at,
        due_at=case.due_at,
        escalation_level=case.escalation_level,
        review_at=review_moment(case.review_on, tz or UTC),
        co_due=tuple(sorted(set(co_due))),
    )


def next_alert_after_change(clock: CaseClock, now: datetime, period: timedelta) -> datetime | None:
    """After a transition: ``now`` when something may be owed already, else the next moment.

    The sweep then looks once, records what is really new (the reminder keys make repeats
    harmless) and moves the case on to its next moment.
    """
    if owed(clock, now, period):
        return now
    return next_alert(clock, now, period)
