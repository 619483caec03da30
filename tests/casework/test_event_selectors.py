"""The query pieces over case events: each selects what it says, by keys ``casework.events``
documents."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from casework.demo import clock
from casework.events import DATA_KEYS
from casework.models import CaseEvent, EventKind
from casework.selectors import events as selector
from casework.selectors.events import (
    READ_FROM,
    case_events_between,
    handler_of,
    late_q,
    on_time_q,
    pleased_q,
    satisfaction_of,
    satisfaction_q,
    solved_q,
    unit_of,
)

K = EventKind


def test_each_key_read_is_documented_for_the_kinds_it_is_read_from():
    keys = {
        value
        for name, value in vars(selector).items()
        if name.isupper() and isinstance(value, str)
    }
    assert keys == set(READ_FROM)  # every key constant says which kinds it is read from
    for key, kinds in READ_FROM.items():
        for kind in kinds:
            assert key in DATA_KEYS[kind], f"{key!r} is not a documented key of {kind!r} events"


@pytest.fixture
def later():
    return timezone.now() + timedelta(days=20)  # past the sign-for and resolve deadlines


@pytest.fixture
def history(open_case, drive, people, tree, later):
    """
    A: assigned to the company only; signed, resolved on time; satisfied and solved → closed
    B: assigned to the company's handler by name; signed, resolved late; basically satisfied
       but not solved → reopened
    C: unsatisfied, not solved → reopened
    D: assigned to the company only, returned
    """
    sup, handler = people.supervisor_a, people.handler_company
    drive(open_case(title="A"), "closed")
    b = services.case_assign(
        case=open_case(title="B"), actor=sup, handler=handler, unit=tree.company
    )
    with clock(later):
        b = services.case_accept(case=b, actor=handler)
        b = services.case_resolve(case=b, actor=handler, result="迟办")
        services.feedback_record(
            case=b, actor=people.grid_a1, solved=False, satisfaction="basically_satisfied"
        )
    drive(open_case(title="C"), "reopened")
    d = services.case_assign(case=open_case(title="D"), actor=sup, unit=tree.company)
    services.case_return(case=d, actor=handler, reason="不归我们")


def titles(kind, *filters):
    return set(
        CaseEvent.objects.filter(kind=kind).filter(*filters).values_list("case__title", flat=True)
    )


def by_title(kind, **annotations):
    rows = CaseEvent.objects.filter(kind=kind).annotate(**annotations)
    return {row.pop("case__title"): row for row in rows.values("case__title", *annotations)}


def test_events_between_keeps_the_kinds_asked_for_inside_the_window(history, later):
    before = timezone.now()
    start = before - timedelta(hours=1)

    assert {e.kind for e in case_events_between(start=start, end=before)} > {K.OPENED, K.RETURNED}
    signed = case_events_between(K.ACCEPTED, start=start, end=before)
    assert {e.case.title for e in signed} == {"A", "C"}  # B signed later
    late = case_events_between(K.ACCEPTED, K.FEEDBACK, start=later, end=later + timedelta(1))
    assert sorted(e.kind for e in late) == [K.ACCEPTED, K.FEEDBACK]
    # The window is half-open: an event at its end falls outside.
    assert not case_events_between(K.ACCEPTED, start=start, end=later).filter(case__title="B")


def test_on_time_and_late_split_sign_fors_and_resolutions(history):
    for kind in (K.ACCEPTED, K.RESOLVED):
        assert titles(kind, on_time_q()) == {"A", "C"}
        assert titles(kind, late_q()) == {"B"}
    # A kind without the key is neither.
    assert not titles(K.ASSIGNED, on_time_q() | late_q())


def test_solved_pleased_and_answers_read_the_return_visit(history):
    assert titles(K.FEEDBACK, solved_q()) == {"A"}
    assert titles(K.FEEDBACK, pleased_q()) == {"A", "B"}
    assert titles(K.FEEDBACK, satisfaction_q("unsatisfied")) == {"C"}
    assert titles(K.FEEDBACK, satisfaction_q("satisfied", "unsatisfied")) == {"A", "C"}
    answers = by_title(K.FEEDBACK, answer=satisfaction_of())
    assert answers == {
        "A": {"answer": "satisfied"},
        "B": {"answer": "basically_satisfied"},
        "C": {"answer": "unsatisfied"},
    }


def test_handler_and_unit_of_read_the_ids_and_null_when_none_was_named(history, people, tree):
    company, handler = tree.company.pk, people.handler_company.pk
    assigned = by_title(K.ASSIGNED, person=handler_of(), unit=unit_of())
    assert assigned == {
        "A": {"person": None, "unit": company},  # a unit-only assignment names no handler
        "B": {"person": handler, "unit": company},
        "C": {"person": None, "unit": company},
        "D": {"person": None, "unit": company},
    }
    assert by_title(K.RETURNED, person=handler_of(), unit=unit_of()) == {
        "D": {"person": None, "unit": company}
    }
    rated = by_title(K.FEEDBACK, person=handler_of())
    assert rated == {title: {"person": handler} for title in "ABC"}  # who signed for it
    # NULL, not 0, so an unnamed handler is left out by ``isnull`` and never matches an id.
    named = CaseEvent.objects.annotate(person=handler_of()).filter(
        kind=K.ASSIGNED, person__isnull=False
    )
    assert [e.case.title for e in named] == ["B"]
