"""Evidence that is not a case: who may record it, what it is worth, and the random draw."""

from datetime import datetime, time, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.models import Role
from casework.services import membership_grant, person_create
from scoring import calc, services
from scoring.models import (
    Commitment,
    DualServiceRecord,
    Evidence,
    Indicator,
    Quarter,
    ScoreEntry,
    ServiceCardEntry,
    SupervisorEvaluation,
    Verification,
    VolunteerActivity,
)


def _entries(quarter, person):
    return {
        e.source: (e.quantity, e.points, e.indicator.code)
        for e in ScoreEntry.objects.filter(quarter=quarter, person=person).select_related(
            "indicator"
        )
    }


# --- Service cards ---------------------------------------------------------------------------


def test_routine_work_is_logged_once_a_week(card, quarters, people):
    card(people.grid_a1, kind="routine", n=1, start=14)
    with pytest.raises(ValidationFailed) as error:
        card(people.grid_a1, kind="routine", n=1, start=14)
    assert error.value.field == "occurred_on"
    assert ServiceCardEntry.objects.count() == 1
    card(people.grid_a1, kind="special", n=2, start=14)  # events and activities: any number
    assert ServiceCardEntry.objects.count() == 3


def test_a_member_logs_their_own_card_and_a_supervisor_logs_anyones(people, tree, quarters):
    day = quarters.day(3)
    services.service_card_record(
        actor=people.supervisor_a,
        person=people.grid_a1,
        unit=tree.grid_a1,
        kind="key",
        occurred_on=day,
        title="组织消防演练",
    )
    with pytest.raises(NotPermitted):
        services.service_card_record(
            actor=people.grid_b1,
            person=people.grid_a1,
            unit=tree.grid_a1,
            kind="key",
            occurred_on=day,
            title="代登记",
        )
    with pytest.raises(NotPermitted):  # not a unit of theirs
        services.service_card_record(
            actor=people.grid_a1,
            person=people.grid_a1,
            unit=tree.grid_b1,
            kind="key",
            occurred_on=day,
            title="跨网格",
        )
    assert ServiceCardEntry.objects.count() == 1


def test_a_card_in_the_future_without_a_title_or_too_long_is_refused_not_cut(
    people, tree, quarters
):
    for day, title, description, field in (
        (quarters.today + timedelta(days=1), "明天的事", "", "occurred_on"),
        (quarters.day(1), "  ", "", "title"),
        (quarters.day(1), "长" * 121, "", "title"),
        (quarters.day(1), "入户走访", "详" * 2001, "description"),
    ):
        with pytest.raises(ValidationFailed) as error:
            services.service_card_record(
                actor=people.grid_a1,
                person=people.grid_a1,
                unit=tree.grid_a1,
                kind="special",
                occurred_on=day,
                title=title,
                description=description,
            )
        assert error.value.field == field
    assert not ServiceCardEntry.objects.exists()


# --- Pledges and the random draw (承诺档案, 双随机) ---------------------------------------------


@pytest.fixture
def pledges(people, tree, quarters):
    """Pledges of the last quarter's year by the four ranked workers, three each."""
    year = quarters.last.year
    made = []
    for person, unit in (
        (people.grid_a1, tree.grid_a1),
        (people.grid_b1, tree.grid_b1),
        (people.supervisor_a, tree.community_a),
        (people.supervisor_b, tree.community_b),
    ):
        for code in ("policy_publicity", "party_services", "government_services"):
            made.append(
                services.commitment_create(
                    actor=person,
                    person=person,
                    unit=unit,
                    year=year,
                    indicator=Indicator.objects.get(code=code),
                    text="每月为辖区居民宣讲一次惠民政策",
                )
            )
    return made


def _draw(people, tree, quarters, **kwargs):
    defaults = {
        "actor": people.town_supervisor,
        "unit": tree.town,
        "year": quarters.last.year,
        "sample_size": 5,
        "inspectors": [people.supervisor_a, people.supervisor_b, people.grid_a1],
        "now": timezone.make_aware(datetime.combine(quarters.day(2), time(9))),
    }
    return services.verification_draw(**{**defaults, **kwargs})


def test_a_logged_draw_can_be_repeated_from_its_seed_and_population(
    pledges, people, tree, quarters
):
    draw = _draw(people, tree, quarters)
    drawn = sorted(draw.verifications.values_list("commitment_id", flat=True))
    assert len(drawn) == 5
    assert draw.population == sorted(p.pk for p in pledges)
    assert calc.draw_sample(draw.population, draw.sample_size, draw.seed) == drawn
    again = _draw(people, tree, quarters, seed=draw.seed)
    assert sorted(again.verifications.values_list("commitment_id", flat=True)) == drawn


