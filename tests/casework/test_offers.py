"""Only what will succeed is offered, and what is left out says why, on the page and in the API.

Whatever the registry offers a person (``action_offer(...).available``), taken with valid input,
succeeds, through both doors, for every role and state of the action walk; whatever it lists as
not available now is refused if tried anyway. The reasons (the 3-day rule of closing without
feedback, a pending or exhausted extension, feedback before the result) reach both doors from the
one registry.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape as html_unescape

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from casework import services
from casework.actions import ACTIONS, action_offer
from casework.models import Case, CaseEvent
from casework.selectors.cases import case_list
from tests.casework.test_action_walk import (
    ROLES,
    STATES,
    Rollback,
    _attempt,
    body,
    walk,  # noqa: F401 - the walk's fixture
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _try(http, door, case, action, tree) -> tuple[int, int]:
    """Take ``action`` and undo it: (status, events written)."""
    before = CaseEvent.objects.filter(case=case).count()
    try:
        with transaction.atomic():
            status = _attempt(http, door, case, action, body(action, case, tree))
            written = CaseEvent.objects.filter(case=case).count() - before
            raise Rollback
    except Rollback:
        pass
    return status, written


@pytest.mark.parametrize("door", ["page", "api"])
@pytest.mark.parametrize("state", STATES)
def test_whatever_is_offered_succeeds_and_what_is_not_is_refused(
    walk,  # noqa: F811 - the walk's fixture
    state,
    door,
    client,
    api_client,
):
    case = walk.build(state)
    http = api_client if door == "api" else client
    offered = 0
    for role, actor in walk.actors.items():
        seen = case_list(viewer=actor).filter(pk=case.pk).first()
        assert (seen is not None) == (state in ROLES[role][1]), role
        if seen is None:
            continue
        offer = action_offer(actor, seen)
        http.force_login(actor)
        for action in offer.available:
            status, written = _try(http, door, case, action, walk.tree)
            assert (status, written) == (200, 1), (role, action, "offered but refused")
            offered += 1
        for unavailable in offer.unavailable:
            assert unavailable.reason, (role, unavailable.action)
            status, written = _try(http, door, case, unavailable.action, walk.tree)
            assert status == 409 and written == 0, (role, unavailable.action, "said not now")
    assert offered


@pytest.mark.parametrize("door", ["page", "api"])
def test_close_is_offered_once_the_resident_has_had_three_days(
    walk,  # noqa: F811 - the walk's fixture
    door,
    client,
    api_client,
):
    case = walk.build("resolved")
    sup = walk.actors["supervisor_a"]
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=3, hours=1))
    seen = case_list(viewer=sup).get(pk=case.pk)
    assert "close" in action_offer(sup, seen).available
    http = api_client if door == "api" else client
    http.force_login(sup)
    assert _try(http, door, case, "close", walk.tree) == (200, 1)


# --- The reasons, through both doors -------------------------------------------------------


def _page_reasons(client, case) -> dict[str, str]:
    page = client.get(reverse("case-detail", args=[case.pk]), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    found = {}
    for action, text in re.findall(
        r'<li data-action="([a-z_]+)"><strong>.*?</strong><span class="muted">(.*?)</span></li>',
        html,
    ):
        found[action] = html_unescape(text)
    return found


def _api_reasons(api_client, case) -> tuple[list[str], dict[str, str]]:
    answer = api_client.get(reverse("api:case-detail", args=[case.pk]), **EN).json()
    return answer["actions"], {u["action"]: u["reason"] for u in answer["unavailable"]}


def test_close_says_how_many_days_are_left_on_the_page_and_in_the_api(
    drive, open_case, people, client, api_client
):
    case = drive(open_case(), "resolved")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=2, hours=1))
    client.force_login(people.supervisor_a)
    api_client.force_login(people.supervisor_a)
    page = _page_reasons(client, case)
    actions, api = _api_reasons(api_client, case)
    assert "close" not in actions and "feedback" in actions and "reopen" in actions
    assert page["close"] == api["close"]
    assert "3 days after its result" in api["close"] and "(1 more day)" in api["close"]
    html = client.get(reverse("case-detail", args=[case.pk]), **EN).content.decode()
    assert "Not available now" in html
    # The close form itself is not on the page.
    assert reverse("case-act", args=[case.pk, "close"]) not in html


def test_close_reason_in_chinese_names_the_days(drive, open_case, people):
    case = drive(open_case(), "resolved")
    seen = case_list(viewer=people.supervisor_a).get(pk=case.pk)
    with translation.override("zh-hans"):
        (close,) = [
            u for u in action_offer(people.supervisor_a, seen).unavailable if u.action == "close"
        ]
    assert "3" in close.reason


def test_close_after_positive_feedback_on_a_verified_category_is_offered(
    open_case, people, tree, verified_category
):
    case = open_case(category_=verified_category)
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
    case = services.case_accept(case=case, actor=people.handler_company)
    case = services.case_resolve(case=case, actor=people.handler_company, result="已整改")
    case = services.feedback_record(
        case=case, actor=people.grid_a1, solved=True, satisfaction="satisfied"
    )
    assert case.state == "resolved"
    seen = case_list(viewer=people.supervisor_a).get(pk=case.pk)
    assert "close" in action_offer(people.supervisor_a, seen).available


def test_extension_pending_then_decide(drive, open_case, people, client, api_client):
    case = drive(open_case(), "in_progress")
    services.extension_apply(
        case=case,
        actor=people.handler_company,
        due_at=case.due_at + timedelta(days=5),
        reason="等",
    )
    api_client.force_login(people.handler_company)
    actions, reasons = _api_reasons(api_client, case)
    assert "extension" not in actions and "resolve" in actions
    assert "already waiting" in reasons["extension"]
    client.force_login(people.handler_company)
    assert "already waiting" in _page_reasons(client, case)["extension"]
    api_client.force_login(people.supervisor_a)
    actions, reasons = _api_reasons(api_client, case)
    assert "extension_decide" in actions and "extension_decide" not in reasons


@override_settings(MINQING_MAX_EXTENSIONS=1)
def test_extension_when_the_unit_has_used_its_extensions(drive, open_case, people, api_client):
    case = drive(open_case(), "in_progress")
    services.extension_apply(
        case=case,
        actor=people.handler_company,
        due_at=case.due_at + timedelta(days=5),
        reason="等",
    )
    services.extension_decide(case=case, actor=people.supervisor_a, approve=True)
    api_client.force_login(people.handler_company)
    actions, reasons = _api_reasons(api_client, case)
    assert "extension" not in actions
    assert "used its 1 extension" in reasons["extension"]
    api_client.force_login(people.supervisor_a)
    actions, reasons = _api_reasons(api_client, case)
    assert "No extension is waiting" in reasons["extension_decide"]


def test_extension_after_the_deadline_passed(drive, open_case, people, api_client):
    case = drive(open_case(), "in_progress")
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(hours=1))
    api_client.force_login(people.handler_company)
    actions, reasons = _api_reasons(api_client, case)
    assert "extension" not in actions and "deadline has passed" in reasons["extension"]


def test_feedback_waits_for_the_result_and_sign_for_comes_before_the_result(
    drive, open_case, people, client, api_client
):
    case = drive(open_case(), "assigned")
    client.force_login(people.grid_a1)
    assert "feedback" in _page_reasons(client, case)
    api_client.force_login(people.handler_company)
    actions, reasons = _api_reasons(api_client, case)
    assert "accept" in actions and "resolve" in reasons and "Sign for" in reasons["resolve"]
    # Nobody is told about what their role never does.
    assert "assign" not in reasons and "close" not in reasons


def test_the_case_list_api_carries_the_reasons_too(drive, open_case, people, api_client):
    drive(open_case(), "resolved")
    api_client.force_login(people.supervisor_a)
    rows = api_client.get(reverse("api:case-list"), **EN).json()["results"]
    (row,) = rows
    assert {u["action"] for u in row["unavailable"]} == {"close"}
    assert set(row["actions"]) == {"feedback", "reopen", "note", "photo"}


def test_every_reason_names_an_action_of_the_registry(drive, open_case, people):
    for state in ("new", "assigned", "in_progress", "resolved"):
        case = drive(open_case(), state)
        for who in vars(people).values():
            seen = case_list(viewer=who).filter(pk=case.pk).first()
            if seen is None:
                continue
            offer = action_offer(who, seen)
            assert not set(offer.available) & {u.action for u in offer.unavailable}
            assert all(u.action in ACTIONS for u in offer.unavailable)
