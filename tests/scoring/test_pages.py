"""The scoring pages: what each role sees and the forms (query counts: test_list_queries)."""

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import (
    Interview,
    Quarter,
    ScoreResult,
    ServiceCardEntry,
    SupervisorEvaluation,
)


def _url(name, *args):
    return reverse(f"scoring:{name}", args=args)


def test_scoring_pages_need_a_login(client, season):
    response = client.get(_url("quarter", season.quarter.code))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name",
    [
        "quarter",
        "communities",
        "interviews",
        "notice",
        "evaluations",
    ],
)
def test_every_quarter_page_renders_for_an_admin(client_as, season, people, name):
    response = client_as(people.admin).get(_url(name, season.quarter.code))
    assert response.status_code == 200
    assert season.quarter.code in response.content.decode()


@pytest.mark.parametrize(
    "name", ["index", "rules", "service-card-list", "commitments", "draws", "dual-list", "teams"]
)
def test_every_evidence_page_renders_for_a_grid_worker(client_as, season, people, name):
    assert client_as(people.grid_a1).get(_url(name)).status_code == 200


def test_the_ranking_page_lists_the_ranked_in_scope_with_their_stars(client_as, season, people):
    page = client_as(people.supervisor_a).get(_url("quarter", season.quarter.code))
    html = page.content.decode()
    shown = {int(pk) for pk in re.findall(r'data-person="(\d+)"', html)}
    assert shown == {people.grid_a1.pk, people.supervisor_a.pk}
    assert "★★★★★" in html  # grid_a1 is first of the county


def test_the_explanation_page_total_is_the_ranking_total(client_as, season, people):
    for person in (people.grid_a1, people.grid_b1, people.supervisor_a):
        html = (
            client_as(people.admin)
            .get(_url("person", season.quarter.code, person.pk))
            .content.decode()
        )
        total = D(re.search(r"<strong data-total>([-\d.]+)</strong>", html)[1])
        assert total == ScoreResult.objects.get(quarter=season.quarter, person=person).total


def test_a_worker_cannot_open_a_peers_explanation(client_as, season, people):
    client = client_as(people.grid_b1)
    assert client.get(_url("person", season.quarter.code, people.grid_b1.pk)).status_code == 200
    assert client.get(_url("person", season.quarter.code, people.grid_a1.pk)).status_code == 404
    assert client.get(_url("community", season.quarter.code, 99999)).status_code == 404
    assert client.get(_url("quarter", "2001Q1")).status_code == 404


def test_me_goes_to_my_own_explanation(client_as, season, people):
    response = client_as(people.grid_a1).get(_url("me"))
    assert response.url == _url("person", season.quarter.code, people.grid_a1.pk)


def test_logging_a_service_card_through_the_page(client_as, people, tree, quarters):
    client = client_as(people.grid_a1)
    response = client.post(
        _url("service-card-list"),
        {
            "person": people.grid_a1.pk,
            "unit": tree.grid_a1.pk,
            "kind": "routine",
            "occurred_on": quarters.day(3).isoformat(),
            "title": "本周入户走访5户",
        },
    )
    assert response.status_code == 302
    assert ServiceCardEntry.objects.get().title == "本周入户走访5户"
    again = client.post(
        _url("service-card-list"),
        {
            "person": people.grid_a1.pk,
            "unit": tree.grid_a1.pk,
            "kind": "routine",
            "occurred_on": quarters.day(4).isoformat(),
            "title": "同一周再登记",
        },
    )
    assert again.status_code == 200  # the form again, with the service's message
    assert again.context["form"].errors["occurred_on"]
    assert ServiceCardEntry.objects.count() == 1


def test_an_admin_computes_publishes_and_reopens_through_the_pages(client_as, season, people):
    client = client_as(people.admin)
    code = season.quarter.code
    assert client.post(_url("compute", code)).status_code == 302
    assert client.post(_url("publish", code)).status_code == 302
    assert Quarter.objects.get(code=code).is_published
    client.post(_url("reopen", code), {"reason": ""})
    assert Quarter.objects.get(code=code).is_published
    client.post(_url("reopen", code), {"reason": "补录服务卡"})
    assert not Quarter.objects.get(code=code).is_published


