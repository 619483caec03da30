"""Every requests_app list and single object, page and API, costs an exact number of queries.

Each test builds several rows whose related objects differ (collectors, places, categories,
residents, photos, visits, cases, outcomes), pins the number of queries with
``django_assert_num_queries``, adds as many rows again and pins the same number: the count is
exact, and it does not grow with the rows.

What every signed-in request pays before the view runs: the session and the user (2 queries);
most views then read the viewer's scope (1), and pages with the header count the unread
notifications (1).
"""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.services import category_create
from requests_app.models import Request, Resident
from requests_app.services import (
    request_answer_on_spot,
    request_merge,
    request_open_case,
    request_photo_add,
    request_reject,
    visit_create,
)
from tests.requests_app.conftest import image_bytes, upload, valid_id_number


@pytest.fixture(autouse=True)
def _clean_slate():
    """An empty cache (the working calendar), so a count does not depend on which test ran
    before."""
    cache.clear()


@pytest.fixture
def requests_made(tree, people, categories, collect):
    """``upto(total)``: collect requests until there are ``total``; consecutive ones differ in
    collector, place, category, channel, resident, photos and outcome (still collected,
    answered on the spot, opened as a case, rejected, merged into an earlier case)."""
    made = []
    places = [tree.building_a1, tree.compound_a1, tree.grid_a1, tree.grid_a2]
    kinds = [categories.elevator, categories.facility, categories.subsistence]
    channels = ["onsite", "hotline", "online", "mailbox"]

    def upto(total, **fixed):
        while len(made) < total:
            n = len(made)
            place = fixed.get("unit", places[n % len(places)])
            in_a1 = place.path.startswith(tree.grid_a1.path)
            category = kinds[n % len(kinds)]
            fields = {
                "actor": (people.grid_a1, people.volunteer_a1)[n % 2]
                if in_a1
                else people.supervisor_a,
                "unit": place,
                "category": category,
                "channel": channels[n % len(channels)],
                "description": f"第{n}件：楼道灯坏了，晚上看不见",
                "resident": None
                if n % 4 == 3
                else {"name": f"居民{n}", "phone": f"139{n // 2:08d}", "address": f"{n}号"},
                "photos": [upload(image_bytes("JPEG"))] if n % 3 == 2 else [],
            }
            fields.update(fixed)
            if fields["category"].requires_id_number:
                fields["id_number"] = valid_id_number()
            request = collect(**fields)
            outcome = n % 5
            sup = people.supervisor_a
            if outcome == 1:
                request_answer_on_spot(request=request, actor=sup, answer="已当场解答")
            elif outcome == 2:
                request_open_case(request=request, actor=sup)
            elif outcome == 3:
                request_reject(request=request, actor=sup, reason="不属于诉求")
            elif outcome == 4:
                into = made[n - 2]  # opened as a case two requests ago
                request_merge(request=request, actor=sup, into=into)
            request.refresh_from_db()
            made.append(request)
        return made

    return upto


# --- Requests ----------------------------------------------------------------------------------


