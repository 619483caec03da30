"""Writing the working-day calendar: admin edits, file imports and filling from the package.

Every function here forgets the cached calendar (``calendar_forget``) once now and once more after
the commit, so no reader keeps deadlines computed on stale holidays. The admin site, the
management commands and the data migration's successor (``calendar_fill``) all come through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from casework.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    CalendarEntry,
    package_entries,
    package_years,
)
from casework.errors import ValidationFailed
from casework.models import CalendarDay, CalendarSource, CalendarYear
from casework.selectors.calendar import calendar_forget


def _forget_cached_calendar() -> None:
    # Now, for readers later in this transaction; after the commit, for everyone else (a reader
    # in between may have cached the old rows again).
    calendar_forget()
    transaction.on_commit(calendar_forget)


def _check_year(year: int, field: str = "year") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(
            _("A calendar year must lie between %(min)d and %(max)d.")
            % {"min": MIN_YEAR, "max": MAX_YEAR},
            field=field,
        )


@transaction.atomic
def calendar_day_set(
    *,
    day: dt.date,
    is_workday: bool,
    name: str = "",
    name_en: str = "",
    source: str = CalendarSource.ADMIN,
) -> CalendarDay:
    """Record that ``day`` is a working day or a day off, replacing what was there for it.

    An edit by an administrator is marked ``admin``, so ``calendar_fill`` leaves it alone.
    Does not mark the year known: that is ``calendar_year_set``.
    """
    _check_year(day.year, field="date")
    if source not in CalendarSource.values:
        raise ValidationFailed(_("Unknown calendar source."), field="source")
    entry, _created = CalendarDay.objects.select_for_update().update_or_create(
        date=day,
        defaults={
            "is_workday": is_workday,
            "name": (name or "").strip()[:64],
            "name_en": (name_en or "").strip()[:64],
            "source": source,
        },
    )
    _forget_cached_calendar()
    return entry


@transaction.atomic
def calendar_days_delete(*, days: Iterable[dt.date]) -> int:
    """Remove the entries for ``days``: each goes back to the Monday–Friday rule."""
    deleted, _per_model = CalendarDay.objects.filter(date__in=list(days)).delete()
    _forget_cached_calendar()
    return deleted


@transaction.atomic
def calendar_year_set(
    *, year: int, source: str = CalendarSource.ADMIN, note: str = ""
) -> CalendarYear:
    """Mark ``year`` known: its official arrangement is entered in full."""
    _check_year(year)
    if source not in CalendarSource.values:
        raise ValidationFailed(_("Unknown calendar source."), field="source")
    known, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source, "note": (note or "").strip()[:200]}
    )
    _forget_cached_calendar()
    return known


@transaction.atomic
def calendar_years_unmark(*, years: Iterable[int]) -> int:
    """Mark ``years`` not known again: deadlines in them fall back to the weekend rule."""
    deleted, _per_model = CalendarYear.objects.filter(year__in=list(years)).delete()
    _forget_cached_calendar()
    return deleted


@dataclass(frozen=True)
class ImportResult:
    years: tuple[int, ...]
    days: int
    replaced: int


@transaction.atomic
def calendar_import(
    *, entries: list[CalendarEntry], note: str = "", source: str = CalendarSource.IMPORT
) -> ImportResult:
    """Replace every year that ``entries`` touch with ``entries``, and mark those years known.

    All or nothing: one transaction. The entries come from ``parse_calendar_csv``, which has
    already refused a file with any bad line.
    """
    if not entries:
        raise ValidationFailed(_("The file has no calendar lines."), field="file")
    days = [entry.date for entry in entries]
    if len(set(days)) != len(days):
        raise ValidationFailed(_("A date is given twice."), field="file")
    years = sorted({day.year for day in days})
    for year in years:
        _check_year(year, field="file")
    replaced = 0
    for year in years:
        count, _per_model = CalendarDay.objects.filter(date__year=year).delete()
        replaced += count
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=entry.date,
                is_workday=entry.is_workday,
                name=entry.name[:64],
                name_en=entry.name_en[:64],
                source=source,
            )
            for entry in entries
        ]
    )
    for year in years:
        CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source, "note": (note or "")[:200]}
        )
    _forget_cached_calendar()
    return ImportResult(years=tuple(years), days=len(entries), replaced=replaced)


@dataclass(frozen=True)
class FillResult:
    years: tuple[int, ...]
    created: int
    updated: int
    deleted: int
    #: Entries an administrator or an import set, which filling leaves as they are.
    kept: int


@transaction.atomic
def calendar_fill(*, years: Iterable[int] | None = None) -> FillResult:
    """Bring ``years`` (default: all the package knows) in line with ``chinese-calendar``.

    Idempotent. Entries from the package are created, corrected or removed; entries an
    administrator or an import set are kept as they are. Each year is marked known (a year
    already known from an import keeps that source).
    """
    available = package_years()
    years = sorted(set(years)) if years is not None else list(available)
    missing = [year for year in years if year not in available]
    if missing:
        raise ValidationFailed(
            _(
                "The chinese-calendar package knows %(first)d to %(last)d only; import the "
                "other years from a file."
            )
            % {"first": available[0], "last": available[-1]},
            field="years",
        )
    created = updated = deleted = kept = 0
    for year in years:
        wanted = {entry.date: entry for entry in package_entries(year)}
        existing = {
            row.date: row
            for row in CalendarDay.objects.select_for_update().filter(date__year=year)
        }
        for day, row in existing.items():
            if row.source != CalendarSource.PACKAGE:
                kept += 1
                continue
            entry = wanted.get(day)
            if entry is None:
                row.delete()
                deleted += 1
            elif (row.is_workday, row.name, row.name_en) != (
                entry.is_workday,
                entry.name,
                entry.name_en,
            ):
                row.is_workday, row.name, row.name_en = (
                    entry.is_workday,
                    entry.name,
                    entry.name_en,
                )
                row.save(update_fields=["is_workday", "name", "name_en", "updated_at"])
                updated += 1
        new = [entry for day, entry in wanted.items() if day not in existing]
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    date=entry.date,
                    is_workday=entry.is_workday,
                    name=entry.name,
                    name_en=entry.name_en,
                    source=CalendarSource.PACKAGE,
                )
                for entry in new
            ]
        )
        created += len(new)
        CalendarYear.objects.get_or_create(year=year, defaults={"source": CalendarSource.PACKAGE})
    _forget_cached_calendar()
    return FillResult(
        years=tuple(years), created=created, updated=updated, deleted=deleted, kept=kept
    )
