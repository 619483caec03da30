"""Meetings the way the report counts them (issue 13): types, topics with or without a case,
"N meetings held, M problems solved, K through four-party consultation", per type and period."""

from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.errors import ValidationFailed
from casework.models import AgendaItem, Meeting, MeetingType
from casework.selectors.consultations import consultation_figures, meeting_figures
from casework.services import TopicInput

FOUR = [("residents_committee", "张主任"), ("property_company", "王经理")]


def day(n):
    """``n`` days ago, local."""
    return timezone.localdate() - timedelta(days=n)


def at(n):
    return timezone.make_aware(datetime.combine(day(n), time(10)))


def meet(actor, unit, kind, n, topics=(), cases=()):
    return services.meeting_create(
        actor=actor,
        unit=unit,
        held_at=at(n),
        place="党群服务中心",
        topic=f"{kind}会议",
        participants=FOUR,
        type=kind,
        topics=topics,
        cases=cases,
    )


@pytest.fixture
def counted(tree, people, open_case):
    """The hand-counted fixture. Community A (supervisor A), cases c1, c2, c3:

    M1 four_party  40 days ago: c1 settled; 楼道灯 settled; 停车 not settled   3 topics, 2 solved
    M2 joint       30 days ago: c2 settled; 垃圾分类 settled                   2 topics, 2 solved
    M3 residents   20 days ago: 广场舞 settled; 绿化 open; c3 decided, open      3 topics, 1 solved
    M4 other       10 days ago: no topics                                      0 topics, 0 solved
    M5 four_party   5 days ago: c1 settled AGAIN (reopened in between, not
                                counted again); 电梯 settled                    2 topics, 1 solved
    Community B (supervisor B):
    M6 four_party  15 days ago: 路灯 settled                                    1 topic,  1 solved

    Community A: 5 meetings; topics 3+2+3+0+2 = 10; solved 2+2+1+0+1 = 6; through four-party
    (M1, M5) 2+1 = 3. The county adds M6: 6 meetings, 11 topics, 7 solved, 4 through four-party.
    """
    sup, a = people.supervisor_a, tree.community_a
    c1, c2, c3 = open_case(title="路灯坏了"), open_case(title="下水道"), open_case(title="噪音")
    meet(
        sup,
        a,
        "four_party",
        40,
        [
            TopicInput(case=c1, decision="物业更换", resolves=True),
            TopicInput(title="楼道灯", decision="当场修好", resolves=True),
            TopicInput(title="停车"),
        ],
    )
    meet(
        sup,
        a,
        "joint",
        30,
        [
            TopicInput(case=c2, decision="疏通", resolves=True),
            TopicInput(title="垃圾分类", decision="设点", resolves=True),
        ],
    )
    meet(
        sup,
        a,
        "residents_council",
        20,
        [
            TopicInput(title="广场舞", decision="限时", resolves=True),
            TopicInput(title="绿化"),
            TopicInput(case=c3, decision="下次再议"),
        ],
    )
    meet(sup, a, "other", 10)
    services.feedback_record(
        case=c1.pk, actor=people.grid_a1, solved=False, satisfaction="unsatisfied"
    )
    meet(
        sup,
        a,
        "four_party",
        5,
        [
            TopicInput(case=c1, decision="再次协商，更换灯具", resolves=True),
            TopicInput(title="电梯", decision="维修基金", resolves=True),
        ],
    )
    meet(
        people.supervisor_b,
        tree.community_b,
        "four_party",
        15,
        [TopicInput(title="路灯", decision="修复", resolves=True)],
    )
    return {"c1": c1, "c2": c2, "c3": c3}


def rows(figures):
    return {
        row["code"]: (row["meetings"], row["topics"], row["solved"]) for row in figures["by_type"]
    }


