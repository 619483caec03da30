"""Working-day arithmetic over the official Chinese calendar (工作日历). Pure: no ORM.

The rules, in one place:

- A day is a working day by the Monday–Friday rule, unless the calendar says otherwise: a public
  holiday (节假日) on a weekday is a day off; a weekend day made a working day in lieu (调休上班)
  is worked.
- Days are read on the local date in ``settings.TIME_ZONE`` (Asia/Shanghai): a case opened at
  23:59:59 on a Monday, Beijing time, was opened on that Monday even though it is 15:59:59 UTC.
- Datetimes go in and come out aware; results are in UTC. The clock time is kept.
- A start on a non-working day first rolls to 00:00 of the next working day.
- "N working days" means the same clock time on the Nth following working day.
- A year is *known* when its official arrangement has been entered in full. For a date in a year
  that is not known, only the weekend rule and whatever entries an administrator has already made
  apply, and the answer says it fell back. Nothing here raises for a missing year.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed

ONE_DAY = dt.timedelta(days=1)
#: The years a calendar may hold (the database checks the same range).
MIN_YEAR, MAX_YEAR = 1949, 2200


@dataclass(frozen=True)
class CalendarEntry:
    """One date that breaks the Monday–Friday rule, with its name (国庆节, "National Day")."""

    date: dt.date
    is_workday: bool
    name: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class WorkingCalendar:
    """The calendar as a value: days off, days worked in lieu, and the years known in full."""

    #: Days off that would otherwise be working days (holidays on weekdays).
    holidays: frozenset[dt.date] = frozenset()
    #: Weekend days made working days (调休上班).
    workdays: frozenset[dt.date] = frozenset()
    #: Years whose official arrangement is entered in full.
    known_years: frozenset[int] = frozenset()

    @classmethod
    def from_entries(
        cls, entries: Iterable[CalendarEntry], known_years: Iterable[int]
    ) -> WorkingCalendar:
        entries = list(entries)
        return cls(
            holidays=frozenset(e.date for e in entries if not e.is_workday),
            workdays=frozenset(e.date for e in entries if e.is_workday),
            known_years=frozenset(known_years),
        )

    @property
    def first_known_year(self) -> int | None:
        return min(self.known_years, default=None)

    @property
    def last_known_year(self) -> int | None:
        return max(self.known_years, default=None)

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls in a year whose official arrangement is known."""
        return day.year in self.known_years

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day: a make-up workday, or a weekday not a holiday.

        For a year not known this is the weekend rule plus any entries already made; it never
        raises. ``covers`` tells whether the answer is authoritative.
        """
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def first_uncovered(self, start: dt.date, end: dt.date) -> dt.date | None:
        """The first date in ``start..end`` (inclusive) of a year not known, or ``None``."""
        for year in range(start.year, end.year + 1):
            if year not in self.known_years:
                return max(start, dt.date(year, 1, 1))
        return None


@dataclass(frozen=True)
class WorkdayShift:
    """The result of ``shift_working_days``: the time, and whether an unknown year was crossed."""

    at: dt.datetime
    fallback: bool


def _local_zone(tz: dt.tzinfo | None) -> dt.tzinfo:
    return tz if tz is not None else timezone.get_default_timezone()


def shift_working_days(
    start: dt.datetime, days: int, cal: WorkingCalendar, *, tz: dt.tzinfo | None = None
) -> WorkdayShift:
    """Return the time ``days`` working days after ``start``, and whether it fell back.

    ``start`` must be aware; the answer is in UTC. Days are counted on the local date in ``tz``
    (default ``settings.TIME_ZONE``). A start on a non-working day first rolls to 00:00 of the
    next working day; then the answer is the same clock time on the ``days``-th following working
    day (``days=0`` answers the rolled start). ``fallback`` is true when any date looked at lies
    in a year the calendar does not know, where only the weekend rule (and entries made so far)
    applied.
    """
    if timezone.is_naive(start):
        raise ValueError("start must be an aware datetime")
    if days < 0:
        raise ValueError("days must not be negative")
    zone = _local_zone(tz)
    local = start.astimezone(zone)
    day = local.date()
    clock = local.timetz().replace(tzinfo=None)
    first_day = day
    if not cal.is_workday(day):
        clock = dt.time(0, 0)
        day += ONE_DAY
        while not cal.is_workday(day):
            day += ONE_DAY
    for _n in range(days):
        day += ONE_DAY
        while not cal.is_workday(day):
            day += ONE_DAY
    at = dt.datetime.combine(day, clock, tzinfo=zone).astimezone(dt.UTC)
    return WorkdayShift(at=at, fallback=cal.first_uncovered(first_day, day) is not None)


def add_working_days(
    start: dt.datetime, days: int, cal: WorkingCalendar, *, tz: dt.tzinfo | None = None
) -> dt.datetime:
    """Return the time ``days`` working days after ``start`` (see ``shift_working_days``).

    Never raises for a year the calendar does not know; use ``shift_working_days`` to learn
    whether the answer fell back to the weekend rule.
    """
    return shift_working_days(start, days, cal, tz=tz).at


# --- Where the data comes from ----------------------------------------------------------------


def package_years() -> range:
    """The years the installed ``chinese-calendar`` package knows (2004–2026 for 1.11)."""
    import chinese_calendar

    known = chinese_calendar.holidays.keys()
    return range(min(known).year, max(known).year + 1)


def package_entries(year: int) -> list[CalendarEntry]:
    """The dates of ``year`` that break the Monday–Friday rule, from ``chinese-calendar``.

    Holidays that fall on a weekend change nothing and are left out. Raises ``ValueError`` for a
    year the package does not know.
    """
    import chinese_calendar

    if year not in package_years():
        raise ValueError(f"chinese-calendar does not know {year}")
    chinese_names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    entries = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        is_workday = chinese_calendar.is_workday(day)
        if is_workday != (day.weekday() < 5):
            _is_holiday, name_en = chinese_calendar.get_holiday_detail(day)
            name_en = name_en or ""
            entries.append(
                CalendarEntry(
                    date=day,
                    is_workday=is_workday,
                    name=chinese_names.get(name_en, name_en),
                    name_en=name_en,
                )
            )
        day += ONE_DAY
    return entries


_TRUE = {"1", "true", "yes", "y", "t", "是", "班"}
_FALSE = {"0", "false", "no", "n", "f", "否", "休"}

CSV_FORMAT_HELP = """\
The file is UTF-8 CSV (a BOM, as Excel writes it, is fine) with one date per line:

    date,is_workday,name
    2027-02-05,0,春节
    2027-02-06,1,春节

