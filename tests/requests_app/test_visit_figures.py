"""The 民情书记's visit figures (民情书记下访): the selector, the page, the API and the dashboard,
each against the hand-counted fixture of ``visit_fixtures``."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from casework.models import Role
from casework.selectors.dashboard import period_bounds
from casework.services import membership_grant, person_create
from requests_app.selectors.visit_figures import COUNT_KEYS, visit_figures
from requests_app.services import request_collect, visit_create
from tests.requests_app import visit_fixtures as fx


@pytest.fixture(autouse=True)
def _fresh_dashboard_cache():
    cache.clear()
    yield
    cache.clear()


def _today():
    return timezone.localdate()


def _period():
    return period_bounds(_today(), _today())


def _counts(row):
    return {key: row[key] for key in COUNT_KEYS}


@pytest.fixture
def report(tree, people, categories):
    return fx.build(tree, people, categories)


def test_the_problem_as_reported_all_channels_do_not_add_up(report, tree):
    """Before: the dashboard counted every request of every channel as collected, so merged,
    rejected and pending requests, hotline calls and grid rounds inflated it and on the spot +
    assisted fell short. The all-channel volume is still there, labelled as such; the report's
    words now mean the visits' figures, which add up."""
    from casework.figures import figures

    start, end = _period()
    found = figures(unit=tree.county, start=start, end=end)
    assert found["requests_collected"] == fx.ALL_CHANNELS == 91
    assert found["visit_collected"] == 89
    assert found["visit_answered_on_spot"] + found["visit_assisted"] == 86  # 73 + 13
    assert (
        found["visit_answered_on_spot"]
        + found["visit_assisted"]
        + found["visit_merged"]
        + found["visit_rejected"]
        + found["visit_pending"]
        == found["visit_collected"]
    )


def test_the_reports_replay_one_secretary_84_72_12(tree, people, categories):
    fx.build(tree, people, categories, extras=False)
    start, end = _period()
    figures = visit_figures(unit=tree.county, start=start, end=end)
    assert figures["totals"] == {
        "visits": 2,
        "secretaries": 1,
        "collected": 84,
        "answered_on_spot": 72,
        "assisted": 12,
        "merged": 0,
        "rejected": 0,
        "pending": 0,
    }
    assert [r["person"]["name"] for r in figures["secretaries"]] == ["甲书记"]
    assert "2" in figures["summary"] and "84" in figures["summary"] and "72" in figures["summary"]


def test_county_totals_per_secretary_per_town_and_per_community(report, tree):
    start, end = _period()
    figures = visit_figures(unit=tree.county, start=start, end=end)
    assert figures["totals"] == fx.COUNTY
    assert figures["kinds"] == ["secretary", "feedback_day"]
    assert figures["from"] == figures["to"] == _today().isoformat()
    people = {r["person"]["username"]: _counts(r) for r in figures["secretaries"]}
    assert people == {"sec-jia": fx.JIA, "sec-yi": fx.YI}
    # A county's units below are its towns: one town holds everything.
    assert [(r["unit"]["name"], r["itself"]) for r in figures["units"]] == [("博白镇", False)]
    town = _counts(figures["units"][0])
    assert town == {k: v for k, v in fx.COUNTY.items() if k != "secretaries"}
    by_community = {r["unit"]["name"]: _counts(r) for r in figures["communities"]}
    assert by_community == {"城东社区": fx.JIA, "城西社区": fx.YI}


def test_town_rows_are_its_communities_and_a_community_its_grids(report, tree):
    start, end = _period()
    town = visit_figures(unit=tree.town, start=start, end=end)
    assert town["totals"] == fx.COUNTY
    assert {r["unit"]["name"]: _counts(r) for r in town["units"]} == {
        "城东社区": fx.JIA,
        "城西社区": fx.YI,
    }
    assert town["communities"] == []
    community = visit_figures(unit=tree.community_a, start=start, end=end)
    assert community["totals"] == {**fx.JIA, "secretaries": 1}
    assert [(r["unit"]["name"], _counts(r)) for r in community["units"]] == [("A1网格", fx.JIA)]
    other = visit_figures(unit=tree.community_b, start=start, end=end)
    assert other["totals"] == {**fx.YI, "secretaries": 1}


def test_a_visit_recorded_at_the_unit_itself_has_its_own_row(tree, people, categories):
    jia = fx.secretary_of(tree.community_a, "sec-jia", "甲书记")
    at_community = visit_create(actor=jia, unit=tree.community_a)
    fx.log(at_community, jia, tree.building_a1, categories.elevator, on_spot=2)
    start, end = _period()
    figures = visit_figures(unit=tree.community_a, start=start, end=end)
    rows = [
        (r["unit"]["name"], r["itself"], r["visits"], r["collected"]) for r in figures["units"]
    ]
    assert rows == [("城东社区", True, 1, 2)]