def test_the_report_figures_by_hand(counted, people, tree):
    mine = meeting_figures(viewer=people.supervisor_a)
    assert (mine["meetings"], mine["topics"], mine["solved"], mine["solved_four_party"]) == (
        5,
        10,
        6,
        3,
    )
    assert rows(mine) == {
        "four_party": (2, 5, 3),
        "joint": (1, 2, 2),
        "residents_council": (1, 3, 1),
        "other": (1, 0, 0),
    }
    county = meeting_figures(viewer=people.admin)
    assert (county["meetings"], county["topics"], county["solved"]) == (6, 11, 7)
    assert county["solved_four_party"] == 4
    # The article's figures on the dashboard count the same way.
    assert consultation_figures(unit=tree.community_a) == {"meetings": 5, "solved": 6}


def test_a_period_counts_the_meetings_held_in_it(counted, people, tree):
    start = timezone.make_aware(datetime.combine(day(25), time.min))
    end = timezone.make_aware(datetime.combine(day(7), time.min))
    # M3 and M4 in community A; M6 (community B) for the county.
    part = meeting_figures(viewer=people.supervisor_a, start=start, end=end)
    assert (part["meetings"], part["topics"], part["solved"], part["solved_four_party"]) == (
        2,
        3,
        1,
        0,
    )
    # Only M5: c1 was solved before the period, so only 电梯 is a problem solved in it.
    start = timezone.make_aware(datetime.combine(day(7), time.min))
    last = meeting_figures(viewer=people.supervisor_a, start=start)
    assert (last["meetings"], last["topics"], last["solved"], last["solved_four_party"]) == (
        1,
        2,
        1,
        1,
    )
    county_b = meeting_figures(viewer=people.admin, unit=tree.community_b)
    assert (county_b["meetings"], county_b["topics"], county_b["solved"]) == (1, 1, 1)


def test_a_case_settled_at_a_meeting_is_resolved_with_its_event(counted):
    c2 = counted["c2"]
    c2.refresh_from_db()
    assert c2.state == "resolved"
    assert c2.events.filter(kind="consulted").count() == 1
    c3 = counted["c3"]
    c3.refresh_from_db()
    assert c3.state == "new" and c3.events.filter(kind="consulted").count() == 1


def test_a_topic_needs_a_title_or_a_case_and_a_known_type(people, tree):
    with pytest.raises(ValidationFailed) as refused:
        meet(people.supervisor_a, tree.community_a, "four_party", 1, [TopicInput(title=" ")])
    assert refused.value.field == "topics"
    with pytest.raises(ValidationFailed) as refused:
        meet(people.supervisor_a, tree.community_a, "nonsense", 1)
    assert refused.value.field == "type"
    MeetingType.objects.filter(code="joint").update(active=False)
    with pytest.raises(ValidationFailed) as refused:
        meet(people.supervisor_a, tree.community_a, "joint", 1)
    assert refused.value.field == "type"
    with pytest.raises(ValidationFailed) as refused:
        meet(
            people.supervisor_a,
            tree.community_a,
            "other",
            1,
            [TopicInput(title="x", resolves=True)],
        )
    assert refused.value.field == "topics"
    assert not Meeting.objects.exists()


# --- The API --------------------------------------------------------------------------------


