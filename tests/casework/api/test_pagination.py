"""Pages of API lists hold at most 200 rows, whatever ``page_size`` asks."""

import pytest
from django.utils import timezone

from casework.api.pagination import MAX_PAGE_SIZE
from casework.models import Notification, NotificationKind


@pytest.fixture
def inbox_of_205(people):
    # Rows written directly: paging is about counts, not about how notifications come to be.
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            user=people.grid_a1, kind=NotificationKind.ASSIGNED, text=f"n{i}", created_at=now
        )
        for i in range(205)
    )


@pytest.mark.parametrize("asked", ["100000", "201", "99999999999999999999"])
def test_a_page_size_over_the_cap_gets_the_cap(api_as, people, inbox_of_205, asked):
    body = api_as(people.grid_a1).get("/api/v1/notifications/", {"page_size": asked}).json()
    assert MAX_PAGE_SIZE == 200
    assert body["count"] == 205
    assert len(body["results"]) == 200
    assert body["next"]


def test_the_rest_is_on_the_next_page(api_as, people, inbox_of_205):
    client = api_as(people.grid_a1)
    body = client.get("/api/v1/notifications/", {"page_size": 100000, "page": 2}).json()
    assert len(body["results"]) == 5 and body["next"] is None


@pytest.mark.parametrize(("asked", "rows"), [("7", 7), ("0", 50), ("-3", 50), ("x", 50)])
def test_other_page_sizes(api_as, people, inbox_of_205, asked, rows):
    body = api_as(people.grid_a1).get("/api/v1/notifications/", {"page_size": asked}).json()
    assert len(body["results"]) == rows
