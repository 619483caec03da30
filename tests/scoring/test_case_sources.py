"""Points read from case events, for cases moved through the real casework services.

The cases are worked inside the last (ended) quarter with the clock set there, so the quarter
boundaries never depend on the day the tests run.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal as D
from unittest import mock

import pytest
from django.utils import timezone

from casework import events
from casework import services as casework
from scoring.models import ScoreEntry, ScoreResult


@pytest.fixture
def clock(quarters):
    """``with clock.at(hours)``: act ``hours`` after 09:00 on day 20 of the last quarter."""

    class Clock:
        start = datetime.combine(quarters.day(20), time(9)).replace(
            tzinfo=timezone.get_default_timezone()
        )

        @contextmanager
        def at(self, hours: float):
            when = self.start + timedelta(hours=hours)
            with mock.patch("django.utils.timezone.now", return_value=when):
                yield when

    return Clock()


@pytest.fixture
def worked(open_case, clock, people, tree):
    """Work a case along a script of ``(hours, step)`` and return it."""

    def work(script, *, case=None):
        with clock.at(0):
            case = case or open_case()
        for hours, step, kwargs in script:
            with clock.at(hours):
                case = STEPS[step](case=case, people=people, tree=tree, **kwargs)
        return case

    return work


def _assign(*, case, people, tree, unit="company", handler=None):
    return casework.case_assign(
        case=case,
        actor=people.supervisor_a,
        unit=getattr(tree, unit),
        handler=getattr(people, handler) if handler else None,
    )


STEPS = {
    "assign": _assign,
    "accept": lambda *, case, people, tree, who="handler_company": casework.case_accept(
        case=case, actor=getattr(people, who)
    ),
    "resolve": lambda *, case, people, tree, who="handler_company": casework.case_resolve(
        case=case, actor=getattr(people, who), result="已修复"
    ),
    "feedback": lambda *, case, people, tree, answer="satisfied", solved=True: (
        casework.feedback_record(
            case=case, actor=people.grid_a1, solved=solved, satisfaction=answer
        )
    ),
    "return": lambda *, case, people, tree, who="handler_company": casework.case_return(
        case=case, actor=getattr(people, who), reason="不属于本单位"
    ),
    "cancel": lambda *, case, people, tree: casework.case_cancel(
        case=case, actor=people.supervisor_a, reason="重复诉求"
    ),
}

HAPPY = [
    (1, "assign", {}),
    (1.5, "accept", {}),
    (20, "resolve", {}),
    (30, "feedback", {}),
]


def _points(quarter, person) -> dict[str, tuple[D, D, list[int]]]:
    return {
        e.source: (e.quantity, e.points, e.ref_ids)
        for e in ScoreEntry.objects.filter(quarter=quarter, person=person)
    }


def test_a_case_worked_on_time_scores_its_collector_and_its_handler(
    worked, compute, quarters, people
):
    case = worked(HAPPY)
    assert case.state == "closed"
    quarter = compute(quarters.last)

    assert _points(quarter, people.grid_a1) == {
        "case_opened": (1, D(1), [case.pk]),
        "feedback_visit": (1, D("0.5"), [case.pk]),
    }
    assert _points(quarter, people.handler_company) == {
        "case_accepted_on_time": (1, D("0.5"), [case.pk]),
        "case_resolved_on_time": (1, D(2), [case.pk]),
        "feedback_satisfied": (1, D(1), [case.pk]),
    }


def test_signing_for_and_resolving_late_score_less(worked, compute, quarters, people):
    # Signed for two days after assignment (the sign-for limit is hours) and resolved a month
    # later (the resolution limit is days).
    case = worked([(1, "assign", {}), (49, "accept", {}), (24 * 30, "resolve", {})])
    quarter = compute(quarters.last)
    assert _points(quarter, people.handler_company) == {
        "case_accepted_late": (1, D("-0.5"), [case.pk]),
        "case_resolved_late": (1, D("0.5"), [case.pk]),
    }


def test_an_unsatisfied_resident_reopens_the_case_and_costs_the_handler(
    worked, compute, quarters, people
):
    case = worked([*HAPPY[:3], (30, "feedback", {"answer": "unsatisfied", "solved": False})])
    assert case.state == "reopened"
    quarter = compute(quarters.last)
    points = _points(quarter, people.handler_company)
    assert points["feedback_unsatisfied"] == (1, D(-2), [case.pk])
    assert points["case_reopened"] == (1, D(-2), [case.pk])


def test_a_failed_supervisor_check_is_a_redo_for_the_handler(
    worked, compute, quarters, people, verified_category, open_case, clock
):
    with clock.at(0):
        case = open_case(category_=verified_category)
    case = worked(HAPPY, case=case)
    assert case.state == "resolved"  # satisfied, awaiting the supervisor's check
    with clock.at(40):
        casework.case_reopen(case=case, actor=people.supervisor_a, reason="现场核查未整改")
    quarter = compute(quarters.last)
    assert _points(quarter, people.handler_company)["case_reopened"] == (1, D(-2), [case.pk])


def test_returning_a_case_that_comes_straight_back_is_a_wrong_return(
    worked, compute, quarters, people
):
    wrong = worked([(1, "assign", {}), (2, "return", {}), (3, "assign", {})])
    right = worked([(1, "assign", {}), (2, "return", {}), (3, "assign", {"unit": "department"})])
    quarter = compute(quarters.last)
    assert _points(quarter, people.handler_company)["case_returned_wrongly"] == (
        1,
        D(-1),
        [wrong.pk],
    )
    assert right.state == "assigned"


def test_a_cancelled_case_does_not_count_as_opened(worked, compute, quarters, people):
    worked([(1, "cancel", {})])
    kept = worked([(1, "assign", {})])
    quarter = compute(quarters.last)
    assert _points(quarter, people.grid_a1) == {"case_opened": (1, D(1), [kept.pk])}


def test_each_escalation_is_an_overdue_period_against_the_assigned_handler(
    worked, compute, quarters, people, tree, clock
):
    case = worked([(1, "assign", {"handler": "handler_company"})])
    other = worked([(1, "assign", {}), (2, "accept", {})])  # a unit: the one who signed
    # The escalation sweep is casework's; its event is what scoring reads.
    for hours, escalated in ((24 * 9, case), (24 * 12, case), (24 * 9, other)):
        with clock.at(hours) as now:
            events.sweep_recorded(
                [(escalated, "escalated", {"level": 1, "unit": tree.community_a.pk})], at=now
            )
    quarter = compute(quarters.last)
    overdue = ScoreEntry.objects.get(quarter=quarter, source="case_overdue")
    assert overdue.person == people.handler_company
    assert (overdue.quantity, overdue.points) == (3, D(-3))
    assert overdue.ref_ids == sorted([case.pk, other.pk])


def test_a_consultation_decision_scores_the_supervisor_who_ran_it(
    worked, compute, quarters, people, tree, clock
):
    case = worked([(1, "assign", {})])
    with clock.at(30) as now:
        meeting = casework.meeting_create(
            actor=people.supervisor_a,
            unit=tree.community_a,
            held_at=now - timedelta(hours=1),
            place="城东社区党群服务中心",
            topic="电梯维修费用分摊",
            participants=[
                ("residents_committee", "居委会"),
                ("owners_committee", "业委会"),
                ("property_company", "物业"),
                ("building_leader", "楼栋长"),
            ],
            cases=[case],
        )
        casework.meeting_decide(
            actor=people.supervisor_a,
            item=meeting.agenda.get(),
            decision="物业牵头维修，费用按户分摊",
            resolves=True,
        )
    quarter = compute(quarters.last)
    assert _points(quarter, people.supervisor_a) == {"consultation_decision": (1, D(2), [case.pk])}


def test_a_community_scores_its_response_resolution_and_satisfaction_rates(
    worked, compute, quarters, people, tree
):
    worked(HAPPY)  # signed on time, solved, satisfied
    worked([*HAPPY[:3], (30, "feedback", {"answer": "basically_satisfied"})])
    worked([(1, "assign", {}), (49, "accept", {})])  # signed late
    worked([*HAPPY[:3], (30, "feedback", {"answer": "unsatisfied", "solved": False})])
    quarter = compute(quarters.last)
    rates = {
        e.source: (e.quantity, e.points, e.detail)
        for e in ScoreEntry.objects.filter(quarter=quarter, unit=tree.community_a)
    }
    assert rates == {
        "unit_response_rate": (D(75), D("7.5"), {"numerator": 3, "denominator": 4}),
        "unit_resolution_rate": (D("66.67"), D("6.67"), {"numerator": 2, "denominator": 3}),
        "unit_satisfaction_rate": (D("66.67"), D("6.67"), {"numerator": 2, "denominator": 3}),
    }
    community = ScoreResult.objects.get(
        quarter=quarter, subject="community", unit=tree.community_a
    )
    assert community.own_total == D("20.84")
    # Community B had no case: no rate at all rather than a zero.
    assert not ScoreEntry.objects.filter(quarter=quarter, unit=tree.community_b).exists()


def test_case_events_outside_the_quarter_do_not_count(worked, compute, quarters, people):
    worked(HAPPY)
    quarter = compute(quarters.this)
    assert not ScoreEntry.objects.filter(quarter=quarter, source__startswith="case_").exists()
