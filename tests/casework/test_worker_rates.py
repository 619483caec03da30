"""The six rates per worker against a hand-counted fixture; who sees whose; a constant number
of queries; both doors (the API and the pages); bad input named."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.demo import clock
from casework.selectors.worker_rates import split_rated, worker_rates

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    cache.clear()
    settings.MINQING_RATE_MIN_CASES = 2


@pytest.fixture
def period():
    now = timezone.now()
    return now - timedelta(days=1), now + timedelta(days=30)


@pytest.fixture
def second_handler(tree):
    person = services.person_create(username="handler-co2", name="handler-co2")
    services.membership_grant(user=person, unit=tree.company, role="handler")
    return person


@pytest.fixture
def counted(open_case, drive, people, tree, second_handler):
    """
    A (by grid-a1): assigned to the company, handler-co signs, resolves on time, satisfied+solved
    B (by grid-a1): assigned to handler-co, returned by them; assigned to handler-co again,
        signed, resolved on time, unsatisfied and not solved → reopened
    C (by grid-a1): assigned to handler-co2, signed late, resolved late, basically satisfied
    D (by vol-a1):  assigned to the company, handler-co signs on time, an extension approved
    """
    sup, hc, h2 = people.supervisor_a, people.handler_company, second_handler
    drive(open_case(title="A"), "closed")

    b = open_case(title="B")
    b = services.case_assign(case=b, actor=sup, handler=hc, unit=tree.company)
    b = services.case_return(case=b, actor=hc, reason="不归我们")
    b = services.case_assign(case=b, actor=sup, handler=hc, unit=tree.company)
    b = services.case_accept(case=b, actor=hc)
    b = services.case_resolve(case=b, actor=hc, result="修好了")
    services.feedback_record(
        case=b, actor=people.grid_a1, solved=False, satisfaction="unsatisfied"
    )

    c = open_case(title="C")
    c = services.case_assign(case=c, actor=sup, handler=h2, unit=tree.company)
    with clock(timezone.now() + timedelta(days=20)):  # past both deadlines
        c = services.case_accept(case=c, actor=h2)
        c = services.case_resolve(case=c, actor=h2, result="迟办")
        services.feedback_record(
            case=c, actor=people.grid_a1, solved=True, satisfaction="basically_satisfied"
        )

    d = drive(open_case(title="D", who=people.volunteer_a1), "in_progress")
    services.extension_apply(
        case=d, actor=hc, due_at=d.due_at + timedelta(days=5), reason="等配件"
    )
    services.extension_decide(case=d, actor=sup, approve=True)


def _by(rows):
    return {(r.name, r.role): r for r in rows}


def test_the_rates_of_each_worker_of_a_hand_counted_fixture(counted, people, tree, period):
    rows = worker_rates(
        viewer=people.supervisor_a, unit=tree.community_a, start=period[0], end=period[1]
    )
    by = _by(rows)

    hc = by[("handler-co", "handler")]
    # Sign-fors: A, B, D, all on time → 3/3. Dispatches naming handler-co: B twice (A and D went
    # to the company, naming no one) → 2, one returned → 1/2. Results: A, B on time → 2/2.
    # Return visits: A (satisfied, solved), B (unsatisfied, unsolved) → solved 1/2, pleased 1/2;
    # redo: B → 1/2 results. Extensions: D's, approved → 1. Cases: A, B, D → 3.
    c = hc.counts
    assert (c.signed, c.signed_on_time, c.assigned, c.returned) == (3, 3, 2, 1)
    assert (c.resolved, c.resolved_on_time, c.answered, c.solved, c.pleased) == (2, 2, 2, 1, 1)
    assert (c.reopened, c.extended, hc.cases) == (1, 1, 3)
    assert hc.rates == {
        "response": 1.0,
        "resolution": 0.5,
        "satisfaction": 0.5,
        "on_time": 1.0,
        "return": 0.5,
        "redo": 0.5,
    }
    assert hc.standing == 0.75  # (1.0 + 0.5 + 0.5 + 1.0) / 4

    h2 = by[("handler-co2", "handler")]
    # C alone: one dispatch, signed late, resolved late, basically satisfied and solved.
    assert h2.rates == {
        "response": 0.0,
        "resolution": 1.0,
        "satisfaction": 1.0,
        "on_time": 0.0,
        "return": 0.0,
        "redo": 0.0,
    }
    assert (h2.cases, h2.standing) == (1, 0.5)  # (0 + 1 + 1 + 0) / 4

    grid = by[("grid-a1", "collector")]
    # The cases grid-a1 opened: A, B, C. Sign-fors A, B on time, C late → 2/3; dispatches
    # A 1 + B 2 + C 1 = 4, one return → 1/4; results A, B on time, C late → 2/3; return visits
    # A, B, C: solved A, C → 2/3, pleased A, C → 2/3; redo B → 1/3.
    c = grid.counts
    assert (c.signed, c.signed_on_time, c.assigned, c.returned) == (3, 2, 4, 1)
    assert (c.resolved, c.resolved_on_time, c.answered, c.solved, c.pleased) == (3, 2, 3, 2, 2)
    assert grid.rates == {
        "response": 0.6667,
        "resolution": 0.6667,
        "satisfaction": 0.6667,
        "on_time": 0.6667,
        "return": 0.25,
        "redo": 0.3333,
    }
    assert (grid.cases, grid.counts.extended) == (3, 0)

    vol = by[("vol-a1", "collector")]
    # D: one dispatch, signed on time, its extension; nothing resolved or visited yet.
    assert (vol.counts.assigned, vol.counts.signed, vol.counts.extended, vol.cases) == (1, 1, 1, 1)
    assert vol.rates["response"] == 1.0 and vol.rates["on_time"] is None

    # At least 2 cases to be rated: grid-a1 (3) and handler-co (3), worst first by standing
    # (0.6667 before 0.75); handler-co2 and vol-a1 (1 case each) are apart.
    rated, too_few = split_rated(rows)
    assert [(r.name, r.role) for r in rated] == [
        ("grid-a1", "collector"),
        ("handler-co", "handler"),
    ]
    assert {(r.name, r.role) for r in too_few} == {
        ("handler-co2", "handler"),
        ("vol-a1", "collector"),
    }


def test_who_sees_whose_rates(counted, people, tree, period):
    from casework.errors import NotFound

    start, end = period
    # A worker sees only themself, even over their whole community.
    own = worker_rates(viewer=people.grid_a1, unit=tree.grid_a1, start=start, end=end)
    assert [(r.name, r.role) for r in own] == [("grid-a1", "collector")]
    # The other community's supervisor, and an outsider, cannot see the unit at all.
    for viewer in (people.supervisor_b, people.outsider, people.grid_b1):
        with pytest.raises(NotFound):
            worker_rates(viewer=viewer, unit=tree.community_a, start=start, end=end)
    # The town's supervisor sees both communities' workers; community B's have nothing yet.
    town = _by(worker_rates(viewer=people.town_supervisor, unit=tree.town, start=start, end=end))
    assert town[("grid-b1", "collector")].cases == 0
    assert town[("handler-co", "handler")].counts.signed == 3
    # Community B's supervisor sees only community B's workers.
    names = {
        r.name
        for r in worker_rates(
            viewer=people.supervisor_b, unit=tree.community_b, start=start, end=end
        )
    }
    assert names == {"grid-b1"}


def test_the_api_gives_the_same_numbers_worst_first(counted, people, tree, api_as):
    api = api_as(people.supervisor_a)
    answer = api.get("/api/v1/rates/workers/", {"unit": tree.community_a.pk})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["minimum_cases"] == 2
    assert [(w["person"]["name"], w["role"]) for w in body["workers"]] == [
        ("grid-a1", "collector"),
        ("handler-co", "handler"),
    ]
    hc = body["workers"][1]
    assert hc["rates"]["return"] == 0.5 and hc["counts"]["assigned"] == 2
    assert hc["extensions"] == 1 and hc["cases"] == 3
    assert {w["person"]["name"] for w in body["too_few"]} == {"handler-co2", "vol-a1"}


def test_the_api_scopes_and_refuses_bad_input(counted, people, tree, api_as, api_client):
    assert api_client.get("/api/v1/rates/me/").status_code in (401, 403)
    api = api_as(people.supervisor_b)
    assert api.get("/api/v1/rates/workers/", {"unit": tree.community_a.pk}).status_code == 404
    api = api_as(people.outsider)
    assert api.get("/api/v1/rates/workers/", {"unit": tree.community_a.pk}).status_code == 404
    api = api_as(people.grid_a1)  # a grid worker covers their grid, not the community
    assert api.get("/api/v1/rates/workers/", {"unit": tree.community_a.pk}).status_code == 404
    body = api.get("/api/v1/rates/workers/", {"unit": tree.grid_a1.pk}).json()
    assert {w["person"]["name"] for w in body["workers"] + body["too_few"]} == {"grid-a1"}
    for params, field in (
        ({"from": "2026-02-30"}, "from"),
        ({"to": "soon"}, "to"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "to"),
        ({"unit": "x"}, "unit"),
    ):
        answer = api.get("/api/v1/rates/workers/", params)
        assert answer.status_code == 400, (params, answer.content)
        assert field in answer.content.decode(), (params, answer.content)
    answer = api.get("/api/v1/rates/me/", {"from": "1800-01-01"})
    assert answer.status_code == 400 and "from" in answer.content.decode()


def test_my_rates_in_the_api(counted, people, api_as):
    body = api_as(people.handler_company).get("/api/v1/rates/me/").json()
    assert [p["period"] for p in body["periods"]] == [
        "this_month",
        "last_month",
        "this_quarter",
        "last_quarter",
    ]
    this_month = body["periods"][0]
    rows = this_month["workers"] + this_month["too_few"]
    assert [(r["person"]["name"], r["role"]) for r in rows] == [("handler-co", "handler")]
    now = timezone.localdate()
    if now.day < 10:  # C's late events fell 20 days on: maybe next month; A, B, D did not.
        assert rows[0]["counts"]["signed"] == 3
    assert body["periods"][1]["too_few"][0]["cases"] == 0


def test_the_query_count_does_not_grow_with_the_workers(
    counted, people, tree, period, django_assert_num_queries
):
    start, end = period
    viewer_model = type(people.supervisor_a)

    def run():
        viewer = viewer_model.objects.get(pk=people.supervisor_a.pk)  # a fresh scope
        # The scope (1), the memberships (1), the events as handler (1) and as collector (1).
        with django_assert_num_queries(4):
            return worker_rates(viewer=viewer, unit=tree.community_a, start=start, end=end)

    before = len(run())
    for i in range(6):
        person = services.person_create(username=f"extra-{i}", name=f"extra-{i}")
        services.membership_grant(
            user=person,
            unit=tree.company if i % 2 else tree.grid_a2,
            role="handler" if i % 2 else "grid_worker",
        )
    assert len(run()) == before + 6


def test_my_rates_page_shows_the_counts_behind_each_rate(counted, people, client_as):
    client = client_as(people.handler_company)
    assert 'href="/me/rates/"' in client.get(reverse("home")).content.decode()
    page = client.get(reverse("my-rates"))
    assert page.status_code == 200
    this_month = page.context["periods"][0]
    assert this_month["key"] == "this_month"
    (row,) = this_month["table"]["rated"] + this_month["table"]["too_few"]
    assert row["name"] == "handler-co"
    cells = {c["key"]: (c["numerator"], c["denominator"]) for c in row["cells"]}
    if timezone.localdate().day < 10:  # C's events, 20 days on, are not handler-co's anyway
        assert cells["return"] == (1, 2) and cells["response"] == (3, 3)
    html = page.content.decode()
    assert 'data-rate="return">50.0% <span class="muted">1/2</span>' in html
    assert {p["key"] for p in page.context["periods"]} == {
        "this_month",
        "last_month",
        "this_quarter",
        "last_quarter",
    }


def test_my_rates_page_needs_a_login_and_shows_only_mine(counted, people, client, client_as):
    assert client.get(reverse("my-rates")).status_code == 302
    page = client_as(people.outsider).get(reverse("my-rates"))
    assert page.status_code == 200 and "handler-co" not in page.content.decode()
    page = client_as(people.grid_a1).get(reverse("my-rates"))
    names = {
        r["name"]
        for p in page.context["periods"]
        for r in p["table"]["rated"] + p["table"]["too_few"]
    }
    assert names == {"grid-a1"}


def test_the_dashboard_lists_workers_worst_first_and_the_too_few_apart(
    counted, people, tree, client_as
):
    page = client_as(people.supervisor_a).get(
        reverse("dashboard"), {"unit": tree.community_a.pk, "from": _from(), "to": _to()}
    )
    assert page.status_code == 200
    table = page.context["workers"]
    assert [(r["name"], r["role"]) for r in table["rated"]] == [
        ("grid-a1", "collector"),
        ("handler-co", "handler"),
    ]
    assert {r["name"] for r in table["too_few"]} == {"handler-co2", "vol-a1"}
    html = page.content.decode()
    assert html.index('data-worker="grid-a1"') < html.index('data-worker="handler-co"')
    assert 'data-list="too-few"' in html
    # The other community's supervisor does not see community A's workers on their dashboard.
    page = client_as(people.supervisor_b).get(reverse("dashboard"), {"unit": tree.community_b.pk})
    assert "handler-co" not in page.content.decode()
    assert (
        client_as(people.supervisor_b)
        .get(reverse("dashboard"), {"unit": tree.community_a.pk})
        .status_code
        == 404
    )


def _from():
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def _to():
    return (timezone.localdate() + timedelta(days=30)).isoformat()
