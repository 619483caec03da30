"""The case workflow: every allowed transition, every forbidden one, roles, versions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.models import Case, CaseEvent, CaseState, EventKind
from casework.workflow import RULES, actions_from

S = CaseState


def snapshot(case):
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.state,
        fresh.version,
        fresh.handler_id,
        fresh.owner_unit_id,
        fresh.events.count(),
    )


def last_event(case):
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


# --- Allowed transitions -----------------------------------------------------------------------


def test_opening_a_case_writes_one_opened_event(open_case, people):
    case = open_case()
    assert case.state == S.NEW and case.version == 1
    event = last_event(case)
    assert (event.kind, event.to_state, event.actor) == (EventKind.OPENED, S.NEW, people.grid_a1)


def test_a_supervisor_assigns_a_new_case_with_deadlines(open_case, people, tree):
    case = open_case()
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
    assert case.state == S.ASSIGNED and case.version == 2
    assert case.owner_unit == tree.company
    assert case.sign_due_at < case.due_at
    assert case.due_soon_at < case.due_at
    event = last_event(case)
    assert (event.kind, event.from_state, event.to_state) == ("assigned", S.NEW, S.ASSIGNED)
    assert event.data["unit"] == tree.company.pk
    assert event.data["due_at"] == case.due_at.isoformat()


def test_assigning_to_a_handler_finds_their_unit(open_case, people, tree):
    case = services.case_assign(
        case=open_case(), actor=people.supervisor_a, handler=people.handler_company
    )
    assert case.handler == people.handler_company
    assert case.owner_unit == tree.company


def test_a_supervisor_may_set_the_deadline(open_case, people, tree):
    due = timezone.now() + timedelta(days=2)
    case = services.case_assign(
        case=open_case(), actor=people.supervisor_a, unit=tree.company, due_at=due
    )
    assert case.due_at == due


def test_co_handlers_share_the_case_and_the_first_receiver_leads(open_case, people, tree):
    case = services.case_assign(
        case=open_case(),
        actor=people.supervisor_a,
        unit=tree.company,
        co_handlers=[tree.department],
    )
    assert case.owner_unit == tree.company
    assert list(case.co_handlers.all()) == [tree.department]
    # The co-handling department sees the case; only the lead may sign for it.
    from casework.selectors.cases import case_list

    assert case_list(viewer=people.handler_department).filter(pk=case.pk).exists()
    with pytest.raises(NotPermitted):
        services.case_accept(case=case, actor=people.handler_department)


def test_the_handler_signs_for_the_case(open_case, drive, people):
    case = drive(open_case(), "assigned")
    case = services.case_accept(case=case, actor=people.handler_company)
    assert case.state == S.IN_PROGRESS and case.handler == people.handler_company
    assert case.signed_at is not None
    assert last_event(case).data == {"on_time": True}


@pytest.mark.parametrize("state", ["assigned", "in_progress"])
def test_a_handler_returns_a_case_that_is_not_theirs(open_case, drive, people, state):
    case = drive(open_case(), state)
    case = services.case_return(case=case, actor=people.handler_company, reason="不属于物业")
    assert case.state == S.NEW
    assert case.return_count == 1
    assert case.owner_unit is None and case.handler is None and case.due_at is None
    event = last_event(case)
    assert event.kind == "returned" and event.note == "不属于物业"


def test_the_handler_resolves_with_a_result(open_case, drive, people):
    case = drive(open_case(), "in_progress")
    case = services.case_resolve(case=case, actor=people.handler_company, result="已修复")
    assert case.state == S.RESOLVED and case.result == "已修复"
    assert last_event(case).data["on_time"] is True


def test_a_satisfied_resident_closes_the_case(open_case, drive, people):
    case = drive(open_case(), "resolved")
    case = services.feedback_record(
        case=case, actor=people.grid_a1, solved=True, satisfaction="basically_satisfied"
    )
    assert case.state == S.CLOSED and case.close_reason == "feedback"
    assert last_event(case).data["satisfaction"] == "basically_satisfied"


@pytest.mark.parametrize(("solved", "satisfaction"), [(True, "unsatisfied"), (False, "satisfied")])
def test_an_unsatisfied_or_unsolved_answer_reopens_for_redo(
    open_case, drive, people, solved, satisfaction
):
    case = drive(open_case(), "resolved")
    case = services.feedback_record(
        case=case, actor=people.grid_a1, solved=solved, satisfaction=satisfaction
    )
    assert case.state == S.REOPENED and case.reopen_count == 1


def test_a_reopened_case_is_assigned_again(open_case, drive, people, tree):
    case = drive(open_case(), "reopened")
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
    assert case.state == S.ASSIGNED


def test_a_category_that_needs_verification_waits_for_the_supervisor(
    open_case, drive, people, verified_category
):
    case = drive(open_case(category_=verified_category), "resolved")
    case = services.feedback_record(
        case=case, actor=people.grid_a1, solved=True, satisfaction="satisfied"
    )
    assert case.state == S.RESOLVED
    case = services.case_close(case=case, actor=people.supervisor_a, note="现场核查")
    assert case.state == S.CLOSED and case.close_reason == "verified"


def test_a_supervisor_reopens_when_the_check_fails(open_case, drive, people):
    case = drive(open_case(), "resolved")
    case = services.case_reopen(case=case, actor=people.supervisor_a, reason="核查未整改")
    assert case.state == S.REOPENED and case.reopen_count == 1


def test_closing_without_feedback_waits_n_days(open_case, drive, people, settings):
    settings.MINQING_FEEDBACK_WAIT_DAYS = 3
    case = drive(open_case(), "resolved")
    before = snapshot(case)
    with pytest.raises(Conflict) as exc:
        services.case_close(case=case, actor=people.supervisor_a)
    assert exc.value.code == "feedback_pending"
    assert snapshot(case) == before
    later = timezone.now() + timedelta(days=3, minutes=1)
    case = services.case_close(case=case, actor=people.supervisor_a, now=later)
    assert case.state == S.CLOSED and case.close_reason == "no_feedback"


def test_the_sweep_closes_without_feedback_as_the_system(open_case, drive, people):
    case = drive(open_case(), "resolved")
    later = timezone.now() + timedelta(days=30)
    case = services.case_close(case=case, actor=None, now=later)
    assert case.state == S.CLOSED and last_event(case).actor is None


@pytest.mark.parametrize("state", ["new", "assigned", "in_progress", "reopened"])
def test_a_supervisor_cancels_an_open_case(open_case, drive, people, state):
    case = drive(open_case(), state)
    case = services.case_cancel(case=case, actor=people.supervisor_a, reason="重复")
    assert case.state == S.CANCELLED


def test_a_consultation_decision_settles_a_case(open_case, drive, people, tree):
    case = drive(open_case(), "in_progress")
    meeting = services.meeting_create(
        actor=people.supervisor_a,
        unit=tree.community_a,
        held_at=timezone.now(),
        place="社区党群服务中心",
        topic="电梯维修费用分摊",
        participants=[
            ("residents_committee", "张主任"),
            ("owners_committee", "李主任"),
            ("property_company", "王经理"),
            ("building_leader", "赵楼栋长"),
        ],
        cases=[case],
    )
    item = meeting.agenda.get()
    services.meeting_decide(
        actor=people.supervisor_a, item=item, decision="维修基金列支", resolves=True
    )
    case.refresh_from_db()
    assert case.state == S.RESOLVED
    event = last_event(case)
    assert event.kind == "consulted" and event.data["meeting"] == meeting.pk


def test_a_consultation_decision_may_leave_the_case_open(open_case, people, tree):
    case = open_case()
    meeting = services.meeting_create(
        actor=people.supervisor_a,
        unit=tree.community_a,
        held_at=timezone.now(),
        place="小区议事厅",
        topic="停车",
        participants=[("residents_committee", "张主任")],
        cases=[case],
    )
    services.meeting_decide(
        actor=people.supervisor_a, item=meeting.agenda.get(), decision="下次再议", resolves=False
    )
    case.refresh_from_db()
    assert case.state == S.NEW and case.version == 1
    assert last_event(case).kind == "consulted"


# --- Forbidden transitions ---------------------------------------------------------------------

STATES = [
    "new",
    "assigned",
    "in_progress",
    "resolved",
    "reopened",
    "closed",
    "cancelled",
    "parked",
]
# What each state allows, written out by hand from DESIGN.md's table (not read from the code).
BY_HAND = {"note", "photo"}
ALLOWED = {
    "new": {"assign", "cancel", "transfer", "send_up", "settle", "park", *BY_HAND},
    "assigned": {
        "accept",
        "return",
        "cancel",
        "transfer",
        "send_up",
        "settle",
        "park",
        "co_report",
        "chase",
        *BY_HAND,
    },
    "in_progress": {
        "return",
        "resolve",
        "cancel",
        "transfer",
        "send_up",
        "settle",
        "park",
        "extension",
        "extension_decide",
        "co_report",
        "chase",
        *BY_HAND,
    },
    "resolved": {"feedback", "reopen", "close", *BY_HAND},
    "reopened": {"assign", "cancel", "transfer", "send_up", "settle", "park", *BY_HAND},
    "closed": {*BY_HAND},
    "cancelled": {*BY_HAND},
    "parked": {"unpark", *BY_HAND},
}
ACTIONS = sorted({a for allowed in ALLOWED.values() for a in allowed})
FORBIDDEN = [
    (state, action) for state in STATES for action in ACTIONS if action not in ALLOWED[state]
]


@pytest.mark.parametrize("state", STATES)
def test_the_table_allows_exactly_what_the_design_says(state):
    assert set(actions_from(state)) == ALLOWED[state]
    assert set(RULES) == set(ACTIONS)


def _attempt(action, case, people, tree):
    sup, handler = people.supervisor_a, people.handler_company
    calls = {
        "assign": lambda: services.case_assign(case=case, actor=sup, unit=tree.company),
        "accept": lambda: services.case_accept(case=case, actor=handler),
        "return": lambda: services.case_return(case=case, actor=handler, reason="x"),
        "resolve": lambda: services.case_resolve(case=case, actor=handler, result="x"),
        "feedback": lambda: services.feedback_record(
            case=case, actor=people.grid_a1, solved=True, satisfaction="satisfied"
        ),
        "reopen": lambda: services.case_reopen(case=case, actor=sup, reason="x"),
        "close": lambda: services.case_close(
            case=case, actor=sup, now=timezone.now() + timedelta(days=99)
        ),
        "cancel": lambda: services.case_cancel(case=case, actor=sup, reason="x"),
        "settle": lambda: services.case_settle(case=case, actor=sup, result="x", meeting_id=0),
        "transfer": lambda: services.case_transfer(
            case=case, actor=sup, unit=tree.community_a, reason="x"
        ),
        "send_up": lambda: services.case_send_up(case=case, actor=sup, reason="x"),
        "park": lambda: services.case_park(
            case=case, actor=sup, plan="x", review_on=timezone.localdate() + timedelta(days=30)
        ),
        "unpark": lambda: services.case_unpark(case=case, actor=sup),
        "extension": lambda: services.extension_apply(
            case=case, actor=handler, due_at=timezone.now() + timedelta(days=60), reason="x"
        ),
        "extension_decide": lambda: services.extension_decide(case=case, actor=sup, approve=True),
        "co_report": lambda: services.co_handling_report(
            case=case, actor=people.handler_department, opinion="x"
        ),
        "chase": lambda: services.case_chase(case=case, actor=sup),
    }
    return calls[action]()


def test_the_forbidden_list_is_not_empty():
    assert len(FORBIDDEN) > 60


@pytest.mark.parametrize(("state", "action"), FORBIDDEN)
def test_a_forbidden_transition_is_refused_and_writes_nothing(
    open_case, drive, people, tree, state, action
):
    case = drive(open_case(), state)
    before = snapshot(case)
    with pytest.raises(Conflict) as exc:
        _attempt(action, case, people, tree)
    assert exc.value.status == 409
    assert exc.value.extra == {"state": state, "version": before[1]}
    assert snapshot(case) == before


# --- Roles, scope, versions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "action", "state"),
    [
        ("grid_a1", "assign", "new"),
        ("handler_company", "assign", "new"),
        ("supervisor_b", "assign", "new"),  # another community's supervisor
        ("handler_department", "accept", "assigned"),  # not the assigned unit
        ("grid_a1", "resolve", "in_progress"),
        ("grid_b1", "feedback", "resolved"),  # another grid's worker
        ("handler_company", "close", "resolved"),
        ("grid_a1", "cancel", "new"),
    ],
)
def test_the_wrong_role_is_refused_and_writes_nothing(
    open_case, drive, people, tree, who, action, state
):
    case = drive(open_case(), state)
    before = snapshot(case)
    actor = getattr(people, who)
    calls = {
        "assign": lambda: services.case_assign(case=case, actor=actor, unit=tree.company),
        "accept": lambda: services.case_accept(case=case, actor=actor),
        "resolve": lambda: services.case_resolve(case=case, actor=actor, result="x"),
        "feedback": lambda: services.feedback_record(
            case=case, actor=actor, solved=True, satisfaction="satisfied"
        ),
        "close": lambda: services.case_close(case=case, actor=actor),
        "cancel": lambda: services.case_cancel(case=case, actor=actor, reason="x"),
    }
    with pytest.raises(NotPermitted):
        calls[action]()
    assert snapshot(case) == before


def test_a_stale_version_is_refused_with_the_current_state(open_case, drive, people):
    case = drive(open_case(), "assigned")
    with pytest.raises(Conflict) as exc:
        services.case_accept(case=case, actor=people.handler_company, version=1)
    assert exc.value.code == "stale_version"
    assert exc.value.extra == {"state": "assigned", "version": 2}
    assert Case.objects.get(pk=case.pk).state == S.ASSIGNED


def test_the_matching_version_is_accepted(open_case, drive, people):
    case = drive(open_case(), "assigned")
    case = services.case_accept(case=case, actor=people.handler_company, version=2)
    assert case.version == 3


def test_a_case_cannot_be_assigned_outside_its_place(open_case, people, tree):
    from casework.models import UnitKind
    from casework.services import unit_create

    other_company = unit_create(name="城西物业", kind=UnitKind.COMPANY, parent=tree.community_b)
    case = open_case()
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_assign(case=case, actor=people.supervisor_a, unit=other_company)
    assert exc.value.field == "unit"
    assert snapshot(case) == before


def test_ownership_unclear_goes_up_a_level(open_case, people, tree):
    """兜底: a case may be assigned to the town above its community."""
    case = services.case_assign(case=open_case(), actor=people.town_supervisor, unit=tree.town)
    assert case.owner_unit == tree.town


def test_required_text_is_named(open_case, drive, people):
    case = drive(open_case(), "in_progress")
    with pytest.raises(ValidationFailed) as exc:
        services.case_resolve(case=case, actor=people.handler_company, result="  ")
    assert exc.value.field == "result"


def test_opening_needs_a_collector_over_the_place(people, tree, category):
    with pytest.raises(NotPermitted):
        services.case_open(
            actor=people.grid_b1, category=category, unit=tree.compound_a1, title="x"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.case_open(
            actor=people.grid_a1, category=category, unit=tree.compound_a1, title=""
        )
    assert exc.value.field == "title"


# --- History is append-only --------------------------------------------------------------------


def test_events_have_no_update_or_delete_path_in_admin(db):
    from django.contrib import admin

    from casework.models import CaseEvent

    model_admin = admin.site._registry[CaseEvent]
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
    assert not model_admin.has_add_permission(None)
