"""The rest of the scoring pages' API twins (``scoring/api/twins.py``): manual points and their
removal, the record of a talk (约谈), supervisors' evaluations, 双报到 registrations and hours,
volunteer teams and activities. The same service through both doors: success as the right role,
refusals for the wrong role (403) and out of scope (404 naming the field), bad input 400 naming
the field and nothing written, lists scoped and with a constant number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from casework.models import Role
from casework.services import membership_grant, person_create
from scoring import services
from scoring.models import (
    DualRegistration,
    DualServiceRecord,
    Indicator,
    Interview,
    ScoreEntry,
    SupervisorEvaluation,
    VolunteerActivity,
    VolunteerTeam,
)

pytestmark = pytest.mark.django_db


def _entries(code):
    return f"/api/v1/scoring/quarters/{code}/entries/"


def _somebody(username, unit, role):
    user = person_create(username=username, name=username, password="pw-for-tests-9731")
    membership_grant(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def secretary_a(tree):
    """民情书记 of community A: in its scope, but no supervisor."""
    return _somebody("sec-a", tree.community_a, Role.MINQING_SECRETARY)


# --- Manual points ----------------------------------------------------------------------------


@pytest.fixture
def quarter(quarters):
    return services.quarter_get_or_create(quarters.last)


def _points(people, **extra):
    return {
        "person": people.grid_a1.pk,
        "indicator": Indicator.objects.get(code="dispute_mediation").pk,
        "points": "3.50",
        "reason": "调解邻里漏水纠纷",
        **extra,
    }


def test_the_administrator_gives_points_through_both_doors(api_as, client_as, people, quarter):
    answer = api_as(people.admin).post(_entries(quarter.code), _points(people), format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["quarter"], body["person"], body["category"]) == (
        quarter.code,
        people.grid_a1.pk,
        "dispute_mediation",
    )
    assert body["points"] == "3.50" and body["manual"] is True
    page = client_as(people.admin).post(
        reverse("scoring:person", kwargs={"code": quarter.code, "pk": people.grid_a1.pk}),
        {k: v for k, v in _points(people).items() if k != "person"},
    )
    assert page.status_code == 302
    rows = list(
        ScoreEntry.objects.filter(quarter=quarter).values_list(
            "person", "indicator__code", "points", "manual", "reason", "created_by", "source"
        )
    )
    assert len(rows) == 2 and rows[0] == rows[1]
    assert rows[0][:5] == (
        people.grid_a1.pk,
        "dispute_mediation",
        Decimal("3.50"),
        True,
        "调解邻里漏水纠纷",
    )


def test_points_for_a_unit(api_as, people, tree, quarter):
    data = _points(people, person=None, unit=tree.community_a.pk)
    answer = api_as(people.admin).post(_entries(quarter.code), data, format="json")
    assert answer.status_code == 201
    assert ScoreEntry.objects.get().unit == tree.community_a


def test_points_refusals(api_as, people, tree, quarter):
    url = _entries(quarter.code)
    sup = api_as(people.supervisor_a)
    wrong_role = sup.post(url, _points(people), format="json")
    assert wrong_role.status_code == 403 and wrong_role.json()["code"]
    away = sup.post(url, _points(people, person=people.grid_b1.pk), format="json")
    assert away.status_code == 404 and "person" in away.json()
    place = sup.post(url, _points(people, person=None, unit=tree.community_b.pk), format="json")
    assert place.status_code == 404 and "unit" in place.json()
    admin = api_as(people.admin)
    missing = admin.post(url, _points(people, indicator=2**31 - 1), format="json")
    assert missing.status_code == 404 and "indicator" in missing.json()
    nowhere = admin.post(_entries("2001Q1"), _points(people), format="json")
    assert nowhere.status_code == 404
    assert not ScoreEntry.objects.exists()


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"points": "abc"}, "points"),
        ({"points": "0"}, "points"),
        ({"points": "150"}, "points"),
        ({"reason": ""}, "reason"),
        ({"indicator": "x"}, "indicator"),
        ({"unit": 1}, "person"),  # both a person and a unit
        ({"person": None}, "person"),  # neither
    ],
)
def test_bad_points_are_400_naming_the_field(api_as, people, quarter, extra, field):
    answer = api_as(people.admin).post(
        _entries(quarter.code), _points(people, **extra), format="json"
    )
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert not ScoreEntry.objects.exists()


def test_no_points_in_a_published_quarter(api_as, people, quarters, card, compute):
    card(people.grid_a1, n=1)
    compute(quarters.last)
    published = services.quarter_publish(quarter=quarters.last, actor=people.admin)
    before = ScoreEntry.objects.count()
    answer = api_as(people.admin).post(_entries(published.code), _points(people), format="json")
    assert answer.status_code == 409 and "quarter" in answer.json()
    assert ScoreEntry.objects.count() == before


def _manual(people, quarter, points="2"):
    return services.score_entry_add(
        actor=people.admin,
        quarter=quarter,
        person=people.grid_a1,
        indicator=Indicator.objects.get(code="dispute_mediation"),
        points=points,
        reason="调解纠纷",
    )


def test_removing_a_manual_entry_through_both_doors(api_as, client_as, people, quarter):
    first, second, third = (_manual(people, quarter) for _ in range(3))
    api = api_as(people.admin)
    assert api.delete(f"{_entries(quarter.code)}{first.pk}/").status_code == 204
    assert api.post(f"{_entries(quarter.code)}{second.pk}/remove/").status_code == 204
    page = client_as(people.admin).post(
        reverse("scoring:entry-remove", kwargs={"code": quarter.code, "pk": third.pk})
    )
    assert page.status_code == 302
    assert not ScoreEntry.objects.exists()


def test_removal_refusals(api_as, people, quarter, card, quarters, compute):
    entry = _manual(people, quarter)
    url = f"{_entries(quarter.code)}{entry.pk}/"
    # Not an administrator over them: 404, alike an entry that is gone (it tells nobody who).
    assert api_as(people.supervisor_a).delete(url).status_code == 404
    assert api_as(people.grid_a1).post(url + "remove/").status_code == 404
    card(people.grid_a1, n=1)
    compute(quarters.last)
    derived = ScoreEntry.objects.filter(manual=False).first()
    answer = api_as(people.admin).delete(f"{_entries(quarter.code)}{derived.pk}/")
    assert answer.status_code == 404 and "entry" in answer.json()
    assert api_as(people.admin).delete(f"{_entries('2001Q1')}{entry.pk}/").status_code == 404
    assert ScoreEntry.objects.filter(pk=entry.pk).exists()
    services.quarter_publish(quarter=quarters.last, actor=people.admin)
    frozen = api_as(people.admin).delete(url)
    assert frozen.status_code == 409
    assert ScoreEntry.objects.filter(pk=entry.pk).exists()


# --- The record of a talk (约谈) ---------------------------------------------------------------


def _unit_of(person):
    return person.memberships.select_related("unit").first().unit


@pytest.fixture
def talk(people, quarters, card, compute, policy):
    """supervisor_b came last: a talk in community B, recorded by the town's supervisor."""
    policy.interview_lowest_count = 1
    policy.interview_person_below = None
    policy.save()
    card(people.grid_a1, n=3)
    card(people.grid_b1, n=2)
    card(people.supervisor_a, n=2, unit=_unit_of(people.supervisor_a))
    compute(quarters.last)
    quarter = services.quarter_publish(quarter=quarters.last, actor=people.admin)
    return Interview.objects.get(quarter=quarter, person=people.supervisor_b)


