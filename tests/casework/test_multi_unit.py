"""Cases that involve several units: co-handling (协办), transfer (转办), sending up (兜底),
and a case returned by the unit it was given to (回退)."""

from datetime import timedelta

import pytest

from casework import services
from casework.demo import clock
from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.models import (
    CaseEvent,
    CaseState,
    CoHandling,
    Notification,
    Reminder,
    UnitKind,
)
from casework.selectors.cases import case_list
from casework.services.sweep import deadline_sweep

S = CaseState
CO_KINDS = ("co_due_soon", "co_overdue")


def last_event(case):
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


def inbox(user, kind):
    return Notification.objects.filter(user=user, kind=kind)


def sees(user, case):
    return case_list(viewer=user).filter(pk=case.pk).exists()


@pytest.fixture
def shared(open_case, people, tree):
    """Assign a new case to the property company, with co-handling units (协办)."""

    def make(co_handlers=None, *, accept=False):
        case = services.case_assign(
            case=open_case(),
            actor=people.supervisor_a,
            unit=tree.company,
            co_handlers=co_handlers if co_handlers is not None else [tree.department],
        )
        if accept:
            case = services.case_accept(case=case, actor=people.handler_company)
        return case

    return make


# --- Co-handling (协办) -------------------------------------------------------------------------


def test_co_handling_units_are_told_and_get_a_part_due_with_the_case(shared, people, tree):
    case = shared()
    part = CoHandling.objects.get(case=case)
    assert (part.unit, part.due_at, part.done_at) == (tree.department, case.due_at, None)
    assert inbox(people.handler_department, "co_handling").count() == 1
    assert inbox(people.handler_company, "assigned").count() == 1
    assert last_event(case).data["co_handlers"] == [tree.department.pk]


def test_the_lead_unit_is_not_also_a_co_handler(open_case, people, tree):
    case = services.case_assign(
        case=open_case(),
        actor=people.supervisor_a,
        unit=tree.company,
        co_handlers=[tree.company, tree.department],
    )
    assert list(case.co_handlers.all()) == [tree.department]


def test_a_co_handler_sees_the_case_and_adds_a_note(shared, people, desks):
    case = shared()
    assert sees(people.handler_department, case)
    assert not sees(desks.county_handler, case)  # a unit with no part in it
    event = services.case_note(case=case, actor=people.handler_department, note="已派人勘查")
    assert (event.kind, event.actor, event.note) == (
        "note",
        people.handler_department,
        "已派人勘查",
    )


def test_a_unit_with_no_part_in_the_case_cannot_add_a_note(shared, desks, snapshot):
    case = shared()
    before = snapshot(case)
    with pytest.raises(NotPermitted):
        services.case_note(case=case, actor=desks.county_handler, note="x")
    assert snapshot(case) == before


@pytest.mark.parametrize("accept", [False, True], ids=["assigned", "in_progress"])
def test_a_co_handler_reports_its_part_and_the_lead_is_told(shared, people, tree, accept):
    case = shared(accept=accept)
    version = case.version
    part = services.co_handling_report(
        case=case, actor=people.handler_department, opinion="管道已由住建局修复"
    )
    assert part.done_at is not None and part.done_by == people.handler_department
    assert CoHandling.objects.get(case=case).opinion == "管道已由住建局修复"
    case.refresh_from_db()
    assert case.state == (S.IN_PROGRESS if accept else S.ASSIGNED)  # the state stays
    assert case.version == version + 1
    event = last_event(case)
    assert (event.kind, event.actor, event.data) == (
        "co_reported",
        people.handler_department,
        {"unit": tree.department.pk},
    )
    told = inbox(people.handler_company, "co_reported").get()
    assert told.case == case and "管道已由住建局修复" in told.text


def test_a_second_report_of_the_same_part_is_refused(shared, people, snapshot):
    case = shared(accept=True)
    services.co_handling_report(case=case, actor=people.handler_department, opinion="已完成")
    before = snapshot(case)
    with pytest.raises(Conflict) as exc:
        services.co_handling_report(case=case, actor=people.handler_department, opinion="再报")
    assert exc.value.status == 409 and exc.value.code == "done"
    assert snapshot(case) == before


