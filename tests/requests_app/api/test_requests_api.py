"""The requests API: create (idempotent), list and detail (scoped, masked, constant queries),
the decisions, duplicates, photos and revealing personal data."""

import uuid

import pytest

from casework.models import Case
from requests_app.models import IdempotencyKey, PersonalDataAccess, Request, RequestPhoto
from requests_app.services import request_open_case
from tests.requests_app.conftest import image_bytes, media_files, upload, valid_id_number

URL = "/api/v1/requests/"


@pytest.fixture
def body(tree, categories):
    return {
        "channel": "onsite",
        "category": categories.elevator.pk,
        "unit": tree.building_a1.pk,
        "description": "1栋电梯停在半层",
        "urgency": "urgent",
        "resident": {"name": "王伟", "phone": "138 1234 5678", "address": "阳光小区1栋301"},
    }


def post(client, data, key=None, fmt="json"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, data, format=fmt, **headers)


def test_create_answers_the_contract_with_the_phone_masked(api_as, people, body):
    response = post(api_as(people.grid_a1), body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "collected"
    assert len(data["tracking_code"]) == 10
    assert data["case"] is None
    assert data["resident"]["phone"] == "138****5678"
    assert "13812345678" not in response.content.decode()
    assert data["urgency"] == "urgent" and data["channel"] == "onsite"
    assert Request.objects.get().pk == data["id"]


def test_create_with_an_id_number_answers_it_masked(api_as, people, body, categories):
    number = valid_id_number()
    body.update(category=categories.subsistence.pk, id_number=number)
    response = post(api_as(people.grid_a1), body)
    assert response.status_code == 201
    assert response.json()["id_number"] == number[:4] + "**********" + number[-4:]
    assert number not in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "carrier-pigeon"}, "channel"),
        ({"category": 999999}, "category"),
        ({"unit": 999999}, "unit"),
        ({"description": ""}, "description"),
        ({"description": "长" * 2001}, "description"),
        ({"urgency": "now"}, "urgency"),
        ({"resident": {"name": "王伟", "phone": "12345"}}, "resident.phone"),
        ({"id_number": "450923199001011234"}, "id_number"),
        ({"visit": 999999}, "visit"),
        ({"latitude": "95.0", "longitude": "110.0"}, "latitude"),
        ({"outcome": "answer_on_spot"}, "answer"),
        ({"outcome": "merge"}, "merge_into"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_as, people, body, change, field):
    body.update(change)
    response = post(api_as(people.grid_a1), body)
    assert response.status_code == 400
    data = response.json()
    if "." in field:
        parent, child = field.split(".")
        assert child in data.get(parent, {}) or field in data
    else:
        assert field in data
    assert not Request.objects.exists()


def test_a_unit_out_of_scope_is_a_400_that_reveals_nothing(api_as, people, body, tree):
    body["unit"] = tree.compound_b1.pk
    response = post(api_as(people.grid_a1), body)
    assert response.status_code == 400
    assert response.json()["code"] == "does_not_exist"


def test_html_in_text_is_stored_as_text(api_as, people, body):
    body["description"] = "<script>alert(1)</script>"
    response = post(api_as(people.grid_a1), body)
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["description"] == "<script>alert(1)</script>"


# --- Idempotency --------------------------------------------------------------------------------


def test_the_same_key_replayed_returns_the_first_response_and_creates_nothing(
    api_as, people, body
):
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())
    first = post(client, body, key)
    again = post(client, dict(reversed(list(body.items()))), key)  # same body, other key order
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Request.objects.count() == 1
    assert IdempotencyKey.objects.get().status_code == 201


def test_the_same_key_with_another_body_is_a_409(api_as, people, body):
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())
    assert post(client, body, key).status_code == 201
    body["description"] = "另一件事"
    response = post(client, body, key)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in response.json()
    assert Request.objects.count() == 1


def test_a_key_belongs_to_its_user(api_as, people, body):
    key = str(uuid.uuid4())
    assert post(api_as(people.grid_a1), body, key).status_code == 201
    assert post(api_as(people.supervisor_a), body, key).status_code == 201
    assert Request.objects.count() == 2


@pytest.mark.parametrize(
    "key", ["not-a-uuid", "x" * 256, "b9dc8d37-505c-4ce0-994a-33d9ecf02ce8" + "a" * 220]
)
def test_a_malformed_or_long_key_is_a_400(api_as, people, body, key):
    response = post(api_as(people.grid_a1), body, key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Request.objects.exists()


def test_a_failed_create_does_not_burn_the_key(api_as, people, body):
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())
    bad = dict(body, resident={"name": "王伟", "phone": "123"})
    assert post(client, bad, key).status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(client, body, key).status_code == 201


