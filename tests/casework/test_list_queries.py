"""Lists not pinned elsewhere keep a constant number of SQL queries however many rows."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services


def _count(call):
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200
    return len(ctx)


def test_the_inbox_api_and_page(api_as, client_as, open_case, drive, people):
    drive(open_case(), "assigned")
    api = api_as(people.handler_company)
    small_api = _count(lambda: api.get("/api/v1/notifications/", {"page_size": 1000}))
    page = client_as(people.handler_company)
    small_page = _count(lambda: page.get(reverse("inbox")))
    for i in range(8):
        drive(open_case(title=f"c{i}"), "assigned")
    assert _count(lambda: api.get("/api/v1/notifications/", {"page_size": 1000})) == small_api
    assert _count(lambda: page.get(reverse("inbox"))) == small_page


def _meeting(people, tree, case):
    return services.meeting_create(
        actor=people.supervisor_a,
        unit=tree.community_a,
        held_at=timezone.now() - timedelta(hours=1),
        place="议事厅",
        topic="议题",
        participants=[("residents_committee", "张主任"), ("property_company", "王经理")],
        cases=[case],
    )


def test_the_meetings_api_and_page(api_as, client_as, open_case, people, tree):
    _meeting(people, tree, open_case())
    api = api_as(people.supervisor_a)
    small_api = _count(lambda: api.get("/api/v1/meetings/", {"page_size": 1000}))
    page = client_as(people.supervisor_a)
    small_page = _count(lambda: page.get(reverse("meeting-list")))
    for i in range(6):
        _meeting(people, tree, open_case(title=f"m{i}"))
    assert _count(lambda: api.get("/api/v1/meetings/", {"page_size": 1000})) == small_api
    assert _count(lambda: page.get(reverse("meeting-list"))) == small_page


def test_my_cases_page(client_as, open_case, drive, people):
    drive(open_case(), "assigned")
    page = client_as(people.handler_company)
    small = _count(lambda: page.get(reverse("case-mine")))
    for i in range(8):
        drive(open_case(title=f"c{i}"), "in_progress")
    assert _count(lambda: page.get(reverse("case-mine"))) == small