def test_nobody_is_drawn_to_inspect_their_own_pledge(pledges, people, tree, quarters):
    for seed in range(20):
        draw = _draw(people, tree, quarters, seed=seed, sample_size=12)
        for check in draw.verifications.select_related("commitment"):
            assert check.inspector_id != check.commitment.person_id


def test_a_draw_is_scoped_to_the_supervisors_subtree(pledges, people, tree, quarters):
    draw = _draw(
        people, tree, quarters, actor=people.supervisor_a, unit=tree.community_a, inspectors=[]
    )
    owners = set(
        Commitment.objects.filter(pk__in=draw.population).values_list("person_id", flat=True)
    )
    assert owners == {people.grid_a1.pk, people.supervisor_a.pk}
    with pytest.raises(NotPermitted):
        _draw(people, tree, quarters, actor=people.supervisor_a, unit=tree.community_b)
    with pytest.raises(NotPermitted):
        _draw(people, tree, quarters, actor=people.grid_a1, unit=tree.grid_a1)


def test_a_draw_needs_pledges_and_a_sensible_size(people, tree, quarters):
    with pytest.raises(ValidationFailed) as error:
        _draw(people, tree, quarters)
    assert error.value.field == "year"


def test_a_checked_pledge_scores_in_its_own_category(pledges, people, tree, quarters, compute):
    draw = _draw(people, tree, quarters, sample_size=12)
    kept = draw.verifications.get(commitment=pledges[0])  # grid_a1, policy publicity
    broken = draw.verifications.get(commitment=pledges[1])  # grid_a1, party services
    for check, outcome in ((kept, "kept"), (broken, "broken")):
        services.verification_record(
            actor=people.town_supervisor,
            verification=check,
            outcome=outcome,
            visited_on=quarters.day(10),
            note="走访3户居民核实",
        )
    quarter = compute(quarters.last)
    rows = {
        (e.source, e.indicator.code): e.points
        for e in ScoreEntry.objects.filter(quarter=quarter, person=people.grid_a1)
    }
    assert rows == {
        ("commitment_kept", "policy_publicity"): D(3),
        ("commitment_broken", "party_services"): D(-3),
    }


def test_the_owner_never_records_their_own_check_and_an_outsider_cannot(
    pledges, people, tree, quarters
):
    draw = _draw(people, tree, quarters, sample_size=12)
    own = draw.verifications.get(commitment=pledges[0])
    for actor in (people.grid_a1, people.grid_b1):
        with pytest.raises(NotPermitted):
            services.verification_record(
                actor=actor, verification=own, outcome="kept", visited_on=quarters.day(10)
            )
    assert Verification.objects.get(pk=own.pk).outcome == "pending"
    # The drawn inspector may record a check even without supervising the place.
    theirs = Verification.objects.filter(inspector=people.grid_a1).first()
    seed = 0
    while theirs is None:
        seed += 1
        _draw(people, tree, quarters, seed=seed, sample_size=12)
        theirs = Verification.objects.filter(inspector=people.grid_a1).first()
    services.verification_record(
        actor=people.grid_a1, verification=theirs, outcome="kept", visited_on=quarters.day(10)
    )
    assert Verification.objects.get(pk=theirs.pk).outcome == "kept"


def test_a_visit_cannot_be_dated_before_its_draw(pledges, people, tree, quarters):
    draw = _draw(people, tree, quarters)
    with pytest.raises(ValidationFailed) as error:
        services.verification_record(
            actor=people.town_supervisor,
            verification=draw.verifications.first(),
            outcome="kept",
            visited_on=quarters.day(1),
        )
    assert error.value.field == "visited_on"


def test_pledges_are_made_in_a_common_category(people, tree, quarters):
    with pytest.raises(ValidationFailed) as error:
        services.commitment_create(
            actor=people.grid_a1,
            person=people.grid_a1,
            unit=tree.grid_a1,
            year=quarters.last.year,
            indicator=Indicator.objects.get(code="individual_requests"),
            text="承诺",
        )
    assert error.value.field == "indicator"


# --- Dual registration (双报到) --------------------------------------------------------------


