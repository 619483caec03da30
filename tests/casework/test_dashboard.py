"""The dashboard: the figures of a unit and each unit below it, scoped, cached until new events."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services


def _period():
    today = timezone.localdate()
    return {
        "from": (today - timedelta(days=3)).isoformat(),
        "to": (today + timedelta(days=40)).isoformat(),
    }


def test_the_dashboard_has_rates_for_the_unit_and_each_unit_below(
    api_as, open_case, drive, people, tree
):
    drive(open_case(title="满意"), "closed")
    case = drive(open_case(title="不满意"), "resolved")
    services.feedback_record(
        case=case, actor=people.grid_a1, solved=False, satisfaction="unsatisfied"
    )
    body = (
        api_as(people.town_supervisor)
        .get("/api/v1/dashboard/", {"unit": tree.town.pk, **_period()})
        .json()
    )
    assert body["unit"]["id"] == tree.town.pk
    assert set(body["rates"]) == {
        "response",
        "resolution",
        "satisfaction",
        "on_time",
        "return",
        "redo",
    }
    assert body["rates"]["satisfaction"] == 0.5
    rows = {row["unit"]["id"]: row for row in body["children"]}
    assert rows[tree.community_a.pk]["rates"]["satisfaction"] == 0.5
    assert rows[tree.community_a.pk]["flagged"] is True
    assert rows[tree.community_b.pk]["rates"]["satisfaction"] is None
    assert rows[tree.community_b.pk]["flagged"] is False
    assert body["volumes"]["cases_opened"] == 2
    by_state = {row["state"]: row["cases"] for row in body["volumes"]["cases_by_state"]}
    assert by_state == {"closed": 1, "reopened": 1}
    assert [r["unit"]["id"] for r in body["red_list"]] == [tree.community_a.pk]
    assert body["figures"]["consultations_held"] == 0
    assert len(body["trend"]) == 6


def test_the_default_is_the_widest_unit_and_this_month(api_as, people, tree):
    body = api_as(people.supervisor_a).get("/api/v1/dashboard/").json()
    assert body["unit"]["id"] == tree.community_a.pk
    assert body["from"] == timezone.localdate().replace(day=1).isoformat()


def test_a_unit_out_of_scope_is_404(api_as, client_as, people, tree):
    assert (
        api_as(people.grid_a1).get("/api/v1/dashboard/", {"unit": tree.community_a.pk}).status_code
        == 404
    )
    assert (
        client_as(people.grid_a1).get(reverse("dashboard"), {"unit": tree.grid_b1.pk}).status_code
        == 404
    )


def test_bad_dates_name_the_field(api_as, people):
    response = api_as(people.admin).get("/api/v1/dashboard/", {"from": "2026-13-01"})
    assert response.status_code == 400 and "from" in response.json()
    response = api_as(people.admin).get(
        "/api/v1/dashboard/", {"from": "2026-05-01", "to": "2026-04-01"}
    )
    assert response.status_code == 400 and "to" in response.json()


def test_new_events_invalidate_the_cached_dashboard(
    api_as, open_case, drive, people, tree, django_capture_on_commit_callbacks
):
    client = api_as(people.supervisor_a)
    first = client.get("/api/v1/dashboard/", _period()).json()
    assert first["volumes"]["cases_opened"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        open_case()
    assert client.get("/api/v1/dashboard/", _period()).json()["volumes"]["cases_opened"] == 1


def test_the_dashboard_takes_the_same_queries_however_many_cases(
    api_as, open_case, drive, people, tree, settings
):
    settings.MINQING_DASHBOARD_CACHE_SECONDS = 0
    client = api_as(people.admin)
    drive(open_case(), "closed")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/dashboard/", {"unit": tree.county.pk, **_period()})
    for i in range(6):
        drive(open_case(title=f"c{i}"), "closed")
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as large:
        body = client.get("/api/v1/dashboard/", {"unit": tree.county.pk, **_period()}).json()
    assert body["volumes"]["cases_opened"] == 7
    assert len(large) == len(small)


def test_the_page_shows_the_numbers_beside_the_charts(client_as, open_case, drive, people, tree):
    drive(open_case(), "closed")
    page = client_as(people.supervisor_a).get(reverse("dashboard")).content.decode()
    assert 'data-rate="satisfaction">100.0%<' in page
    assert "<svg" in page and "chart-numbers" in page


def test_the_page_takes_a_quarter(client_as, people):
    page = client_as(people.supervisor_a).get(reverse("dashboard"), {"quarter": "2026Q3"})
    assert "2026-07-01 – 2026-09-30" in page.content.decode()
