"""The cases API: scope, filters, one endpoint per transition, refusals with state and version."""

import pytest


def url(case, action=""):
    return f"/api/v1/cases/{case.pk}/" + (f"{action}/" if action else "")


def test_a_case_has_the_contract_fields(api_as, open_case, people):
    case = open_case()
    body = api_as(people.supervisor_a).get(url(case)).json()
    for field in (
        "id",
        "state",
        "version",
        "category",
        "unit",
        "handler",
        "due_at",
        "escalation_level",
    ):
        assert field in body
    assert body["state"] == "new" and body["version"] == 1
    assert body["actions"] == ["assign", "transfer", "park", "cancel", "note", "photo"]
    # No service desk above this case's place: sending it up (兜底) is not offered, and says why.
    assert "send_up" in [u["action"] for u in body["unavailable"]]


def test_the_list_is_scoped(api_as, open_case, people, tree):
    case_a = open_case()
    case_b = open_case(unit=tree.compound_b1, who=people.grid_b1, title="B的案件")
    ids = lambda who: {r["id"] for r in api_as(who).get("/api/v1/cases/").json()["results"]}  # noqa: E731
    assert ids(people.grid_a1) == {case_a.pk}
    assert ids(people.grid_b1) == {case_b.pk}
    assert ids(people.town_supervisor) == {case_a.pk, case_b.pk}
    assert ids(people.handler_company) == set()  # nothing assigned to the company yet
    assert api_as(people.grid_a1).get(url(case_b)).status_code == 404
    assert api_as(people.grid_a1).get(url(case_b, "events")).status_code == 404


def test_a_handler_sees_cases_assigned_to_their_unit_wherever_they_are(
    api_as, open_case, people, tree
):
    case = open_case()
    client = api_as(people.supervisor_a)
    assert (
        client.post(url(case, "assign"), {"unit": tree.company.pk}, format="json").status_code
        == 200
    )
    body = api_as(people.handler_company).get("/api/v1/cases/").json()
    assert [r["id"] for r in body["results"]] == [case.pk]


def test_the_whole_loop_over_the_api(api_as, open_case, people, tree):
    case = open_case()
    sup = api_as(people.supervisor_a)
    body = sup.post(
        url(case, "assign"), {"unit": tree.company.pk, "version": 1}, format="json"
    ).json()
    assert body["state"] == "assigned" and body["version"] == 2
    handler = api_as(people.handler_company)
    body = handler.post(url(case, "accept"), {"version": 2}, format="json").json()
    assert body["state"] == "in_progress"
    body = handler.post(url(case, "resolve"), {"result": "已更换电机"}, format="json").json()
    assert body["state"] == "resolved"
    worker = api_as(people.grid_a1)
    body = worker.post(
        url(case, "feedback"),
        {"solved": True, "satisfaction": "satisfied", "note": "住户满意"},
        format="json",
    ).json()
    assert body["state"] == "closed"
    kinds = [e["kind"] for e in worker.get(url(case, "events")).json()]
    assert kinds == ["opened", "assigned", "accepted", "resolved", "feedback"]


def test_a_forbidden_transition_answers_409_with_state_and_version(api_as, open_case, people):
    case = open_case()
    response = api_as(people.handler_company).post(
        url(case, "resolve"), {"result": "x"}, format="json"
    )
    # The company cannot see an unassigned case at all.
    assert response.status_code == 404
    response = api_as(people.supervisor_a).post(url(case, "close"), {}, format="json")
    assert response.status_code == 409
    assert response.json()["state"] == "new" and response.json()["version"] == 1


def test_a_stale_version_answers_409(api_as, open_case, people, tree):
    case = open_case()
    client = api_as(people.supervisor_a)
    client.post(url(case, "assign"), {"unit": tree.company.pk}, format="json")
    response = client.post(url(case, "cancel"), {"reason": "重复", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert response.json()["version"] == 2


def test_the_wrong_role_answers_403_with_state_and_version(api_as, open_case, people):
    case = open_case()
    response = api_as(people.grid_a1).post(url(case, "cancel"), {"reason": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["state"] == "new" and response.json()["version"] == 1


def test_bad_input_names_the_field(api_as, open_case, people, drive):
    case = drive(open_case(), "resolved")
    response = api_as(people.grid_a1).post(
        url(case, "feedback"), {"solved": True, "satisfaction": "ecstatic"}, format="json"
    )
    assert response.status_code == 400
    assert "satisfaction" in response.json()
    response = api_as(people.supervisor_a).post(url(case, "reopen"), {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_events_cannot_be_written_through_the_api(api_as, open_case, people):
    case = open_case()
    client = api_as(people.supervisor_a)
    assert client.post(url(case, "events"), {"kind": "closed"}, format="json").status_code == 405
    assert client.delete(url(case, "events")).status_code == 405
    assert client.put(url(case), {"state": "closed"}, format="json").status_code == 405


def test_filters_state_overdue_and_queue(api_as, open_case, people, drive):
    new = open_case(title="新的")
    assigned = drive(open_case(title="已派"), "assigned")
    client = api_as(people.supervisor_a)
    got = lambda **q: {r["id"] for r in client.get("/api/v1/cases/", q).json()["results"]}  # noqa: E731
    assert got(state="new") == {new.pk}
    assert got(queue="new") == {new.pk}
    assert got(overdue="true") == set()
    assert got(overdue="false") == {new.pk, assigned.pk}
    counts = client.get("/api/v1/cases/queues/").json()
    assert counts["new"] == 1 and counts["overdue"] == 0


@pytest.mark.parametrize("who", ["grid_b1", "supervisor_b", "outsider"])
def test_out_of_scope_actions_answer_404(api_as, open_case, people, tree, who):
    case = open_case()
    response = api_as(getattr(people, who)).post(
        url(case, "assign"), {"unit": tree.company.pk}, format="json"
    )
    assert response.status_code == 404


def test_a_building_is_named_with_its_compound(api_as, open_case, people, tree):
    case = open_case(unit=tree.building_a1)
    body = api_as(people.supervisor_a).get(url(case)).json()
    assert body["unit_name"] == "阳光小区 1栋"
    rows = api_as(people.supervisor_a).get("/api/v1/cases/").json()["results"]
    assert rows[0]["unit_name"] == "阳光小区 1栋"
