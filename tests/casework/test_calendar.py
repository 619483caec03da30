"""The working-day calendar: the arithmetic (plain functions), the data, its commands and cache."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as global_apps
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import translation

from casework.calendar import (
    CalendarEntry,
    WorkingCalendar,
    add_working_days,
    package_entries,
    package_years,
    parse_calendar_csv,
    parse_years,
    shift_working_days,
)
from casework.errors import ValidationFailed
from casework.models import CalendarDay, CalendarSource, CalendarYear
from casework.selectors.calendar import CACHE_KEY, calendar_status, working_calendar
from casework.services.calendar import (
    calendar_day_set,
    calendar_days_delete,
    calendar_fill,
    calendar_import,
    calendar_year_set,
    calendar_years_unmark,
)
from tests.casework.calendar_fixtures import OFFICIAL_ENTRIES, UTC, local, official_calendar

CAL = official_calendar()
#: The same calendar with the make-up workdays (调休) dropped, to show they matter.
NO_MAKEUP = WorkingCalendar(holidays=CAL.holidays, known_years=CAL.known_years)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# --- is_workday / covers ------------------------------------------------------------------------


def test_weekday_rule_holidays_and_makeup_days():
    assert CAL.is_workday(dt.date(2025, 9, 26))  # a Friday
    assert not CAL.is_workday(dt.date(2025, 9, 27))  # a Saturday
    assert not CAL.is_workday(dt.date(2025, 10, 1))  # National Day, a Wednesday
    assert CAL.is_workday(dt.date(2025, 10, 11))  # a Saturday worked in lieu
    assert CAL.is_workday(dt.date(2025, 9, 28))  # a Sunday worked in lieu


def test_covers_only_known_years_and_never_raises_beyond():
    assert CAL.covers(dt.date(2026, 12, 31))
    assert not CAL.covers(dt.date(2027, 1, 1))
    assert not CAL.covers(dt.date(2024, 12, 31))
    # 1 Jan 2027 is a Friday: unknown, so the weekend rule answers, without raising.
    assert CAL.is_workday(dt.date(2027, 1, 1))
    assert not CAL.is_workday(dt.date(2027, 1, 2))
    assert CAL.last_known_year == 2026
    assert CAL.first_known_year == 2025


# --- add_working_days ---------------------------------------------------------------------------


def test_opened_at_235959_local_on_a_workday_plus_one_working_day():
    """23:59:59 Beijing time is still that day: the deadline is 23:59:59 the next working day."""
    start = local(2025, 9, 16, 23, 59, 59)  # Tuesday
    due = add_working_days(start, 1, CAL)
    assert due == local(2025, 9, 17, 23, 59, 59)
    assert due.tzinfo == UTC
    assert due == dt.datetime(2025, 9, 17, 15, 59, 59, tzinfo=UTC)


def test_opened_at_235959_before_national_day_skips_the_whole_week():
    due = add_working_days(local(2025, 9, 30, 23, 59, 59), 1, CAL)
    assert due == local(2025, 10, 9, 23, 59, 59)


def test_days_are_counted_on_the_local_date_not_the_utc_date():
    """00:30 on a Monday in Beijing is Sunday 16:30 UTC; it is still a Monday start."""
    start = local(2025, 9, 15, 0, 30)
    assert start.astimezone(UTC).weekday() == 6
    assert add_working_days(start, 1, CAL) == local(2025, 9, 16, 0, 30)
    # Counted on the UTC date instead, Sunday would roll to Monday 00:00 UTC: a different answer.
    assert add_working_days(start, 1, CAL, tz=UTC) == dt.datetime(2025, 9, 16, 0, 0, tzinfo=UTC)


def test_friday_plus_one_working_day_is_monday_same_clock_time():
    assert add_working_days(local(2025, 9, 12, 10, 15, 30), 1, CAL) == local(
        2025, 9, 15, 10, 15, 30
    )


def test_accepts_any_aware_start_and_answers_in_utc():
    start = dt.datetime(2025, 9, 12, 2, 15, tzinfo=UTC)  # Friday 10:15 in Beijing
    due = add_working_days(start, 1, CAL)
    assert due == local(2025, 9, 15, 10, 15)
    assert due.utcoffset() == dt.timedelta(0)


def test_national_day_week_2025_counts_saturday_11_october_as_a_working_day():
    start = local(2025, 9, 30, 9, 0)  # Tuesday, the last working day before the holiday
    assert add_working_days(start, 1, CAL) == local(2025, 10, 9, 9, 0)
    assert add_working_days(start, 2, CAL) == local(2025, 10, 10, 9, 0)
    assert add_working_days(start, 3, CAL) == local(2025, 10, 11, 9, 0)
    assert add_working_days(start, 4, CAL) == local(2025, 10, 13, 9, 0)


def test_makeup_workdays_change_the_answer():
    """Fails if make-up workdays (调休) are ignored: without Sat 11 Oct, day 3 is Monday 13 Oct."""
    start = local(2025, 9, 30, 9, 0)
    assert add_working_days(start, 3, NO_MAKEUP) == local(2025, 10, 13, 9, 0)
    assert add_working_days(start, 3, CAL) == local(2025, 10, 11, 9, 0)
    # Sun 28 Sep 2025 is worked: a Saturday start rolls to it, not to Monday.
    assert add_working_days(local(2025, 9, 27, 15, 0), 1, CAL) == local(2025, 9, 29, 0, 0)
    assert add_working_days(local(2025, 9, 27, 15, 0), 1, NO_MAKEUP) == local(2025, 9, 30, 0, 0)


def test_spring_festival_2026():
    friday = local(2026, 2, 13, 10, 0)
    assert add_working_days(friday, 1, CAL) == local(2026, 2, 14, 10, 0)  # Saturday, worked
    assert add_working_days(friday, 2, CAL) == local(2026, 2, 24, 10, 0)  # after 15-23 Feb
    assert add_working_days(local(2026, 2, 27, 10, 0), 1, CAL) == local(2026, 2, 28, 10, 0)


def test_year_boundary_31_december_to_january():
    # 1-3 Jan 2026 are off and Sunday 4 Jan is worked.
    assert add_working_days(local(2025, 12, 31, 16, 0), 1, CAL) == local(2026, 1, 4, 16, 0)
    assert add_working_days(local(2025, 12, 31, 16, 0), 2, CAL) == local(2026, 1, 5, 16, 0)
    # 23:59:59 on 31 December, across the year in UTC and in Beijing.
    assert add_working_days(local(2025, 12, 31, 23, 59, 59), 1, CAL) == local(
        2026, 1, 4, 23, 59, 59
    )


def test_start_on_a_holiday_rolls_to_midnight_of_the_next_working_day():
    start = local(2025, 10, 3, 14, 0)  # National Day holiday
    assert add_working_days(start, 0, CAL) == local(2025, 10, 9, 0, 0)
    assert add_working_days(start, 1, CAL) == local(2025, 10, 10, 0, 0)
    # A Saturday start rolls to Monday 00:00 and counts from there.
    assert add_working_days(local(2025, 9, 13, 20, 0), 1, CAL) == local(2025, 9, 16, 0, 0)


def test_zero_days_on_a_working_day_is_the_start_itself():
    start = local(2025, 9, 16, 11, 0)
    assert add_working_days(start, 0, CAL) == start


def test_beyond_the_known_years_falls_back_to_weekends_only_and_says_so():
    shift = shift_working_days(local(2026, 12, 30, 10, 0), 7, CAL)
    # 31 Dec, then 1 Jan 2027 (a Friday, counted: 2027 is unknown), 4-8 Jan.
    assert shift.at == local(2027, 1, 8, 10, 0)
    assert shift.fallback is True
    deep = shift_working_days(local(2031, 5, 1, 10, 0), 15, CAL)
    assert deep.fallback is True
    assert deep.at == local(2031, 5, 22, 10, 0)


def test_within_the_known_years_there_is_no_fallback():
    shift = shift_working_days(local(2025, 9, 30, 9, 0), 7, CAL)
    assert shift.fallback is False


def test_entries_already_made_for_an_unknown_year_are_used_with_the_fallback_flag():
    cal = WorkingCalendar.from_entries(
        [*OFFICIAL_ENTRIES, CalendarEntry(dt.date(2027, 1, 1), False, "元旦")],
        known_years=[2025, 2026],
    )
    shift = shift_working_days(local(2026, 12, 31, 10, 0), 1, cal)
    assert shift.at == local(2027, 1, 4, 10, 0)
    assert shift.fallback is True


def test_an_empty_calendar_is_weekends_only_and_never_raises():
    shift = shift_working_days(local(2025, 10, 1, 9, 0), 1, WorkingCalendar())
    assert shift.at == local(2025, 10, 2, 9, 0)
    assert shift.fallback is True


def test_naive_start_and_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.datetime(2025, 9, 16, 10, 0), 1, CAL)
    with pytest.raises(ValueError):
        add_working_days(local(2025, 9, 16, 10, 0), -1, CAL)


def test_the_hand_written_test_calendar_agrees_with_the_package():
    package = {e.date: e for year in (2025, 2026) for e in package_entries(year)}
    for entry in OFFICIAL_ENTRIES:
        assert package[entry.date].is_workday == entry.is_workday, entry
        assert package[entry.date].name == entry.name, entry


def test_package_entries_hold_only_days_that_break_the_weekday_rule():
    entries = package_entries(2025)
    assert all(e.is_workday == (e.date.weekday() >= 5) for e in entries)
    national = {e.date: e for e in entries}
    assert national[dt.date(2025, 10, 1)].name == "国庆节"
    assert national[dt.date(2025, 10, 1)].name_en == "National Day"
    assert national[dt.date(2025, 10, 11)].is_workday
    assert dt.date(2025, 10, 4) not in national  # a Saturday off changes nothing
    with pytest.raises(ValueError):
        package_entries(2027)


# --- parsing -----------------------------------------------------------------------------------


def test_parse_csv_reads_header_bom_blank_lines_and_flags():
    text = "\ufeffdate,is_workday,name\n2027-02-05,0,春节\n\n2027-02-06,1,春节\n2027-02-08,false\n"
    entries = parse_calendar_csv(text)
    assert entries == [
        CalendarEntry(dt.date(2027, 2, 5), False, "春节"),
        CalendarEntry(dt.date(2027, 2, 6), True, "春节"),
        CalendarEntry(dt.date(2027, 2, 8), False, ""),
    ]


def test_parse_csv_names_every_bad_line():
    text = (
        "date,is_workday,name\n"
        "2027-02-05,0,春节\n"
        "2027-02-30,0,春节\n"
        "2027-02-06,maybe,春节\n"
        "2027-02-05,1,春节\n"
        "20270207,0,春节\n"
        "2027-02-09\n"
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        parse_calendar_csv(text)
    message = exc.value.message
    assert exc.value.field == "file"
    assert "Line 2" not in message
    assert "Line 3: '2027-02-30' is not a date" in message
    assert "Line 4: is_workday must be 1 or 0" in message
    assert "Line 5: 2027-02-05 is already given on line 2" in message
    assert "Line 6: '20270207' is not a date" in message
    assert "Line 7: expected the columns" in message


def test_parse_csv_with_a_year_refuses_other_years():
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        parse_calendar_csv("2027-02-05,0,春节\n2028-01-01,0,元旦\n", year=2027)
    assert "Line 2: 2028-01-01 is not in 2027" in exc.value.message


def test_parse_csv_refuses_an_empty_file():
    with pytest.raises(ValidationFailed):
        parse_calendar_csv("date,is_workday,name\n")


def test_parse_years():
    assert parse_years("2004-2006") == [2004, 2005, 2006]
    assert parse_years("2025") == [2025]
    assert parse_years("2026, 2024") == [2024, 2026]
    for bad in ("x", "2026-2024", ""):
        with pytest.raises(ValueError):
            parse_years(bad)


# --- the data migration ------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_prefilled_holidays_makeup_days_and_known_years():
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(package_years())
    national = CalendarDay.objects.get(date=dt.date(2025, 10, 1))
    assert (national.is_workday, national.name, national.name_en, national.source) == (
        False,
        "国庆节",
        "National Day",
        CalendarSource.PACKAGE,
    )
    assert CalendarDay.objects.get(date=dt.date(2025, 10, 11)).is_workday
    assert CalendarDay.objects.get(date=dt.date(2026, 2, 14)).is_workday
    expected = sum(len(package_entries(year)) for year in package_years())
    assert CalendarDay.objects.count() == expected


@pytest.mark.django_db
def test_the_database_calendar_gives_the_official_answers():
    cal = working_calendar()
    assert add_working_days(local(2025, 9, 30, 9, 0), 3, cal) == local(2025, 10, 11, 9, 0)
    assert add_working_days(local(2026, 2, 13, 10, 0), 2, cal) == local(2026, 2, 24, 10, 0)
    assert add_working_days(local(2025, 12, 31, 16, 0), 1, cal) == local(2026, 1, 4, 16, 0)
    assert shift_working_days(local(2026, 12, 30, 10, 0), 7, cal).fallback is True


@pytest.mark.django_db
def test_migration_is_reversible_and_keeps_what_people_entered():
    migration = importlib.import_module("casework.migrations.0006_calendar_fill")
    assert all(op.reversible for op in migration.Migration.operations)
    assert migration.CACHE_KEY == CACHE_KEY  # it forgets the cached calendar by this name
    calendar_import(entries=[CalendarEntry(dt.date(2027, 2, 5), False, "春节")])
    calendar_day_set(day=dt.date(2025, 10, 4), is_workday=False, name="国庆节")
    migration.unfill(global_apps, None)
    assert set(CalendarDay.objects.values_list("source", flat=True)) == {
        CalendarSource.IMPORT,
        CalendarSource.ADMIN,
    }
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2027]
    migration.fill(global_apps, None)
    assert CalendarYear.objects.count() == len(package_years()) + 1
    assert CalendarDay.objects.get(date=dt.date(2025, 10, 11)).source == CalendarSource.PACKAGE
    assert CalendarDay.objects.get(date=dt.date(2025, 10, 4)).source == CalendarSource.ADMIN


# --- calendar_fill -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_fill_is_idempotent_and_repairs_package_rows(capsys):
    CalendarDay.objects.filter(date__year=2025, date__month=10).delete()
    CalendarDay.objects.filter(date=dt.date(2026, 2, 16)).update(name="wrong", is_workday=True)
    CalendarDay.objects.create(
        date=dt.date(2025, 3, 3), is_workday=False, name="stale", source=CalendarSource.PACKAGE
    )
    calendar_day_set(day=dt.date(2026, 2, 17), is_workday=True, name="admin says worked")
    CalendarYear.objects.filter(year=2026).delete()

    call_command("calendar_fill", "--years", "2025-2026")
    out = capsys.readouterr().out
    assert "7 added, 1 corrected, 1 removed, 1 entered by hand kept" in out
    assert CalendarDay.objects.get(date=dt.date(2025, 10, 11)).is_workday
    assert not CalendarDay.objects.get(date=dt.date(2026, 2, 16)).is_workday
    assert not CalendarDay.objects.filter(date=dt.date(2025, 3, 3)).exists()
    kept = CalendarDay.objects.get(date=dt.date(2026, 2, 17))
    assert (kept.is_workday, kept.source) == (True, CalendarSource.ADMIN)
    assert CalendarYear.objects.filter(year=2026, source=CalendarSource.PACKAGE).exists()

    before = list(CalendarDay.objects.order_by("date").values_list("date", "is_workday", "name"))
    call_command("calendar_fill")
    assert "0 added, 0 corrected, 0 removed" in capsys.readouterr().out
    after = list(CalendarDay.objects.order_by("date").values_list("date", "is_workday", "name"))
    assert after == before


@pytest.mark.django_db
def test_calendar_fill_refuses_years_the_package_does_not_know():
    with pytest.raises(CommandError):
        call_command("calendar_fill", "--years", "2026-2027")
    with pytest.raises(CommandError):
        call_command("calendar_fill", "--years", "soon")
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_calendar_fill_keeps_the_source_of_a_year_known_from_an_import():
    calendar_year_set(year=2025, source=CalendarSource.IMPORT, note="official.csv")
    result = calendar_fill(years=[2025])
    assert result.created == 0
    assert CalendarYear.objects.get(year=2025).source == CalendarSource.IMPORT


# --- calendar_import ---------------------------------------------------------------------------

GOOD_2027 = """date,is_workday,name
2027-02-05,0,春节
2027-02-06,1,春节
2027-02-08,0,春节
2027-02-09,0,春节
"""


@pytest.mark.django_db
def test_import_a_year_from_csv(tmp_path, capsys):
    path = tmp_path / "holidays-2027.csv"
    path.write_text(GOOD_2027, encoding="utf-8")
    before = working_calendar()
    assert not before.covers(dt.date(2027, 2, 5))

    call_command("calendar_import", str(path), "--year", "2027")

    assert "Imported 4 calendar days for 2027" in capsys.readouterr().out
    rows = list(
        CalendarDay.objects.filter(date__year=2027).values_list("date", "is_workday", "source")
    )
    assert rows == [
        (dt.date(2027, 2, 5), False, CalendarSource.IMPORT),
        (dt.date(2027, 2, 6), True, CalendarSource.IMPORT),
        (dt.date(2027, 2, 8), False, CalendarSource.IMPORT),
        (dt.date(2027, 2, 9), False, CalendarSource.IMPORT),
    ]
    known = CalendarYear.objects.get(year=2027)
    assert (known.source, known.note) == (CalendarSource.IMPORT, "holidays-2027.csv")
    # The cached calendar was forgotten: 2027 deadlines now use the imported days, no fallback.
    shift = shift_working_days(local(2027, 2, 4, 10, 0), 2, working_calendar())
    assert shift.at == local(2027, 2, 10, 10, 0)
    assert shift.fallback is False


@pytest.mark.django_db
def test_importing_a_year_again_replaces_it(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(GOOD_2027, encoding="utf-8")
    call_command("calendar_import", str(path))
    path.write_text("2027-02-10,0,春节\n", encoding="utf-8")
    call_command("calendar_import", str(path))
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        dt.date(2027, 2, 10)
    ]


@pytest.mark.django_db
def test_a_bad_line_names_the_line_and_nothing_is_written(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD_2027 + "2027-13-01,0,春节\n", encoding="utf-8")
    days_before = CalendarDay.objects.count()
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("calendar_import", str(path))
    assert "Line 6: '2027-13-01' is not a date" in str(exc.value)
    assert "nothing imported" in str(exc.value)
    assert CalendarDay.objects.count() == days_before
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_the_whole_import_back(monkeypatch):
    from casework.services import calendar as service

    calendar_import(entries=[CalendarEntry(dt.date(2027, 2, 5), False, "春节")])

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service.CalendarYear.objects, "update_or_create", broken)
    with pytest.raises(RuntimeError):
        calendar_import(entries=[CalendarEntry(dt.date(2027, 3, 1), False, "test")])
    # The 2027 rows were deleted and re-created inside the failed transaction: all undone.
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        dt.date(2027, 2, 5)
    ]


@pytest.mark.django_db
def test_import_refuses_a_missing_or_non_utf8_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("calendar_import", str(tmp_path / "missing.csv"))
    path = tmp_path / "gbk.csv"
    path.write_bytes("2027-02-05,0,春节\n".encode("gbk"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("calendar_import", str(path))
    assert not CalendarYear.objects.filter(year=2027).exists()


# --- the cache ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_working_calendar_is_cached(django_assert_num_queries):
    with django_assert_num_queries(2):
        working_calendar()
    with django_assert_num_queries(0):
        working_calendar()


@pytest.mark.django_db
def test_an_edit_through_the_service_invalidates_the_cache():
    saturday = dt.date(2025, 9, 20)
    assert not working_calendar().is_workday(saturday)
    # A write behind the services' back is not seen: the calendar really is cached.
    CalendarDay.objects.create(date=saturday, is_workday=True, source=CalendarSource.ADMIN)
    assert not working_calendar().is_workday(saturday)
    calendar_day_set(day=saturday, is_workday=True, name="调休")
    assert working_calendar().is_workday(saturday)
    calendar_days_delete(days=[saturday])
    assert not working_calendar().is_workday(saturday)
    calendar_years_unmark(years=[2025])
    assert not working_calendar().covers(saturday)
    calendar_year_set(year=2025)
    assert working_calendar().covers(saturday)


@pytest.mark.django_db
def test_working_calendar_survives_a_broken_cache(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    monkeypatch.setattr(cache, "delete", down)
    assert working_calendar().is_workday(dt.date(2025, 10, 11))
    calendar_day_set(day=dt.date(2025, 9, 20), is_workday=True)
    assert working_calendar().is_workday(dt.date(2025, 9, 20))


@pytest.mark.django_db
def test_calendar_day_set_refuses_a_year_out_of_range():
    with pytest.raises(ValidationFailed) as exc:
        calendar_day_set(day=dt.date(1900, 1, 1), is_workday=False)
    assert exc.value.field == "date"


# --- status for the admin banner ---------------------------------------------------------------


def test_status_warns_when_the_next_90_days_run_beyond_the_known_years():
    with translation.override("en"):
        status = calendar_status(dt.date(2026, 11, 27), calendar=CAL)
    assert status.needs_attention is True
    assert status.last_known_year == 2026
    assert status.first_uncovered == dt.date(2027, 1, 1)
    assert "known up to 2026" in status.message
    assert "2027-01-01" in status.message


def test_status_is_quiet_while_the_next_90_days_are_known():
    status = calendar_status(dt.date(2026, 6, 1), calendar=CAL)
    assert status.needs_attention is False
    assert status.message == ""
    assert calendar_status(dt.date(2026, 10, 2), calendar=CAL).needs_attention is False
    assert calendar_status(dt.date(2026, 10, 3), calendar=CAL).needs_attention is True


def test_status_with_no_known_year_at_all():
    status = calendar_status(dt.date(2026, 6, 1), calendar=WorkingCalendar())
    assert status.needs_attention is True
    assert status.last_known_year is None
    assert status.message


@pytest.mark.django_db
def test_status_reads_the_database_calendar():
    calendar_import(entries=[CalendarEntry(dt.date(2027, 2, 5), False, "春节")])
    assert calendar_status(dt.date(2026, 11, 27)).needs_attention is False
    assert calendar_status(dt.date(2027, 11, 27)).needs_attention is True


# --- the admin ---------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    from casework.services import person_create

    user = person_create(username="root", name="root", password="pw-for-tests-9731")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_admin_add_goes_through_the_service_and_invalidates_the_cache(client, superuser):
    client.force_login(superuser)
    saturday = dt.date(2025, 9, 20)
    assert not working_calendar().is_workday(saturday)
    response = client.post(
        "/admin/casework/calendarday/add/",
        {"date": "2025-09-20", "is_workday": "on", "name": "调休", "name_en": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get(date=saturday)
    assert day.source == CalendarSource.ADMIN
    assert working_calendar().is_workday(saturday)


def test_admin_edit_and_delete_invalidate_the_cache(client, superuser):
    client.force_login(superuser)
    makeup = CalendarDay.objects.get(date=dt.date(2025, 10, 11))
    assert working_calendar().is_workday(makeup.date)
    response = client.post(
        f"/admin/casework/calendarday/{makeup.pk}/change/",
        {"is_workday": "", "name": "国庆节", "name_en": "National Day"},
    )
    assert response.status_code == 302
    makeup.refresh_from_db()
    assert (makeup.is_workday, makeup.source) == (False, CalendarSource.ADMIN)
    assert not working_calendar().is_workday(makeup.date)

    holiday = CalendarDay.objects.get(date=dt.date(2025, 10, 1))
    assert not working_calendar().is_workday(holiday.date)
    response = client.post(
        "/admin/casework/calendarday/",
        {"action": "delete_selected", "_selected_action": [holiday.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=holiday.pk).exists()
    assert working_calendar().is_workday(holiday.date)


def test_admin_lists_filter_by_year_search_and_warn(client, superuser):
    client.force_login(superuser)
    calendar_years_unmark(years=list(package_years()))
    response = client.get(
        "/admin/casework/calendarday/", {"year": "2025", "q": "国庆"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    listed = {day.date for day in response.context["cl"].result_list}
    assert dt.date(2025, 10, 1) in listed
    assert all(day.year == 2025 for day in listed)
    assert dt.date(2025, 1, 1) not in listed
    assert "No year of the working-day calendar is known" in response.content.decode()
    assert client.get("/admin/casework/calendarday/", {"q": "2025-10"}).status_code == 200
    assert client.get("/admin/casework/calendaryear/").status_code == 200


def test_admin_marks_a_year_known(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/casework/calendaryear/add/", {"year": "2027", "note": "from the notice"}
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.ADMIN
    assert working_calendar().covers(dt.date(2027, 5, 1))
    response = client.post("/admin/casework/calendaryear/add/", {"year": "1800", "note": ""})
    assert response.status_code == 200
    assert not CalendarYear.objects.filter(year=1800).exists()
