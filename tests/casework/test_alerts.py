"""What a case's deadlines owe at a moment (pure functions)."""

from datetime import UTC, datetime, timedelta

from casework.alerts import CaseClock, next_alert, next_alert_after_change, owed, target_level

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def clock(state="in_progress", level=0):
    return CaseClock(
        state=state,
        sign_due_at=T0 + timedelta(hours=2),
        due_soon_at=T0 + timedelta(days=5),
        due_at=T0 + timedelta(days=7),
        escalation_level=level,
    )


def kinds(items):
    return [(o.kind, o.level) for o in items]


def test_nothing_is_owed_before_the_first_moment():
    assert owed(clock(), T0, DAY) == []
    assert next_alert(clock("assigned"), T0, DAY) == T0 + timedelta(hours=2)
    assert next_alert(clock("in_progress"), T0, DAY) == T0 + timedelta(days=5)


def test_an_unsigned_case_owes_a_sign_reminder():
    at = T0 + timedelta(hours=3)
    assert kinds(owed(clock("assigned"), at, DAY)) == [("sign_overdue", 0)]
    assert kinds(owed(clock("in_progress"), at, DAY)) == []


def test_due_soon_then_due_now_with_the_first_escalation():
    assert kinds(owed(clock(), T0 + timedelta(days=6), DAY)) == [("due_soon", 0)]
    assert next_alert(clock(), T0 + timedelta(days=6), DAY) == T0 + timedelta(days=7)
    at = T0 + timedelta(days=7, seconds=1)
    assert kinds(owed(clock(), at, DAY)) == [("due_now", 0), ("escalated", 1)]


def test_escalation_climbs_one_level_per_period_and_stops_at_the_county():
    due = T0 + timedelta(days=7)
    assert [target_level(due, due + d, DAY) for d in (timedelta(0), DAY, 2 * DAY, 9 * DAY)] == [
        1,
        2,
        3,
        3,
    ]
    assert kinds(owed(clock(level=1), due + DAY, DAY)) == [("due_now", 0), ("escalated", 2)]
    assert next_alert(clock(level=1), due + timedelta(hours=1), DAY) == due + DAY
    assert next_alert(clock(level=3), due + 5 * DAY, DAY) is None


def test_a_late_sweep_owes_every_level_it_missed():
    at = T0 + timedelta(days=7) + 2 * DAY + timedelta(hours=1)
    assert kinds(owed(clock(), at, DAY))[1:] == [
        ("escalated", 1),
        ("escalated", 2),
        ("escalated", 3),
    ]


def test_finished_or_waiting_cases_owe_nothing():
    for state in ("new", "resolved", "reopened", "closed", "cancelled"):
        assert owed(clock(state), T0 + 30 * DAY, DAY) == []
        assert next_alert(clock(state), T0, DAY) is None


def test_after_a_change_an_owed_case_is_looked_at_now():
    at = T0 + timedelta(days=6)
    assert next_alert_after_change(clock(), at, DAY) == at
    assert next_alert_after_change(clock(), T0, DAY) == T0 + timedelta(days=5)