def test_a_multipart_resend_with_photos_is_one_request(api_as, people, body, _media):
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())

    def form():
        return {
            "channel": "onsite",
            "category": body["category"],
            "unit": body["unit"],
            "description": body["description"],
            "resident.name": "王伟",
            "resident.phone": "13812345678",
            "outcome": "answer_on_spot",
            "answer": "已联系维保",
            "photos": [upload(image_bytes("JPEG")), upload(image_bytes("PNG"), name="b.png")],
        }

    first = post(client, form(), key, fmt="multipart")
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "answered_on_spot"
    assert len(first.json()["photos"]) == 2
    again = post(client, form(), key, fmt="multipart")
    assert again.status_code == 201 and again.json() == first.json()
    assert Request.objects.count() == 1
    assert RequestPhoto.objects.count() == 2
    assert len(media_files(_media)) == 2


# --- Photos -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "status"),
    [
        (b"#!/bin/sh\necho pwned\n", "photo.jpg", 400),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "photo.svg", 400),
    ],
)
def test_bad_photos_at_create_store_nothing(api_as, people, body, _media, content, name, status):
    data = {k: v for k, v in body.items() if k != "resident"}
    data["photos"] = [upload(content, name=name)]
    response = post(api_as(people.grid_a1), data, fmt="multipart")
    assert response.status_code == status
    assert "photos" in response.json()
    assert not Request.objects.exists()
    assert media_files(_media) == []


def test_an_oversized_photo_is_a_413_and_stores_nothing(api_as, people, body, _media, settings):
    settings.MINQING_PHOTO_MAX_BYTES = 2000
    data = {k: v for k, v in body.items() if k != "resident"}
    data["photos"] = [upload(image_bytes("JPEG", size=(400, 400), quality=100))]
    response = post(api_as(people.grid_a1), data, fmt="multipart")
    assert response.status_code == 413
    assert "photos" in response.json()
    assert not Request.objects.exists()
    assert media_files(_media) == []


def test_a_photo_added_later_is_served_only_to_those_in_scope(
    api_as, client_as, people, collect, _media
):
    request = collect()
    client = api_as(people.grid_a1)
    response = client.post(
        f"{URL}{request.pk}/photos/", {"image": upload(image_bytes("WEBP"))}, format="multipart"
    )
    assert response.status_code == 201
    url = response.json()["url"]
    page = client_as(people.grid_a1).get(url)
    assert page.status_code == 200 and page["Content-Type"] == "image/jpeg"
    assert client_as(people.grid_b1).get(url).status_code == 404
    bomb = client.post(
        f"{URL}{request.pk}/photos/",
        {"image": upload(b"GIF89a", name="x.gif")},
        format="multipart",
    )
    assert bomb.status_code == 400 and "photos" in bomb.json()
    assert RequestPhoto.objects.count() == 1


# --- List and detail ----------------------------------------------------------------------------


def test_the_list_is_scoped_and_masked(api_as, people, collect, tree):
    mine = collect()
    collect(actor=people.grid_b1, unit=tree.compound_b1, resident={"phone": "13900001111"})
    body = api_as(people.grid_a1).get(URL).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [r["id"] for r in body["results"]] == [mine.pk]
    assert body["results"][0]["resident"]["phone"] == "138****5678"
    assert api_as(people.supervisor_a).get(URL).json()["count"] == 1
    assert api_as(people.admin).get(URL).json()["count"] == 2


def test_a_request_out_of_scope_is_a_404(api_as, people, collect):
    request = collect()
    client = api_as(people.grid_b1)
    assert client.get(f"{URL}{request.pk}/").status_code == 404
    for action, data in [
        ("answer-on-spot", {"answer": "x"}),
        ("open-case", {}),
        ("reject", {"reason": "x"}),
        ("reveal", {"field": "phone"}),
    ]:
        assert client.post(f"{URL}{request.pk}/{action}/", data, format="json").status_code == 404
    request.refresh_from_db()
    assert request.status == "collected"
    assert not PersonalDataAccess.objects.exists()


