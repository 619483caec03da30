"""Every action of the registry, through both doors (the page and the API), as every role, from
every state: the allowed ones succeed and write exactly one event, the others are refused with
404 (not yours to see), 409 (not in this state, or not ready) or 403 (not your role), and write
nothing.

What to expect is written out by hand below from DESIGN.md's table, not read from
``casework.workflow``: the walk checks the code against the design, not against itself.
"""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from casework import services
from casework.actions import ACTIONS
from casework.models import Case, CaseEvent, Role, UnitKind

# --- The design, by hand --------------------------------------------------------------------

STATES = [
    "new",
    "assigned",
    "in_progress",
    "extension_pending",
    "resolved",
    "reopened",
    "closed",
    "cancelled",
    "parked",
]
ANYWHERE = {"note", "photo"}
WORKING = {"cancel", "transfer", "send_up", "park"}
ALLOWED = {
    "new": {"assign", *WORKING, *ANYWHERE},
    "assigned": {"accept", "return", "co_report", "chase", *WORKING, *ANYWHERE},
    "in_progress": {
        "return", "resolve", "extension", "extension_decide", "co_report", "chase",
        *WORKING, *ANYWHERE,
    },
    "resolved": {"feedback", "reopen", "close", *ANYWHERE},
    "reopened": {"assign", *WORKING, *ANYWHERE},
    "closed": {*ANYWHERE},
    "cancelled": {*ANYWHERE},
    "parked": {"unpark", *ANYWHERE},
}  # fmt: skip
ALLOWED["extension_pending"] = ALLOWED["in_progress"]

EVERYONE = {"supervisor", "handler", "co_handler", "collector"}
WHO = {
    "assign": {"supervisor"},
    "accept": {"handler"},
    "return": {"handler"},
    "resolve": {"handler"},
    "feedback": {"collector", "supervisor"},
    "reopen": {"supervisor"},
    "close": {"supervisor"},
    "cancel": {"supervisor"},
    "transfer": {"supervisor"},
    "send_up": {"supervisor"},
    "park": {"supervisor"},
    "unpark": {"supervisor"},
    "extension": {"handler"},
    "extension_decide": {"supervisor"},
    "co_report": {"co_handler"},
    "chase": {"supervisor"},
    "note": EVERYONE,
    "photo": EVERYONE,
}
# Allowed by state and role, but the case's data says no: 409.
NOT_READY = {
    ("in_progress", "extension_decide"),  # nothing waits for a decision
    ("extension_pending", "extension"),  # one application at a time
    ("resolved", "close"),  # the resident can still answer
}

# The case is about 阳光小区 in grid A1 of community A, opened by grid A1's worker, led by the
# property company with the county's housing bureau co-handling (from "assigned" on).
AFTER_DISPATCH = set(STATES) - {"new"}
ROLES = {
    # role: (its party, the states in which it sees the case)
    "supervisor_a": ("supervisor", set(STATES)),
    "admin": ("supervisor", set(STATES)),
    "grid_a1": ("collector", set(STATES)),
    "volunteer_a1": ("collector", set(STATES)),
    "handler_company": ("handler", AFTER_DISPATCH),
    "handler_department": ("co_handler", AFTER_DISPATCH),
    "desk_handler": (None, set()),
    "supervisor_b": (None, set()),
    "outsider": (None, set()),
}


def expected(state: str, role: str, action: str) -> int:
    party, sees = ROLES[role]
    if state not in sees:
        return 404
    if action not in ALLOWED[state]:
        return 409
    if party not in WHO[action]:
        return 403
    if (state, action) in NOT_READY:
        return 409
    return 200


def test_the_walk_covers_every_action_of_the_registry():
    assert set(WHO) == set(ACTIONS)


# --- Building a case in each state ----------------------------------------------------------