def _talk_url(talk, record=False):
    return f"/api/v1/scoring/interviews/{talk.pk}/" + ("record/" if record else "")


def _talk_body(quarters, **extra):
    return {
        "held_on": quarters.today.isoformat(),
        "notes": "指出本季度服务记录空白",
        "follow_up": "下季度每月检查一次",
        "annual_grade_lowered": True,
        **extra,
    }


def test_a_talk_is_read_and_recorded(api_as, people, quarters, talk):
    api = api_as(people.town_supervisor)
    shown = api.get(_talk_url(talk)).json()
    assert (shown["id"], shown["status"], shown["person"]) == (
        talk.pk,
        "pending",
        people.supervisor_b.pk,
    )
    answer = api.post(_talk_url(talk, True), _talk_body(quarters), format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "held" and body["held_by"] == people.town_supervisor.pk
    assert body["annual_grade_lowered"] is True and body["bonus_withheld"] is False
    talk.refresh_from_db()
    assert talk.notes == "指出本季度服务记录空白" and talk.recorded_by == people.town_supervisor


def test_a_talk_through_the_page_is_the_same_record(client_as, people, quarters, talk):
    page = client_as(people.town_supervisor).post(
        reverse("scoring:interview", args=[talk.pk]), _talk_body(quarters)
    )
    assert page.status_code == 302
    talk.refresh_from_db()
    assert (talk.status, talk.held_by, talk.annual_grade_lowered) == (
        "held",
        people.town_supervisor,
        True,
    )


def test_talk_refusals(api_as, people, quarters, talk):
    body = _talk_body(quarters)
    # Out of scope: another community's supervisor and grid worker.
    for who in (people.supervisor_a, people.grid_b1):
        assert api_as(who).get(_talk_url(talk)).status_code == 404
        away = api_as(who).post(_talk_url(talk, True), body, format="json")
        assert away.status_code == 404 and "interview" in away.json()
    # The person talked with sees it but does not record it.
    own = api_as(people.supervisor_b).post(_talk_url(talk, True), body, format="json")
    assert own.status_code == 403
    talk.refresh_from_db()
    assert talk.status == "pending"


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"held_on": "tomorrow"}, "held_on"),
        ({"notes": ""}, "notes"),
        ({"follow_up_due": "2001-01-01"}, "follow_up_due"),
        ({"interviewee": "长" * 65}, "interviewee"),
    ],
)
def test_bad_talk_input_is_400_naming_the_field(api_as, people, quarters, talk, extra, field):
    answer = api_as(people.town_supervisor).post(
        _talk_url(talk, True), _talk_body(quarters, **extra), format="json"
    )
    assert answer.status_code == 400 and field in answer.json(), answer.content
    talk.refresh_from_db()
    assert talk.status == "pending"


