"""The tracking page shows the progress in plain words (受理 → 派单 → 办理中 → 已办结), the
handling unit's name and the result, never a person's name or phone; its API twin says the
same."""

import pytest
from django.urls import reverse

from casework import services
from casework.models import CaseState
from open311.services import open311_key_create
from requests_app.services import request_answer_on_spot, request_collect, request_reject
from requests_app.views.track import CASE_STAGES

#: What no public answer may hold: the resident's name, phone (whole or masked), address and
#: words, and the staff's names (usernames are their names in the fixtures).
PRIVATE = (
    "王伟",
    "13812345678",
    "138****5678",
    "阳光小区1栋301",
    "王伟家门口",
    "grid-a1",
    "handler-co",
    "sup-a",
    "13700001111",
)


def _page(client, request):
    response = client.get(reverse("requests_app:track"), {"code": request.tracking_code})
    assert response.status_code == 200
    return response


def _api(client, request):
    response = client.get(reverse("api:public-track", args=[request.tracking_code_display]))
    assert response.status_code == 200
    return response.json()


def _states(found) -> dict:
    return {step["key"]: step["state"] for step in found["steps"]}


def _no_personal_data(*texts):
    for text in texts:
        for private in PRIVATE:
            assert private not in text, private


def test_a_collected_request_is_taken_up_and_waits_to_be_dispatched(client, collect):
    request = collect()
    found = _page(client, request).context["found"]
    assert _states(found) == {
        "taken_up": "done",
        "dispatched": "current",
        "handling": "waiting",
        "done": "waiting",
    }
    assert found["handling_unit"] == "" and found["result"] == ""


def test_a_request_that_came_in_by_itself_waits_to_be_taken_up(client, tree, category):
    key = open311_key_create(name="12345热线", unit=tree.community_a)
    request = request_collect(
        actor=key.key.account,
        channel="open311",
        category=category,
        unit=tree.compound_a1,
        description="路灯不亮",
    )
    found = _page(client, request).context["found"]
    assert found["current"] == "taken_up"
    assert _states(found)["taken_up"] == "current"


def test_an_answer_on_the_spot_is_done_with_its_answer_masked(client, collect, people):
    request = collect()
    request_answer_on_spot(
        request=request, actor=people.grid_a1, answer="已联系物业13700001111，明天修"
    )
    response = _page(client, request)
    found = response.context["found"]
    assert _states(found) == {
        "taken_up": "done",
        "dispatched": "skipped",
        "handling": "skipped",
        "done": "current",
    }
    assert found["answer"] == "已联系物业[已删除]，明天修"
    html = response.content.decode()
    assert "明天修" in html and 'aria-current="step"' in html
    _no_personal_data(html)


def test_a_rejected_request_ends_after_it_was_taken_up(client, collect, people):
    request = collect()
    request_reject(request=request, actor=people.grid_a1, reason="不属于本社区")
    found = _page(client, request).context["found"]
    assert found["current"] is None
    assert _states(found)["taken_up"] == "done"
    assert _states(found)["done"] == "skipped"


@pytest.mark.parametrize(
    ("state", "current", "unit"),
    [
        ("new", "dispatched", ""),
        ("assigned", "handling", "城东物业"),
        ("in_progress", "handling", "城东物业"),
        ("resolved", "done", "城东物业"),
        ("closed", "done", "城东物业"),
        ("reopened", "dispatched", "城东物业"),
        ("parked", "dispatched", ""),
    ],
)
def test_each_case_state_has_its_step_and_handling_unit(
    client, intake, drive, state, current, unit
):
    request, case = intake()
    case = drive(case, state)
    response = _page(client, request)
    found = response.context["found"]
    assert found["current"] == current
    assert str(found["stage"]) == str(CASE_STAGES[case.state])
    assert found["handling_unit"] == unit
    steps = found["steps"]
    done = [s["key"] for s in steps if s["state"] == "done"]
    assert done == [s["key"] for s in steps[: [s["key"] for s in steps].index(current)]]
    html = response.content.decode()
    assert html.count('aria-current="step"') == 1
    _no_personal_data(html)


def test_a_resolved_case_shows_its_result_masked_and_done(client, intake, drive, people):
    request, case = intake()
    case = drive(case, "in_progress")
    services.case_resolve(
        case=case, actor=people.handler_company, result="已更换控制板，王师傅电话13700001111"
    )
    response = _page(client, request)
    found = response.context["found"]
    assert found["steps"][-1] == {
        "key": "done",
        "label": found["steps"][-1]["label"],
        "state": "current",
        "complete": True,
    }
    assert found["result"] == "已更换控制板，王师傅电话[已删除]"
    assert "已更换控制板" in response.content.decode()
    assert found["resolved_on"] is not None


def test_a_cancelled_case_ends_without_a_current_step(client, intake, drive):
    request, case = intake()
    drive(case, "cancelled")
    found = _page(client, request).context["found"]
    assert found["current"] is None
    assert str(found["stage"]) == str(CASE_STAGES[CaseState.CANCELLED])


def test_the_api_answers_the_same_progress_without_personal_data(client, resolved):
    request, _case = resolved()
    body = _api(client, request)
    page = _page(client, request).context["found"]
    assert body["current"] == page["current"] == "done"
    assert [s["state"] for s in body["steps"]] == [s["state"] for s in page["steps"]]
    assert body["handling_unit"] == "城东物业" and body["result"] == "修好了"
    assert body["rating"] == {"open": True, "answer": None}
    _no_personal_data(str(body))


def test_the_api_says_404_for_an_unknown_code(client, db):
    response = client.get(reverse("api:public-track", args=["ABCDE-FGHJK"]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_tracking_page_keeps_its_headers(client, resolved):
    request, _case = resolved()
    response = _page(client, request)
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_tracking_page_reads_a_constant_number_of_queries(
    client, resolved, intake, drive, django_assert_num_queries
):
    request, _case = resolved()
    # The request with its category, case and handling unit; the rating of the result.
    with django_assert_num_queries(2):
        _page(client, request)
    working, case = intake()
    drive(case, "in_progress")
    with django_assert_num_queries(1):  # nothing to rate: nothing more read
        _page(client, working)