def test_dual_registration_hours_score_the_member(people, tree, quarters, compute):
    registration = services.dual_registration_create(
        actor=people.supervisor_a,
        person=people.handler_department,
        home_unit=tree.department,
        community=tree.community_a,
        registered_on=quarters.day(0),
    )
    for day, hours in ((5, "3"), (12, "2.5")):
        services.dual_service_record(
            actor=people.handler_department,
            registration=registration,
            served_on=quarters.day(day),
            hours=hours,
            description="协助社区开展垃圾分类宣传",
        )
    quarter = compute(quarters.last)
    assert _entries(quarter, people.handler_department) == {
        "dual_service_hours": (D("5.5"), D("2.75"), "dual_registration")
    }


def test_dual_registration_is_for_members_from_outside_and_checks_its_hours(
    people, tree, quarters
):
    with pytest.raises(ValidationFailed) as error:
        services.dual_registration_create(
            actor=people.supervisor_a,
            person=people.grid_a1,
            home_unit=tree.grid_a1,
            community=tree.community_a,
            registered_on=quarters.day(0),
        )
    assert error.value.field == "home_unit"
    with pytest.raises(NotPermitted):
        services.dual_registration_create(
            actor=people.supervisor_b,
            person=people.handler_department,
            home_unit=tree.department,
            community=tree.community_a,
            registered_on=quarters.day(0),
        )
    registration = services.dual_registration_create(
        actor=people.supervisor_a,
        person=people.handler_department,
        home_unit=tree.department,
        community=tree.community_a,
        registered_on=quarters.day(0),
    )
    for hours in ("0", "25", "abc"):
        with pytest.raises(ValidationFailed) as error:
            services.dual_service_record(
                actor=people.handler_department,
                registration=registration,
                served_on=quarters.day(3),
                hours=hours,
                description="服务",
            )
        assert error.value.field == "hours"
    with pytest.raises(NotPermitted):
        services.dual_service_record(
            actor=people.grid_b1,
            registration=registration,
            served_on=quarters.day(3),
            hours=1,
            description="服务",
        )
    assert not DualServiceRecord.objects.exists()


# --- Volunteer teams and activities ---------------------------------------------------------


def test_a_volunteer_activity_scores_participants_and_its_organiser(
    people, tree, quarters, compute
):
    team = services.volunteer_team_create(
        actor=people.supervisor_a,
        name="红袖章志愿服务队",
        unit=tree.community_a,
        leader=people.grid_a1,
        members=[people.volunteer_a1],
    )
    services.volunteer_activity_record(
        actor=people.grid_a1,  # the team leader
        team=team,
        title="爱心义诊进社区",
        held_on=quarters.day(8),
        place="城东社区党群服务中心",
        people_served=60,
        participants=[people.grid_a1, people.volunteer_a1],
        organiser=people.grid_a1,
    )
    quarter = compute(quarters.last)
    assert _entries(quarter, people.grid_a1) == {
        "volunteer_participation": (1, D(1), "volunteer_service"),
        "volunteer_organised": (1, D(2), "volunteer_service"),
        "volunteer_people_served": (60, D(3), "volunteer_service"),
    }
    assert _entries(quarter, people.volunteer_a1) == {
        "volunteer_participation": (1, D(1), "volunteer_service")
    }


def test_only_the_leader_or_a_supervisor_records_a_teams_activity(people, tree, quarters):
    team = services.volunteer_team_create(
        actor=people.supervisor_a, name="环境整治队", unit=tree.grid_a1, leader=people.grid_a1
    )
    with pytest.raises(NotPermitted):
        services.volunteer_activity_record(
            actor=people.volunteer_a1,
            team=team,
            title="清理楼道",
            held_on=quarters.day(8),
            place="阳光小区",
            people_served=10,
            participants=[people.volunteer_a1],
        )
    with pytest.raises(ValidationFailed) as error:
        services.volunteer_activity_record(
            actor=people.supervisor_a,
            team=team,
            title="清理楼道",
            held_on=quarters.day(8),
            place="阳光小区",
            people_served=10,
            participants=[],
        )
    assert error.value.field == "participants"
    assert not VolunteerActivity.objects.exists()


# --- Supervisors' evaluations (双向考评) -------------------------------------------------------


def test_a_supervisors_evaluation_scores_the_worker_once_a_quarter(people, quarters, compute):
    quarter = services.quarter_get_or_create(quarters.last)
    services.evaluation_record(
        actor=people.supervisor_a, quarter=quarter, person=people.grid_a1, grade="good"
    )
    services.evaluation_record(  # changed: still one evaluation
        actor=people.supervisor_a, quarter=quarter, person=people.grid_a1, grade="excellent"
    )
    assert SupervisorEvaluation.objects.count() == 1
    quarter = compute(quarters.last)
    assert _entries(quarter, people.grid_a1) == {
        "evaluation_excellent": (1, D(10), "organisational_life")
    }


