"""A phone number finds a resident only within the collector's scope."""

from casework.models import Role
from casework.services import membership_grant, person_create
from requests_app.models import Resident


def test_a_phone_from_another_grid_makes_a_new_resident_and_reveals_nothing(
    collect, people, tree, api_as
):
    theirs = collect(
        actor=people.grid_b1,
        unit=tree.compound_b1,
        resident={"name": "李娜", "phone": "13900001111", "address": "锦绣小区2栋"},
    ).resident
    client = api_as(people.grid_a1)
    response = client.post(
        "/api/v1/requests/",
        {
            "channel": "onsite",
            "category": theirs.requests.get().category_id,
            "unit": tree.building_a1.pk,
            "description": "路灯坏了",
            "resident": {"phone": "139 0000 1111"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.content.decode()
    assert "李娜" not in body and "锦绣小区" not in body
    mine = Resident.objects.get(pk=response.json()["resident"]["id"])
    assert mine.pk != theirs.pk
    assert (mine.name, mine.address) == ("", "")
    listed = client.get("/api/v1/residents/").content.decode()
    assert "李娜" not in listed
    # The other grid's record is untouched and still theirs alone.
    theirs.refresh_from_db()
    assert theirs.requests.count() == 1


def test_a_repeat_caller_in_scope_is_one_record(collect, people):
    first = collect(resident={"name": "王伟", "phone": "13812345678"})
    again = collect(resident={"phone": "138-1234-5678", "address": "阳光小区1栋301"})
    assert again.resident == first.resident
    assert Resident.objects.count() == 1


def test_a_resident_living_in_scope_is_found_without_earlier_requests_here(collect, people, tree):
    """A resident belongs to the units of their requests and to their home unit."""
    first = collect(
        actor=people.supervisor_a, unit=tree.compound_a1, resident={"phone": "13812345678"}
    )
    assert first.resident.unit == tree.compound_a1
    worker = person_create(username="a1-second", name="a1-second")
    membership_grant(user=worker, unit=tree.grid_a1, role=Role.GRID_WORKER)
    again = collect(actor=worker, unit=tree.building_a1, resident={"phone": "13812345678"})
    assert again.resident == first.resident


def test_the_intake_page_does_not_link_a_resident_out_of_scope(
    client_as, collect, people, tree, categories
):
    theirs = collect(
        actor=people.grid_b1,
        unit=tree.compound_b1,
        resident={"name": "李娜", "phone": "13900001111", "address": "锦绣小区2栋"},
    ).resident
    client = client_as(people.grid_a1)
    hint = client.post("/residents/lookup/", {"resident_phone": "13900001111"})
    assert hint.status_code == 200
    assert "李娜" not in hint.content.decode() and "data-resident" not in hint.content.decode()
    page = client.post(
        "/requests/new/",
        {
            "idempotency_key": "3b2f7c1e-9a7d-4f0e-8c51-2d7f0a6b9e11",
            "channel": "onsite",
            "category": categories.elevator.pk,
            "unit": tree.building_a1.pk,
            "urgency": "normal",
            "description": "路灯坏了",
            "resident_phone": "13900001111",
        },
        follow=True,
    )
    assert page.status_code == 200
    assert "李娜" not in page.content.decode()
    assert Resident.objects.filter(phone="13900001111").count() == 2
    assert theirs.requests.count() == 1
