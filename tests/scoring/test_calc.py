"""The pure arithmetic of scoring: quarters, points, caps, ranks, stars, 约谈, the draw."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from scoring import calc
from scoring.calc import QuarterKey, Terms

SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- Quarters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "year", "number"),
    [("2026Q3", 2026, 3), (" 2026q1 ", 2026, 1), ("2030Q4", 2030, 4)],
)
def test_a_quarter_is_read_from_its_code(code, year, number):
    key = QuarterKey.parse(code)
    assert (key.year, key.number) == (year, number)
    assert key.code == f"{year}Q{number}"


@pytest.mark.parametrize("code", ["2026Q5", "2026Q0", "26Q3", "2026-3", "", "Q3 2026", "1999Q1"])
def test_a_malformed_quarter_code_is_refused(code):
    with pytest.raises(ValueError):
        QuarterKey.parse(code)


def test_quarter_days_next_and_previous():
    q = QuarterKey(2026, 4)
    assert (q.first_day, q.last_day) == (date(2026, 10, 1), date(2026, 12, 31))
    assert q.next() == QuarterKey(2027, 1)
    assert QuarterKey(2027, 1).previous() == q
    assert QuarterKey(2026, 1).last_day == date(2026, 3, 31)
    assert QuarterKey.of(date(2026, 9, 30)) == QuarterKey(2026, 3)
    assert QuarterKey.of(date(2026, 10, 1)) == QuarterKey(2026, 4)


def test_quarter_bounds_are_local_midnights():
    start, end = QuarterKey(2026, 3).bounds(SHANGHAI)
    assert start == datetime(2026, 7, 1, tzinfo=SHANGHAI)
    assert end == datetime(2026, 10, 1, tzinfo=SHANGHAI)
    # 23:30 on 30 September in Yulin is 15:30 UTC: still the third quarter.
    late = datetime(2026, 9, 30, 15, 30, tzinfo=ZoneInfo("UTC"))
    assert start <= late < end


# --- Points, caps and totals -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "per", "points"),
    [
        (12, "2", "24.00"),
        (3, "-0.5", "-1.50"),
        ("7.5", "0.5", "3.75"),
        ("95.55", "0.1", "9.56"),  # half a hundredth rounds away from zero
        (41, "0.05", "2.05"),
    ],
)
def test_entry_points_multiply_quantity_by_points_each(quantity, per, points):
    assert calc.entry_points(D(str(quantity)), D(per)) == D(points)


def test_a_cap_holds_a_category_and_a_floor_limits_a_loss():
    terms = Terms(weight=D(1), cap=D(30), floor=D(-15))
    assert calc.category_subtotal(D("42"), terms) == D("30.00")
    assert calc.category_subtotal(D("29.5"), terms) == D("29.50")
    assert calc.category_subtotal(D("-40"), terms) == D("-15.00")


def test_the_weight_applies_before_the_cap():
    assert calc.category_subtotal(D(20), Terms(weight=D("1.5"), cap=D(25))) == D("25.00")
    assert calc.category_subtotal(D(10), Terms(weight=D("1.5"), cap=D(25))) == D("15.00")
    assert calc.category_subtotal(D(10), Terms(weight=D("0"))) == D("0.00")


def test_a_total_is_the_sum_of_capped_subtotals():
    terms = {1: Terms(cap=D(10)), 2: Terms(weight=D(2)), 3: Terms(floor=D(-5))}
    total, subtotals = calc.subject_total({1: D(14), 2: D("3.5"), 3: D(-9), 4: D(1)}, terms)
    assert subtotals == {1: D(10), 2: D(7), 3: D(-5), 4: D(1)}
    assert total == D("13.00")


def test_a_community_adds_the_mean_of_its_workers_not_their_sum():
    total, mean = calc.community_total(D(20), [D(30), D(40), D(50)], D(1))
    assert (total, mean) == (D("60.00"), D("40.00"))
    assert calc.community_total(D(20), [D(30), D(40)], D("0.5")) == (D("37.50"), D("35.00"))
    assert calc.community_total(D(20), [], D(1)) == (D("20.00"), None)


def test_rates_are_percentages_and_zero_over_zero_is_no_rate():
    assert calc.rate_percent(19, 20) == D("95.00")
    assert calc.rate_percent(2, 3) == D("66.67")
    assert calc.rate_percent(0, 0) is None


# --- Ranks with ties -------------------------------------------------------------------------


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    ranks = calc.competition_ranks({"a": D(90), "b": D(80), "c": D(80), "d": D(70), "e": D(70)})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4, "e": 4}


def test_ranks_are_counted_within_each_group_only():
    rows = [
        ("a", "town1", D(10)),
        ("b", "town1", D(20)),
        ("c", "town2", D(5)),
        ("d", None, D(99)),
    ]
    assert calc.ranks_in_groups(rows) == {"a": (2, 2), "b": (1, 2), "c": (1, 1)}


# --- Stars -----------------------------------------------------------------------------------

THRESHOLDS = [(5, D(5)), (4, D(15)), (3, D(30)), (1, D(75))]


@pytest.mark.parametrize(
    ("rank", "size", "stars"),
    [
        (1, 100, 5),  # 0 ahead: in the top 5%
        (5, 100, 5),  # 4% ahead
        (6, 100, 4),  # 5% ahead: no longer in the top 5%
        (16, 100, 3),
        (31, 100, 1),
        (75, 100, 1),
        (76, 100, 0),
        (1, 3, 5),  # the first of any group reaches every level
        (2, 3, 1),  # a third ahead
    ],
)
def test_stars_by_percentile_count_who_is_ranked_above(rank, size, stars):
    level = calc.star_level(
        total=D(0), rank=rank, size=size, basis=calc.BASIS_PERCENTILE, thresholds=THRESHOLDS
    )
    assert level == stars


def test_tied_people_get_the_same_stars():
    ranks = calc.competition_ranks({n: D(50) if n < 8 else D(n) for n in range(20)})
    levels = {
        calc.star_level(
            total=D(0), rank=ranks[n], size=20, basis="percentile", thresholds=THRESHOLDS
        )
        for n in range(8)
    }
    assert len(levels) == 1


@pytest.mark.parametrize(("total", "stars"), [("60", 5), ("59.99", 4), ("40", 4), ("0", 0)])
def test_stars_by_points_take_the_highest_threshold_met(total, stars):
    thresholds = [(5, D(60)), (4, D(40)), (2, D(10))]
    level = calc.star_level(
        total=D(total), rank=None, size=None, basis="points", thresholds=thresholds
    )
    assert level == stars


def test_an_unknown_star_basis_is_an_error():
    with pytest.raises(ValueError):
        calc.star_level(total=D(1), rank=1, size=1, basis="votes", thresholds=[(1, D(0))])


# --- 约谈 and the last place -----------------------------------------------------------------


def test_the_lowest_of_each_group_include_ties_with_the_last_of_them():
    rows = [
        ("a", 1, D(10)),
        ("b", 1, D(3)),
        ("c", 1, D(5)),
        ("d", 1, D(5)),
        ("e", 1, D(8)),
        ("f", 2, D(1)),
        ("g", 2, D(9)),
    ]
    assert calc.lowest_in_groups(rows, 2) == {"b", "c", "d", "f", "g"}
    assert calc.lowest_in_groups(rows, 1) == {"b", "f"}
    assert calc.lowest_in_groups(rows, 0) == set()


def test_a_group_of_equals_has_no_lowest_and_no_last_place():
    rows = [("a", 1, D(7)), ("b", 1, D(7)), ("c", 2, D(7))]
    assert calc.last_places(rows) == set()


def test_last_places_are_tied_last_ones():
    rows = [("a", 1, D(10)), ("b", 1, D(2)), ("c", 1, D(2))]
    assert calc.last_places(rows) == {"b", "c"}


def test_below_a_threshold_is_strictly_below():
    rows = [("a", D(-1)), ("b", D(0)), ("c", D(5))]
    assert calc.below(rows, D(0)) == {"a"}
    assert calc.below(rows, None) == set()


# --- The random draw (双随机) -----------------------------------------------------------------


def test_the_draw_is_reproducible_from_its_seed_and_population():
    population = list(range(1, 201))
    first = calc.draw_sample(population, 10, seed=20260701)
    assert first == calc.draw_sample(reversed(population), 10, seed=20260701)
    assert len(first) == 10 and len(set(first)) == 10
    assert set(first) <= set(population)
    assert first != calc.draw_sample(population, 10, seed=20260702)


def test_the_draw_is_pinned_so_a_logged_draw_can_be_checked_years_later():
    # If Python's random ever changed, logged draws could no longer be checked: pin it.
    assert calc.draw_sample(range(1, 101), 5, seed=42) == [4, 15, 36, 82, 95]


def test_a_draw_larger_than_the_population_takes_everyone():
    assert calc.draw_sample([3, 1, 2], 10, seed=1) == [1, 2, 3]
    assert calc.draw_sample([], 3, seed=1) == []


def test_inspectors_are_drawn_reproducibly_and_never_check_their_own_pledge():
    targets = [(10, 1), (11, 2), (12, 3), (13, 1)]
    assigned = calc.assign_inspectors(targets, [1, 2, 3], seed=7)
    assert assigned == calc.assign_inspectors(list(reversed(targets)), [3, 2, 1], seed=7)
    owners = dict(targets)
    assert all(inspector != owners[target] for target, inspector in assigned.items())
    assert calc.assign_inspectors([(10, 1)], [1], seed=7) == {10: None}
