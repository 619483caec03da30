"""Computing a quarter: rule arithmetic, caps, ties, stars, idempotence, frozen quarters."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.models import Role
from casework.services import membership_grant, person_create
from scoring import services
from scoring.models import (
    Indicator,
    Interview,
    Quarter,
    QuarterAction,
    ScoreEntry,
    ScoreResult,
    StarThreshold,
)


def _ledger(quarter):
    return sorted(
        ScoreEntry.objects.filter(quarter__code=quarter.code).values_list(
            "person_id",
            "unit_id",
            "indicator_id",
            "source",
            "quantity",
            "points",
            "refs",
            "manual",
        )
    )


def _results(quarter):
    return sorted(
        ScoreResult.objects.filter(quarter__code=quarter.code).values_list(
            "subject",
            "person_id",
            "unit_id",
            "total",
            "rank_in_county",
            "rank_in_town",
            "stars",
            "interview_reason",
            "last_in_town",
        ),
        key=str,
    )


def test_a_rule_turns_evidence_into_points_in_its_category(card, compute, quarters, people):
    entries = card(people.grid_a1, kind="special", n=3)
    quarter = compute(quarters.last)

    entry = ScoreEntry.objects.get(quarter=quarter, person=people.grid_a1)
    assert entry.source == "service_card_special"
    assert entry.indicator.code == "serving_residents"
    assert (entry.quantity, entry.per, entry.points) == (D(3), D(1), D(3))
    assert entry.ref_ids == sorted(e.pk for e in entries)
    result = ScoreResult.objects.get(quarter=quarter, person=people.grid_a1)
    assert result.total == D(3)
    assert result.subtotals == {str(entry.indicator_id): "3.00"}


def test_changing_a_rule_changes_the_points_on_the_next_computation(
    card, compute, rule, quarters, people
):
    card(people.grid_a1, kind="special", n=2)
    compute(quarters.last)
    rule("service_card_special", "2.5")
    quarter = compute(quarters.last)
    assert ScoreResult.objects.get(quarter=quarter, person=people.grid_a1).total == D(5)


def test_an_inactive_rule_gives_no_points(card, compute, quarters, people):
    card(people.grid_a1, kind="special", n=2)
    from scoring.models import PointRule

    PointRule.objects.filter(source="service_card_special").update(is_active=False)
    quarter = compute(quarters.last)
    assert not ScoreEntry.objects.filter(quarter=quarter).exists()
    assert ScoreResult.objects.get(quarter=quarter, person=people.grid_a1).total == 0


def test_a_category_cap_holds_the_total_and_the_raw_points_stay_in_the_ledger(
    card, compute, quarters, people
):
    # Special work counts 1 point each in "serving residents", capped at 30 a quarter.
    card(people.grid_a1, kind="special", n=35)
    card(people.grid_a1, kind="key", n=2)  # 2 × 2 in grassroots governance, uncapped here
    quarter = compute(quarters.last)

    assert ScoreEntry.objects.get(quarter=quarter, source="service_card_special").points == 35
    result = ScoreResult.objects.get(quarter=quarter, person=people.grid_a1)
    serving = Indicator.objects.get(code="serving_residents")
    assert result.subtotals[str(serving.pk)] == "30.00"
    assert result.total == D(34)


def test_a_weight_multiplies_a_category(card, compute, quarters, people):
    Indicator.objects.filter(code="serving_residents").update(weight=D("1.5"), cap=None)
    card(people.grid_a1, kind="special", n=4)
    quarter = compute(quarters.last)
    assert ScoreResult.objects.get(quarter=quarter, person=people.grid_a1).total == D(6)


def test_computing_twice_gives_the_same_ledger_and_ranking(card, compute, quarters, people):
    card(people.grid_a1, kind="special", n=3)
    card(people.grid_b1, kind="routine", n=4)
    card(people.supervisor_a, kind="key", n=1, unit=tree_unit(people.supervisor_a))
    first = compute(quarters.last)
    ledger, results = _ledger(first), _results(first)
    second = compute(quarters.last)
    assert _ledger(second) == ledger
    assert _results(second) == results
    assert ScoreEntry.objects.count() == len(ledger)
    assert QuarterAction.objects.filter(quarter=second, kind="computed").count() == 2


def tree_unit(person):
    return person.memberships.get().unit


def test_recomputing_replaces_derived_entries_and_keeps_manual_ones(
    card, compute, quarters, people
):
    card(people.grid_a1, kind="special", n=3)
    quarter = compute(quarters.last)
    services.score_entry_add(
        actor=people.admin,
        quarter=quarter,
        person=people.grid_a1,
        indicator=Indicator.objects.get(code="dispute_mediation"),
        points="4",
        reason="调解楼上楼下漏水纠纷，双方签字确认",
    )
    assert Quarter.objects.get(pk=quarter.pk).stale
    ScoreEntry.objects.filter(source="service_card_special").delete()  # evidence withdrawn
    card(people.grid_a1, kind="special", n=1, start=40)
    quarter = compute(quarters.last)

    assert not quarter.stale
    sources = dict(ScoreEntry.objects.filter(quarter=quarter).values_list("source", "quantity"))
    assert sources == {"service_card_special": D(4), "manual": D(1)}
    assert ScoreResult.objects.get(quarter=quarter, person=people.grid_a1).total == D(8)


def test_equal_totals_share_a_rank_in_the_town_and_the_county(card, compute, quarters, people):
    card(people.grid_a1, kind="special", n=3)
    card(people.grid_b1, kind="special", n=3)
    card(people.supervisor_a, kind="special", n=5, unit=tree_unit(people.supervisor_a))
    quarter = compute(quarters.last)
    ranks = {
        r.person_id: (r.rank_in_town, r.rank_in_county, r.town_size)
        for r in ScoreResult.objects.filter(quarter=quarter, subject="person")
    }
    assert ranks[people.supervisor_a.pk] == (1, 1, 4)
    assert ranks[people.grid_a1.pk] == ranks[people.grid_b1.pk] == (2, 2, 4)
    assert ranks[people.supervisor_b.pk] == (4, 4, 4)


def test_only_ranked_roles_in_a_community_are_ranked(card, compute, quarters, people):
    card(people.handler_company, kind="special", n=2, unit=tree_unit(people.handler_company))
    quarter = compute(quarters.last)
    ranked = set(
        ScoreResult.objects.filter(quarter=quarter, subject="person").values_list(
            "person_id", flat=True
        )
    )
    assert ranked == {
        people.grid_a1.pk,
        people.grid_b1.pk,
        people.supervisor_a.pk,
        people.supervisor_b.pk,
    }
    # The handler's points are in the ledger, explained, but not ranked.
    assert ScoreEntry.objects.filter(quarter=quarter, person=people.handler_company).exists()


def test_a_worker_is_ranked_once_under_their_main_role(card, compute, quarters, people, tree):
    membership_grant(user=people.grid_a1, unit=tree.community_a, role=Role.SUPERVISOR)
    quarter = compute(quarters.last)
    result = ScoreResult.objects.get(quarter=quarter, person=people.grid_a1)
    assert result.unit_id == tree.community_a.pk
    assert result.community_id == tree.community_a.pk
    assert result.town_id == tree.town.pk and result.county_id == tree.county.pk


def test_stars_follow_points_thresholds_when_the_policy_says_so(
    card, compute, quarters, people, policy
):
    policy.person_star_basis = "points"
    policy.save()
    StarThreshold.objects.filter(subject="person").delete()
    StarThreshold.objects.create(subject="person", stars=3, value=5)
    StarThreshold.objects.create(subject="person", stars=1, value=2)
    card(people.grid_a1, kind="special", n=5)
    card(people.grid_b1, kind="special", n=2)
    quarter = compute(quarters.last)
    stars = dict(
        ScoreResult.objects.filter(quarter=quarter, subject="person").values_list(
            "person_id", "stars"
        )
    )
    assert stars[people.grid_a1.pk] == 3
    assert stars[people.grid_b1.pk] == 1
    assert stars[people.supervisor_a.pk] == 0


def test_stars_by_percentile_go_to_the_top_of_the_county(card, compute, quarters, people):
    # Default worker thresholds: 5★ top 5%, 4★ 15%, 3★ 30%, 2★ 50%, 1★ 75%; four ranked.
    # Without quotas: the default ones (3 %… of a county) give none of four a star
    # (tests/scoring/test_star_quotas.py).
    StarThreshold.objects.update(max_count=None, max_share=None)
    card(people.grid_a1, kind="special", n=4)
    card(people.grid_b1, kind="special", n=3)
    card(people.supervisor_a, kind="special", n=2, unit=tree_unit(people.supervisor_a))
    quarter = compute(quarters.last)
    stars = dict(
        ScoreResult.objects.filter(quarter=quarter, subject="person").values_list(
            "person_id", "stars"
        )
    )
    assert stars == {
        people.grid_a1.pk: 5,  # nobody ahead
        people.grid_b1.pk: 3,  # 25% ahead: within the top 30%
        people.supervisor_a.pk: 1,  # 50% ahead: only the 75% level
        people.supervisor_b.pk: 0,  # 75% ahead
    }


def test_a_community_adds_its_workers_mean_to_its_own_points(card, compute, quarters, people):
    card(people.grid_a1, kind="special", n=6)
    card(people.supervisor_a, kind="special", n=2, unit=tree_unit(people.supervisor_a))
    quarter = compute(quarters.last)
    community = ScoreResult.objects.get(
        quarter=quarter, subject="community", unit=tree_unit(people.supervisor_a)
    )
    assert (community.own_total, community.workers_mean, community.workers_count) == (0, 4, 2)
    assert community.total == D(4)


def test_the_lowest_of_each_town_and_low_communities_are_flagged_for_a_talk(
    card, compute, quarters, people, policy
):
    policy.interview_lowest_count = 1
    policy.interview_community_below = D(2)
    policy.save()
    card(people.grid_a1, kind="special", n=6)
    card(people.supervisor_a, kind="special", n=4, unit=tree_unit(people.supervisor_a))
    card(people.grid_b1, kind="special", n=1)
    quarter = compute(quarters.last)
    flagged = {
        (r.subject, r.person_id or r.unit_id): r.interview_reason
        for r in ScoreResult.objects.filter(quarter=quarter).exclude(interview_reason="")
    }
    community_b = tree_unit(people.supervisor_b)
    assert flagged == {
        ("person", people.supervisor_b.pk): "lowest",
        ("community", community_b.pk): "below_threshold",  # mean (1 + 0) / 2 < 2
    }
    last = ScoreResult.objects.get(quarter=quarter, person=people.supervisor_b)
    assert last.last_in_town and last.last_in_county


def test_publishing_writes_the_talk_list_and_freezes_the_quarter(card, compute, quarters, people):
    card(people.grid_a1, kind="special", n=6)
    compute(quarters.last)
    quarter = services.quarter_publish(quarter=quarters.last, actor=people.admin)
    assert quarter.is_published
    listed = set(Interview.objects.filter(quarter=quarter).values_list("person_id", flat=True))
    # Both of the lowest two (of four) in the town; grid_a1 is first.
    assert people.grid_a1.pk not in listed and len(listed) >= 2

    before = _ledger(quarter)
    with pytest.raises(Conflict):
        services.quarter_compute(quarter=quarters.last, actor=people.admin)
    with pytest.raises(Conflict):
        card(people.grid_a1, kind="special", n=1, start=50)
    with pytest.raises(Conflict):
        services.score_entry_add(
            actor=people.admin,
            quarter=quarter,
            person=people.grid_a1,
            indicator=Indicator.objects.get(code="dispute_mediation"),
            points=5,
            reason="补录",
        )
    assert _ledger(quarter) == before
    assert QuarterAction.objects.filter(quarter=quarter).values_list("kind", flat=True)[0] == (
        "published"
    )


def test_only_an_ended_quarter_can_be_published(card, compute, quarters, people):
    compute(quarters.this)
    quarter = Quarter.objects.get(code=quarters.this.code)
    assert quarter.is_provisional
    with pytest.raises(ValidationFailed) as error:
        services.quarter_publish(quarter=quarters.this, actor=people.admin)
    assert error.value.field == "quarter"
    assert Quarter.objects.get(code=quarters.this.code).status == "computed"


def test_evidence_added_after_computing_must_be_computed_before_publishing(
    card, compute, quarters, people
):
    compute(quarters.last)
    changed = card(people.grid_a1, kind="special", n=1)
    assert Quarter.objects.get(code=quarters.last.code).stale
    with pytest.raises(Conflict):
        services.quarter_publish(quarter=quarters.last, actor=people.admin)
    compute(quarters.last)
    services.quarter_publish(quarter=quarters.last, actor=people.admin)
    assert ScoreEntry.objects.get(source="service_card_special").ref_ids == [changed[0].pk]


def test_a_provisional_computation_cannot_be_published(compute, quarters, people):
    last = services.quarter_get_or_create(quarters.last)
    compute(quarters.last, now=last.starts_at + timedelta(days=10))
    assert Quarter.objects.get(code=quarters.last.code).is_provisional
    with pytest.raises(Conflict):
        services.quarter_publish(quarter=quarters.last, actor=people.admin)
    assert Quarter.objects.get(code=quarters.last.code).status == "computed"


def test_a_quarter_that_has_not_started_is_not_computed(people, quarters):
    with pytest.raises(ValidationFailed):
        services.quarter_compute(quarter=quarters.this.next(), actor=people.admin)
    assert not Quarter.objects.filter(status="computed").exists()


def test_reopening_is_an_admins_recorded_action_with_a_reason(card, compute, quarters, people):
    card(people.grid_a1, kind="special", n=2)
    compute(quarters.last)
    services.quarter_publish(quarter=quarters.last, actor=people.admin)
    with pytest.raises(ValidationFailed) as error:
        services.quarter_reopen(quarter=quarters.last, actor=people.admin, reason=" ")
    assert error.value.field == "reason"
    with pytest.raises(NotPermitted):
        services.quarter_reopen(quarter=quarters.last, actor=people.supervisor_a, reason="错了")
    with pytest.raises(ValidationFailed):
        services.quarter_reopen(quarter=quarters.last, actor=None, reason="系统")
    assert Quarter.objects.get(code=quarters.last.code).is_published

    quarter = services.quarter_reopen(
        quarter=quarters.last, actor=people.admin, reason="补录漏登的服务卡"
    )
    assert quarter.status == "computed"
    action = QuarterAction.objects.filter(quarter=quarter).first()
    assert (action.kind, action.actor, action.note) == (
        "reopened",
        people.admin,
        "补录漏登的服务卡",
    )
    card(people.grid_a1, kind="special", n=1, start=60)  # allowed again
    compute(quarters.last)
    assert ScoreResult.objects.get(quarter=quarter, person=people.grid_a1).total == D(3)


def test_a_talk_already_held_stays_when_the_quarter_is_reopened_and_republished(
    card, compute, quarters, people, policy
):
    policy.interview_lowest_count = 1
    policy.interview_person_below = None
    policy.save()
    card(people.grid_a1, kind="special", n=3)
    card(people.grid_b1, kind="special", n=2)
    card(people.supervisor_a, kind="special", n=2, unit=tree_unit(people.supervisor_a))
    compute(quarters.last)
    quarter = services.quarter_publish(quarter=quarters.last, actor=people.admin)
    talk = Interview.objects.get(quarter=quarter, person=people.supervisor_b)
    services.interview_record(
        actor=people.town_supervisor,
        interview=talk,
        held_on=quarters.today,
        notes="指出本季度服务记录空白，要求每周登记服务卡",
        follow_up="下季度每月检查一次",
        annual_grade_lowered=True,
    )
    services.quarter_reopen(quarter=quarters.last, actor=people.admin, reason="复核")
    card(people.supervisor_b, kind="special", n=5, unit=tree_unit(people.supervisor_b))
    compute(quarters.last)
    services.quarter_publish(quarter=quarters.last, actor=people.admin)

    talks = {i.person_id: i.status for i in Interview.objects.filter(quarter=quarter)}
    assert talks[people.supervisor_b.pk] == "held"  # no longer lowest, but the talk happened
    # The new lowest ones (grid_b1 and supervisor_a are tied on 2) are listed, pending.
    assert talks[people.grid_b1.pk] == talks[people.supervisor_a.pk] == "pending"


@pytest.mark.parametrize("who", ["supervisor_a", "town_supervisor", "grid_a1"])
def test_only_a_top_admin_computes_a_quarter(people, quarters, who):
    with pytest.raises(NotPermitted):
        services.quarter_compute(quarter=quarters.last, actor=getattr(people, who))
    assert not Quarter.objects.filter(status="computed").exists()


def test_a_county_admin_does_not_compute_the_whole_citys_quarter(tree, quarters):
    county_admin = person_create(username="county-admin", name="县管理员")
    membership_grant(user=county_admin, unit=tree.county, role=Role.ADMIN)
    with pytest.raises(NotPermitted):
        services.quarter_compute(quarter=quarters.last, actor=county_admin)


def test_the_system_may_compute_and_its_action_has_no_actor(people, quarters):
    quarter = services.quarter_compute(quarter=quarters.last, actor=None)
    action = QuarterAction.objects.get(quarter=quarter)
    assert action.actor is None and action.kind == "computed"
    assert action.data["results"] == quarter.result_count == 6  # 4 workers, 2 communities


def test_a_malformed_quarter_is_a_validation_error(people):
    with pytest.raises(ValidationFailed) as error:
        services.quarter_compute(quarter="2026Q9", actor=people.admin)
    assert error.value.field == "quarter"
