"""Parking a case (挂账): off the overdue lists and escalation until its review date, then back."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from casework.demo import clock
from casework.errors import NotPermitted, ValidationFailed
from casework.models import CaseEvent, CaseState, Notification, Reminder
from casework.selectors.cases import case_list, queue_counts
from casework.services.sweep import deadline_sweep

S = CaseState
WORKING = ["new", "assigned", "in_progress", "reopened"]
PLAN = "列入明年老旧小区改造计划"


def last_event(case):
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


def inbox(user, kind):
    return Notification.objects.filter(user=user, kind=kind)


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def review_moment(day):
    """9:00 local time on the review date, when the sweep owes the review reminder."""
    return dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def park(people):
    def make(case, *, days=30, plan=PLAN):
        return services.case_park(
            case=case, actor=people.supervisor_a, plan=plan, review_on=in_days(days)
        )

    return make


@pytest.mark.parametrize("state", WORKING)
def test_a_supervisor_parks_a_working_case_with_a_plan_and_a_review_date(
    open_case, drive, people, park, state
):
    case = drive(open_case(), state)
    version = case.version
    case = park(case)
    case.refresh_from_db()
    assert case.state == S.PARKED and case.version == version + 1
    assert (case.parked_from, case.park_plan, case.review_on) == (state, PLAN, in_days(30))
    event = last_event(case)
    assert (event.kind, event.actor, event.from_state, event.to_state, event.note) == (
        "parked",
        people.supervisor_a,
        state,
        S.PARKED,
        PLAN,
    )
    assert event.data == {"review_on": in_days(30).isoformat()}


@pytest.mark.parametrize("days", [1, 366], ids=["tomorrow", "a-year-ahead"])
def test_the_review_date_may_be_tomorrow_or_up_to_366_days_ahead(open_case, park, days):
    case = park(open_case(), days=days)
    assert case.review_on == in_days(days)


@pytest.mark.parametrize("days", [-1, 0, 367], ids=["past", "today", "too-far"])
def test_a_review_date_not_after_today_or_beyond_366_days_is_refused(
    open_case, drive, park, snapshot, days
):
    case = drive(open_case(), "in_progress")
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        park(case, days=days)
    assert exc.value.field == "review_on"
    assert snapshot(case) == before


def test_a_review_date_must_be_a_date_not_a_moment(open_case, people, snapshot):
    case = open_case()
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_park(
            case=case,
            actor=people.supervisor_a,
            plan=PLAN,
            review_on=timezone.now() + timedelta(days=30),
        )
    assert exc.value.field == "review_on"
    assert snapshot(case) == before


def test_parking_needs_a_plan(open_case, park, snapshot):
    case = open_case()
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        park(case, plan=" ")
    assert exc.value.field == "plan"
    assert snapshot(case) == before


@pytest.mark.parametrize("who", ["handler_company", "grid_a1", "supervisor_b"])
def test_only_a_supervisor_over_the_place_parks(open_case, drive, people, snapshot, who):
    case = drive(open_case(), "in_progress")
    before = snapshot(case)
    with pytest.raises(NotPermitted):
        services.case_park(case=case, actor=getattr(people, who), plan=PLAN, review_on=in_days(30))
    assert snapshot(case) == before


def test_a_parked_case_is_in_no_overdue_queue(open_case, drive, people, park):
    case = drive(open_case(), "in_progress")
    late = case.due_at + timedelta(days=10)
    assert queue_counts(viewer=people.supervisor_a, now=late)["overdue"] == 1
    park(case)
    counts = queue_counts(viewer=people.supervisor_a, now=late)
    assert (counts["overdue"], counts["due_soon"]) == (0, 0)
    assert not case_list(viewer=people.supervisor_a, queue="overdue", now=late).exists()
    parked = case_list(viewer=people.supervisor_a, state=S.PARKED)
    assert list(parked.values_list("pk", flat=True)) == [case.pk]


def test_the_sweep_does_not_escalate_a_parked_case(open_case, drive, people, park):
    case = drive(open_case(), "in_progress")
    case = park(case, days=60)
    # Long after its deadline, and on its review date, when the sweep does look at it.
    deadline_sweep(now=case.due_at + timedelta(days=10))
    deadline_sweep(now=review_moment(case.review_on) + timedelta(hours=1))
    case.refresh_from_db()
    assert case.escalation_level == 0
    assert list(Reminder.objects.filter(case=case).values_list("kind", flat=True)) == [
        "park_review"
    ]
    assert not CaseEvent.objects.filter(case=case, kind="escalated").exists()
    assert not inbox(people.handler_company, "due_now").exists()


def test_on_its_review_date_the_supervisors_are_reminded_once(open_case, drive, people, park):
    case = park(drive(open_case(), "in_progress"))
    at = review_moment(case.review_on)
    deadline_sweep(now=at - timedelta(minutes=1))
    assert not Reminder.objects.filter(case=case).exists()
    deadline_sweep(now=at + timedelta(minutes=1))
    deadline_sweep(now=at + timedelta(hours=2))
    deadline_sweep(now=at + timedelta(days=3))
    reminder = Reminder.objects.get(case=case)
    assert (reminder.kind, reminder.level, reminder.deadline) == ("park_review", 0, at)
    assert inbox(people.supervisor_a, "park_review").count() == 1
    assert not inbox(people.town_supervisor, "park_review").exists()
    assert not inbox(people.handler_company, "park_review").exists()
    event = last_event(case)
    assert (event.kind, event.actor, event.data) == (
        "reminded",
        None,
        {"reminder": "park_review", "level": 0},
    )


@pytest.mark.parametrize("state", WORKING)
def test_unparking_returns_the_case_where_it_was(open_case, drive, people, park, state):
    case = drive(open_case(), state)
    due_before = case.due_at
    case = park(case)
    case = services.case_unpark(case=case, actor=people.supervisor_a, note="预算已到位")
    case.refresh_from_db()
    assert case.state == state
    assert (case.parked_from, case.review_on) == ("", None)
    assert case.due_at == due_before  # nothing passed while parked
    event = last_event(case)
    assert (event.kind, event.from_state, event.to_state, event.note) == (
        "unparked",
        S.PARKED,
        state,
        "预算已到位",
    )
    assert event.data == {"due_at": due_before.isoformat() if due_before else None}


def test_a_case_whose_deadline_passed_while_parked_comes_back_with_a_fresh_one(
    open_case, drive, people, park
):
    case = drive(open_case(), "in_progress")
    deadline_sweep(now=case.due_at + timedelta(minutes=1))  # it had climbed to the community
    case.refresh_from_db()
    assert case.escalation_level == 1
    case = park(case, days=60)
    back_at = case.due_at + timedelta(days=5)
    with clock(back_at):
        case = services.case_unpark(case=case, actor=people.supervisor_a)
    case.refresh_from_db()
    assert case.state == S.IN_PROGRESS
    assert back_at < case.due_soon_at < case.due_at
    assert case.escalation_level == 0
    assert last_event(case).data == {"due_at": case.due_at.isoformat()}
    deadline_sweep(now=back_at + timedelta(minutes=1))
    case.refresh_from_db()
    assert case.escalation_level == 0


def test_a_supervisor_may_set_the_deadline_when_unparking_a_case_being_handled(
    open_case, drive, people, park
):
    case = park(drive(open_case(), "in_progress"))
    due = timezone.now() + timedelta(days=20)
    case = services.case_unpark(case=case, actor=people.supervisor_a, due_at=due)
    case.refresh_from_db()
    assert (case.state, case.due_at) == (S.IN_PROGRESS, due)


@pytest.mark.parametrize("state", ["new", "reopened"])
def test_a_case_not_being_handled_takes_no_deadline_when_unparked(
    open_case, drive, people, park, snapshot, state
):
    case = park(drive(open_case(), state))
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_unpark(
            case=case, actor=people.supervisor_a, due_at=timezone.now() + timedelta(days=5)
        )
    assert exc.value.field == "due_at"
    assert snapshot(case) == before


def test_a_deadline_in_the_past_is_refused_when_unparking(
    open_case, drive, people, park, snapshot
):
    case = park(drive(open_case(), "in_progress"))
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_unpark(
            case=case, actor=people.supervisor_a, due_at=timezone.now() - timedelta(hours=1)
        )
    assert exc.value.field == "due_at"
    assert snapshot(case) == before


@pytest.mark.parametrize("who", ["handler_company", "grid_a1", "supervisor_b"])
def test_only_a_supervisor_over_the_place_unparks(open_case, drive, people, park, snapshot, who):
    case = park(drive(open_case(), "in_progress"))
    before = snapshot(case)
    with pytest.raises(NotPermitted):
        services.case_unpark(case=case, actor=getattr(people, who))
    assert snapshot(case) == before
