"""Extensions (延期): the handler applies, a supervisor decides; the deadline moves, the state
stays."""

from datetime import timedelta

import pytest

from casework import services
from casework.demo import clock
from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.models import CaseEvent, CaseState, CoHandling, Extension, Notification
from casework.services.sweep import deadline_sweep

S = CaseState


def last_event(case):
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


def inbox(user, kind):
    return Notification.objects.filter(user=user, kind=kind)


@pytest.fixture
def working(open_case, drive):
    """A case the property company's handler has signed for."""
    return drive(open_case(), "in_progress")


@pytest.fixture
def apply(people):
    def make(case, *, days=5, actor=None, reason="等待电梯配件到货"):
        case.refresh_from_db()
        return services.extension_apply(
            case=case,
            actor=actor or people.handler_company,
            due_at=case.due_at + timedelta(days=days),
            reason=reason,
        )

    return make


def test_a_handler_applies_for_an_extension_and_the_supervisors_are_told(
    working, people, tree, apply
):
    old_due, version = working.due_at, working.version
    extension = apply(working)
    assert extension.state == "pending"
    assert (extension.unit, extension.requested_by) == (tree.company, people.handler_company)
    assert (extension.old_due_at, extension.due_at) == (old_due, old_due + timedelta(days=5))
    working.refresh_from_db()
    assert (working.state, working.due_at) == (S.IN_PROGRESS, old_due)  # nothing moves yet
    assert working.version == version + 1
    event = last_event(working)
    assert (event.kind, event.actor, event.note) == (
        "extension_requested",
        people.handler_company,
        "等待电梯配件到货",
    )
    assert event.data == {
        "extension": extension.pk,
        "due_at": extension.due_at.isoformat(),
        "old_due_at": old_due.isoformat(),
    }
    assert inbox(people.supervisor_a, "extension").get().text == "等待电梯配件到货"


def test_a_second_application_waits_for_the_first_decision(working, apply, snapshot):
    apply(working)
    before = snapshot(working)
    with pytest.raises(Conflict) as exc:
        apply(working, days=9)
    assert exc.value.code == "pending"
    assert snapshot(working) == before


def test_no_extension_is_applied_for_once_the_deadline_has_passed(working, apply, snapshot):
    before = snapshot(working)
    with clock(working.due_at + timedelta(minutes=1)), pytest.raises(Conflict) as exc:
        apply(working)
    assert exc.value.code == "deadline_passed"
    assert snapshot(working) == before


@pytest.mark.parametrize("delta", [timedelta(0), -timedelta(hours=1)], ids=["same", "earlier"])
def test_the_deadline_asked_for_must_be_later_than_the_current_one(
    working, people, snapshot, delta
):
    before = snapshot(working)
    with pytest.raises(ValidationFailed) as exc:
        services.extension_apply(
            case=working, actor=people.handler_company, due_at=working.due_at + delta, reason="x"
        )
    assert exc.value.field == "due_at"
    assert snapshot(working) == before


def test_an_application_needs_a_reason(working, people, snapshot):
    before = snapshot(working)
    with pytest.raises(ValidationFailed) as exc:
        services.extension_apply(
            case=working,
            actor=people.handler_company,
            due_at=working.due_at + timedelta(days=3),
            reason="",
        )
    assert exc.value.field == "reason"
    assert snapshot(working) == before


@pytest.mark.parametrize("who", ["supervisor_a", "handler_department", "grid_a1"])
def test_only_the_handler_applies_for_an_extension(working, people, apply, snapshot, who):
    before = snapshot(working)
    with pytest.raises(NotPermitted):
        apply(working, actor=getattr(people, who))
    assert snapshot(working) == before


def test_an_approval_moves_the_deadline_and_takes_the_case_back_down(working, people, apply):
    extension = apply(working)
    old_due = working.due_at
    deadline_sweep(now=old_due + timedelta(minutes=1))  # overdue: climbs to the community
    working.refresh_from_db()
    assert working.escalation_level == 1
    decided_at = old_due + timedelta(hours=1)
    with clock(decided_at):
        services.extension_decide(case=working, actor=people.supervisor_a, approve=True)
    working.refresh_from_db()
    extension.refresh_from_db()
    assert (extension.state, extension.decided_by) == ("approved", people.supervisor_a)
    assert working.state == S.IN_PROGRESS
    assert working.due_at == extension.due_at
    share = float(working.category.due_soon_share)
    assert working.due_soon_at == extension.due_at - (extension.due_at - decided_at) * share
    assert working.escalation_level == 0
    assert working.next_alert_at == working.due_soon_at  # re-planned from the new deadline
    event = last_event(working)
    assert event.kind == "extension_decided"
    assert event.data == {
        "extension": extension.pk,
        "approved": True,
        "due_at": extension.due_at.isoformat(),
        "old_due_at": old_due.isoformat(),
        "unit": working.owner_unit_id,
    }
    assert inbox(people.handler_company, "ext_decided").count() == 1
    # A day after the old deadline it would have climbed to the town; now it owes nothing.
    deadline_sweep(now=old_due + timedelta(days=1, minutes=1))
    working.refresh_from_db()
    assert working.escalation_level == 0
    assert CaseEvent.objects.filter(case=working, kind="escalated").count() == 1


