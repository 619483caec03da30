"""Four-party consultations: recording, deciding, the article's counts, scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.errors import NotPermitted, ValidationFailed
from casework.models import Meeting
from casework.selectors.consultations import consultation_figures

FOUR = [
    ("residents_committee", "张主任"),
    ("owners_committee", "李主任"),
    ("property_company", "王经理"),
    ("building_leader", "赵楼栋长"),
]


def _meeting(people, tree, cases=(), **kw):
    return services.meeting_create(
        actor=kw.get("actor", people.supervisor_a),
        unit=kw.get("unit", tree.community_a),
        held_at=timezone.now() - timedelta(hours=1),
        place="党群服务中心",
        topic="公共设施损坏",
        participants=FOUR,
        cases=cases,
    )


def test_the_counts_are_meetings_held_and_problems_solved(people, tree, open_case):
    first, second = open_case(title="路灯"), open_case(title="健身器材")
    meeting = _meeting(people, tree, cases=[first, second])
    items = {item.case_id: item for item in meeting.agenda.all()}
    services.meeting_decide(
        actor=people.supervisor_a, item=items[first.pk], decision="物业更换", resolves=True
    )
    services.meeting_decide(
        actor=people.supervisor_a, item=items[second.pk], decision="再议", resolves=False
    )
    _meeting(people, tree)
    assert consultation_figures(unit=tree.county) == {"meetings": 2, "solved": 1}
    assert consultation_figures(unit=tree.community_b) == {"meetings": 0, "solved": 0}


def test_only_a_supervisor_of_the_place_records_one(people, tree):
    with pytest.raises(NotPermitted):
        _meeting(people, tree, actor=people.grid_a1)
    with pytest.raises(NotPermitted):
        _meeting(people, tree, actor=people.supervisor_b)
    assert not Meeting.objects.exists()


def test_a_case_from_elsewhere_cannot_join_the_agenda(people, tree, open_case):
    other = open_case(unit=tree.compound_b1, who=people.grid_b1)
    with pytest.raises(ValidationFailed) as exc:
        _meeting(people, tree, cases=[other])
    assert exc.value.field == "cases"
    assert not Meeting.objects.exists()


def test_a_decision_cannot_be_recorded_twice(people, tree, open_case):
    meeting = _meeting(people, tree, cases=[open_case()])
    item = meeting.agenda.get()
    services.meeting_decide(actor=people.supervisor_a, item=item, decision="同意", resolves=False)
    with pytest.raises(ValidationFailed):
        services.meeting_decide(
            actor=people.supervisor_a, item=item, decision="再改", resolves=True
        )


def test_meetings_api_creates_and_decides(api_as, people, tree, open_case):
    case = open_case()
    client = api_as(people.supervisor_a)
    response = client.post(
        "/api/v1/meetings/",
        {
            "unit": tree.community_a.pk,
            "held_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "place": "议事厅",
            "topic": "电梯",
            "participants": [{"role": r, "name": n} for r, n in FOUR],
            "cases": [case.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    response = client.post(
        f"/api/v1/meetings/{meeting_id}/decide/",
        {"case": case.pk, "decision": "维修基金", "resolves": True},
        format="json",
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == "resolved"
    assert api_as(people.grid_b1).get(f"/api/v1/meetings/{meeting_id}/").status_code == 404


def test_the_meetings_page_shows_the_counts(client_as, people, tree, open_case):
    meeting = _meeting(people, tree, cases=[open_case()])
    services.meeting_decide(
        actor=people.supervisor_a, item=meeting.agenda.get(), decision="解决", resolves=True
    )
    page = client_as(people.supervisor_a).get(reverse("meeting-list")).content.decode()
    assert 'data-figure="held">1<' in page and 'data-figure="solved">1<' in page


def test_the_meeting_form_records_one(client_as, people, tree):
    response = client_as(people.supervisor_a).post(
        reverse("meeting-new"),
        {
            "unit": tree.community_a.pk,
            "held_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "议事厅",
            "topic": "停车",
            "party_residents_committee": "张主任",
            "party_property_company": "王经理",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get().participants.count() == 2
