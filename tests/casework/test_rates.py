"""The six rates against a hand-counted fixture, edge cases included."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from casework.demo import clock
from casework.rates import Counts, rates, ratio
from casework.selectors.rates import rate_counts


def test_ratio_is_none_when_nothing_was_due():
    assert ratio(0, 0) is None
    assert ratio(1, 3) == 0.3333
    assert rates(Counts()) == dict.fromkeys(
        ("response", "resolution", "satisfaction", "on_time", "return", "redo")
    )


@pytest.fixture
def period():
    now = timezone.now()
    return now - timedelta(days=1), now + timedelta(days=30)


def test_the_rates_of_a_hand_counted_fixture(open_case, drive, people, tree, period):
    """
    A: assigned, signed, resolved on time, satisfied                → closed
    B: returned twice, then assigned, signed, resolved, no feedback yet
    C: resolved, unsatisfied (reopened), reassigned, resolved, satisfied
    D: in grid B1 (other community): assigned, signed late, resolved late, basically satisfied
    """
    sup, handler = people.supervisor_a, people.handler_company
    a = drive(open_case(title="A"), "closed")

    b = open_case(title="B")
    for _ in range(2):
        b = services.case_assign(case=b, actor=sup, unit=tree.company)
        b = services.case_return(case=b, actor=handler, reason="不归我们")
    b = drive(b, "resolved")

    c = drive(open_case(title="C"), "reopened")
    c = services.case_assign(case=c, actor=sup, unit=tree.company)
    c = services.case_accept(case=c, actor=handler)
    c = services.case_resolve(case=c, actor=handler, result="返工")
    c = services.feedback_record(
        case=c, actor=people.grid_a1, solved=True, satisfaction="satisfied"
    )

    company_b = services.unit_create(name="城西物业", kind="company", parent=tree.community_b)
    handler_b = services.person_create(username="handler-b", name="handler-b")
    services.membership_grant(user=handler_b, unit=company_b, role="handler")
    d = open_case(title="D", unit=tree.compound_b1, who=people.grid_b1)
    d = services.case_assign(case=d, actor=people.supervisor_b, unit=company_b)
    later = timezone.now() + timedelta(days=20)  # past both deadlines
    with clock(later):
        d = services.case_accept(case=d, actor=handler_b)
        d = services.case_resolve(case=d, actor=handler_b, result="迟办")
        services.feedback_record(
            case=d, actor=people.grid_b1, solved=True, satisfaction="basically_satisfied"
        )

    total, children = rate_counts(unit=tree.town, start=period[0], end=period[1])
    # Sign-fors: A, B, C twice, D (late) → 5, 4 on time.
    assert (total.signed, total.signed_on_time) == (5, 4)
    # Assignments: A 1, B 3, C 2, D 1 = 7; returns 2.
    assert (total.assigned, total.returned) == (7, 2)
    # Resolutions: A, B, C twice, D (late) = 5, on time 4; redo: C once.
    assert (total.resolved, total.resolved_on_time, total.reopened) == (5, 4, 1)
    # Return visits: A satisfied, C unsatisfied then satisfied, D basically; B has none yet.
    assert (total.answered, total.solved, total.pleased) == (4, 3, 3)
    assert rates(total) == {
        "response": 0.8,
        "resolution": 0.75,
        "satisfaction": 0.75,
        "on_time": 0.8,
        "return": round(2 / 7, 4),
        "redo": 0.2,
    }
    community_a = children[tree.community_a.pk]
    assert rates(community_a)["on_time"] == 1.0 and community_a.answered == 3
    assert rates(community_a)["satisfaction"] == round(2 / 3, 4)
    community_b = children[tree.community_b.pk]
    assert rates(community_b) == {
        "response": 0.0,
        "resolution": 1.0,
        "satisfaction": 1.0,
        "on_time": 0.0,
        "return": 0.0,
        "redo": 0.0,
    }
    assert a.state == "closed" and b.state == "resolved"


def test_an_unsatisfied_answer_alone_counts_against_both_rates(open_case, drive, tree, period):
    drive(open_case(), "reopened")
    total, _ = rate_counts(unit=tree.community_a, start=period[0], end=period[1])
    assert rates(total)["satisfaction"] == 0.0
    assert rates(total)["resolution"] == 0.0
    assert rates(total)["redo"] == 1.0


def test_a_period_with_nothing_due_has_no_rates(tree, people):
    now = timezone.now()
    total, children = rate_counts(unit=tree.county, start=now, end=now + timedelta(days=1))
    assert set(rates(total).values()) == {None}
    assert set(children) == {tree.town.pk, tree.department.pk}


def test_the_counts_take_two_queries(open_case, drive, tree, period, django_assert_num_queries):
    for i in range(5):
        drive(open_case(title=f"c{i}"), "closed")
    with django_assert_num_queries(2):  # the child units, the tallies
        rate_counts(unit=tree.town, start=period[0], end=period[1])


def test_the_tallies_kept_as_events_happen_equal_a_rebuild_from_the_events(
    open_case, drive, people, tree
):
    from casework.models import RateTally
    from casework.tallies import tallies_rebuild

    drive(open_case(title="A"), "closed")
    c = drive(open_case(title="B"), "reopened")
    c = services.case_assign(case=c, actor=people.supervisor_a, unit=tree.company)
    services.case_return(case=c, actor=people.handler_company, reason="不归我们")
    later = timezone.now() + timedelta(days=3)
    with clock(later):
        drive(open_case(title="C"), "closed")

    def snapshot():
        return sorted(
            tuple(row.values())
            for row in RateTally.objects.values().order_by("unit", "day")
            if row.pop("id")
        )

    kept = snapshot()
    assert len(kept) == 2  # two days
    assert tallies_rebuild() == 2
    assert snapshot() == kept