def test_the_request_list_page(client_as, people, requests_made, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    for total in (5, 10):
        requests_made(total)
        with django_assert_num_queries(6):
            page = client.get(reverse("requests_app:list"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def test_the_request_list_api(api_as, people, requests_made, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for total in (5, 10):
        requests_made(total)
        with django_assert_num_queries(6):
            body = client.get("/api/v1/requests/", {"page_size": 1000}).json()
        assert body["count"] == total
        assert any(r["photos"] for r in body["results"])


def test_the_request_export(api_as, people, requests_made, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for total in (5, 10):
        requests_made(total)
        with django_assert_num_queries(9):
            response = client.get("/api/v1/requests/", {"format": "xlsx"})
        assert response.status_code == 200
        assert load_workbook(io.BytesIO(response.content)).active.max_row == 1 + total


@pytest.fixture
def collected(people, tree, categories, requests_made, collect):
    """A request still waiting for a decision, like the earlier ones opened as cases about the
    same building: the page offers those as duplicates."""
    requests_made(5, unit=tree.building_a1, category=categories.elevator)
    request = collect(
        actor=people.grid_a1,
        unit=tree.building_a1,
        category=categories.elevator,
        description="第0件：楼道灯坏了，晚上看不见",
        photos=[upload(image_bytes("JPEG")), upload(image_bytes("PNG"))],
    )
    return request


def test_a_request_page(
    client_as, people, tree, categories, collected, requests_made, django_assert_num_queries
):
    client = client_as(people.supervisor_a)
    url = reverse("requests_app:detail", args=[collected.pk])
    for total in (10, 25):  # two requests opened as cases, then five
        requests_made(total, unit=tree.building_a1, category=categories.elevator)
        with django_assert_num_queries(9):
            page = client.get(url)
        assert page.status_code == 200
        assert len(page.context["candidates"]) == total // 5


def test_one_request_over_the_api(api_as, people, collected, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for photos in (2, 5):
        while collected.photos.count() < photos:
            request_photo_add(
                request=collected, actor=people.grid_a1, upload=upload(image_bytes())
            )
        with django_assert_num_queries(5):
            body = client.get(f"/api/v1/requests/{collected.pk}/").json()
        assert len(body["photos"]) == photos


def test_the_duplicates_api_and_partial(
    api_as, client_as, people, tree, categories, requests_made, django_assert_num_queries
):
    query = {
        "category": categories.elevator.pk,
        "unit": tree.building_a1.pk,
        "description": "楼道灯坏了，晚上看不见",
    }
    for total in (10, 25):  # two requests opened as cases, then five (the most shown)
        requests_made(total, unit=tree.building_a1, category=categories.elevator)
        api = api_as(people.grid_a1)
        with django_assert_num_queries(7):
            found = api.get("/api/v1/requests/duplicates/", query).json()
        assert len(found) == total // 5
        assert any(c["request"]["photos"] for c in found)
        page = client_as(people.grid_a1)
        with django_assert_num_queries(7):
            partial = page.post(reverse("requests_app:duplicates"), query)
        assert partial.status_code == 200
        assert len(partial.context["candidates"]) == total // 5


def test_the_tracking_page(client, people, requests_made, django_assert_num_queries):
    """The public page: no session, one look-up by code."""
    for total in (5, 10):
        request = requests_made(total)[-3]  # opened as a case
        assert request.case_id
        with django_assert_num_queries(1):
            page = client.get(reverse("requests_app:track"), {"code": request.tracking_code})
        assert page.status_code == 200 and page.context["found"]["case_opened"]


def test_the_intake_page_lists_the_categories(client_as, people, django_assert_num_queries):
    client = client_as(people.grid_a1)
    made = []
    for total in (5, 10):
        while len(made) < total:
            n = len(made)
            group = category_create(code=f"g{n}", name=f"大类{n}")
            made.append(category_create(code=f"g{n}-x", name=f"小类{n}", parent=group))
        with django_assert_num_queries(6):
            page = client.get(reverse("requests_app:intake"))
        assert page.status_code == 200
        assert len(page.context["categories"]) >= total


# --- Residents ---------------------------------------------------------------------------------


def test_the_resident_list_api(api_as, people, requests_made, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for total in (10, 20):
        requests_made(total)  # about one resident for two requests
        with django_assert_num_queries(5):
            body = client.get("/api/v1/residents/", {"page_size": 1000}).json()
        assert body["count"] == Resident.objects.count() >= total // 2


def test_a_resident_page_and_api(
    api_as, client_as, people, requests_made, django_assert_num_queries
):
    """王伟 asked each time: collected by different people, about different places."""
    wang = {"name": "王伟", "phone": "13812345678"}
    for total in (5, 10):
        resident = requests_made(total, resident=wang)[0].resident
        page = client_as(people.supervisor_a)
        with django_assert_num_queries(7):
            response = page.get(reverse("requests_app:resident", args=[resident.pk]))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == total
        api = api_as(people.supervisor_a)
        with django_assert_num_queries(4):
            body = api.get(f"/api/v1/residents/{resident.pk}/").json()
        assert body["request_count"] == total


def test_the_resident_lookup_partial(client_as, people, requests_made, django_assert_num_queries):
    client = client_as(people.grid_a1)
    for total in (5, 10):
        requests_made(total)
        with django_assert_num_queries(4):
            page = client.post(reverse("requests_app:resident-lookup"), {"phone": "13900000000"})
        assert page.status_code == 200 and page.context["resident"]


# --- Visits ------------------------------------------------------------------------------------


@pytest.fixture
def visits_made(tree, people, categories, collect):
    """``upto(total)``: visits by different people to different places, until ``total``, each
    with its own requests and outcomes."""
    made = []
    trips = [
        (people.grid_a1, tree.grid_a1, "grid_round"),
        (people.supervisor_a, tree.community_a, "secretary"),
        (people.volunteer_a1, tree.compound_a1, "secretary"),
        (people.supervisor_a, tree.grid_a2, "feedback_day"),
    ]
    places = {
        tree.grid_a1.pk: tree.building_a1,
        tree.community_a.pk: tree.compound_a1,
        tree.compound_a1.pk: tree.building_a1,
        tree.grid_a2.pk: tree.grid_a2,
    }

    def upto(total):
        while len(made) < total:
            n = len(made)
            visitor, unit, kind = trips[n % len(trips)]
            visit = visit_create(
                actor=visitor,
                unit=unit,
                kind=kind,
                visited_at=timezone.now() - timedelta(hours=n + 1),
            )
            for k in range(n % 3 + 1):
                request = collect(
                    actor=visitor,
                    unit=places[unit.pk],
                    visit=visit,
                    category=categories.facility,
                    resident={"name": f"居民{n}-{k}", "phone": f"137{n:04d}{k:04d}"},
                )
                if k == 1:
                    request_answer_on_spot(request=request, actor=visitor, answer="已解答")
                elif k == 2:
                    request_open_case(request=request, actor=people.supervisor_a)
            made.append(visit)
        return made

    return upto


def test_the_visit_list_page(client_as, people, visits_made, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    for total in (5, 10):
        visits_made(total)
        with django_assert_num_queries(6):
            page = client.get(reverse("requests_app:visits"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def test_the_visit_list_api(api_as, people, visits_made, django_assert_num_queries):
    client = api_as(people.supervisor_a)
    for total in (5, 10):
        visits_made(total)
        with django_assert_num_queries(5):
            body = client.get("/api/v1/visits/", {"page_size": 1000}).json()
        assert body["count"] == total
        assert sum(v["counts"]["collected"] for v in body["results"]) > total


def test_a_visit_page_and_api(
    api_as, client_as, people, tree, categories, visits_made, collect, django_assert_num_queries
):
    (visit,) = visits_made(1)  # a grid worker's round of grid A1
    for total in (5, 10):
        while Request.objects.filter(visit=visit).count() < total:
            n = Request.objects.filter(visit=visit).count()
            request = collect(
                actor=people.grid_a1,
                unit=(tree.building_a1, tree.compound_a1, tree.grid_a1)[n % 3],
                visit=visit,
                category=(categories.facility, categories.elevator)[n % 2],
                resident=None if n % 3 == 2 else {"name": f"居民{n}", "phone": f"136{n:08d}"},
                photos=[upload(image_bytes())] if n % 2 else [],
            )
            if n % 2:
                request_open_case(request=request, actor=people.supervisor_a)
        page = client_as(people.supervisor_a)
        with django_assert_num_queries(6):
            response = page.get(reverse("requests_app:visit", args=[visit.pk]))
        assert response.status_code == 200
        assert len(response.context["requests"]) == total
        api = api_as(people.supervisor_a)
        with django_assert_num_queries(4):
            body = api.get(f"/api/v1/visits/{visit.pk}/").json()
        assert body["counts"]["collected"] == total
