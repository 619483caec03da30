"""Star quotas (名额) as data: hand-counted examples of the pure rule and of a computed quarter."""

from decimal import Decimal as D

from scoring import calc
from scoring.models import ScoreResult, StarThreshold

PERCENTILES = [(5, D(5)), (4, D(15)), (3, D(30)), (2, D(50)), (1, D(75))]


def test_a_quota_is_the_smaller_of_its_count_and_its_share_rounded_down():
    assert calc.quota_limit(size=136, max_count=None, max_share=D(1)) == 1  # 1.36
    assert calc.quota_limit(size=136, max_count=None, max_share=D(3)) == 4  # 4.08
    assert calc.quota_limit(size=44, max_count=None, max_share=D(2)) == 0  # 0.88
    assert calc.quota_limit(size=136, max_count=2, max_share=D(3)) == 2
    assert calc.quota_limit(size=136, max_count=None, max_share=None) is None


def test_136_workers_by_percentile_then_quotas_give_exact_counts():
    """Percentiles alone: 102 of 136 with stars (the report's complaint). With at most 1 % at
    5★ (1), 3 % at 4★ (4) and 5 % at 3★ (6): rank 1 is 5★; ranks 2–5 earned 5★ and get 4★;
    ranks 6–11 get 3★; ranks 12–68 earned 4★–2★ and get 2★ (no quota); 69–102 keep 1★."""
    totals = {n: D(137 - n) for n in range(1, 137)}  # rank n has 137 - n points, no ties
    earned = {
        n: calc.star_level(
            total=totals[n], rank=n, size=136, basis="percentile", thresholds=PERCENTILES
        )
        for n in totals
    }
    assert sum(1 for level in earned.values() if level) == 102
    limits = {
        5: calc.quota_limit(size=136, max_count=None, max_share=D(1)),
        4: calc.quota_limit(size=136, max_count=None, max_share=D(3)),
        3: calc.quota_limit(size=136, max_count=None, max_share=D(5)),
    }
    stars = calc.stars_within_quotas(((n, totals[n], earned[n]) for n in totals), limits)
    counts = {level: sum(1 for s in stars.values() if s == level) for level in range(6)}
    assert counts == {5: 1, 4: 4, 3: 6, 2: 57, 1: 34, 0: 34}
    assert [stars[n] for n in (1, 2, 5, 6, 11, 12, 68, 69, 102, 103)] == [
        5,
        4,
        4,
        3,
        3,
        2,
        2,
        1,
        1,
        0,
    ]


def test_a_tie_that_would_exceed_a_quota_gets_the_lower_level_together():
    rows = [("a", D(90), 5), ("b", D(80), 5), ("c", D(80), 5), ("d", D(70), 4)]
    assert calc.stars_within_quotas(rows, {5: 1, 4: 2}) == {"a": 5, "b": 4, "c": 4, "d": 3}
    # Two tied at the top with one 5★ place: both 4★, and the place stays free (nobody ranked
    # below may pass them).
    rows = [("a", D(90), 5), ("b", D(90), 5), ("c", D(80), 5)]
    assert calc.stars_within_quotas(rows, {5: 1}) == {"a": 4, "b": 4, "c": 4}
    # The order of the rows does not matter.
    assert calc.stars_within_quotas(list(reversed(rows)), {5: 1}) == {"a": 4, "b": 4, "c": 4}


def test_the_default_quotas_are_data_in_the_thresholds(db):
    shares = dict(StarThreshold.objects.filter(subject="person").values_list("stars", "max_share"))
    assert shares == {5: D(3), 4: D(5), 3: D(8), 2: D(10), 1: D(12)}
    assert not StarThreshold.objects.filter(subject="community", max_share__isnull=False)


def test_a_computed_quarter_holds_each_level_to_its_quota(card, compute, quarters, people):
    """Four ranked in 博白县 with 4, 3, 2 and 0 cards. Percentiles earn 5★, 3★, 1★, 0; with at
    most one 5★ and no 3★, the second gets 2★ (the next level with room), the third keeps 1★."""
    StarThreshold.objects.filter(subject="person").update(max_share=None, max_count=None)
    StarThreshold.objects.filter(subject="person", stars=3).update(max_count=0)
    StarThreshold.objects.filter(subject="person", stars=5).update(max_count=1)
    card(people.grid_a1, kind="special", n=4)
    card(people.grid_b1, kind="special", n=3)
    unit = people.supervisor_a.memberships.select_related("unit").first().unit
    card(people.supervisor_a, kind="special", n=2, unit=unit)
    quarter = compute(quarters.last)
    stars = dict(
        ScoreResult.objects.filter(quarter=quarter, subject="person").values_list(
            "person_id", "stars"
        )
    )
    assert stars == {
        people.grid_a1.pk: 5,
        people.grid_b1.pk: 2,
        people.supervisor_a.pk: 1,
        people.supervisor_b.pk: 0,
    }
