"""What becomes of a collected request: answered on the spot, a case, merged, rejected.

Every allowed move is tested, and every forbidden one asserts the error and that nothing was
written.
"""

import pytest

from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import Case, CaseEvent, Role
from casework.services import membership_grant
from requests_app.models import Request, RequestEvent
from requests_app.services import (
    request_answer_on_spot,
    request_intake,
    request_merge,
    request_open_case,
    request_reject,
)


def _kinds(request):
    return list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True))


def test_answering_on_the_spot_closes_the_request_without_a_case(collect, people):
    request = collect()
    answered = request_answer_on_spot(request=request, actor=people.grid_a1, answer="已联系维保")
    assert answered.status == "answered_on_spot"
    assert answered.answer == "已联系维保"
    assert answered.decided_at is not None
    assert answered.case is None
    assert not Case.objects.exists()
    assert _kinds(request) == ["collected", "answered_on_spot"]


def test_opening_a_case_calls_casework_in_the_same_transaction(collect, people):
    request = collect(urgency="urgent", channel="hotline")
    case = request_open_case(request=request, actor=people.grid_a1)
    request.refresh_from_db()
    assert request.status == "case_opened"
    assert request.case == case
    assert case.state == "new"
    assert case.category == request.category and case.unit == request.unit
    assert case.urgency == "urgent"
    assert case.title == "1栋电梯停在半层，老人不敢坐"
    assert case.description == request.description
    opened = CaseEvent.objects.get(case=case, kind="opened")
    assert opened.data == {"request": request.pk, "channel": "hotline"}
    assert _kinds(request) == ["collected", "case_opened"]


def test_a_failing_case_open_leaves_the_request_collected(collect, people, tree, categories):
    request = collect(category=categories.facility)
    categories.facility.is_active = False
    categories.facility.save()
    with pytest.raises(ValidationFailed):
        request_open_case(request=request, actor=people.grid_a1)
    request.refresh_from_db()
    assert request.status == "collected" and request.case is None
    assert not Case.objects.exists()
    assert _kinds(request) == ["collected"]


def test_a_duplicate_joins_the_case_of_the_earlier_request(collect, people):
    first = collect()
    case = request_open_case(request=first, actor=people.grid_a1)
    second = collect(resident={"name": "李娜", "phone": "13900001111"})
    merged = request_merge(request=second, actor=people.volunteer_a1, into=first)
    assert merged.status == "merged"
    assert merged.case == case
    assert merged.merged_into == first
    assert CaseEvent.objects.filter(case=case, kind="request_merged").get().data == {
        "request": second.pk
    }
    # A third joins through the second: it points at the first, the root.
    third = collect(resident=None)
    assert request_merge(request=third, actor=people.grid_a1, into=second).merged_into == first
    assert Case.objects.count() == 1


def test_a_request_without_a_case_cannot_take_duplicates(collect, people):
    first, second = collect(), collect()
    with pytest.raises(ValidationFailed) as caught:
        request_merge(request=second, actor=people.grid_a1, into=first)
    assert caught.value.field == "into"
    second.refresh_from_db()
    assert second.status == "collected"


def test_a_request_cannot_merge_into_itself(collect, people):
    request = collect()
    with pytest.raises(ValidationFailed):
        request_merge(request=request, actor=people.grid_a1, into=request)


def test_a_closed_case_takes_no_duplicates(collect, people):
    first = collect()
    case = request_open_case(request=first, actor=people.grid_a1)
    Case.objects.filter(pk=case.pk).update(state="closed")
    second = collect()
    with pytest.raises(ValidationFailed):
        request_merge(request=second, actor=people.grid_a1, into=first)
    second.refresh_from_db()
    assert second.status == "collected"
    assert not CaseEvent.objects.filter(kind="request_merged").exists()


def test_merging_into_a_request_out_of_scope_finds_nothing(collect, people, tree):
    other = collect(actor=people.grid_b1, unit=tree.compound_b1)
    request_open_case(request=other, actor=people.grid_b1)
    mine = collect()
    with pytest.raises(ValidationFailed) as caught:
        request_merge(request=mine, actor=people.grid_a1, into=other)
    assert (caught.value.field, caught.value.code) == ("into", "does_not_exist")


