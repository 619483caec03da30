"""The report's figures replayed through the API (issue 13, "Done when").

One 民情书记 goes down once and logs 84 requests through the API: 72 answered on the spot, 12
assisted (opened as cases). Supervisors record meetings of each type with their topics through
the API. Counted by hand:

    visits 1; collected 84 = 72 on the spot + 12 assisted + 0 merged + 0 rejected + 0 pending

    M1 四方协商  楼道灯 settled, 电梯 settled, 停车 not settled     3 topics, 2 solved
    M2 四方协商  路灯 settled                                        1 topic,  1 solved
    M3 联席会议  垃圾分类 settled, 充电桩 not settled                2 topics, 1 solved
    M4 居民议事会 广场舞 settled                                     1 topic,  1 solved
    → 4 meetings, 7 topics, 5 problems solved, 3 of them through four-party consultation

The dashboard page, its API, the visit and meeting figures APIs and the quarterly PDF must all
say exactly that. The dashboard is read once before the work, so a stale cached dashboard fails.
"""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from casework.models import Role
from casework.services import membership_grant, person_create
from scoring import services as scoring
from scoring.calc import QuarterKey

pytestmark = pytest.mark.django_db

MEETINGS = [
    ("four_party", [("楼道灯", True), ("电梯", True), ("停车", False)]),
    ("four_party", [("路灯", True)]),
    ("joint", [("垃圾分类", True), ("充电桩", False)]),
    ("residents_council", [("广场舞", True)]),
]


def _figures_in_page(html: str) -> dict[str, int]:
    return {
        key: int(value)
        for key, value in re.findall(r'data-figure="([a-z_]+)"><strong>(?:<a [^>]*>)?(\d+)', html)
    }


@pytest.fixture
def replayed(tree, people, category, api_as, django_capture_on_commit_callbacks):
    secretary = person_create(username="sec-replay", name="韦书记", password="pw-replay-2026-x")
    membership_grant(user=secretary, unit=tree.community_a, role=Role.MINQING_SECRETARY)
    now = timezone.now()
    quarter = QuarterKey.of(timezone.localdate(now))
    period = {
        "unit": tree.county.pk,
        "from": quarter.first_day.isoformat(),
        "to": timezone.localdate(now).isoformat(),
    }
    # Read before the work: the cached dashboard must notice what follows.
    assert api_as(people.admin).get("/api/v1/dashboard/", period).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        _replay(api_as, tree, people, category, secretary, now)
    scoring.quarter_compute(quarter=quarter.code)
    return period, quarter, secretary


def _replay(api_as, tree, people, category, secretary, now):
    """The work, through the API; its commits tell the cached dashboards (on_commit)."""
    field = api_as(secretary)
    visit = field.post(
        "/api/v1/visits/",
        {"unit": tree.compound_a1.pk, "visited_at": (now - timedelta(hours=2)).isoformat()},
        format="json",
    )
    assert visit.status_code == 201, visit.content
    for n in range(84):
        body = {
            "channel": "onsite",
            "category": category.pk,
            "unit": tree.building_a1.pk,
            "description": f"第{n + 1}条民情",
            "visit": visit.json()["id"],
        }
        if n < 72:
            body |= {"outcome": "answer_on_spot", "answer": "已现场解答政策"}
        else:
            body |= {"outcome": "open_case"}
        answer = field.post("/api/v1/requests/", body, format="json")
        assert answer.status_code == 201, answer.content

    chair = api_as(people.supervisor_a)
    for kind, topics in MEETINGS:
        made = chair.post(
            "/api/v1/meetings/",
            {
                "type": kind,
                "unit": tree.community_a.pk,
                "held_at": (now - timedelta(hours=1)).isoformat(),
                "place": "党群服务中心",
                "topic": topics[0][0],
                "participants": [
                    {"role": "residents_committee", "name": "张主任"},
                    {"role": "property_company", "name": "王经理"},
                ],
                "topics": [
                    {"title": title, "decision": "议定" if done else "", "resolves": done}
                    for title, done in topics
                ],
            },
            format="json",
        )
        assert made.status_code == 201, made.content


VISITS = {
    "visit_visits": 1,
    "visit_collected": 84,
    "visit_answered_on_spot": 72,
    "visit_assisted": 12,
    "visit_merged": 0,
    "visit_rejected": 0,
    "visit_pending": 0,
}
MEETING_FIGURES = {
    "meetings_held": 4,
    "meeting_topics": 7,
    "meeting_problems_solved": 5,
    "problems_solved_four_party": 3,
}


