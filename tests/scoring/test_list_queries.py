"""Every scoring list and single object, page and API, costs an exact number of SQL queries.

Each test builds several rows whose related objects differ (workers in different grids and
communities, evidence of different kinds, recorded by different people), pins the number of
queries with ``django_assert_num_queries``, adds as many rows again and pins the same number:
the count is exact, and it does not grow with the rows.

What every signed-in request pays before the view runs: the session and the user (2 queries);
most views then read the viewer's scope (1), and pages with the header count the unread
notifications (1).
"""

import io
from datetime import datetime, time
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework import services as casework
from casework.models import Role, UnitKind
from scoring import services
from scoring.models import Indicator, Interview, ScoreResult


@pytest.fixture(autouse=True)
def _clean_slate():
    """An empty cache, so a count does not depend on which test ran before."""
    cache.clear()


def _url(name, *args):
    return reverse(f"scoring:{name}", args=args)


@pytest.fixture
def ranked(tree, people, card):
    """``upto(total)``: add ranked workers until ``total`` were added: every other one in a
    community of their own, the others in new grids of communities A and B; each logs service
    card lines of another kind. Compute the quarter to rank them."""
    made = []

    def upto(total):
        while len(made) < total:
            n = len(made)
            if n % 2:
                parent = casework.unit_create(
                    name=f"新社区{n}", kind=UnitKind.COMMUNITY, parent=tree.town
                )
            else:
                parent = (tree.community_a, tree.community_b)[n // 2 % 2]
            grid = casework.unit_create(name=f"网格{n}", kind=UnitKind.GRID, parent=parent)
            worker = casework.person_create(username=f"worker{n}", name=f"网格员{n}")
            casework.membership_grant(user=worker, unit=grid, role=Role.GRID_WORKER)
            card(worker, kind=("special", "key", "routine")[n % 3], n=n % 3 + 1, unit=grid)
            made.append(worker)
        return made

    return upto


# --- Quarters and rankings ---------------------------------------------------------------------


@pytest.fixture
def past_quarters(quarters, compute):
    """``upto(total)``: the last quarter and those before it until there are ``total``, every
    other one computed."""
    made = []

    def upto(total):
        while len(made) < total:
            key = quarters.last
            for _step in range(len(made)):
                key = key.previous()
            made.append(compute(key) if len(made) % 2 else services.quarter_get_or_create(key))
        return made

    return upto


def test_the_quarter_index(client_as, people, past_quarters, django_assert_num_queries):
    client = client_as(people.admin)
    for total in (5, 10):
        past_quarters(total)
        with django_assert_num_queries(7):
            page = client.get(_url("index"))
        assert page.status_code == 200
        assert len(page.context["quarters"]) == total


def test_the_quarter_list_and_one_quarter_over_the_api(
    api_as, people, past_quarters, django_assert_num_queries
):
    client = api_as(people.grid_a1)
    for total in (5, 10):
        made = past_quarters(total)
        with django_assert_num_queries(3):
            body = client.get("/api/v1/scoring/quarters/").json()
        assert len(body) == total
        with django_assert_num_queries(3):
            one = client.get(f"/api/v1/scoring/quarters/{made[1].code}/").json()
        assert one["status"] == "computed"


def test_the_rules_page(client_as, people, django_assert_num_queries):
    """The rules come with the migrations (and change in the admin site): every indicator and
    point rule is listed."""
    client = client_as(people.grid_a1)
    with django_assert_num_queries(8):
        page = client.get(_url("rules"))
    assert page.status_code == 200
    assert len(page.context["rules"]) >= 5 and len(page.context["indicators"]) >= 5


@pytest.mark.parametrize(
    ("name", "subject"), [("quarter", "person"), ("communities", "community")]
)
def test_the_ranking_pages(
    client_as, people, quarters, ranked, compute, django_assert_num_queries, name, subject
):
    client = client_as(people.admin)
    for total in (6, 12):
        ranked(total)
        quarter = compute(quarters.last)
        rows = ScoreResult.objects.filter(quarter=quarter, subject=subject).count()
        # The quarter, the page of results and their count, the summary's five figures and the
        # indicators, the header, the units to filter by, the admin's last actions; the
        # appeals: how many are pending, the viewer's deciding places, the first pending ones.
        with django_assert_num_queries(18):
            page = client.get(_url(name, quarter.code))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == rows >= 5


@pytest.mark.parametrize(
    ("what", "subject"), [("ranking", "person"), ("communities", "community")]
)
def test_the_rankings_over_the_api(
    api_as, people, quarters, ranked, compute, django_assert_num_queries, what, subject
):
    client = api_as(people.admin)
    for total in (6, 12):
        ranked(total)
        quarter = compute(quarters.last)
        url = f"/api/v1/scoring/quarters/{quarter.code}/{what}/"
        with django_assert_num_queries(6):
            body = client.get(url, {"page_size": 1000}).json()
        assert (
            body["count"] == ScoreResult.objects.filter(quarter=quarter, subject=subject).count()
        )
        with django_assert_num_queries(9):
            sheet = client.get(url, {"format": "xlsx"})
        assert sheet.status_code == 200
        assert load_workbook(io.BytesIO(sheet.content)).active.max_row == 1 + body["count"]


def test_the_quarter_report(api_as, people, quarters, ranked, compute, django_assert_num_queries):
    client = api_as(people.admin)
    for total in (6, 12):
        ranked(total)
        quarter = compute(quarters.last)
        # 11 for the rankings, rates and talks; 12 for the work in the report's words, per root
        # of the viewer's scope: the roots (1), visits (3), verification (3), meetings (3), the
        # counties and their honour rolls (2).
        with django_assert_num_queries(23):
            response = client.get(f"/api/v1/scoring/quarters/{quarter.code}/report.pdf")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


# --- Talks (约谈), the notice, the evaluations -------------------------------------------------


@pytest.fixture
def published(people, quarters, ranked, policy):
    """``upto(total)``: the last quarter published with ``total`` more workers ranked; everyone
    is called to a talk."""
    policy.interview_person_below = D(1000)
    policy.interview_community_below = D(1000)
    policy.save()

    def upto(total):
        quarter = services.quarter_get_or_create(quarters.last)
        if quarter.is_published:
            services.quarter_reopen(quarter=quarter, actor=people.admin, reason="加人")
        ranked(total)
        services.quarter_compute(quarter=quarters.last, actor=people.admin)
        return services.quarter_publish(quarter=quarters.last, actor=people.admin)

    return upto


def test_the_talk_list_page_and_api(
    client_as, api_as, people, published, django_assert_num_queries
):
    for total in (5, 10):
        quarter = published(total)
        talks = Interview.objects.filter(quarter=quarter).count()
        page = client_as(people.admin)
        with django_assert_num_queries(7):
            response = page.get(_url("interviews", quarter.code))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == talks > total
        api = api_as(people.admin)
        with django_assert_num_queries(6):
            body = api.get(
                f"/api/v1/scoring/quarters/{quarter.code}/interviews/", {"page_size": 1000}
            ).json()
        assert body["count"] == talks


def test_a_talk_page(client_as, people, published, quarters, django_assert_num_queries):
    client = client_as(people.admin)
    for total in (5, 10):
        quarter = published(total)
        talk = Interview.objects.filter(quarter=quarter, person=people.grid_b1).get()
        services.interview_record(
            actor=people.admin,
            interview=talk,
            held_on=quarters.today,
            notes="已谈话",
            interviewee="grid-b1",
        )
        with django_assert_num_queries(5):
            page = client.get(_url("interview", talk.pk))
        assert page.status_code == 200


def test_the_notice(client_as, people, published, django_assert_num_queries):
    client = client_as(people.admin)
    for total in (5, 10):
        quarter = published(total)
        with django_assert_num_queries(7):
            page = client.get(_url("notice", quarter.code))
        assert page.status_code == 200
        assert page.context["groups"]


def test_the_evaluations_page(client_as, people, quarters, ranked, django_assert_num_queries):
    """The admin evaluates every ranked worker; some have their evaluation already."""
    client = client_as(people.admin)
    quarter = services.quarter_get_or_create(quarters.last)
    for total in (5, 10):
        for n, worker in enumerate(ranked(total)):
            if n % 2:
                services.evaluation_record(
                    actor=people.admin,
                    quarter=quarter,
                    person=worker,
                    grade=("excellent", "good", "fair", "poor")[n % 4],
                )
        with django_assert_num_queries(9):
            page = client.get(_url("evaluations", quarter.code))
        assert page.status_code == 200
        assert len(page.context["rows"]) >= total


# --- Why these points ---------------------------------------------------------------------------


@pytest.fixture
def more_evidence(people, tree, quarters, card, season):
    """``add()``: more of every kind grid A1's worker already has in the season (service card
    lines, a volunteer activity, cases opened, a manual entry), and manual points for
    community A."""
    from casework.demo import clock

    rounds = []

    def add():
        n = len(rounds)
        card(people.grid_a1, kind="special", n=3, start=20 + 3 * n)
        card(people.grid_a1, kind="key", n=2, start=40 + 2 * n)
        services.volunteer_activity_record(
            actor=people.grid_a1,
            team=season.team,
            title=f"义诊{n}",
            held_on=quarters.day(30 + n),
            place="党群服务中心",
            people_served=10 + n,
            participants=[people.grid_a1, people.volunteer_a1],
            organiser=people.grid_a1,
        )
        for k in range(2):
            at = timezone.make_aware(datetime.combine(quarters.day(50 + 2 * n + k), time(10)))
            with clock(at):
                casework.case_open(
                    actor=people.grid_a1,
                    category=casework.category_create(code=f"road{n}{k}", name=f"道路{n}{k}"),
                    unit=tree.compound_a1,
                    title=f"路面塌陷{n}{k}",
                )
        quarter = services.quarter_get_or_create(quarters.last)
        indicator = Indicator.objects.get(code="dispute_mediation")
        services.score_entry_add(
            actor=people.admin,
            quarter=quarter,
            person=people.grid_a1,
            indicator=indicator,
            points="2",
            reason=f"调解纠纷{n}",
        )
        services.score_entry_add(
            actor=people.admin,
            quarter=quarter,
            unit=tree.community_a,
            indicator=indicator,
            points="1",
            reason=f"社区调解{n}",
        )
        rounds.append(n)
        return services.quarter_compute(quarter=quarters.last, actor=people.admin)

    return add


def test_a_workers_explanation_page_and_api(
    client_as, api_as, people, more_evidence, django_assert_num_queries
):
    before = 0
    for _round in range(2):
        quarter = more_evidence()
        page = client_as(people.admin)
        # The result and the entries, then one query per kind of record behind them (requests
        # answered on the spot, cases, service card lines, activities, the evaluation), the
        # person's appeals (one query), the call-backs withheld.
        with django_assert_num_queries(17):
            response = page.get(_url("person", quarter.code, people.grid_a1.pk))
        assert response.status_code == 200
        api = api_as(people.admin)
        with django_assert_num_queries(15):
            body = api.get(
                f"/api/v1/scoring/people/{people.grid_a1.pk}/", {"quarter": quarter.code}
            ).json()
        assert body["total"] == body["ranked_total"]
        assert len(body["entries"]) > before >= 0
        before = len(body["entries"])


def test_a_communitys_explanation_page_and_api(
    client_as, api_as, people, tree, more_evidence, django_assert_num_queries
):
    before = 0
    for _round in range(2):
        quarter = more_evidence()
        page = client_as(people.admin)
        with django_assert_num_queries(8):
            response = page.get(_url("community", quarter.code, tree.community_a.pk))
        assert response.status_code == 200
        api = api_as(people.admin)
        with django_assert_num_queries(7):
            body = api.get(
                f"/api/v1/scoring/communities/{tree.community_a.pk}/", {"quarter": quarter.code}
            ).json()
        assert len(body["entries"]) > before
        before = len(body["entries"])


# --- Evidence pages ----------------------------------------------------------------------------


@pytest.fixture
def crew(tree, people):
    """Community A's people who record evidence: its two workers and supervisor, and three
    more workers in its grids."""
    crew = [(people.grid_a1, tree.grid_a1), (people.supervisor_a, tree.community_a)]
    for n, grid in enumerate((tree.grid_a1, tree.grid_a2, tree.grid_a2)):
        worker = casework.person_create(username=f"crew{n}", name=f"网格员{n}")
        casework.membership_grant(user=worker, unit=grid, role=Role.GRID_WORKER)
        crew.append((worker, grid))
    return crew


def test_the_service_card_page(client_as, people, crew, quarters, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    made = []
    for total in (5, 10):
        while len(made) < total:
            n = len(made)
            person, unit = crew[n % len(crew)]
            made.append(
                services.service_card_record(
                    actor=(person, people.supervisor_a)[n % 2],
                    person=person,
                    unit=unit,
                    kind=("special", "key", "routine")[n % 3],
                    occurred_on=quarters.day(7 * n),
                    title=f"走访{n}",
                )
            )
        with django_assert_num_queries(8):
            page = client.get(_url("service-card-list"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


@pytest.fixture
def pledges(people, crew, quarters):
    """``upto(total)``: pledges of the crew in the common categories, until ``total``."""
    made = []
    codes = ["policy_publicity", "party_services", "government_services"]

    def upto(total):
        while len(made) < total:
            n = len(made)
            person, unit = crew[n % len(crew)]
            made.append(
                services.commitment_create(
                    actor=(person, people.supervisor_a)[n % 2],
                    person=person,
                    unit=unit,
                    year=quarters.last.year,
                    indicator=Indicator.objects.get(code=codes[n % len(codes)]),
                    text=f"承诺{n}",
                )
            )
        return made

    return upto


def test_the_pledges_page(client_as, people, pledges, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    for total in (5, 10):
        pledges(total)
        # The 10th: the communities whose public pledges page (承诺公示) is linked.
        with django_assert_num_queries(10):
            page = client.get(_url("commitments"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def _draw(people, tree, quarters, size, n):
    return services.verification_draw(
        actor=(people.supervisor_a, people.town_supervisor)[n % 2],
        unit=(tree.community_a, tree.town)[n % 2],
        year=quarters.last.year,
        sample_size=size,
        inspectors=[people.supervisor_a, people.grid_a1],
        seed=n,
        now=timezone.make_aware(datetime.combine(quarters.day(n), time(9))),
    )


def test_the_draws_page(client_as, people, tree, quarters, pledges, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    pledges(12)
    made = []
    for total in (5, 10):
        while len(made) < total:
            made.append(_draw(people, tree, quarters, 2 + len(made) % 3, len(made)))
        with django_assert_num_queries(8):
            page = client.get(_url("draws"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def test_a_draw_page(client_as, people, tree, quarters, pledges, django_assert_num_queries):
    """A small draw and a large one, each with some checks recorded by different people."""
    client = client_as(people.supervisor_a)
    pledges(12)
    for n, size in enumerate((5, 10)):
        draw = _draw(people, tree, quarters, size, 2 * n)
        for k, check in enumerate(draw.verifications.order_by("pk")[:3]):
            actor = people.supervisor_a if k % 2 or check.inspector_id is None else check.inspector
            if actor.pk == check.commitment.person_id:
                actor = people.admin
            services.verification_record(
                actor=actor,
                verification=check,
                outcome=("kept", "broken")[k % 2],
                visited_on=quarters.day(2 * n + 1),
            )
        with django_assert_num_queries(6):
            page = client.get(_url("draw-detail", draw.pk))
        assert page.status_code == 200
        assert len(page.context["draw"].checks) == size


@pytest.fixture
def registrations(people, tree, quarters):
    """``upto(total)``: in-service party members registered with community A or B, from the
    department or the property company, until ``total``."""
    made = []

    def upto(total):
        while len(made) < total:
            n = len(made)
            community = (tree.community_a, tree.community_b)[n % 2]
            made.append(
                services.dual_registration_create(
                    actor=(people.supervisor_a, people.supervisor_b)[n % 2],
                    person=casework.person_create(username=f"dual{n}", name=f"在职党员{n}"),
                    home_unit=(tree.department, tree.department, tree.county)[n % 3],
                    community=community,
                    registered_on=quarters.day(n),
                )
            )
        return made

    return upto


def test_the_dual_registration_page(client_as, people, registrations, django_assert_num_queries):
    client = client_as(people.admin)
    for total in (5, 10):
        registrations(total)
        with django_assert_num_queries(9):
            page = client.get(_url("dual-list"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def test_a_dual_registration_page(
    client_as, people, quarters, registrations, django_assert_num_queries
):
    client = client_as(people.supervisor_a)
    (registration,) = registrations(1)
    for total in (5, 10):
        while registration.records.count() < total:
            n = registration.records.count()
            services.dual_service_record(
                actor=(registration.person, people.supervisor_a)[n % 2],
                registration=registration,
                served_on=quarters.day(n),
                hours=D(1 + n % 3),
                description=f"服务{n}",
            )
        # ... and the 双报到 cadence records (one query).
        with django_assert_num_queries(7):
            page = client.get(_url("dual-detail", registration.pk))
        assert page.status_code == 200
        assert len(page.context["registration"].services) == total


def test_the_volunteer_teams_page(client_as, people, tree, crew, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    made = []
    units = [tree.community_a, tree.grid_a1, tree.grid_a2, tree.compound_a1]
    for total in (5, 10):
        while len(made) < total:
            n = len(made)
            made.append(
                services.volunteer_team_create(
                    actor=people.supervisor_a,
                    name=f"志愿队{n}",
                    unit=units[n % len(units)],
                    leader=crew[n % len(crew)][0],
                    members=[person for person, _unit in crew[: n % 4 + 1]],
                )
            )
        with django_assert_num_queries(9):
            page = client.get(_url("teams"))
        assert page.status_code == 200
        assert page.context["page"].paginator.count == total


def test_a_volunteer_team_page(client_as, people, tree, crew, quarters, django_assert_num_queries):
    client = client_as(people.supervisor_a)
    team = services.volunteer_team_create(
        actor=people.supervisor_a,
        name="红袖章志愿服务队",
        unit=tree.community_a,
        leader=people.grid_a1,
        members=[person for person, _unit in crew],
    )
    made = []
    for total in (5, 10):
        while len(made) < total:
            n = len(made)
            made.append(
                services.volunteer_activity_record(
                    actor=(people.grid_a1, people.supervisor_a)[n % 2],
                    team=team,
                    title=f"活动{n}",
                    held_on=quarters.day(n),
                    place=f"小区广场{n}",
                    people_served=10 * n,
                    participants=[person for person, _unit in crew[n % 3 : n % 3 + 3]],
                    organiser=crew[n % len(crew)][0],
                )
            )
        with django_assert_num_queries(10):
            page = client.get(_url("team-detail", team.pk))
        assert page.status_code == 200
        assert len(page.context["team"].recent) == total