def test_the_lead_handler_cannot_report_a_co_handlers_part(shared, people, snapshot):
    case = shared(accept=True)
    before = snapshot(case)
    with pytest.raises(NotPermitted):
        services.co_handling_report(case=case, actor=people.handler_company, opinion="x")
    assert snapshot(case) == before


def test_a_co_handling_report_needs_an_opinion(shared, people, snapshot):
    case = shared(accept=True)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.co_handling_report(case=case, actor=people.handler_department, opinion=" ")
    assert exc.value.field == "opinion"
    assert snapshot(case) == before


def test_two_co_handlers_each_report_their_own_part(shared, people, tree, desks):
    case = shared([tree.department, desks.town], accept=True)
    services.co_handling_report(case=case, actor=people.handler_department, opinion="住建局意见")
    services.co_handling_report(case=case, actor=desks.town_handler, opinion="镇中心意见")
    parts = {p.unit_id: p for p in CoHandling.objects.filter(case=case)}
    assert parts[tree.department.pk].done_by == people.handler_department
    assert parts[desks.town.pk].done_by == desks.town_handler
    assert parts[desks.town.pk].opinion == "镇中心意见"
    reported = CaseEvent.objects.filter(case=case, kind="co_reported").order_by("id")
    assert [e.data["unit"] for e in reported] == [tree.department.pk, desks.town.pk]
    assert inbox(people.handler_company, "co_reported").count() == 2


def test_resolving_names_the_parts_still_open(shared, people, tree, desks):
    case = shared([tree.department, desks.town], accept=True)
    services.co_handling_report(case=case, actor=people.handler_department, opinion="已完成")
    case = services.case_resolve(case=case, actor=people.handler_company, result="已修复")
    event = last_event(case)
    assert event.kind == "resolved"
    assert event.data["co_pending"] == [desks.town.pk]


def test_resolving_with_every_part_reported_names_none(shared, people, tree, desks):
    case = shared([tree.department, desks.town], accept=True)
    services.co_handling_report(case=case, actor=people.handler_department, opinion="已完成")
    services.co_handling_report(case=case, actor=desks.town_handler, opinion="已完成")
    case = services.case_resolve(case=case, actor=people.handler_company, result="已修复")
    assert last_event(case).data["co_pending"] == []


def co_reminders(case):
    return sorted(
        Reminder.objects.filter(case=case, kind__in=CO_KINDS).values_list("kind", flat=True)
    )


def test_the_sweep_reminds_a_co_handler_once_when_its_part_is_due_soon_and_overdue(shared, people):
    case = shared(accept=True)
    deadline_sweep(now=case.due_soon_at - timedelta(minutes=1))
    assert co_reminders(case) == []
    soon = case.due_soon_at + timedelta(minutes=1)
    deadline_sweep(now=soon)
    deadline_sweep(now=soon + timedelta(hours=1))
    assert co_reminders(case) == ["co_due_soon"]
    assert inbox(people.handler_department, "co_due_soon").count() == 1
    over = case.due_at + timedelta(minutes=1)
    deadline_sweep(now=over)
    deadline_sweep(now=over + timedelta(hours=1))
    assert co_reminders(case) == ["co_due_soon", "co_overdue"]
    assert inbox(people.handler_department, "co_overdue").count() == 1
    assert inbox(people.handler_company, "co_overdue").count() == 1  # the lead hears of it too
    assert inbox(people.handler_company, "co_due_soon").count() == 0
    reminded = CaseEvent.objects.filter(case=case, kind="reminded", data__reminder__in=CO_KINDS)
    assert reminded.count() == 2


def test_a_reported_part_is_no_longer_reminded(shared, people):
    case = shared(accept=True)
    deadline_sweep(now=case.due_soon_at + timedelta(minutes=1))
    assert co_reminders(case) == ["co_due_soon"]
    services.co_handling_report(case=case, actor=people.handler_department, opinion="已完成")
    deadline_sweep(now=case.due_at + timedelta(minutes=1))
    assert co_reminders(case) == ["co_due_soon"]
    assert inbox(people.handler_department, "co_overdue").count() == 0
    # The lead's own deadline is still swept.
    assert Reminder.objects.filter(case=case, kind="due_now").count() == 1