def test_the_period_is_the_visits_date(report, tree, people):
    """A visit counts in the period it was made; one last month is not this month's."""
    old = visit_create(
        actor=report.jia, unit=tree.compound_a1, visited_at=timezone.now() - timedelta(days=40)
    )
    assert old.pk
    start, end = _period()
    assert visit_figures(unit=tree.county, start=start, end=end)["totals"]["visits"] == 3
    last = timezone.localtime(old.visited_at).date()
    start, end = period_bounds(last, last)
    figures = visit_figures(unit=tree.county, start=start, end=end)
    assert figures["totals"]["visits"] == 1 and figures["totals"]["collected"] == 0
    tomorrow = _today() + timedelta(days=1)
    start, end = period_bounds(tomorrow, tomorrow)
    assert visit_figures(unit=tree.county, start=start, end=end)["totals"]["visits"] == 0


def test_the_figures_take_four_queries_however_many_rows(
    tree, people, categories, django_assert_num_queries
):
    jia = fx.secretary_of(tree.community_a, "sec-jia", "甲书记")
    visit = visit_create(actor=jia, unit=tree.compound_a1)
    fx.log(visit, jia, tree.building_a1, categories.elevator, on_spot=1)
    start, end = _period()
    with django_assert_num_queries(4):
        one = visit_figures(unit=tree.county, start=start, end=end)
    assert one["totals"]["visits"] == 1 and len(one["secretaries"]) == 1
    for n in range(3):
        someone = fx.secretary_of(tree.community_b, f"sec-{n}", f"书记{n}")
        v = visit_create(actor=someone, unit=tree.compound_b1)
        fx.log(v, someone, tree.compound_b1, categories.elevator, on_spot=1, assisted=1)
    with django_assert_num_queries(4):
        many = visit_figures(unit=tree.county, start=start, end=end)
    assert many["totals"]["visits"] == 4 and len(many["secretaries"]) == 4
    with django_assert_num_queries(3):  # a town: its communities are its units below
        visit_figures(unit=tree.town, start=start, end=end)


# --- The page and the API, as each role --------------------------------------------------------


def _params():
    day = _today().isoformat()
    return {"from": day, "to": day}


@pytest.mark.parametrize(
    ("who", "unit", "expected"),
    [
        ("admin", "county", fx.COUNTY),
        ("town_supervisor", "town", fx.COUNTY),
        ("supervisor_a", "community_a", {**fx.JIA, "secretaries": 1}),
        ("supervisor_b", "community_b", {**fx.YI, "secretaries": 1}),
        ("jia", "community_a", {**fx.JIA, "secretaries": 1}),
    ],
)
def test_the_page_and_the_api_show_the_same_figures_to_each_role(
    report, people, tree, client_as, api_as, who, unit, expected
):
    viewer = getattr(report, who, None) or getattr(people, who)
    unit = getattr(tree, unit)
    page = client_as(viewer).get(
        reverse("requests_app:visit-figures"), {"unit": unit.pk, **_params()}
    )
    assert page.status_code == 200
    assert page.context["figures"]["totals"] == expected
    html = page.content.decode()
    assert f'data-figure="collected"><strong>{expected["collected"]}<' in html
    assert f'data-figure="answered_on_spot"><strong>{expected["answered_on_spot"]}<' in html
    body = api_as(viewer).get("/api/v1/visits/figures/", {"unit": unit.pk, **_params()})
    assert body.status_code == 200
    assert body.json()["totals"] == expected


@pytest.mark.parametrize("who", ["grid_a1", "volunteer_a1", "handler_company"])
def test_field_roles_and_handlers_see_only_their_own_places(
    report, people, client_as, api_as, who
):
    """Their widest unit is a grid or a company: both of 甲's visits went to the A1 grid (V1 to
    阳光小区 in it, V2 to the grid), so its grid worker and volunteer see 2 visits and 87
    requests; the company sees none."""
    viewer = getattr(people, who)
    body = api_as(viewer).get("/api/v1/visits/figures/", _params()).json()
    expected = 2 if who in ("grid_a1", "volunteer_a1") else 0
    assert body["totals"]["visits"] == expected
    assert body["totals"]["collected"] == (87 if expected else 0)
    page = client_as(viewer).get(reverse("requests_app:visit-figures"), _params())
    assert page.status_code == 200
    assert page.context["figures"]["totals"]["visits"] == expected


def test_a_unit_out_of_scope_is_not_found_on_both_doors(report, people, tree, client_as, api_as):
    for viewer, unit in [
        (people.supervisor_a, tree.community_b),
        (report.yi, tree.community_a),
        (people.grid_a1, tree.town),
    ]:
        page = client_as(viewer).get(reverse("requests_app:visit-figures"), {"unit": unit.pk})
        assert page.status_code == 404
        api = api_as(viewer).get("/api/v1/visits/figures/", {"unit": unit.pk})
        assert api.status_code == 404
        assert "totals" not in api.json()
    nobody = api_as(people.outsider).get("/api/v1/visits/figures/")
    assert nobody.status_code == 404
    assert client_as(people.outsider).get(reverse("requests_app:visit-figures")).status_code == 404


