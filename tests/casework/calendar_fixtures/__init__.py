"""Test data for the working-day calendar: a slice of the official calendar, written by hand.

Written out rather than read from chinese-calendar, so the arithmetic is tested against the State
Council's notices and not against the code that loads the package (a test checks the two agree).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from casework.calendar import CalendarEntry, WorkingCalendar

SH = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC

#: Weekday holidays and make-up workdays (调休) of the periods the tests use.
OFFICIAL_ENTRIES = [
    # 2025 New Year's Day.
    CalendarEntry(dt.date(2025, 1, 1), False, "元旦"),
    # 2025 National Day and Mid-autumn: 1-8 Oct off, Sun 28 Sep and Sat 11 Oct worked.
    CalendarEntry(dt.date(2025, 9, 28), True, "国庆节"),
    CalendarEntry(dt.date(2025, 10, 1), False, "国庆节"),
    CalendarEntry(dt.date(2025, 10, 2), False, "国庆节"),
    CalendarEntry(dt.date(2025, 10, 3), False, "国庆节"),
    CalendarEntry(dt.date(2025, 10, 6), False, "中秋"),
    CalendarEntry(dt.date(2025, 10, 7), False, "国庆节"),
    CalendarEntry(dt.date(2025, 10, 8), False, "国庆节"),
    CalendarEntry(dt.date(2025, 10, 11), True, "国庆节"),
    # 2026 New Year's Day: 1-3 Jan off, Sun 4 Jan worked.
    CalendarEntry(dt.date(2026, 1, 1), False, "元旦"),
    CalendarEntry(dt.date(2026, 1, 2), False, "元旦"),
    CalendarEntry(dt.date(2026, 1, 4), True, "元旦"),
    # 2026 Spring Festival: 15-23 Feb off, Sat 14 Feb and Sat 28 Feb worked.
    CalendarEntry(dt.date(2026, 2, 14), True, "春节"),
    CalendarEntry(dt.date(2026, 2, 16), False, "春节"),
    CalendarEntry(dt.date(2026, 2, 17), False, "春节"),
    CalendarEntry(dt.date(2026, 2, 18), False, "春节"),
    CalendarEntry(dt.date(2026, 2, 19), False, "春节"),
    CalendarEntry(dt.date(2026, 2, 20), False, "春节"),
    CalendarEntry(dt.date(2026, 2, 23), False, "春节"),
    CalendarEntry(dt.date(2026, 2, 28), True, "春节"),
]


def official_calendar() -> WorkingCalendar:
    """2025 and 2026 known, with the entries above; every later year unknown."""
    return WorkingCalendar.from_entries(OFFICIAL_ENTRIES, known_years=[2025, 2026])


def local(*args) -> dt.datetime:
    """An aware datetime in Asia/Shanghai: ``local(2025, 9, 30, 23, 59, 59)``."""
    return dt.datetime(*args, tzinfo=SH)