def test_a_part_reported_before_it_is_due_soon_is_never_reminded(shared, people):
    case = shared(accept=True)
    services.co_handling_report(case=case, actor=people.handler_department, opinion="已完成")
    deadline_sweep(now=case.due_soon_at + timedelta(minutes=1))
    deadline_sweep(now=case.due_at + timedelta(minutes=1))
    assert co_reminders(case) == []
    assert not Notification.objects.filter(
        user=people.handler_department, kind__in=CO_KINDS
    ).exists()
    assert Reminder.objects.filter(case=case, kind="due_soon").count() == 1


# --- Transfer (转办) ----------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["new", "assigned", "in_progress", "reopened"])
@pytest.mark.parametrize("to", ["department", "community_a"])
def test_a_supervisor_transfers_a_case_to_another_unit(open_case, drive, people, tree, state, to):
    case = drive(open_case(), state)
    from_unit = case.owner_unit_id
    unit = getattr(tree, to)
    case = services.case_transfer(
        case=case, actor=people.supervisor_a, unit=unit, reason="属于住建局职责"
    )
    assert case.state == S.ASSIGNED
    assert (case.owner_unit, case.handler, case.signed_at) == (unit, None, None)
    assert case.due_at is not None and case.sign_due_at <= case.due_at
    event = last_event(case)
    assert (event.kind, event.from_state, event.to_state, event.note) == (
        "transferred",
        state,
        S.ASSIGNED,
        "属于住建局职责",
    )
    assert event.data == {
        "reason": "属于住建局职责",
        "from_unit": from_unit,
        "unit": unit.pk,
        "handler": None,
        "sign_due_at": case.sign_due_at.isoformat(),
        "due_at": case.due_at.isoformat(),
    }


def test_a_transfer_is_told_to_the_receiving_units_handlers(open_case, drive, people, tree):
    case = drive(open_case(), "in_progress")
    services.case_transfer(case=case, actor=people.supervisor_a, unit=tree.department, reason="转")
    assert inbox(people.handler_department, "transferred").count() == 1
    assert sees(people.handler_department, case)


def test_a_transfer_gives_fresh_deadlines_and_starts_escalation_over(
    open_case, drive, people, tree
):
    case = drive(open_case(), "in_progress")
    deadline_sweep(now=case.due_at + timedelta(minutes=1))
    case.refresh_from_db()
    assert case.escalation_level == 1
    later = case.due_at + timedelta(hours=2)
    with clock(later):
        case = services.case_transfer(
            case=case, actor=people.supervisor_a, unit=tree.department, reason="转住建局"
        )
    case.refresh_from_db()
    assert case.assigned_at == later
    assert later < case.sign_due_at <= case.due_at
    assert later < case.due_soon_at < case.due_at
    assert case.escalation_level == 0


def test_the_receiving_unit_signs_for_a_transferred_case(open_case, drive, people, tree, snapshot):
    case = drive(open_case(), "in_progress")
    case = services.case_transfer(
        case=case, actor=people.supervisor_a, unit=tree.department, reason="转"
    )
    case = services.case_accept(case=case, actor=people.handler_department)
    assert (case.state, case.handler) == (S.IN_PROGRESS, people.handler_department)
    before = snapshot(case)
    with pytest.raises(NotPermitted):  # the unit that held it no longer handles it
        services.case_resolve(case=case, actor=people.handler_company, result="x")
    assert snapshot(case) == before


def test_transferring_to_a_co_handler_makes_it_the_lead_and_ends_its_part(shared, people, tree):
    case = shared(accept=True)
    case = services.case_transfer(
        case=case, actor=people.supervisor_a, unit=tree.department, reason="由住建局牵头"
    )
    assert case.owner_unit == tree.department
    assert not CoHandling.objects.filter(case=case).exists()


def test_a_transfer_needs_a_reason(open_case, drive, people, tree, snapshot):
    case = drive(open_case(), "in_progress")
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_transfer(
            case=case, actor=people.supervisor_a, unit=tree.department, reason=""
        )
    assert exc.value.field == "reason"
    assert snapshot(case) == before


def test_a_case_is_not_transferred_to_the_unit_that_holds_it(
    open_case, drive, people, tree, snapshot
):
    case = drive(open_case(), "assigned")
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_transfer(
            case=case, actor=people.supervisor_a, unit=tree.company, reason="转"
        )
    assert exc.value.field == "unit"
    assert snapshot(case) == before