def test_rejecting_needs_a_reason(collect, people):
    request = collect()
    with pytest.raises(ValidationFailed) as caught:
        request_reject(request=request, actor=people.grid_a1, reason="  ")
    assert caught.value.field == "reason"
    rejected = request_reject(request=request, actor=people.grid_a1, reason="不属于受理范围")
    assert rejected.status == "rejected" and rejected.reject_reason == "不属于受理范围"
    assert _kinds(request) == ["collected", "rejected"]


def _decided(collect, people, status):
    request = collect()
    if status == "answered_on_spot":
        request_answer_on_spot(request=request, actor=people.grid_a1, answer="已答复")
    elif status == "case_opened":
        request_open_case(request=request, actor=people.grid_a1)
    elif status == "merged":
        first = collect()
        request_open_case(request=first, actor=people.grid_a1)
        request_merge(request=request, actor=people.grid_a1, into=first)
    elif status == "rejected":
        request_reject(request=request, actor=people.grid_a1, reason="无效")
    request.refresh_from_db()
    return request


ACTIONS = {
    "answer": lambda r, a, into: request_answer_on_spot(request=r, actor=a, answer="再答复"),
    "open_case": lambda r, a, into: request_open_case(request=r, actor=a),
    "merge": lambda r, a, into: request_merge(request=r, actor=a, into=into),
    "reject": lambda r, a, into: request_reject(request=r, actor=a, reason="再拒绝"),
}


@pytest.mark.parametrize("status", ["answered_on_spot", "case_opened", "merged", "rejected"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_decided_request_cannot_be_decided_again(collect, people, status, action):
    request = _decided(collect, people, status)
    target = collect()
    request_open_case(request=target, actor=people.grid_a1)
    before = (
        Request.objects.filter(pk=request.pk).values().get(),
        RequestEvent.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
    )
    with pytest.raises(Conflict) as caught:
        ACTIONS[action](request, people.grid_a1, target)
    assert caught.value.code == "invalid_state"
    after = (
        Request.objects.filter(pk=request.pk).values().get(),
        RequestEvent.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_someone_out_of_scope_gets_not_found_and_writes_nothing(collect, people, action):
    request = collect()
    target = collect()
    request_open_case(request=target, actor=people.grid_a1)
    with pytest.raises(NotFound):
        ACTIONS[action](request, people.grid_b1, target)
    request.refresh_from_db()
    assert request.status == "collected"


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_handler_in_scope_may_not_decide(collect, people, tree, action):
    membership_grant(user=people.handler_company, unit=tree.grid_a1, role=Role.HANDLER)
    request = collect()
    target = collect()
    request_open_case(request=target, actor=people.grid_a1)
    with pytest.raises(NotPermitted):
        ACTIONS[action](request, people.handler_company, target)
    request.refresh_from_db()
    assert request.status == "collected"


def _intake(people, tree, categories, **extra):
    return request_intake(
        actor=people.grid_a1,
        channel="onsite",
        category=categories.elevator,
        unit=tree.compound_a1,
        description="电梯坏了",
        **extra,
    )


def test_intake_decides_at_once_in_one_transaction(people, tree, categories):
    answered = _intake(people, tree, categories, outcome="answer_on_spot", answer="已处理")
    assert answered.status == "answered_on_spot"
    opened = _intake(people, tree, categories, outcome="open_case")
    assert opened.status == "case_opened" and opened.case_id
    merged = _intake(people, tree, categories, outcome="merge", merge_into=opened)
    assert merged.status == "merged" and merged.case_id == opened.case_id


def test_intake_with_a_bad_decision_stores_nothing(people, tree, categories):
    with pytest.raises(ValidationFailed) as caught:
        _intake(people, tree, categories, outcome="answer_on_spot", answer="")
    assert caught.value.field == "answer"
    with pytest.raises(ValidationFailed) as caught:
        _intake(people, tree, categories, outcome="teleport")
    assert caught.value.field == "outcome"
    uncased = _intake(people, tree, categories)
    with pytest.raises(ValidationFailed) as caught:
        _intake(people, tree, categories, outcome="merge", merge_into=uncased)
    assert caught.value.field == "merge_into"
    assert Request.objects.count() == 1
