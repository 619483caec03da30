"""Deadlines of a case: when it must be signed for (签收) and resolved, and how that reads.

``compute_deadlines`` is called when a case is assigned; ``due_state`` and ``due_phrase`` serve
queues, pages and the sweep. Working-day arithmetic is ``casework.calendar``'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.calendar import WorkingCalendar, shift_working_days
from casework.models import DeadlineUnit, Urgency

#: Urgent cases: sign for within an hour and resolve within a day, unless the category is faster.
URGENT_SIGN_FOR = dt.timedelta(minutes=60)
URGENT_RESOLVE = dt.timedelta(hours=24)
#: Emergencies (danger to life or property): 30 minutes and 2 hours, Beijing 12345's norm.
EMERGENCY_SIGN_FOR = dt.timedelta(minutes=30)
EMERGENCY_RESOLVE = dt.timedelta(hours=2)

#: When the start of a deadline is not known, "due soon" means within this much of it.
DUE_SOON_WINDOW = dt.timedelta(hours=24)

OVERDUE, DUE_SOON, OK = "overdue", "due_soon", "ok"


@dataclass(frozen=True)
class Deadlines:
    """When a case must be signed for and resolved.

    ``fallback`` is true when the resolution deadline was counted in working days through a year
    the calendar does not know, so only the weekend rule applied there.
    """

    sign_due_at: dt.datetime
    due_at: dt.datetime
    fallback: bool


def _category_resolve(
    category, start: dt.datetime, calendar: WorkingCalendar
) -> tuple[dt.datetime, bool]:
    amount = int(category.resolve_amount)
    if category.resolve_unit == DeadlineUnit.HOURS:
        return start + dt.timedelta(hours=amount), False
    if category.resolve_unit == DeadlineUnit.WORKDAYS:
        shift = shift_working_days(start, amount, calendar)
        return shift.at, shift.fallback
    raise ValueError(f"unknown resolve unit {category.resolve_unit!r}")


def compute_deadlines(
    *,
    category,
    urgency: str,
    start: dt.datetime,
    calendar: WorkingCalendar | None = None,
) -> Deadlines:
    """Return the sign-for and resolution deadlines for a case of ``category`` from ``start``.

    ``category`` has ``sign_for_minutes``, ``resolve_amount`` and ``resolve_unit`` (``"hours"``:
    clock hours, plain elapsed time that runs through nights, weekends and holidays;
    ``"workdays"``: working days on the official calendar, see ``casework.calendar``).

    - ``normal``: the category's own deadlines.
    - ``urgent``: sign for within min(category, 60 minutes); resolve by the earlier of the
      category's deadline and 24 clock hours.
    - ``emergency``: sign for within 30 minutes and resolve within 2 clock hours (or the
      category's own, should it be stricter still: an emergency is never slower than normal).

    ``calendar`` defaults to the cached ``working_calendar()``. Never raises for a year the
    calendar does not know: ``fallback`` says the weekend rule was used. ``start`` must be aware;
    the answers are in UTC.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be an aware datetime")
    if urgency not in Urgency.values:
        raise ValueError(f"unknown urgency {urgency!r}")
    if calendar is None:
        from casework.selectors.calendar import working_calendar

        calendar = working_calendar()
    start = start.astimezone(dt.UTC)
    sign_for = dt.timedelta(minutes=int(category.sign_for_minutes))
    resolve_at, fallback = _category_resolve(category, start, calendar)
    if urgency == Urgency.URGENT:
        sign_for = min(sign_for, URGENT_SIGN_FOR)
        cap = URGENT_RESOLVE
    elif urgency == Urgency.EMERGENCY:
        sign_for = min(sign_for, EMERGENCY_SIGN_FOR)
        cap = EMERGENCY_RESOLVE
    else:
        cap = None
    if cap is not None and start + cap <= resolve_at:
        # The clock cap decides: the calendar, known or not, played no part.
        resolve_at, fallback = start + cap, False
    return Deadlines(sign_due_at=start + sign_for, due_at=resolve_at, fallback=fallback)


def due_state(
    due_at: dt.datetime | None,
    now: dt.datetime,
    *,
    soon_share: float = 0.25,
    start: dt.datetime | None = None,
) -> str | None:
    """Say where ``now`` stands against ``due_at``: ``"overdue"``, ``"due_soon"`` or ``"ok"``.

    Past ``due_at`` is overdue. "Due soon" is the last ``soon_share`` of the time from ``start``
    to ``due_at`` (a quarter by default), or the last 24 hours when ``start`` is not given.
    ``None`` when there is no deadline.
    """
    if due_at is None:
        return None
    left = due_at - now
    if left < dt.timedelta(0):
        return OVERDUE
    if start is not None and start < due_at:
        window = (due_at - start) * soon_share
    else:
        window = DUE_SOON_WINDOW
    return DUE_SOON if left <= window else OK


def _duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days and hours:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if days:
        return _("%(days)d d") % {"days": days}
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


def due_phrase(due_at: dt.datetime | None, now: dt.datetime) -> str:
    """Say how long is left, or how late it is: "due in 3 h 20 min", "overdue by 2 d 4 h".

    Two units at most (days and hours, or hours and minutes), rounded down; under a minute either
    way reads "due now". Empty when there is no deadline.
    """
    if due_at is None:
        return ""
    left = due_at - now
    if abs(left) < dt.timedelta(minutes=1):
        return _("due now")
    if left > dt.timedelta(0):
        return _("due in %(duration)s") % {"duration": _duration(left)}
    return _("overdue by %(duration)s") % {"duration": _duration(-left)}
