"""The case API honours Idempotency-Key like the requests API: an offline tablet's outbox may
resend a feedback, a note or a photo, and the case is acted on once."""

import uuid

from casework.models import CaseEvent
from requests_app.models import IdempotencyKey


def url(case, action):
    return f"/api/v1/cases/{case.pk}/{action}/"


def test_the_same_key_replays_the_first_answer(api_as, open_case, people, drive):
    case = drive(open_case(), "resolved")
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())
    body = {"solved": True, "satisfaction": "satisfied", "note": "住户满意"}
    first = client.post(url(case, "feedback"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 200 and first.json()["state"] == "closed"
    again = client.post(url(case, "feedback"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert CaseEvent.objects.filter(case=case, kind="feedback").count() == 1
    assert IdempotencyKey.objects.filter(key=key).count() == 1


def test_a_note_resent_is_added_once(api_as, open_case, people):
    case = open_case()
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())
    for _ in range(3):
        response = client.post(
            url(case, "note"), {"text": "楼道灯已报修"}, format="json", HTTP_IDEMPOTENCY_KEY=key
        )
        assert response.status_code == 200
    assert CaseEvent.objects.filter(case=case, kind="note").count() == 1


def test_the_same_key_with_another_body_is_refused(api_as, open_case, people):
    case = open_case()
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())
    assert (
        client.post(
            url(case, "note"), {"text": "第一条"}, format="json", HTTP_IDEMPOTENCY_KEY=key
        ).status_code
        == 200
    )
    response = client.post(
        url(case, "note"), {"text": "另一条"}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert CaseEvent.objects.filter(case=case, kind="note").count() == 1


def test_the_same_key_on_another_case_is_refused(api_as, open_case, people):
    one, two = open_case(), open_case(title="另一件")
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())
    body = {"text": "同一条"}
    assert (
        client.post(url(one, "note"), body, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code
        == 200
    )
    response = client.post(url(two, "note"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 409
    assert not CaseEvent.objects.filter(case=two, kind="note").exists()


def test_a_refused_action_keeps_no_key_so_it_can_be_fixed_and_resent(
    api_as, open_case, people, drive
):
    case = drive(open_case(), "resolved")
    client = api_as(people.grid_a1)
    key = str(uuid.uuid4())
    stale = {"solved": True, "satisfaction": "satisfied", "version": 1}
    response = client.post(url(case, "feedback"), stale, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    assert not IdempotencyKey.objects.filter(key=key).exists()
    fresh = {**stale, "version": response.json()["version"]}
    new_key = str(uuid.uuid4())
    response = client.post(
        url(case, "feedback"), fresh, format="json", HTTP_IDEMPOTENCY_KEY=new_key
    )
    assert response.status_code == 200 and response.json()["state"] == "closed"


def test_a_malformed_key_names_the_header(api_as, open_case, people):
    case = open_case()
    response = api_as(people.grid_a1).post(
        url(case, "note"), {"text": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="not-a-uuid"
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
