"""What a review found offered and then refused, or offered when it should not be.

- 兜底 (send up) is offered only when a service desk above can take the case: with no desk, or
  from the county's desk, it is listed as not available, with the service's own reason.
- A photo past the limit is not offered on the case page.
- Feedback that reopens the case forgets its answer, so the next result is not closed at once as
  if the resident had been satisfied with it.
"""

import pytest
from django.urls import reverse

from casework import services
from casework.actions import action_offer
from casework.models import CaseState
from casework.services.cases.notes import MAX_CASE_PHOTOS

pytestmark = pytest.mark.django_db


def _reasons(offer):
    return {u.action: u.reason for u in offer.unavailable}


def test_send_up_is_not_offered_without_a_desk_above(open_case, drive, people, api_as):
    case = drive(open_case(), "assigned")
    offer = action_offer(people.supervisor_a, case)
    assert "send_up" not in offer.available
    assert "send_up" in _reasons(offer)
    body = api_as(people.supervisor_a).get(f"/api/v1/cases/{case.pk}/").json()
    assert "send_up" not in body["actions"]
    assert "send_up" in {u["action"] for u in body["unavailable"]}


def test_send_up_is_offered_while_a_higher_desk_can_take_it(open_case, drive, people, desks):
    case = drive(open_case(), "assigned")
    assert "send_up" in action_offer(people.supervisor_a, case).available
    case = services.case_send_up(case=case, actor=people.supervisor_a, reason="社区无力处置")
    assert "send_up" in action_offer(people.town_supervisor, case).available
    case = services.case_send_up(case=case, actor=people.town_supervisor, reason="镇里也不行")
    assert case.owner_unit_id == desks.county.pk
    offer = action_offer(people.town_supervisor, case)
    assert "send_up" not in offer.available and "send_up" in _reasons(offer)


def test_the_case_list_reads_the_desks_once(open_case, drive, people, desks, api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(people.supervisor_a)
    counts = []
    for n in (1, 4):
        while len(counts) < n:
            drive(open_case(title=f"案件{len(counts)}"), "assigned")
            counts.append(None)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/cases/").status_code == 200
        counts[n - 1] = len(queries)
    assert counts[0] == counts[3]


def test_no_photo_is_offered_past_the_limit(open_case, drive, people, client_as, monkeypatch):
    case = drive(open_case(), "in_progress")
    client = client_as(people.handler_company)
    page = client.get(reverse("case-detail", args=[case.pk]))
    assert page.context["photo_form"] is not None
    monkeypatch.setattr("casework.actions.MAX_CASE_PHOTOS", 0)
    page = client.get(reverse("case-detail", args=[case.pk]))
    assert page.context["photo_form"] is None
    assert "photo" in {u.action for u in page.context["unavailable_actions"]}
    assert MAX_CASE_PHOTOS == 20


def test_feedback_that_reopens_forgets_its_answer(open_case, drive, people):
    case = drive(open_case(), "resolved")
    case = services.feedback_record(
        case=case, actor=people.grid_a1, solved=False, satisfaction="satisfied"
    )
    assert case.state == CaseState.REOPENED and case.satisfaction == ""
    case = services.case_assign(
        case=case, actor=people.supervisor_a, unit=case.owner_unit, handler=case.handler
    )
    case = services.case_accept(case=case, actor=case.handler)
    case = services.case_resolve(case=case, actor=case.handler, result="再次处理")
    offer = action_offer(people.supervisor_a, case)
    assert "close" not in offer.available and "close" in _reasons(offer)
