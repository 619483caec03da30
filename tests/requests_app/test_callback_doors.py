"""Call-backs through the pages and the API: listed in scope, resident masked, recorded once,
refused for the worker and out of scope at both doors, constant queries for the lists."""

from datetime import datetime, time

import pytest
from django.utils import timezone

from casework.demo import clock
from requests_app.models import Callback, CallbackSample
from requests_app.services.callbacks import callback_samples_draw, month_before, month_start
from requests_app.services.requests import request_answer_on_spot, request_collect


@pytest.fixture
def month():
    return month_before(month_start(timezone.localdate()))


@pytest.fixture
def drawn(tree, people, categories, month):
    """``drawn(n)``: grid_a1's n answers of last month drawn; all of them when n ≤ 3."""

    def make(n, worker=None):
        worker = worker or people.grid_a1
        at = timezone.make_aware(datetime.combine(month.replace(day=3), time(10)))
        with clock(at):
            for i in range(n):
                r = request_collect(
                    actor=worker,
                    channel="onsite",
                    category=categories.facility,
                    unit=tree.building_a1,
                    description=f"楼道灯坏{i}",
                    resident={"name": "王伟", "phone": f"1381234{i:04d}"},
                )
                request_answer_on_spot(request=r, actor=worker, answer="已报修")
        return callback_samples_draw(month=month).drawn

    return make


def test_the_work_list_shows_the_request_and_masks_the_resident(client_as, drawn, people):
    drawn(1)
    call = Callback.objects.get()
    page = client_as(people.supervisor_a).get("/callbacks/")
    assert page.status_code == 200
    text = page.content.decode()
    assert call.request.tracking_code_display in text and "已报修" in text
    assert "13812340000" not in text and "王*" in text


def test_the_page_records_an_outcome_and_refuses_the_worker_and_outsiders(
    client_as, drawn, people
):
    drawn(1, worker=people.supervisor_a)
    call = Callback.objects.get()
    url = f"/callbacks/{call.pk}/record/"
    own = client_as(people.supervisor_a).post(url, {"outcome": "confirmed"})
    assert own.status_code == 403  # found, and refused with the reason: their own answer
    assert client_as(people.supervisor_b).post(url, {"outcome": "confirmed"}).status_code == 404
    no_note = client_as(people.town_supervisor).post(url, {"outcome": "failed", "note": ""})
    assert no_note.status_code == 400
    call.refresh_from_db()
    assert call.outcome == "pending"
    done = client_as(people.town_supervisor).post(url, {"outcome": "failed", "note": "没来过"})
    assert done.status_code == 302
    call.refresh_from_db()
    assert (call.outcome, call.checked_by) == ("failed", people.town_supervisor)
    again = client_as(people.admin).post(url, {"outcome": "confirmed"})
    assert again.status_code == 409


def test_the_api_records_once_with_an_idempotency_key(api_as, drawn, people):
    drawn(1)
    call = Callback.objects.get()
    api = api_as(people.supervisor_a)
    key = {"HTTP_IDEMPOTENCY_KEY": "0b9d3f4e-7c11-4c55-9d55-0c8b6a5b1e01"}
    url = f"/api/v1/callbacks/{call.pk}/record/"
    first = api.post(url, {"outcome": "confirmed"}, format="json", **key)
    second = api.post(url, {"outcome": "confirmed"}, format="json", **key)
    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["outcome"] == "confirmed"
    assert api.post(url, {"outcome": "confirmed"}, format="json").status_code == 409
    assert CallbackSample.objects.get().completed_at is not None


def test_the_api_refuses_the_worker_outsiders_and_bad_input(api_as, drawn, people):
    drawn(1)
    call = Callback.objects.get()
    url = f"/api/v1/callbacks/{call.pk}/record/"
    assert api_as(people.grid_a1).post(url, {"outcome": "confirmed"}).status_code == 404
    assert api_as(people.supervisor_b).post(url, {"outcome": "confirmed"}).status_code == 404
    bad = api_as(people.supervisor_a).post(url, {"outcome": "failed"}, format="json")
    assert bad.status_code == 400 and "note" in bad.json()
    assert api_as(people.supervisor_a).get("/api/v1/callbacks/?outcome=x").status_code == 400
    call.refresh_from_db()
    assert call.outcome == "pending"


def test_the_api_draws_a_month_for_supervisors_only(api_as, drawn, people, tree, month):
    drawn(0)
    url = "/api/v1/callback-samples/draw/"
    assert api_as(people.grid_a1).post(url, {"month": f"{month:%Y-%m}"}).status_code == 403
    assert api_as(people.admin).post(url, {"month": "2026/3"}).status_code == 400
    ok = api_as(people.admin).post(url, {"month": f"{month:%Y-%m}"})
    assert ok.status_code == 201 and ok.json()["drawn"] == []


def test_samples_list_shows_seed_size_rate_and_status(api_as, client_as, drawn, people):
    (sample,) = drawn(12)
    body = api_as(people.supervisor_a).get("/api/v1/callback-samples/").json()
    (row,) = body["results"]
    assert (row["seed"], row["population_size"], row["size"], row["rate"]) == (
        sample.seed,
        12,
        3,
        10,
    )
    assert (row["raised"], row["status"], row["pending"]) == (False, "pending", 3)
    mine = api_as(people.grid_a1).get("/api/v1/callback-samples/").json()
    assert mine["count"] == 1  # the worker sees their own sample
    assert api_as(people.supervisor_b).get("/api/v1/callback-samples/").json()["count"] == 0
    page = client_as(people.supervisor_a).get("/callbacks/samples/")
    assert str(sample.seed) in page.content.decode()


@pytest.mark.parametrize("n", [1, 6])
def test_the_lists_take_constant_queries(
    n, client_as, api_as, drawn, people, django_assert_num_queries
):
    # 1 answer: 1 call-back, 1 sample; 6 answers by each of two workers: 6 call-backs
    # (3 each), 2 samples.
    drawn(n)
    if n > 1:
        drawn(n, worker=people.supervisor_a)
    page = client_as(people.town_supervisor)
    with django_assert_num_queries(PAGE_QUERIES):
        assert page.get("/callbacks/").status_code == 200
    with django_assert_num_queries(SAMPLES_PAGE_QUERIES):
        assert page.get("/callbacks/samples/").status_code == 200
    api = api_as(people.town_supervisor)
    with django_assert_num_queries(API_QUERIES):
        assert api.get("/api/v1/callbacks/").status_code == 200
    with django_assert_num_queries(API_QUERIES):
        assert api.get("/api/v1/callback-samples/").status_code == 200


#: Session, user, scope, the page's count, its rows (call-backs joined, compound annotated),
#: the flagged samples, the inbox count.
PAGE_QUERIES = 7
#: Session, user, scope, the count, the rows with their outcome counts, the inbox count.
SAMPLES_PAGE_QUERIES = 6
#: Session, user, scope, the count, the rows.
API_QUERIES = 5