@pytest.mark.parametrize(
    ("actor", "person"),
    [("grid_a1", "grid_a1"), ("grid_b1", "grid_a1"), ("supervisor_b", "grid_a1")],
)
def test_only_a_supervisor_of_the_worker_evaluates_them(people, quarters, actor, person):
    quarter = services.quarter_get_or_create(quarters.last)
    with pytest.raises(NotPermitted):
        services.evaluation_record(
            actor=getattr(people, actor),
            quarter=quarter,
            person=getattr(people, person),
            grade="good",
        )
    assert not SupervisorEvaluation.objects.exists()


def test_no_evaluation_for_a_published_quarter(people, quarters, compute):
    compute(quarters.last)
    quarter = services.quarter_publish(quarter=quarters.last, actor=people.admin)
    with pytest.raises(Conflict):
        services.evaluation_record(
            actor=people.supervisor_a, quarter=quarter, person=people.grid_a1, grade="poor"
        )


# --- The intake other apps call --------------------------------------------------------------


def _on_spot(people, tree, quarters, ref="requests_app.request:1", **kwargs):
    return services.score_evidence_record(
        source="answered_on_spot",
        person=people.grid_a1,
        unit=tree.compound_a1,
        occurred_at=timezone.make_aware(datetime.combine(quarters.day(4), time(10))),
        source_ref=ref,
        reason="现场解答：物业费缴纳方式",
        **kwargs,
    )


@pytest.mark.usefixtures("intake_only")
def test_reported_evidence_counts_once_however_often_it_is_sent(people, tree, quarters, compute):
    first = _on_spot(people, tree, quarters)
    assert _on_spot(people, tree, quarters).pk == first.pk
    _on_spot(people, tree, quarters, ref="requests_app.request:2")
    quarter = compute(quarters.last)
    assert _entries(quarter, people.grid_a1) == {
        "answered_on_spot": (2, D(1), "serving_residents")
    }


@pytest.mark.usefixtures("intake_only")
def test_withdrawn_evidence_no_longer_counts_and_marks_the_quarter_changed(
    people, tree, quarters, compute
):
    _on_spot(people, tree, quarters)
    compute(quarters.last)
    assert services.score_evidence_withdraw(
        source="answered_on_spot", source_ref="requests_app.request:1"
    )
    assert not services.score_evidence_withdraw(
        source="answered_on_spot", source_ref="requests_app.request:1"
    )
    assert Quarter.objects.get(code=quarters.last.code).stale
    quarter = compute(quarters.last)
    assert not ScoreEntry.objects.filter(quarter=quarter).exists()
    _on_spot(people, tree, quarters)  # sent again: restored
    quarter = compute(quarters.last)
    assert _entries(quarter, people.grid_a1)["answered_on_spot"][0] == 1


def test_the_intake_takes_only_the_kinds_it_knows(people, tree, quarters):
    with pytest.raises(ValidationFailed) as error:
        services.score_evidence_record(
            source="case_resolved_on_time",
            person=people.grid_a1,
            occurred_at=timezone.now(),
            source_ref="x:1",
        )
    assert error.value.field == "source"
    with pytest.raises(ValidationFailed) as error:
        services.score_evidence_record(
            source="answered_on_spot", occurred_at=timezone.now(), source_ref="x:1"
        )
    assert error.value.field == "person"
    assert not Evidence.objects.exists()


@pytest.mark.usefixtures("intake_only")
def test_the_intake_never_fails_for_a_published_quarter(people, tree, quarters, compute):
    compute(quarters.last)
    services.quarter_publish(quarter=quarters.last, actor=people.admin)
    evidence = _on_spot(people, tree, quarters, ref="requests_app.request:9")
    assert evidence.pk
    assert Quarter.objects.get(code=quarters.last.code).is_published


def test_a_new_person_without_a_membership_cannot_log_a_card(tree, quarters):
    stranger = person_create(username="stranger", name="路人")
    with pytest.raises(NotPermitted):
        services.service_card_record(
            actor=stranger,
            person=stranger,
            unit=tree.grid_a1,
            kind="special",
            occurred_on=quarters.day(1),
            title="自称服务",
        )
    membership_grant(user=stranger, unit=tree.grid_a1, role=Role.VOLUNTEER)
    from casework.selectors.scope import scope_forget

    scope_forget(stranger)
    services.service_card_record(
        actor=stranger,
        person=stranger,
        unit=tree.grid_a1,
        kind="special",
        occurred_on=quarters.day(1),
        title="楼道清扫",
    )