- date: YYYY-MM-DD.
- is_workday: 1 (or true/yes/是/班) for a weekend day made a working day (调休上班);
  0 (or false/no/否/休) for a day off (a public holiday).
- name: the holiday's name, optional.
The header line is optional. Blank lines are skipped. List the dates that break the
Monday-Friday rule; a line that agrees with it (a Saturday off) is kept but changes nothing.
Every year that appears in the file is replaced as a whole and marked known."""


def parse_calendar_csv(text: str, *, year: int | None = None) -> list[CalendarEntry]:
    """Read calendar lines ``date,is_workday,name`` (see ``CSV_FORMAT_HELP``).

    With ``year``, every date must fall in that year. Raises ``ValidationFailed``
    (``field="file"``) listing every bad line by number; nothing is returned unless every line
    is good.
    """
    text = text.removeprefix("\ufeff")
    errors: list[str] = []
    entries: list[CalendarEntry] = []
    seen: dict[dt.date, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() == "date":
            continue
        if len(cells) < 2 or len(cells) > 3:
            errors.append(
                _("Line %(line)d: expected the columns date,is_workday,name, found %(count)d.")
                % {"line": number, "count": len(cells)}
            )
            continue
        try:
            day = dt.date.fromisoformat(cells[0])
            if len(cells[0]) != 10:
                raise ValueError
        except ValueError:
            errors.append(
                _("Line %(line)d: %(value)s is not a date written as YYYY-MM-DD.")
                % {"line": number, "value": repr(cells[0])}
            )
            continue
        if year is not None and day.year != year:
            errors.append(
                _("Line %(line)d: %(date)s is not in %(year)d.")
                % {"line": number, "date": day.isoformat(), "year": year}
            )
            continue
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            errors.append(
                _("Line %(line)d: %(date)s is outside the years a calendar can hold.")
                % {"line": number, "date": day.isoformat()}
            )
            continue
        flag = cells[1].lower()
        if flag not in _TRUE | _FALSE:
            errors.append(
                _("Line %(line)d: is_workday must be 1 or 0, not %(value)s.")
                % {"line": number, "value": repr(cells[1])}
            )
            continue
        name = cells[2] if len(cells) > 2 else ""
        if len(name) > 64:
            errors.append(
                _("Line %(line)d: the name is longer than 64 characters.") % {"line": number}
            )
            continue
        if day in seen:
            errors.append(
                _("Line %(line)d: %(date)s is already given on line %(first)d.")
                % {"line": number, "date": day.isoformat(), "first": seen[day]}
            )
            continue
        seen[day] = number
        entries.append(CalendarEntry(date=day, is_workday=flag in _TRUE, name=name))
    if errors:
        raise ValidationFailed("\n".join(errors), field="file")
    if not entries:
        raise ValidationFailed(_("The file has no calendar lines."), field="file")
    return entries


def parse_years(text: str) -> list[int]:
    """Read ``2004-2026``, ``2025`` or ``2024,2025`` into a sorted list of years."""
    years: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        first, _sep, last = part.partition("-")
        try:
            low = int(first)
            high = int(last) if last else low
        except ValueError:
            raise ValueError(f"not a year or a range of years: {part!r}") from None
        if low > high:
            raise ValueError(f"the range {part!r} runs backwards")
        years.update(range(low, high + 1))
    if not years:
        raise ValueError("no years given")
    return sorted(years)