def test_the_dashboard_api_says_what_the_report_says(replayed, api_as, people):
    period, _quarter, _secretary = replayed
    figures = api_as(people.admin).get("/api/v1/dashboard/", period).json()["figures"]
    assert {key: figures[key] for key in VISITS} == VISITS
    assert {key: figures[key] for key in MEETING_FIGURES} == MEETING_FIGURES


def test_the_dashboard_page_says_the_same(replayed, client_as, people):
    _period, quarter, _secretary = replayed
    html = (
        client_as(people.admin)
        .get("/dashboard/", {"unit": replayed[0]["unit"], "quarter": quarter.code})
        .content.decode()
    )
    shown = _figures_in_page(html)
    assert {key: shown[key] for key in VISITS} == VISITS
    assert {key: shown[key] for key in MEETING_FIGURES} == MEETING_FIGURES
    assert "民情书记下访1次，收集民情84条：现场解答72条，协助办理12条" in html


def test_the_figures_apis_say_the_same(replayed, api_as, people):
    period, _quarter, secretary = replayed
    client = api_as(people.admin)
    visits = client.get("/api/v1/visits/figures/", period).json()
    assert visits["totals"] == {
        "visits": 1,
        "secretaries": 1,
        "collected": 84,
        "answered_on_spot": 72,
        "assisted": 12,
        "merged": 0,
        "rejected": 0,
        "pending": 0,
    }
    assert [row["person"]["id"] for row in visits["secretaries"]] == [secretary.pk]
    meetings = client.get("/api/v1/meetings/figures/", period).json()
    assert (meetings["meetings"], meetings["topics"], meetings["solved"]) == (4, 7, 5)
    assert meetings["solved_four_party"] == 3
    by_type = {
        row["code"]: (row["meetings"], row["topics"], row["solved"]) for row in meetings["by_type"]
    }
    assert by_type["four_party"] == (2, 4, 3)
    assert by_type["joint"] == (1, 2, 1)
    assert by_type["residents_council"] == (1, 1, 1)


def test_the_quarterly_pdf_says_the_same(replayed, api_as, people):
    _period, quarter, _secretary = replayed
    response = api_as(people.admin).get(f"/api/v1/scoring/quarters/{quarter.code}/report.pdf")
    assert response.status_code == 200, response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "收集民情84条" in text, text[:800]
    assert "现场解答72条" in text and "协助办理12条" in text
    assert "召开会议4次，提出议题7个，解决问题5个，其中通过四方协商解决3个" in text
    # The 72 answers wait for their call-back sample: none scores yet.
    assert "现场解答72条，抽取回访0条" in text


def test_the_unverified_answers_score_nothing_yet(replayed, api_as, people):
    _period, quarter, secretary = replayed
    body = api_as(people.admin).get(
        f"/api/v1/scoring/people/{secretary.pk}/", {"quarter": quarter.code}
    )
    assert body.status_code == 200, body.content
    data = body.json()
    assert not [entry for entry in data["entries"] if entry["source"] == "answered_on_spot"]
    pending = [row for row in data["withheld"] if row["state"] == "pending"]
    assert [row["count"] for row in pending] == [72]


def test_an_answer_on_the_spot_refreshes_the_cached_dashboard(
    tree, people, category, api_as, django_capture_on_commit_callbacks
):
    """No case event is written by a visit or an answer on the spot: the request's own history
    must tell the cached dashboards (it once stayed stale for ten minutes)."""
    secretary = person_create(username="sec-cache", name="蓝书记", password="pw-replay-2026-x")
    membership_grant(user=secretary, unit=tree.community_a, role=Role.MINQING_SECRETARY)

    def dashboard():
        # One API client: each ``api_as`` logs it in again as that person.
        answer = api_as(people.admin).get("/api/v1/dashboard/", {"unit": tree.county.pk})
        assert answer.status_code == 200, answer.content
        return answer.json()["figures"]

    assert dashboard()["visit_visits"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        visit = api_as(secretary).post(
            "/api/v1/visits/",
            {"unit": tree.compound_a1.pk, "visited_at": timezone.now().isoformat()},
            format="json",
        )
    assert dashboard()["visit_visits"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        api_as(secretary).post(
            "/api/v1/requests/",
            {
                "channel": "onsite",
                "category": category.pk,
                "unit": tree.building_a1.pk,
                "description": "咨询养老补贴",
                "visit": visit.json()["id"],
                "outcome": "answer_on_spot",
                "answer": "已现场解答",
            },
            format="json",
        )
    figures = dashboard()
    assert (figures["visit_collected"], figures["visit_answered_on_spot"]) == (1, 1)