def test_a_talk_before_the_quarter_ends_is_refused(api_as, people, quarters, talk):
    early = _talk_body(quarters, held_on=quarters.day(3).isoformat())
    answer = api_as(people.town_supervisor).post(_talk_url(talk, True), early, format="json")
    assert answer.status_code == 400 and "held_on" in answer.json()


def test_a_talk_of_a_reopened_quarter_waits(api_as, people, quarters, talk):
    services.quarter_reopen(quarter=quarters.last, actor=people.admin, reason="复核")
    answer = api_as(people.town_supervisor).post(
        _talk_url(talk, True), _talk_body(quarters), format="json"
    )
    assert answer.status_code == 409
    talk.refresh_from_db()
    assert talk.status == "pending"


# --- Supervisors' evaluations ----------------------------------------------------------------


def _evaluations(code):
    return f"/api/v1/scoring/quarters/{code}/evaluations/"


def test_a_supervisor_evaluates_through_both_doors(api_as, client_as, people, quarter):
    api = api_as(people.supervisor_a)
    sheet = api.get(_evaluations(quarter.code)).json()
    assert [r["person"]["id"] for r in sheet["results"]] == [people.grid_a1.pk]
    assert sheet["results"][0]["evaluation"] is None
    assert sheet["results"][0]["units"] == [{"id": _unit_of(people.grid_a1).pk, "name": "A1网格"}]
    data = {"person": people.grid_a1.pk, "grade": "good", "note": "服务群众主动"}
    answer = api.post(_evaluations(quarter.code), data, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["evaluation"]["grade"] == "good"
    assert answer.json()["evaluation"]["evaluator"]["id"] == people.supervisor_a.pk
    again = api.get(_evaluations(quarter.code)).json()["results"][0]["evaluation"]
    assert (again["grade"], again["note"]) == ("good", "服务群众主动")
    # The page changes the same record.
    page = client_as(people.supervisor_a).post(
        reverse("scoring:evaluations", kwargs={"code": quarter.code}),
        {"person": people.grid_a1.pk, "grade": "excellent", "note": ""},
    )
    assert page.status_code == 302
    evaluation = SupervisorEvaluation.objects.get()
    assert (evaluation.grade, evaluation.evaluator) == ("excellent", people.supervisor_a)


def test_evaluation_refusals(api_as, people, quarter):
    url = _evaluations(quarter.code)
    # The volunteer sees the grid worker (their grid) but supervises nobody.
    volunteer = api_as(people.volunteer_a1).post(
        url, {"person": people.grid_a1.pk, "grade": "poor"}, format="json"
    )
    assert volunteer.status_code == 403
    sup = api_as(people.supervisor_a)
    own = sup.post(url, {"person": people.supervisor_a.pk, "grade": "excellent"}, format="json")
    assert own.status_code == 403
    away = sup.post(url, {"person": people.grid_b1.pk, "grade": "good"}, format="json")
    assert away.status_code == 404 and "person" in away.json()
    bad = sup.post(url, {"person": people.grid_a1.pk, "grade": "superb"}, format="json")
    assert bad.status_code == 400 and "grade" in bad.json()
    no_one = sup.post(url, {"grade": "good"}, format="json")
    assert no_one.status_code == 400 and "person" in no_one.json()
    assert sup.get(_evaluations("2001Q1")).status_code == 404
    assert not SupervisorEvaluation.objects.exists()
    # Out of scope, the sheet is empty; a grid worker supervises nobody.
    assert api_as(people.grid_a1).get(url).json()["count"] == 0


def test_no_evaluation_in_a_published_quarter(api_as, people, quarters, card, compute):
    card(people.grid_a1, n=1)
    compute(quarters.last)
    published = services.quarter_publish(quarter=quarters.last, actor=people.admin)
    answer = api_as(people.supervisor_a).post(
        _evaluations(published.code), {"person": people.grid_a1.pk, "grade": "good"}, format="json"
    )
    assert answer.status_code == 409
    assert not SupervisorEvaluation.objects.exists()


@pytest.mark.parametrize("n", [1, 6])
def test_the_evaluation_sheet_takes_constant_queries(
    api_as, people, tree, quarter, django_assert_num_queries, n
):
    for i in range(n - 1):
        worker = _somebody(f"grid-a1-{i}", tree.grid_a1, Role.GRID_WORKER)
        services.evaluation_record(
            actor=people.supervisor_a, quarter=quarter, person=worker, grade="fair"
        )
    client = api_as(people.supervisor_a)
    client.get(_evaluations(quarter.code))  # warm the session
    with django_assert_num_queries(8):
        assert client.get(_evaluations(quarter.code)).json()["count"] == n


# --- 双报到 -------------------------------------------------------------------------------------

DUAL = "/api/v1/scoring/dual/"


def _dual(people, tree, quarters, **extra):
    return {
        "person": people.handler_department.pk,
        "home_unit": tree.department.pk,
        "community": tree.community_a.pk,
        "registered_on": quarters.day(0).isoformat(),
        **extra,
    }


def test_a_supervisor_registers_a_member_through_both_doors(
    api_as, client_as, people, tree, quarters
):
    answer = api_as(people.supervisor_a).post(DUAL, _dual(people, tree, quarters), format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["person"] == {"id": people.handler_department.pk, "name": "handler-dept"}
    assert body["community"]["id"] == tree.community_a.pk
    assert body["year"] == quarters.day(0).year
    # The page refuses the second registration the same way (same member, community, year).
    page = client_as(people.supervisor_a).post(
        reverse("scoring:dual-list"), _dual(people, tree, quarters)
    )
    assert page.status_code == 200 and page.context["form"].errors["person"]
    again = api_as(people.supervisor_a).post(DUAL, _dual(people, tree, quarters), format="json")
    assert again.status_code == 400 and "person" in again.json()
    assert DualRegistration.objects.count() == 1


def test_dual_registration_refusals(api_as, people, tree, quarters, secretary_a):
    wrong_role = api_as(secretary_a).post(DUAL, _dual(people, tree, quarters), format="json")
    assert wrong_role.status_code == 403 and "community" in wrong_role.json()
    away = api_as(people.supervisor_b).post(DUAL, _dual(people, tree, quarters), format="json")
    assert away.status_code == 404 and "community" in away.json()
    sup = api_as(people.supervisor_a)
    # Not a department's member (the page's form offers those only).
    stranger = sup.post(
        DUAL, _dual(people, tree, quarters, person=people.grid_b1.pk), format="json"
    )
    assert stranger.status_code == 404 and "person" in stranger.json()
    home = sup.post(DUAL, _dual(people, tree, quarters, home_unit=tree.grid_a1.pk), format="json")
    assert home.status_code == 404 and "home_unit" in home.json()
    for field, value in (("registered_on", "soon"), ("community", "x"), ("person", 0)):
        bad = sup.post(DUAL, _dual(people, tree, quarters, **{field: value}), format="json")
        assert bad.status_code == 400 and field in bad.json(), (field, bad.content)
    future = sup.post(
        DUAL, _dual(people, tree, quarters, registered_on="2999-01-01"), format="json"
    )
    assert future.status_code == 400 and "registered_on" in future.json()
    assert not DualRegistration.objects.exists()


@pytest.fixture
def registration(people, tree, quarters):
    return services.dual_registration_create(
        actor=people.supervisor_a,
        person=people.handler_department,
        home_unit=tree.department,
        community=tree.community_a,
        registered_on=quarters.day(0),
    )


def _hours_url(registration):
    return f"{DUAL}{registration.pk}/services/"


def _hours(quarters, **extra):
    return {"served_on": quarters.day(5).isoformat(), "hours": "2.5", "description": "清理楼道"}


def test_hours_of_service_through_both_doors(api_as, client_as, people, quarters, registration):
    member = api_as(people.handler_department).post(
        _hours_url(registration), _hours(quarters), format="json"
    )
    assert member.status_code == 201, member.content
    assert member.json()["hours"] == "2.5"
    sup = api_as(people.supervisor_a).post(
        _hours_url(registration), _hours(quarters), format="json"
    )
    assert sup.status_code == 201
    page = client_as(people.supervisor_a).post(
        reverse("scoring:dual-detail", args=[registration.pk]), _hours(quarters)
    )
    assert page.status_code == 302
    rows = list(DualServiceRecord.objects.order_by("pk").values_list("hours", "recorded_by"))
    assert rows == [
        (Decimal("2.5"), people.handler_department.pk),
        (Decimal("2.5"), people.supervisor_a.pk),
        (Decimal("2.5"), people.supervisor_a.pk),
    ]


def test_hours_refusals(api_as, people, quarters, registration, secretary_a):
    url = _hours_url(registration)
    wrong_role = api_as(secretary_a).post(url, _hours(quarters), format="json")
    assert wrong_role.status_code == 403
    for who in (people.supervisor_b, people.grid_a1):
        away = api_as(who).post(url, _hours(quarters), format="json")
        assert away.status_code == 404 and "registration" in away.json()
    sup = api_as(people.supervisor_a)
    for field, value in (
        ("hours", "abc"),
        ("hours", "0"),
        ("hours", "25"),
        ("served_on", "2001-01-01"),  # before the registration
        ("description", ""),
    ):
        bad = sup.post(url, {**_hours(quarters), field: value}, format="json")
        assert bad.status_code == 400 and field in bad.json(), (field, value, bad.content)
    assert not DualServiceRecord.objects.exists()


def test_the_dual_list_is_scoped(api_as, people, quarters, registration):
    assert [r["id"] for r in api_as(people.supervisor_a).get(DUAL).json()["results"]] == [
        registration.pk
    ]
    assert api_as(people.handler_department).get(DUAL).json()["count"] == 1  # their own
    assert api_as(people.supervisor_b).get(DUAL).json()["count"] == 0
    year = quarters.day(0).year
    assert api_as(people.supervisor_a).get(DUAL, {"year": year}).json()["count"] == 1
    assert api_as(people.supervisor_a).get(DUAL, {"year": year - 1}).json()["count"] == 0
    bad = api_as(people.supervisor_a).get(DUAL, {"year": "x"})
    assert bad.status_code == 400 and "year" in bad.json()


@pytest.mark.parametrize("n", [1, 6])
def test_the_dual_list_takes_constant_queries(
    api_as, people, tree, quarters, django_assert_num_queries, n
):
    for i in range(n):
        member = _somebody(f"dept-{i}", tree.department, Role.HANDLER)
        services.dual_registration_create(
            actor=people.supervisor_a,
            person=member,
            home_unit=tree.department,
            community=tree.community_a,
            registered_on=quarters.day(i),
        )
    client = api_as(people.supervisor_a)
    client.get(DUAL)  # warm the session
    with django_assert_num_queries(5):
        assert client.get(DUAL).json()["count"] == n


# --- Volunteer teams and activities -----------------------------------------------------------

TEAMS = "/api/v1/scoring/volunteers/"


def _team(people, tree, **extra):
    return {
        "name": "红袖章志愿服务队",
        "unit": tree.community_a.pk,
        "leader": people.grid_a1.pk,
        "members": [people.volunteer_a1.pk],
        **extra,
    }


def test_a_supervisor_sets_up_a_team_through_both_doors(api_as, client_as, people, tree):
    answer = api_as(people.supervisor_a).post(TEAMS, _team(people, tree), format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["leader"] == {"id": people.grid_a1.pk, "name": "grid-a1"}
    team = VolunteerTeam.objects.get()
    assert set(team.members.values_list("pk", flat=True)) == {
        people.grid_a1.pk,
        people.volunteer_a1.pk,
    }
    page = client_as(people.supervisor_a).post(
        reverse("scoring:teams"), _team(people, tree, name="夕阳红志愿服务队")
    )
    assert page.status_code == 302
    second = VolunteerTeam.objects.get(name="夕阳红志愿服务队")
    assert set(second.members.values_list("pk", flat=True)) == set(
        team.members.values_list("pk", flat=True)
    )


def test_team_refusals(api_as, people, tree):
    # The volunteer's own grid is a place they may name; they supervise nothing.
    wrong_role = api_as(people.volunteer_a1).post(
        TEAMS, _team(people, tree, unit=tree.grid_a1.pk), format="json"
    )
    assert wrong_role.status_code == 403 and "unit" in wrong_role.json()
    sup = api_as(people.supervisor_a)
    for field, value in (
        ("unit", tree.community_b.pk),
        ("leader", people.grid_b1.pk),
        ("members", [people.grid_b1.pk]),
    ):
        away = sup.post(TEAMS, _team(people, tree, **{field: value}), format="json")
        assert away.status_code == 404 and field in away.json(), field
    building = sup.post(TEAMS, _team(people, tree, unit=tree.building_a1.pk), format="json")
    assert building.status_code == 404 and "unit" in building.json()  # not a team's place
    for field, value in (("name", ""), ("unit", "x"), ("members", "all")):
        bad = sup.post(TEAMS, _team(people, tree, **{field: value}), format="json")
        assert bad.status_code == 400 and field in bad.json(), field
    assert not VolunteerTeam.objects.exists()


@pytest.fixture
def team(people, tree):
    return services.volunteer_team_create(
        actor=people.supervisor_a,
        name="红袖章志愿服务队",
        unit=tree.community_a,
        leader=people.grid_a1,
        members=[people.volunteer_a1],
    )


def _activity_url(team):
    return f"{TEAMS}{team.pk}/activities/"


def _activity(people, quarters, **extra):
    return {
        "title": "爱心义诊进社区",
        "held_on": quarters.day(8).isoformat(),
        "place": "城东社区党群服务中心",
        "people_served": 40,
        "participants": [people.grid_a1.pk, people.volunteer_a1.pk],
        "organiser": people.grid_a1.pk,
        **extra,
    }


def test_the_leader_records_an_activity_through_both_doors(
    api_as, client_as, people, quarters, team
):
    answer = api_as(people.grid_a1).post(
        _activity_url(team), _activity(people, quarters), format="json"
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["participants"] == sorted([people.grid_a1.pk, people.volunteer_a1.pk])
    assert (body["people_served"], body["organiser"]) == (40, people.grid_a1.pk)
    page = client_as(people.supervisor_a).post(
        reverse("scoring:team-detail", args=[team.pk]), _activity(people, quarters)
    )
    assert page.status_code == 302
    rows = list(
        VolunteerActivity.objects.order_by("pk").values_list("people_served", "recorded_by")
    )
    assert rows == [(40, people.grid_a1.pk), (40, people.supervisor_a.pk)]


def test_activity_refusals(api_as, people, quarters, team):
    url = _activity_url(team)
    member = api_as(people.volunteer_a1).post(url, _activity(people, quarters), format="json")
    assert member.status_code == 403  # a member, not the leader nor a supervisor
    away = api_as(people.supervisor_b).post(url, _activity(people, quarters), format="json")
    assert away.status_code == 404 and "team" in away.json()
    leader = api_as(people.grid_a1)
    for field, value in (
        ("participants", [people.supervisor_a.pk]),  # not a member
        ("participants", []),
        ("organiser", people.supervisor_a.pk),
        ("people_served", -1),
        ("held_on", "2999-01-01"),
        ("title", ""),
    ):
        bad = leader.post(url, _activity(people, quarters, **{field: value}), format="json")
        assert bad.status_code == 400 and field in bad.json(), (field, value, bad.content)
    assert not VolunteerActivity.objects.exists()


def test_the_team_list_is_scoped(api_as, people, tree, team):
    services.volunteer_team_create(
        actor=people.supervisor_b, name="城西志愿队", unit=tree.community_b
    )
    assert [r["id"] for r in api_as(people.supervisor_a).get(TEAMS).json()["results"]] == [team.pk]
    assert api_as(people.volunteer_a1).get(TEAMS).json()["count"] == 1  # their team
    assert api_as(people.town_supervisor).get(TEAMS).json()["count"] == 2
    assert api_as(people.handler_department).get(TEAMS).json()["count"] == 0


@pytest.mark.parametrize("n", [1, 6])
def test_the_team_list_takes_constant_queries(api_as, people, tree, django_assert_num_queries, n):
    for i in range(n):
        services.volunteer_team_create(
            actor=people.supervisor_a,
            name=f"志愿队{i}",
            unit=tree.community_a,
            leader=people.grid_a1,
        )
    client = api_as(people.supervisor_a)
    client.get(TEAMS)  # warm the session
    with django_assert_num_queries(5):
        assert client.get(TEAMS).json()["count"] == n