def test_an_approval_moves_the_open_co_handling_parts_with_the_case(
    open_case, people, tree, apply
):
    case = services.case_assign(
        case=open_case(),
        actor=people.supervisor_a,
        unit=tree.company,
        co_handlers=[tree.department],
    )
    case = services.case_accept(case=case, actor=people.handler_company)
    extension = apply(case)
    services.extension_decide(case=case, actor=people.supervisor_a, approve=True)
    assert CoHandling.objects.get(case=case).due_at == extension.due_at


@pytest.mark.parametrize(("approve", "on_time"), [(True, True), (False, False)])
def test_a_resolution_is_judged_against_the_approved_deadline(
    working, people, apply, approve, on_time
):
    extension = apply(working)
    old_due = working.due_at
    services.extension_decide(
        case=working, actor=people.supervisor_a, approve=approve, note="" if approve else "不同意"
    )
    with clock(old_due + timedelta(hours=3)):  # past the original deadline
        case = services.case_resolve(case=working, actor=people.handler_company, result="已修复")
    event = last_event(case)
    assert event.kind == "resolved"
    assert event.data["on_time"] is on_time
    assert event.data["due_at"] == (extension.due_at if approve else old_due).isoformat()


def test_a_rejection_keeps_the_deadline(working, people, apply):
    extension = apply(working)
    old_due = working.due_at
    services.extension_decide(
        case=working, actor=people.supervisor_a, approve=False, note="配件可从本地调货"
    )
    extension.refresh_from_db()
    working.refresh_from_db()
    assert (extension.state, extension.decision_note) == ("rejected", "配件可从本地调货")
    assert working.due_at == old_due
    event = last_event(working)
    assert (event.data["approved"], event.data["due_at"]) == (False, old_due.isoformat())
    assert event.note == "配件可从本地调货"
    assert inbox(people.handler_company, "ext_decided").get().text == "配件可从本地调货"
    # Nothing is pending any more: the handler may apply again.
    assert apply(working, days=2).state == "pending"


def test_a_rejection_needs_a_note(working, people, apply, snapshot):
    apply(working)
    before = snapshot(working)
    with pytest.raises(ValidationFailed) as exc:
        services.extension_decide(case=working, actor=people.supervisor_a, approve=False)
    assert exc.value.field == "note"
    assert snapshot(working) == before


def test_a_deadline_asked_for_that_has_passed_cannot_be_approved(working, people, apply, snapshot):
    extension = apply(working, days=1)
    with clock(extension.due_at + timedelta(minutes=1)):
        before = snapshot(working)
        with pytest.raises(ValidationFailed) as exc:
            services.extension_decide(case=working, actor=people.supervisor_a, approve=True)
        assert exc.value.field == "approve"
        assert snapshot(working) == before
        services.extension_decide(
            case=working, actor=people.supervisor_a, approve=False, note="过期"
        )
    extension.refresh_from_db()
    assert extension.state == "rejected"


def test_the_number_of_extensions_is_limited_per_unit_and_case(
    working, people, tree, apply, settings, snapshot
):
    settings.MINQING_MAX_EXTENSIONS = 1
    apply(working)
    services.extension_decide(case=working, actor=people.supervisor_a, approve=True)
    before = snapshot(working)
    with pytest.raises(Conflict) as exc:
        apply(working)
    assert exc.value.code == "too_many_extensions"
    assert snapshot(working) == before
    # Another unit leading the case has its own count.
    case = services.case_transfer(
        case=working, actor=people.supervisor_a, unit=tree.department, reason="转住建局"
    )
    case = services.case_accept(case=case, actor=people.handler_department)
    extension = apply(case, actor=people.handler_department)
    assert (extension.state, extension.unit) == ("pending", tree.department)


def test_a_rejected_extension_does_not_count_toward_the_limit(working, people, apply, settings):
    settings.MINQING_MAX_EXTENSIONS = 1
    apply(working)
    services.extension_decide(case=working, actor=people.supervisor_a, approve=False, note="否")
    assert apply(working).state == "pending"


def test_deciding_without_a_pending_extension_is_refused(working, people, snapshot):
    before = snapshot(working)
    with pytest.raises(Conflict) as exc:
        services.extension_decide(case=working, actor=people.supervisor_a, approve=True)
    assert exc.value.code == "no_pending"
    assert snapshot(working) == before


@pytest.mark.parametrize("who", ["handler_company", "supervisor_b", "grid_a1"])
def test_only_a_supervisor_over_the_place_decides(working, people, apply, snapshot, who):
    apply(working)
    before = snapshot(working)
    with pytest.raises(NotPermitted):
        services.extension_decide(case=working, actor=getattr(people, who), approve=True)
    assert snapshot(working) == before
    assert Extension.objects.get(case=working).state == "pending"


def test_a_transfer_ends_the_previous_units_pending_extension(working, people, tree, apply):
    apply(working)
    case = services.case_transfer(
        case=working, actor=people.supervisor_a, unit=tree.department, reason="转住建局"
    )
    case = services.case_accept(case=case, actor=people.handler_department)
    extension = apply(case, actor=people.handler_department)
    assert (extension.state, extension.unit) == ("pending", tree.department)
