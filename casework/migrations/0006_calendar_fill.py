"""Pre-fill the working-day calendar from the installed ``chinese-calendar`` package.

Self-contained on purpose (a migration must not change when the app's code does): it writes the
dates that break the Monday-Friday rule, holidays and make-up workdays with their names, for
every year the package knows, and marks those years known. Reversing removes what it wrote
(rows whose source is the package). ``manage.py calendar_fill`` does the same later, e.g. after
upgrading the package.
"""

import datetime as dt

from django.db import migrations

PACKAGE = "package"
#: ``casework.selectors.calendar.CACHE_KEY`` when this migration was written.
CACHE_KEY = "casework:working-calendar:v1"


def _package_rows():
    try:
        import chinese_calendar
    except ImportError:  # the package is a dependency; without it the calendar starts empty
        return [], []
    chinese_names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    dates = chinese_calendar.holidays.keys()
    years = list(range(min(dates).year, max(dates).year + 1))
    rows = []
    day = dt.date(years[0], 1, 1)
    while day.year <= years[-1]:
        is_workday = chinese_calendar.is_workday(day)
        if is_workday != (day.weekday() < 5):
            _is_holiday, name_en = chinese_calendar.get_holiday_detail(day)
            name_en = name_en or ""
            rows.append((day, is_workday, chinese_names.get(name_en, name_en), name_en))
        day += dt.timedelta(days=1)
    return rows, years


def _forget_cached_calendar():
    # A calendar cached before this migration ran must not outlive it.
    try:
        from django.core.cache import cache

        cache.delete(CACHE_KEY)
    except Exception:  # a cache that is down must not stop a migration
        pass


def fill(apps, schema_editor):
    CalendarDay = apps.get_model("casework", "CalendarDay")
    CalendarYear = apps.get_model("casework", "CalendarYear")
    rows, years = _package_rows()
    existing_days = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=day, is_workday=is_workday, name=name, name_en=name_en, source=PACKAGE
            )
            for day, is_workday, name, name_en in rows
            if day not in existing_days
        ]
    )
    existing_years = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=PACKAGE) for year in years if year not in existing_years]
    )
    _forget_cached_calendar()


def unfill(apps, schema_editor):
    apps.get_model("casework", "CalendarDay").objects.filter(source=PACKAGE).delete()
    apps.get_model("casework", "CalendarYear").objects.filter(source=PACKAGE).delete()
    _forget_cached_calendar()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_calendar"),
    ]

    operations = [
        migrations.RunPython(fill, unfill),
    ]