def test_a_case_is_not_transferred_outside_its_place(open_case, drive, people, tree, snapshot):
    elsewhere = services.unit_create(
        name="城西物业", kind=UnitKind.COMPANY, parent=tree.community_b
    )
    case = drive(open_case(), "assigned")
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_transfer(case=case, actor=people.supervisor_a, unit=elsewhere, reason="转")
    assert exc.value.field == "unit"
    assert snapshot(case) == before


@pytest.mark.parametrize("who", ["handler_company", "supervisor_b", "grid_a1"])
def test_only_a_supervisor_over_the_place_transfers(open_case, drive, people, tree, who, snapshot):
    case = drive(open_case(), "in_progress")
    before = snapshot(case)
    with pytest.raises(NotPermitted):
        services.case_transfer(
            case=case, actor=getattr(people, who), unit=tree.department, reason="转"
        )
    assert snapshot(case) == before


# --- Sending up (兜底) ---------------------------------------------------------------------------


def test_a_case_is_sent_up_to_the_town_desk_by_default(open_case, drive, people, tree, desks):
    case = drive(open_case(), "in_progress")
    case = services.case_send_up(case=case, actor=people.supervisor_a, reason="权属不清")
    assert case.state == S.ASSIGNED
    assert (case.owner_unit, case.handler, case.signed_at) == (desks.town, None, None)
    event = last_event(case)
    assert (event.kind, event.from_state, event.to_state) == ("sent_up", S.IN_PROGRESS, S.ASSIGNED)
    assert event.data == {
        "reason": "权属不清",
        "from_unit": tree.company.pk,
        "unit": desks.town.pk,
        "sign_due_at": case.sign_due_at.isoformat(),
        "due_at": case.due_at.isoformat(),
    }
    assert inbox(desks.town_handler, "transferred").count() == 1
    assert inbox(desks.county_handler, "transferred").count() == 0
    assert sees(desks.town_handler, case)


def test_a_second_send_up_goes_to_the_county_desk(open_case, drive, people, desks):
    case = drive(open_case(), "in_progress")
    case = services.case_send_up(case=case, actor=people.supervisor_a, reason="权属不清")
    case = services.case_send_up(case=case, actor=people.town_supervisor, reason="镇级无法协调")
    assert case.owner_unit == desks.county
    event = last_event(case)
    assert (event.data["from_unit"], event.data["unit"]) == (desks.town.pk, desks.county.pk)
    assert inbox(desks.county_handler, "transferred").count() == 1


def test_a_case_may_be_sent_straight_to_the_county_desk(open_case, people, desks):
    case = services.case_send_up(
        case=open_case(), actor=people.supervisor_a, reason="跨镇问题", level="county"
    )
    assert (case.state, case.owner_unit) == (S.ASSIGNED, desks.county)
    assert last_event(case).data["from_unit"] is None


def test_without_a_town_desk_a_case_is_sent_up_to_the_county_desk(open_case, people, tree):
    county_desk = services.unit_create(
        name="博白县综治中心", kind=UnitKind.DESK, parent=tree.county
    )
    case = services.case_send_up(case=open_case(), actor=people.supervisor_a, reason="权属不清")
    assert case.owner_unit == county_desk


def test_the_desk_handler_signs_for_a_sent_up_case_and_resolves_it(
    open_case, drive, people, desks, snapshot
):
    case = drive(open_case(), "in_progress")
    case = services.case_send_up(case=case, actor=people.supervisor_a, reason="权属不清")
    before = snapshot(case)
    with pytest.raises(NotPermitted):  # the other desk is no handler of it
        services.case_accept(case=case, actor=desks.county_handler)
    assert snapshot(case) == before
    case = services.case_accept(case=case, actor=desks.town_handler)
    assert (case.state, case.handler) == (S.IN_PROGRESS, desks.town_handler)
    case = services.case_resolve(case=case, actor=desks.town_handler, result="镇中心协调解决")
    assert case.state == S.RESOLVED
    event = last_event(case)
    assert (event.data["handler"], event.data["unit"]) == (desks.town_handler.pk, desks.town.pk)