def test_signed_out_is_refused(client, api_client, report):
    page = client.get(reverse("requests_app:visit-figures"))
    assert page.status_code == 302 and "login" in page["Location"]
    assert api_client.get("/api/v1/visits/figures/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"unit": "abc"}, "unit"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "to"),
    ],
)
def test_bad_parameters_are_refused_naming_the_field(report, people, api_as, params, field):
    response = api_as(people.admin).get("/api/v1/visits/figures/", params)
    assert response.status_code == 400
    assert field in str(response.json())


def test_the_page_answers_bad_dates_with_400_and_the_default_period(report, people, client_as):
    page = client_as(people.admin).get(
        reverse("requests_app:visit-figures"), {"from": "2026-13-01"}
    )
    assert page.status_code == 400
    assert "figures" in page.context


def test_the_page_and_api_take_constant_queries(
    tree, people, categories, client_as, api_as, django_assert_num_queries
):
    jia = fx.secretary_of(tree.community_a, "sec-jia", "甲书记")
    fx.log(visit_create(actor=jia, unit=tree.compound_a1), jia, tree.building_a1,
           categories.elevator, on_spot=1)  # fmt: skip
    client = client_as(people.admin)
    api = api_as(people.admin)
    url = reverse("requests_app:visit-figures")
    query = {"unit": tree.county.pk, **_params()}
    for total in (1, 4):
        for n in range(total - 1):
            someone = fx.secretary_of(tree.community_b, f"sec-{n}", f"书记{n}")
            fx.log(visit_create(actor=someone, unit=tree.compound_b1), someone,
                   tree.compound_b1, categories.elevator, on_spot=1, assisted=1)  # fmt: skip
        # The API's eight, the ancestors, the unit picker and the unread notifications.
        with django_assert_num_queries(11):
            page = client.get(url, query)
        assert len(page.context["figures"]["secretaries"]) == total
        # The session, the user, the scope, the unit, then the figures' four.
        with django_assert_num_queries(8):
            body = api.get("/api/v1/visits/figures/", query).json()
        assert len(body["secretaries"]) == total


# --- The dashboard -----------------------------------------------------------------------------


def test_the_dashboard_and_its_api_show_the_visits_in_the_reports_words(
    report, people, tree, client_as, api_as
):
    params = {"unit": tree.county.pk, **_params()}
    body = api_as(people.admin).get("/api/v1/dashboard/", params).json()
    figures = body["figures"]
    assert figures["requests_collected"] == 91  # every channel, labelled as such
    assert {k: figures[f"visit_{k}"] for k in fx.COUNTY} == fx.COUNTY
    assert "requests_answered_on_spot" not in figures and "requests_assisted" not in figures
    page = client_as(people.admin).get(reverse("dashboard"), params)
    assert page.status_code == 200
    html = page.content.decode()
    for key, value in fx.COUNTY.items():
        if key != "secretaries":
            assert f'data-figure="visit_{key}"><strong>{value}<' in html
    assert 'data-figure="requests_collected"><strong>91<' in html
    assert page.context["visits"]["collected"] == 89
    labels = {f["key"]: str(f["label"]) for f in page.context["figures"]}
    assert "requests_answered_on_spot" not in labels
    # The one sentence says the same numbers.
    summary = html.split('data-summary="visits">', 1)[1].split("</p>", 1)[0]
    for number in ("3", "89", "73", "13"):
        assert number in summary


def test_the_dashboard_of_the_replay_reads_84_72_12(tree, people, categories, api_as):
    fx.build(tree, people, categories, extras=False)
    body = (
        api_as(people.admin)
        .get("/api/v1/dashboard/", {"unit": tree.county.pk, **_params()})
        .json()
    )
    f = body["figures"]
    assert (f["visit_visits"], f["visit_collected"], f["visit_answered_on_spot"]) == (2, 84, 72)
    assert (f["visit_assisted"], f["visit_merged"], f["visit_rejected"]) == (12, 0, 0)


def test_a_hotline_request_and_a_grid_round_are_not_visit_figures(tree, people, categories):
    """Only visits of the secretary kinds count, and only the requests logged in them."""
    request_collect(
        actor=people.grid_a1, channel="hotline", category=categories.elevator,
        unit=tree.building_a1, description="热线",
    )  # fmt: skip
    round_ = visit_create(actor=people.grid_a1, unit=tree.compound_a1, kind="grid_round")
    fx.log(round_, people.grid_a1, tree.building_a1, categories.elevator, on_spot=2)
    worker = person_create(username="w2", name="w2")
    membership_grant(user=worker, unit=tree.grid_a1, role=Role.GRID_WORKER)
    start, end = _period()
    totals = visit_figures(unit=tree.county, start=start, end=end)["totals"]
    assert totals["visits"] == 0 and totals["collected"] == 0