def test_figures_over_the_api_scoped_to_the_viewer(counted, api_as, people, tree):
    body = api_as(people.supervisor_a).get("/api/v1/meetings/figures/").json()
    assert (body["meetings"], body["topics"], body["solved"], body["solved_four_party"]) == (
        5,
        10,
        6,
        3,
    )
    body = api_as(people.admin).get(
        "/api/v1/meetings/figures/",
        {"unit": tree.community_b.pk, "from": day(20).isoformat(), "to": day(0).isoformat()},
    )
    assert body.status_code == 200
    assert (body.json()["meetings"], body.json()["solved_four_party"]) == (1, 1)
    # Another community's unit is not in supervisor A's scope.
    client = api_as(people.supervisor_a)
    response = client.get("/api/v1/meetings/figures/", {"unit": tree.community_b.pk})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
        ({"unit": "abc"}, "unit"),
    ],
)
def test_bad_figures_queries_name_the_field(api_as, people, query, field):
    response = api_as(people.supervisor_a).get("/api/v1/meetings/figures/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_api_records_a_typed_meeting_with_topics(api_as, people, tree, open_case):
    case = open_case()
    client = api_as(people.supervisor_a)
    response = client.post(
        "/api/v1/meetings/",
        {
            "type": "residents_council",
            "unit": tree.community_a.pk,
            "held_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "place": "议事厅",
            "topic": "小区治理",
            "participants": [{"role": r, "name": n} for r, n in FOUR],
            "topics": [
                {"title": "广场舞噪音", "decision": "晚九点后停止", "resolves": True},
                {"case": case.pk, "decision": "物业维修", "resolves": True},
                {"title": "增设充电桩"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["type"] == "residents_council" and body["type_name"] == "居民议事会"
    assert [(t["title"], t["case"], t["resolved"]) for t in body["agenda"]] == [
        ("广场舞噪音", None, True),
        (case.title, case.pk, True),
        ("增设充电桩", None, False),
    ]
    case.refresh_from_db()
    assert case.state == "resolved"
    meeting_id = body["id"]
    # A topic added later, then settled by its id.
    response = client.post(
        f"/api/v1/meetings/{meeting_id}/topics/", {"title": "楼道堆物"}, format="json"
    )
    assert response.status_code == 201, response.content
    topic = response.json()["id"]
    response = client.post(
        f"/api/v1/meetings/{meeting_id}/decide/",
        {"topic": topic, "decision": "限期清理", "resolves": True},
        format="json",
    )
    assert response.status_code == 200 and response.json()["resolved"] is True
    figures = client.get("/api/v1/meetings/figures/").json()
    assert rows(figures)["residents_council"] == (1, 4, 3)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "nonsense"}, "type"),
        ({"topics": [{"title": ""}]}, "topics"),
        ({"topics": [{"case": 999999}]}, "topics"),
        ({"topics": [{"title": "x", "resolves": True}]}, "topics"),
    ],
)
def test_bad_meetings_name_the_field_and_record_nothing(api_as, people, tree, body, field):
    response = api_as(people.supervisor_a).post(
        "/api/v1/meetings/",
        {
            "unit": tree.community_a.pk,
            "held_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "place": "议事厅",
            "topic": "议事",
            "participants": [{"role": r, "name": n} for r, n in FOUR],
            **body,
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_a_topic_over_the_api_is_checked(api_as, people, tree, open_case):
    meeting = meet(people.supervisor_a, tree.grid_a1, "joint", 1)
    client = api_as(people.supervisor_a)
    url = f"/api/v1/meetings/{meeting.pk}/topics/"
    assert client.post(url, {"title": ""}, format="json").json().keys() >= {"title"}
    other = open_case(unit=tree.compound_b1, who=people.grid_b1)
    response = client.post(url, {"case": other.pk}, format="json")
    assert response.status_code == 400 and "case" in response.json()
    response = api_as(people.grid_a1).post(url, {"title": "停车"}, format="json")
    assert response.status_code == 403
    assert not meeting.agenda.exists()


# --- The pages ------------------------------------------------------------------------------


def test_the_meetings_page_shows_the_figures_per_type(counted, client_as, people):
    page = client_as(people.supervisor_a).get(reverse("meeting-list")).content.decode()
    assert 'data-figure="held">5<' in page
    assert 'data-figure="topics">10<' in page
    assert 'data-figure="solved">6<' in page
    assert 'data-figure="four_party">3<' in page
    assert 'data-type="joint"' in page


def test_the_form_records_a_typed_meeting_with_topics(client_as, people, tree):
    response = client_as(people.supervisor_a).post(
        reverse("meeting-new"),
        {
            "type": "joint",
            "unit": tree.community_a.pk,
            "held_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "议事厅",
            "topic": "联席会议",
            "party_residents_committee": "张主任",
            "other_topics": "停车难\n\n 垃圾清运 ",
        },
    )
    assert response.status_code == 302, response.content
    meeting = Meeting.objects.get()
    assert meeting.type_id == "joint"
    assert list(meeting.agenda.values_list("title", flat=True)) == ["停车难", "垃圾清运"]


def test_the_page_adds_a_topic_and_settles_it(client_as, people, tree):
    meeting = meet(people.supervisor_a, tree.community_a, "other", 1)
    client = client_as(people.supervisor_a)
    response = client.post(
        reverse("meeting-topic", args=[meeting.pk]),
        {"title": "绿化带", "decision": "补种", "resolves": "on"},
    )
    assert response.status_code == 302
    (topic,) = meeting.agenda.all()
    assert (topic.title, topic.case_id, topic.resolved, topic.decision) == (
        "绿化带",
        None,
        True,
        "补种",
    )
    response = client.post(reverse("meeting-topic", args=[meeting.pk]), {"title": ""})
    assert response.status_code == 302 and meeting.agenda.count() == 1


# --- Queries --------------------------------------------------------------------------------


def test_the_figures_cost_the_same_however_many_meetings(
    api_as, people, tree, django_assert_num_queries
):
    cache.clear()
    client = api_as(people.supervisor_a)
    for total in (2, 6):
        while Meeting.objects.count() < total:
            n = Meeting.objects.count()
            meet(
                people.supervisor_a,
                tree.community_a,
                ("four_party", "joint", "residents_council", "other")[n % 4],
                n + 1,
                [TopicInput(title=f"议题{n}", decision="定", resolves=True)],
            )
        # session, user, scope; the types, the meetings per type, the topics per type.
        with django_assert_num_queries(6):
            body = client.get("/api/v1/meetings/figures/").json()
        assert body["meetings"] == total


# --- The data migration ---------------------------------------------------------------------


@pytest.fixture
def back_to_the_latest_migrations():
    """Whatever the test migrated to, the database ends at the latest migrations again: the
    transactional tests after it need every table and column."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_makes_old_meetings_four_party_and_agenda_items_topics(
    back_to_the_latest_migrations,
):
    executor = MigrationExecutor(connection)
    before = [("casework", "0013_field_app")]
    after = [("casework", "0014_meeting_types")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    OrgUnit = apps.get_model("casework", "OrgUnit")
    User = apps.get_model("casework", "User")
    Category = apps.get_model("casework", "Category")
    Case = apps.get_model("casework", "Case")
    OldMeeting = apps.get_model("casework", "Meeting")
    OldItem = apps.get_model("casework", "AgendaItem")
    unit = OrgUnit.objects.create(
        path="0001", depth=1, numchild=0, name="社区", kind="community", code="m13"
    )
    user = User.objects.create(username="m13")
    category = Category.objects.create(code="m13", name="类别")
    case = Case.objects.create(unit=unit, category=category, title="旧案件", created_by=user)
    meeting = OldMeeting.objects.create(
        unit=unit, held_at=timezone.now(), place="厅", topic="旧会", created_by=user
    )
    OldItem.objects.create(meeting=meeting, case=case, decision="解决", resolved=True)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    Meeting_ = apps.get_model("casework", "Meeting")
    Item = apps.get_model("casework", "AgendaItem")
    Type = apps.get_model("casework", "MeetingType")
    assert list(Type.objects.values_list("code", "name")) == [
        ("four_party", "四方协商"),
        ("joint", "联席会议"),
        ("residents_council", "居民议事会"),
        ("other", "其他"),
    ]
    assert Meeting_.objects.get(pk=meeting.pk).type_id == "four_party"
    item = Item.objects.get()
    assert (item.title, item.case_id, item.resolved) == ("旧案件", case.pk, True)