@pytest.fixture
def walk(tree, people, open_case):
    from casework.services import membership_grant, person_create, unit_create

    desk = unit_create(name="博白镇网格化服务管理中心", kind=UnitKind.DESK, parent=tree.town)
    desk_handler = person_create(username="desk", name="desk", password="pw-for-tests-9731")
    membership_grant(user=desk_handler, unit=desk, role=Role.HANDLER)
    actors = {name: getattr(people, name, None) for name in ROLES}
    actors["desk_handler"] = desk_handler
    sup, handler = people.supervisor_a, people.handler_company

    def build(state: str) -> Case:
        case = open_case()
        if state == "new":
            return case
        case = services.case_assign(
            case=case, actor=sup, unit=tree.company, co_handlers=[tree.department]
        )
        if state == "cancelled":
            return services.case_cancel(case=case, actor=sup, reason="重复")
        if state == "assigned":
            return case
        case = services.case_accept(case=case, actor=handler)
        if state == "in_progress":
            return case
        if state == "extension_pending":
            services.extension_apply(
                case=case, actor=handler, due_at=case.due_at + timedelta(days=7), reason="等配件"
            )
            return Case.objects.get(pk=case.pk)
        if state == "parked":
            return services.case_park(
                case=case,
                actor=sup,
                plan="列入明年改造",
                review_on=timezone.localdate() + timedelta(days=90),
            )
        case = services.case_resolve(case=case, actor=handler, result="已修复")
        if state == "resolved":
            return case
        return services.feedback_record(
            case=case,
            actor=people.grid_a1,
            solved=state == "closed",
            satisfaction="satisfied" if state == "closed" else "unsatisfied",
        )

    return SimpleNamespace(build=build, actors=actors, tree=tree)


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile("site.png", out.getvalue(), content_type="image/png")


def body(action: str, case: Case, tree) -> dict:
    later = timezone.now() + timedelta(days=60)
    return {
        "assign": {"unit": tree.company.pk, "co_handlers": [tree.department.pk]},
        "accept": {},
        "return": {"reason": "不属于本单位职责"},
        "resolve": {"result": "已修复"},
        "feedback": {"solved": "true", "satisfaction": "satisfied"},
        "reopen": {"reason": "核查未通过"},
        "close": {},
        "cancel": {"reason": "重复诉求"},
        "transfer": {"unit": tree.community_a.pk, "reason": "职责调整"},
        "send_up": {"reason": "权属不清"},
        "park": {"plan": "列入明年预算", "review_on": (timezone.localdate() + timedelta(60))},
        "unpark": {},
        "extension": {"due_at": later.isoformat(), "reason": "等待配件"},
        "extension_decide": {"approve": "true"},
        "co_report": {"opinion": "已配合完成"},
        "chase": {},
        "note": {"text": "已电话联系居民"},
        "photo": {"image": _png(), "caption": "现场"},
    }[action]


class Rollback(Exception):
    """Undo one attempt, so the next one starts from the same case."""


def _attempt(client, door: str, case: Case, action: str, data: dict) -> int:
    if door == "api":
        url = reverse("api:case-" + action.replace("_", "-"), args=[case.pk])
        fmt = "multipart" if action == "photo" else "json"
        if fmt == "json":
            data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
            data = {k: True if v == "true" else v for k, v in data.items()}
        response = client.post(url, data, format=fmt)
        return response.status_code
    response = client.post(reverse("case-act", args=[case.pk, action]), data)
    if response.status_code == 302:
        # A success lands on a page this actor can open: the case, or their own list.
        landing = client.get(response["Location"])
        assert landing.status_code == 200, (action, response["Location"])
        return 200
    return response.status_code


@pytest.mark.parametrize("door", ["page", "api"])
@pytest.mark.parametrize("state", STATES)
def test_every_action_through_both_doors(walk, state, door, client, api_client):
    case = walk.build(state)
    http = api_client if door == "api" else client
    seen = []
    for role, actor in walk.actors.items():
        http.force_login(actor)
        for action in ACTIONS:
            before = Case.objects.values_list("state", "version").get(pk=case.pk)
            events_before = CaseEvent.objects.filter(case=case).count()
            try:
                with transaction.atomic():
                    status = _attempt(http, door, case, action, body(action, case, walk.tree))
                    written = CaseEvent.objects.filter(case=case).count() - events_before
                    raise Rollback
            except Rollback:
                pass
            want = expected(state, role, action)
            seen.append((role, action, status, want, written))
            assert (status, written) == (want, 1 if want == 200 else 0), (role, action)
            assert Case.objects.values_list("state", "version").get(pk=case.pk) == before
    assert any(status == 200 for _role, _action, status, _want, _written in seen)
