"""The visits and residents API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Role
from casework.services import membership_grant, person_create
from requests_app.models import PersonalDataAccess
from requests_app.services import request_answer_on_spot, request_open_case, visit_create


@pytest.fixture
def secretary(tree):
    user = person_create(username="secretary", name="民情书记")
    membership_grant(user=user, unit=tree.community_a, role=Role.MINQING_SECRETARY)
    return user


def test_a_visit_is_created_with_unit_and_time_and_shows_its_counts(
    api_as, secretary, tree, categories
):
    client = api_as(secretary)
    at = (timezone.now() - timedelta(hours=1)).isoformat()
    response = client.post(
        "/api/v1/visits/", {"unit": tree.compound_a1.pk, "visited_at": at}, format="json"
    )
    assert response.status_code == 201, response.json()
    visit = response.json()
    assert visit["visitor"]["id"] == secretary.pk
    assert visit["kind"] == "secretary"
    assert visit["counts"] == {
        "collected": 0,
        "answered_on_spot": 0,
        "case_opened": 0,
        "merged": 0,
        "rejected": 0,
        "pending": 0,
    }
    for outcome in ["answer_on_spot", "answer_on_spot", "open_case", ""]:
        created = client.post(
            "/api/v1/requests/",
            {
                "channel": "onsite",
                "category": categories.elevator.pk,
                "unit": tree.building_a1.pk,
                "description": "电梯坏了",
                "visit": visit["id"],
                "outcome": outcome,
                "answer": "已答复",
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
    counts = client.get(f"/api/v1/visits/{visit['id']}/").json()["counts"]
    assert counts == {
        "collected": 4,
        "answered_on_spot": 2,
        "case_opened": 1,
        "merged": 0,
        "rejected": 0,
        "pending": 1,
    }


def test_visit_errors_name_the_field(api_as, secretary, tree, people):
    client = api_as(secretary)
    now = timezone.now().isoformat()
    assert (
        "visited_at"
        in client.post("/api/v1/visits/", {"unit": tree.grid_a1.pk}, format="json").json()
    )
    out = client.post("/api/v1/visits/", {"unit": tree.grid_b1.pk, "visited_at": now})
    assert out.status_code == 400 and "unit" in out.json()
    other = client.post(
        "/api/v1/visits/",
        {"unit": tree.grid_a1.pk, "visited_at": now, "visitor": people.grid_a1.pk},
        format="json",
    )
    assert other.status_code == 403 and "visitor" in other.json()


def test_visits_are_scoped_and_listed_with_their_counts(api_as, secretary, people, tree, collect):
    visits = [visit_create(actor=secretary, unit=tree.grid_a1)]
    hidden = visit_create(actor=people.grid_b1, unit=tree.grid_b1)
    client = api_as(people.supervisor_a)
    assert client.get(f"/api/v1/visits/{hidden.pk}/").status_code == 404
    assert client.get("/api/v1/visits/").json()["count"] == 1
    for _ in range(12):
        visit = visit_create(actor=secretary, unit=tree.compound_a1)
        request = collect(actor=secretary, visit=visit)
        request_answer_on_spot(request=request, actor=secretary, answer="好")
        visits.append(visit)
    body = client.get("/api/v1/visits/").json()
    assert body["count"] == 13
    assert sum(v["counts"]["answered_on_spot"] for v in body["results"]) == 12


def test_a_repeat_caller_is_found_by_phone_and_shown_masked(api_as, people, collect, tree):
    first = collect(resident={"name": "王伟", "phone": "13812345678"})
    request_open_case(request=first, actor=people.grid_a1)
    collect(resident={"phone": "13812345678"})
    collect(actor=people.grid_b1, unit=tree.compound_b1, resident={"phone": "13812345678"})
    client = api_as(people.grid_a1)
    found = client.post(
        "/api/v1/residents/search/", {"phone": "138-1234-5678"}, format="json"
    ).json()["results"]
    assert len(found) == 1
    assert found[0]["phone"] == "138****5678"
    assert found[0]["name"] == "王伟"
    # Only the requests the viewer may see are counted.
    assert found[0]["request_count"] == 2
    search = "/api/v1/residents/search/"
    assert client.post(search, {"phone": "12345"}, format="json").json()["count"] == 0
    assert "13812345678" not in client.get("/api/v1/residents/").content.decode()


def test_residents_out_of_scope_are_404_and_reveal_is_recorded(api_as, people, collect, tree):
    mine = collect().resident
    theirs = collect(
        actor=people.grid_b1,
        unit=tree.compound_b1,
        resident={"name": "李娜", "phone": "13900001111"},
    ).resident
    client = api_as(people.grid_a1)
    assert client.get(f"/api/v1/residents/{theirs.pk}/").status_code == 404
    why = {"reason": "回访"}
    assert client.post(f"/api/v1/residents/{theirs.pk}/reveal/", why).status_code == 404
    assert client.post(f"/api/v1/residents/{mine.pk}/reveal/", why).json() == {
        "phone": "13812345678"
    }
    assert PersonalDataAccess.objects.get().resident == mine