def test_without_a_desk_above_a_case_cannot_be_sent_up(open_case, drive, people, snapshot):
    case = drive(open_case(), "in_progress")
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_send_up(case=case, actor=people.supervisor_a, reason="权属不清")
    assert exc.value.field == "level"
    assert snapshot(case) == before


@pytest.mark.parametrize("level", ["town", "city"])
def test_a_send_up_to_the_desk_that_holds_it_or_to_no_desk_level_is_refused(
    open_case, drive, people, desks, snapshot, level
):
    case = drive(open_case(), "in_progress")
    case = services.case_send_up(case=case, actor=people.supervisor_a, reason="权属不清")
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_send_up(case=case, actor=people.supervisor_a, reason="再上报", level=level)
    assert exc.value.field == "level"
    assert snapshot(case) == before


def test_a_case_at_the_county_desk_is_not_sent_back_down_by_default(
    open_case, people, desks, snapshot
):
    case = services.case_send_up(
        case=open_case(), actor=people.supervisor_a, reason="跨镇问题", level="county"
    )
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_send_up(case=case, actor=people.supervisor_a, reason="再上报")
    assert exc.value.field == "level"
    assert snapshot(case) == before


def test_a_send_up_needs_a_reason(open_case, drive, people, desks, snapshot):
    case = drive(open_case(), "in_progress")
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_send_up(case=case, actor=people.supervisor_a, reason="  ")
    assert exc.value.field == "reason"
    assert snapshot(case) == before


@pytest.mark.parametrize("who", ["supervisor_b", "handler_company"])
def test_only_a_supervisor_over_the_place_sends_a_case_up(
    open_case, drive, people, desks, snapshot, who
):
    case = drive(open_case(), "in_progress")
    before = snapshot(case)
    with pytest.raises(NotPermitted):
        services.case_send_up(case=case, actor=getattr(people, who), reason="权属不清")
    assert snapshot(case) == before


# --- Returned (回退) ----------------------------------------------------------------------------


def test_a_returned_case_loses_its_handler_unit_deadlines_and_co_handlers(shared, people, tree):
    case = shared(accept=True)
    case = services.case_return(case=case, actor=people.handler_company, reason="不属物业职责")
    case.refresh_from_db()
    assert case.state == S.NEW and case.return_count == 1
    assert (case.handler, case.owner_unit, case.signed_at) == (None, None, None)
    assert (case.sign_due_at, case.due_soon_at, case.due_at) == (None, None, None)
    assert not CoHandling.objects.filter(case=case).exists()
    assert not sees(people.handler_department, case)
    event = last_event(case)
    assert (event.kind, event.from_state, event.to_state) == ("returned", S.IN_PROGRESS, S.NEW)
    assert event.data == {
        "reason": "不属物业职责",
        "handler": people.handler_company.pk,
        "unit": tree.company.pk,
    }
    assert inbox(people.supervisor_a, "returned").get().text == "不属物业职责"


def test_a_returned_case_is_reassigned_and_closed(shared, people, tree):
    case = shared(accept=True)
    case = services.case_return(case=case, actor=people.handler_company, reason="不属物业职责")
    case = services.case_assign(
        case=case, actor=people.supervisor_a, handler=people.handler_department
    )
    assert (case.state, case.owner_unit) == (S.ASSIGNED, tree.department)
    case = services.case_accept(case=case, actor=people.handler_department)
    case = services.case_resolve(case=case, actor=people.handler_department, result="已修复")
    case = services.feedback_record(
        case=case, actor=people.grid_a1, solved=True, satisfaction="satisfied"
    )
    assert case.state == S.CLOSED and case.return_count == 1
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds == [
        "opened",
        "assigned",
        "accepted",
        "returned",
        "assigned",
        "accepted",
        "resolved",
        "feedback",
    ]


def test_a_return_needs_a_reason(shared, people, snapshot):
    case = shared(accept=True)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_return(case=case, actor=people.handler_company, reason="")
    assert exc.value.field == "reason"
    assert snapshot(case) == before


def test_a_co_handler_cannot_return_the_case(shared, people, snapshot):
    case = shared(accept=True)
    before = snapshot(case)
    with pytest.raises(NotPermitted):
        services.case_return(case=case, actor=people.handler_department, reason="不归我们")
    assert snapshot(case) == before
