"""Reading the working-day calendar: loaded from the database once, then served from the cache.

Every write goes through ``casework.services.calendar``, which calls ``calendar_forget`` so the
next reader loads the new data.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from casework.calendar import CalendarEntry, WorkingCalendar
from casework.models import CalendarDay, CalendarYear

logger = logging.getLogger(__name__)

#: Bump the version when ``WorkingCalendar`` changes shape, so no process reads an old pickle.
#: The data migration that pre-fills the calendar deletes this key by name too.
CACHE_KEY = "casework:working-calendar:v1"
#: A safety net only: writes through the services forget the cached calendar at once.
CACHE_TIMEOUT = 60 * 60
#: How far ahead administrators are warned that the calendar runs out.
WARNING_HORIZON = dt.timedelta(days=90)


def calendar_load() -> WorkingCalendar:
    """Read the calendar from the database (two queries), bypassing the cache."""
    entries = [
        CalendarEntry(date=day, is_workday=is_workday)
        for day, is_workday in CalendarDay.objects.values_list("date", "is_workday")
    ]
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkingCalendar.from_entries(entries, years)


def working_calendar() -> WorkingCalendar:
    """The calendar, from the cache when it is there; never fails because the cache is down."""
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:
        logger.warning("cache unavailable; reading the working calendar from the database")
        return calendar_load()
    if isinstance(cached, WorkingCalendar):
        return cached
    calendar = calendar_load()
    try:
        cache.set(CACHE_KEY, calendar, CACHE_TIMEOUT)
    except Exception:
        logger.warning("cache unavailable; the working calendar was not cached")
    return calendar


def calendar_forget() -> None:
    """Drop the cached calendar, so the next reader loads it from the database."""
    try:
        cache.delete(CACHE_KEY)
    except Exception:
        logger.warning("cache unavailable; could not forget the cached working calendar")


@dataclass(frozen=True)
class CalendarStatus:
    """What administrators need to know about the calendar, for a warning banner."""

    last_known_year: int | None
    #: The first date within the warning horizon whose year is not known, if any.
    first_uncovered: dt.date | None
    needs_attention: bool
    message: str


def calendar_status(today: dt.date, *, calendar: WorkingCalendar | None = None) -> CalendarStatus:
    """Whether deadlines within the next 90 days from ``today`` fall beyond the known years.

    ``message`` is translated and empty when nothing needs attention.
    """
    calendar = calendar if calendar is not None else working_calendar()
    last = calendar.last_known_year
    first_uncovered = calendar.first_uncovered(today, today + WARNING_HORIZON)
    if first_uncovered is None:
        return CalendarStatus(last, None, needs_attention=False, message="")
    if last is None:
        message = _(
            "No year of the working-day calendar is known: deadlines count weekends only. "
            "Fill the calendar (manage.py calendar_fill) or import the official holidays."
        )
    else:
        message = _(
            "The working-day calendar is known up to %(year)d. Deadlines from %(date)s on "
            "count weekends only until the official holidays of %(next)d are entered or "
            "imported."
        ) % {
            "year": last,
            "date": first_uncovered.isoformat(),
            "next": first_uncovered.year,
        }
    return CalendarStatus(last, first_uncovered, needs_attention=True, message=message)