def test_the_list_filters(api_as, people, collect, tree, categories):
    a = collect(channel="hotline", description="电梯坏了")
    b = collect(
        channel="online",
        category=categories.facility,
        unit=tree.compound_a1,
        description="路灯不亮",
    )
    request_open_case(request=b, actor=people.grid_a1)
    c = collect(
        actor=people.supervisor_a,
        channel="volunteer",
        unit=tree.grid_a2,
        description="垃圾没人清运",
    )
    client = api_as(people.supervisor_a)

    def ids(**params):
        return {r["id"] for r in client.get(URL, params).json()["results"]}

    assert ids(status="case_opened") == {b.pk}
    assert ids(status=["collected", "case_opened"]) == {a.pk, b.pk, c.pk}
    assert ids(channel="hotline") == {a.pk}
    assert ids(category=categories.property.pk) == {a.pk, b.pk, c.pk}
    assert ids(category=categories.elevator.pk) == {a.pk, c.pk}
    assert ids(category=categories.facility.pk) == {b.pk}
    assert ids(unit=tree.grid_a1.pk) == {a.pk, b.pk}
    assert ids(unit=tree.grid_b1.pk) == set()
    assert ids(q="路灯") == {b.pk}
    assert ids(q=c.tracking_code.lower()) == {c.pk}
    assert ids(collected_after="2000-01-01") == {a.pk, b.pk, c.pk}
    assert ids(collected_before="2000-01-01") == set()
    assert ids(resident=a.resident_id) == {a.pk, b.pk, c.pk}  # one phone, one resident
    assert ids(mine="true") == {c.pk}


# --- Decisions through the API -----------------------------------------------------------------


def test_answer_on_spot_and_open_case_actions(api_as, people, collect):
    client = api_as(people.grid_a1)
    a, b = collect(), collect()
    response = client.post(f"{URL}{a.pk}/answer-on-spot/", {"answer": "已答复"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "answered_on_spot"
    assert client.post(f"{URL}{a.pk}/answer-on-spot/", {}, format="json").status_code == 400
    again = client.post(f"{URL}{a.pk}/open-case/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    opened = client.post(f"{URL}{b.pk}/open-case/", {}, format="json")
    assert opened.status_code == 200
    case = Case.objects.get()
    assert opened.json()["case"] == case.pk
    assert opened.json()["status"] == "case_opened"


def test_merge_and_reject_actions(api_as, people, collect):
    client = api_as(people.grid_a1)
    first, second, third = collect(), collect(), collect()
    request_open_case(request=first, actor=people.grid_a1)
    response = client.post(f"{URL}{second.pk}/merge/", {"into": first.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["merged_into"] == first.pk
    first.refresh_from_db()
    assert response.json()["case"] == first.case_id is not None
    missing = client.post(f"{URL}{third.pk}/merge/", {"into": 999999}, format="json")
    assert missing.status_code == 400 and "into" in missing.json()
    assert client.post(f"{URL}{third.pk}/reject/", {}, format="json").status_code == 400
    rejected = client.post(f"{URL}{third.pk}/reject/", {"reason": "骚扰电话"}, format="json")
    assert rejected.json()["status"] == "rejected"


def test_reveal_shows_in_full_and_records_the_access(api_as, people, collect, categories):
    number = valid_id_number()
    request = collect(category=categories.subsistence, id_number=number)
    client = api_as(people.supervisor_a)
    why = "回访"
    phone = client.post(
        f"{URL}{request.pk}/reveal/", {"field": "phone", "reason": why}, format="json"
    )
    assert phone.json() == {"phone": "13812345678"}
    id_number = client.post(
        f"{URL}{request.pk}/reveal/", {"field": "id_number", "reason": why}, format="json"
    )
    assert id_number.json() == {"id_number": number}
    assert list(PersonalDataAccess.objects.order_by("id").values_list("field", "actor")) == [
        ("phone", people.supervisor_a.pk),
        ("id_number", people.supervisor_a.pk),
    ]
    # The detail still masks.
    detail = client.get(f"{URL}{request.pk}/").json()
    assert detail["resident"]["phone"] == "138****5678"


def test_duplicates_are_found_before_saving(api_as, people, collect, tree, categories):
    earlier = collect(description="1栋电梯停在半层，老人不敢坐")
    request_open_case(request=earlier, actor=people.grid_a1)
    collect(description="1栋电梯停在半层，老人不敢坐")  # collected, no case: not a candidate
    other = collect(category=categories.facility, description="1栋电梯停在半层，老人不敢坐")
    request_open_case(request=other, actor=people.grid_a1)
    client = api_as(people.grid_a1)
    params = {
        "category": categories.elevator.pk,
        "unit": tree.compound_a1.pk,
        "description": "1栋的电梯又停在半层了",
    }
    found = client.get(URL + "duplicates/", params).json()
    assert [c["request"]["id"] for c in found] == [earlier.pk]
    assert 0 < found[0]["score"] <= 1
    unrelated = client.get(URL + "duplicates/", dict(params, description="物业费太贵")).json()
    assert unrelated == []
    far = client.get(URL + "duplicates/", dict(params, unit=tree.grid_a2.pk)).json()
    assert far == []
    assert client.get(URL + "duplicates/", {"unit": tree.grid_a1.pk}).status_code == 400