def test_compute_any_quarter_from_the_index(client_as, people, quarters):
    response = client_as(people.admin).post(_url("compute-any"), {"quarter": quarters.last.code})
    assert response.url == _url("quarter", quarters.last.code)
    assert Quarter.objects.get(code=quarters.last.code).status == "computed"


def test_a_supervisor_pressing_publish_changes_nothing(client_as, season, people):
    client = client_as(people.supervisor_a)
    response = client.post(_url("publish", season.quarter.code), follow=True)
    assert Quarter.objects.get(pk=season.quarter.pk).status == "computed"
    assert list(response.context["messages"])


def test_recording_a_talk_through_the_page(client_as, season, people, quarters):
    services.quarter_publish(quarter=season.quarter, actor=people.admin)
    talk = Interview.objects.filter(quarter=season.quarter, person=people.supervisor_b).get()
    client = client_as(people.town_supervisor)
    assert client.get(_url("interview", talk.pk)).status_code == 200
    response = client.post(
        _url("interview", talk.pk),
        {
            "held_on": quarters.today.isoformat(),
            "interviewee": "",
            "notes": "指出服务记录空白，限期整改",
            "follow_up": "下月复查",
            "follow_up_due": (quarters.today + timedelta(days=30)).isoformat(),
            "bonus_withheld": "on",
        },
    )
    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.status, talk.bonus_withheld, talk.annual_grade_lowered) == ("held", True, False)
    assert talk.interviewee == people.supervisor_b.get_full_name()
    # The person talked with cannot open someone else's talk outside their scope.
    assert client_as(people.grid_a1).get(_url("interview", talk.pk)).status_code == 404


def test_a_supervisor_evaluates_through_the_page(client_as, people, quarters):
    quarter = services.quarter_get_or_create(quarters.last)
    client = client_as(people.supervisor_a)
    page = client.get(_url("evaluations", quarter.code)).content.decode()
    assert f'id="worker-{people.grid_a1.pk}"' in page
    assert f'id="worker-{people.grid_b1.pk}"' not in page
    client.post(
        _url("evaluations", quarter.code),
        {"person": people.grid_a1.pk, "grade": "excellent", "note": "主动作为"},
    )
    assert SupervisorEvaluation.objects.get().grade == "excellent"
    client.post(_url("evaluations", quarter.code), {"person": people.grid_b1.pk, "grade": "poor"})
    assert SupervisorEvaluation.objects.count() == 1


def test_an_admin_gives_points_by_hand_on_the_explanation_page(client_as, season, people):
    from scoring.models import Indicator, ScoreEntry

    url = _url("person", season.quarter.code, people.grid_a1.pk)
    indicator = Indicator.objects.get(code="dispute_mediation")
    client_as(people.admin).post(
        url, {"indicator": indicator.pk, "points": "2", "reason": "调解纠纷"}
    )
    entry = ScoreEntry.objects.get(quarter=season.quarter, person=people.grid_a1, manual=True)
    assert Quarter.objects.get(pk=season.quarter.pk).stale
    # A supervisor sees the page but no form, and a post changes nothing.
    client_as(people.supervisor_a).post(
        url, {"indicator": indicator.pk, "points": "5", "reason": "x"}
    )
    assert ScoreEntry.objects.filter(manual=True, person=people.grid_a1).count() == 1
    removed = client_as(people.admin).post(
        _url("entry-remove", season.quarter.code, entry.pk), follow=True
    )
    assert not ScoreEntry.objects.filter(pk=entry.pk).exists()
    assert "积分已删除，请重新计算该季度。" in removed.content.decode()  # the service answers None
    missing = client_as(people.admin).post(_url("entry-remove", season.quarter.code, entry.pk))
    assert missing.status_code == 404


def test_the_notice_names_the_last_places(client_as, season, people):
    html = client_as(people.admin).get(_url("notice", season.quarter.code)).content.decode()
    last = ScoreResult.objects.filter(quarter=season.quarter, subject="person", last_in_town=True)
    assert last.exists()
    for row in last:
        assert row.person.get_full_name() in html


def test_the_quarter_page_shows_the_quarters_last_day(client_as, people, db):
    from scoring.services.quarters import quarter_get_or_create

    quarter = quarter_get_or_create("2026Q3")
    assert str(quarter.last_day) == "2026-09-30"
    page = client_as(people.admin).get(f"/scoring/quarters/{quarter.code}/").content.decode()
    assert "2026-07-01 – 2026-09-30" in page
