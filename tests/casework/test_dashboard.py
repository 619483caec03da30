"""The dashboard: the figures of a unit and each unit below it, scoped, cached until new events."""

from datetime import timedelta

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
    assert body["figures"]["meetings_held"] == 0
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


def test_the_page_shows_the_numbers_beside_the_charts(client_as, open_case, drive, people, tree):
    drive(open_case(), "closed")
    this_month = timezone.localdate().strftime("%Y-%m")
    page = client_as(people.supervisor_a).get(reverse("dashboard"), {"month": this_month})
    page = page.content.decode()
    assert 'data-rate="satisfaction">100.0%<' in page
    assert "<svg" in page and "chart-numbers" in page


def test_the_page_takes_a_quarter(client_as, people):
    page = client_as(people.supervisor_a).get(reverse("dashboard"), {"quarter": "2026Q3"})
    assert "2026-07-01 – 2026-09-30" in page.content.decode()


def test_extensions_and_parked_cases_are_counted_beside_the_rates_never_as_resolved(
    api_as, client_as, open_case, drive, people, tree
):
    extended = drive(open_case(title="延期"), "in_progress")
    services.extension_apply(
        case=extended,
        actor=people.handler_company,
        due_at=extended.due_at + timedelta(days=5),
        reason="等配件",
    )
    services.extension_decide(case=extended, actor=people.supervisor_a, approve=True)
    rejected = drive(open_case(title="驳回"), "in_progress")
    services.extension_apply(
        case=rejected,
        actor=people.handler_company,
        due_at=rejected.due_at + timedelta(days=5),
        reason="等配件",
    )
    services.extension_decide(
        case=rejected, actor=people.supervisor_a, approve=False, note="时限内可完成"
    )
    drive(open_case(title="挂账"), "parked")
    body = (
        api_as(people.town_supervisor)
        .get("/api/v1/dashboard/", {"unit": tree.town.pk, **_period()})
        .json()
    )
    assert (body["extensions"], body["parked"], body["parked_now"]) == (1, 1, 1)
    rows = {row["unit"]["id"]: row for row in body["children"]}
    assert (rows[tree.community_a.pk]["extensions"], rows[tree.community_a.pk]["parked"]) == (1, 1)
    assert (rows[tree.community_b.pk]["extensions"], rows[tree.community_b.pk]["parked"]) == (0, 0)
    # Parked is not resolved: nothing was resolved, so the on-time rate has nothing to judge.
    assert body["rates"]["on_time"] is None
    page = client_as(people.town_supervisor).get(
        reverse("dashboard"),
        {"unit": tree.town.pk, "month": timezone.localdate().strftime("%Y-%m")},
    )
    html = page.content.decode()
    assert 'data-figure="extensions"><strong>1</strong>' in html
    assert 'data-figure="parked_now"><strong><a' in html
    assert '<td data-count="extensions">1</td>' in html
