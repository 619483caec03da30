"""Yearly and cumulative rankings across a year boundary, and the 星级社区工作者 flow through
the service, the pages and the API, with refusals, PDFs and query counts.

The rankings read only published quarters' results, so the fixture writes four quarters'
``ScoreResult`` rows directly (building them through evidence dated across two years would test
the quarterly computation again, which tests/scoring/test_compute.py does). Hand-counted:

            2025Q3 2025Q4 2026Q1 (2026Q2 computed, not published: 100 for grid A1, ignored)
grid A1       10     20      5     → 2025: 30  2026: 5   cumulative 2026: 35
sup A         15     15      5     → 2025: 30  2026: 5   cumulative 2026: 35
grid B1        –     25     10     → 2025: 25  2026: 10  cumulative 2026: 35
sup B          –      –     40     → 2025: –   2026: 40  cumulative 2026: 40
"""

import io
from datetime import datetime, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from pypdf import PdfReader

from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.services import membership_grant, person_create, unit_create
from scoring.models import (
    Award,
    HonourAction,
    Nomination,
    NominationRound,
    Quarter,
    ScoreResult,
)
from scoring.selectors.rankings import person_history, standing_list, standings
from scoring.services import honours as services

TABLE = {
    "grid_a1": {"2025Q3": 10, "2025Q4": 20, "2026Q1": 5, "2026Q2": 100},
    "supervisor_a": {"2025Q3": 15, "2025Q4": 15, "2026Q1": 5},
    "grid_b1": {"2025Q4": 25, "2026Q1": 10},
    "supervisor_b": {"2026Q1": 40},
}


def _quarter(code, status):
    year, number = int(code[:4]), int(code[-1])
    start = timezone.make_aware(datetime(year, 3 * number - 2, 1))
    return Quarter.objects.create(
        code=code,
        year=year,
        number=number,
        starts_at=start,
        ends_at=start + timedelta(days=91),
        status=status,
    )


@pytest.fixture
def years(tree, people):
    quarters = {
        code: _quarter(code, "computed" if code == "2026Q2" else "published")
        for code in ("2025Q3", "2025Q4", "2026Q1", "2026Q2")
    }
    for who, totals in TABLE.items():
        person = getattr(people, who)
        unit = person.memberships.select_related("unit").first().unit
        community = (
            tree.community_a if who.endswith("a1") or who.endswith("_a") else (tree.community_b)
        )
        for code, total in totals.items():
            ScoreResult.objects.create(
                quarter=quarters[code],
                subject="person",
                person=person,
                unit=unit,
                county=tree.county,
                town=tree.town,
                community=community,
                total=D(total),
                own_total=D(total),
                subtotals={},
            )
    return quarters


def _ranks(rows, people):
    names = {getattr(people, n).pk: n for n in TABLE}
    return {names[s.key]: (s.total, s.rank_in_county, s.county_size) for s in rows}


def test_yearly_and_cumulative_totals_and_ranks_carry_across_the_year(years, people):
    assert _ranks(standings(period="year", year=2025), people) == {
        "grid_a1": (D(30), 1, 3),
        "supervisor_a": (D(30), 1, 3),
        "grid_b1": (D(25), 3, 3),
    }
    assert _ranks(standings(period="year", year=2026), people) == {
        "supervisor_b": (D(40), 1, 4),
        "grid_b1": (D(10), 2, 4),
        "grid_a1": (D(5), 3, 4),
        "supervisor_a": (D(5), 3, 4),
    }
    assert _ranks(standings(period="cumulative", year=2026), people) == {
        "supervisor_b": (D(40), 1, 4),
        "grid_a1": (D(35), 2, 4),
        "supervisor_a": (D(35), 2, 4),
        "grid_b1": (D(35), 2, 4),
    }
    assert _ranks(standings(period="cumulative", year=2025), people) == _ranks(
        standings(period="year", year=2025), people
    )


def test_the_ranking_is_scoped_but_ranked_over_the_county(years, people):
    mine = standing_list(viewer=people.grid_b1, period="cumulative", year=2026)
    assert [(s.key, s.total, s.rank_in_county) for s in mine] == [(people.grid_b1.pk, D(35), 2)]
    assert len(standing_list(viewer=people.supervisor_a, period="year", year=2026)) == 2


def test_the_ranking_page_and_api_in_a_constant_number_of_queries(
    years, people, client_as, api_as, django_assert_num_queries, tree
):
    client = client_as(people.admin)
    with django_assert_num_queries(10):
        page = client.get("/scoring/rankings/?period=cumulative&year=2026")
    assert page.status_code == 200
    assert "35.00" in page.content.decode()
    api = api_as(people.admin)
    with django_assert_num_queries(6):
        body = api.get("/api/v1/scoring/rankings/?period=cumulative&year=2026").json()
    assert [(r["total"], r["rank"]) for r in body["results"]] == [
        ("40.00", 1),
        ("35.00", 2),
        ("35.00", 2),
        ("35.00", 2),
    ]
    # Many more ranked workers: the same number of queries.
    quarter = years["2026Q1"]
    for n in range(30):
        person = person_create(username=f"extra{n}", name=f"extra{n}")
        membership_grant(user=person, unit=tree.grid_b1, role="grid_worker")
        ScoreResult.objects.create(
            quarter=quarter,
            subject="person",
            person=person,
            unit=tree.grid_b1,
            county=tree.county,
            town=tree.town,
            community=tree.community_b,
            total=D(n),
            own_total=D(n),
            subtotals={},
        )
    with django_assert_num_queries(6):
        body = api.get("/api/v1/scoring/rankings/?period=cumulative&year=2026").json()
    assert body["count"] == 34
    with django_assert_num_queries(10):
        assert client.get("/scoring/rankings/?period=cumulative&year=2026").status_code == 200
    assert api.get("/api/v1/scoring/rankings/?period=decade").status_code == 400


def test_a_workers_history_shows_quarters_years_and_cumulative(years, people, api_as):
    h = person_history(viewer=people.grid_a1, person_id=people.grid_a1.pk)
    assert [(y.year, y.total, y.cumulative, y.cumulative_rank) for y in h.years] == [
        (2026, D(5), D(35), 2),
        (2025, D(30), D(30), 1),
    ]
    assert h.cumulative == D(35)
    assert len(h.results) == 4  # the computed 2026Q2 is shown, marked unpublished
    body = api_as(people.grid_a1).get(f"/api/v1/scoring/people/{people.grid_a1.pk}/history/")
    assert body.json()["cumulative"] == "35.00"
    assert (
        api_as(people.grid_b1)
        .get(f"/api/v1/scoring/people/{people.grid_a1.pk}/history/")
        .status_code
        == 404
    )


# --- Nomination, approval, award -------------------------------------------------------------


def test_opening_proposes_the_top_by_cumulative_points_ties_included(years, people, tree):
    round_ = services.honour_round_open(
        actor=people.admin, county=tree.county, year=2026, candidate_count=2
    )
    proposed = set(round_.nominations.values_list("person_id", flat=True))
    # The 2nd place is a three-way tie on 35: all three are proposed with the first.
    assert proposed == {getattr(people, n).pk for n in TABLE}
    assert set(HonourAction.objects.filter(round=round_).values_list("kind", flat=True)) == {
        "opened",
        "proposed",
    }


@pytest.mark.parametrize(
    ("who", "year", "unit", "error"),
    [
        ("town_supervisor", 2026, "county", NotPermitted),
        ("supervisor_a", 2026, "county", NotPermitted),
        ("admin", 2027, "county", ValidationFailed),  # no published quarter in 2027
        ("admin", 2026, "town", ValidationFailed),  # not a county
    ],
)
def test_opening_a_round_is_refused(years, people, tree, who, year, unit, error):
    with pytest.raises(error):
        services.honour_round_open(
            actor=getattr(people, who), county=getattr(tree, unit), year=year
        )
    assert not NominationRound.objects.exists() and not HonourAction.objects.exists()


@pytest.fixture
def round_(years, people, tree):
    return services.honour_round_open(
        actor=people.admin, county=tree.county, year=2026, candidate_count=1
    )


def test_the_flow_nominate_approve_reject_close(round_, people, tree):
    (top,) = round_.nominations.all()
    assert top.person_id == people.supervisor_b.pk and top.cumulative_total == D(40)
    added = services.nomination_add(
        actor=people.town_supervisor, round=round_, person=people.grid_a1, reason="带头走访"
    )
    assert (added.source, added.cumulative_total, added.cumulative_rank) == (
        "supervisor",
        D(35),
        2,
    )
    with pytest.raises(Conflict):
        services.nomination_add(
            actor=people.town_supervisor, round=round_, person=people.grid_a1, reason="again"
        )
    with pytest.raises(NotPermitted):
        services.nomination_decide(
            actor=people.town_supervisor, nomination=top, approve=True, reason="同意"
        )
    with pytest.raises(ValidationFailed):
        services.nomination_decide(actor=people.admin, nomination=top, approve=True, reason="")
    with pytest.raises(Conflict):
        services.honour_round_close(actor=people.admin, round=round_)  # two still pending
    services.nomination_decide(
        actor=people.admin, nomination=top, approve=True, reason="同意", stars=5
    )
    services.nomination_decide(actor=people.admin, nomination=added, approve=False, reason="暂缓")
    with pytest.raises(Conflict):
        services.nomination_decide(actor=people.admin, nomination=top, approve=False, reason="x")
    award = Award.objects.get()
    assert (award.person_id, award.certificate_number, award.stars, award.year) == (
        people.supervisor_b.pk,
        "2026-001",
        5,
        2026,
    )
    services.honour_round_close(actor=people.admin, round=round_)
    with pytest.raises(Conflict):
        services.nomination_add(
            actor=people.admin, round=round_, person=people.grid_b1, reason="too late"
        )
    kinds = list(
        HonourAction.objects.filter(round=round_).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["opened", "proposed", "nominated", "approved", "rejected", "closed"]
    # A second round of the year leaves out whoever is already awarded.
    second = services.honour_round_open(
        actor=people.admin, county=tree.county, year=2026, title="优秀网格员", candidate_count=1
    )
    assert people.supervisor_b.pk not in set(
        second.nominations.values_list("person_id", flat=True)
    )


def test_nominating_is_refused_outside_the_county_and_to_workers(round_, people, tree):
    other = unit_create(name="陆川县", kind="county", parent=tree.city)
    town = unit_create(name="温泉镇", kind="town", parent=other)
    outsider = person_create(username="far", name="far")
    membership_grant(user=outsider, unit=town, role="supervisor")
    before = Nomination.objects.count()
    with pytest.raises(ValidationFailed):
        services.nomination_add(
            actor=people.admin, round=round_, person=outsider, reason="不在本县"
        )
    with pytest.raises(NotPermitted):
        services.nomination_add(
            actor=people.grid_b1, round=round_, person=people.grid_a1, reason="同事"
        )
    assert Nomination.objects.count() == before


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)


def test_the_pages_open_decide_and_print(years, people, tree, client_as):
    county = client_as(people.town_supervisor)
    refused = county.post(
        "/scoring/honours/",
        {"county": tree.county.pk, "year": 2026, "title": "星级社区工作者", "candidate_count": 1},
    )
    assert refused.status_code == 302 and not NominationRound.objects.exists()
    admin = client_as(people.admin)
    opened = admin.post(
        "/scoring/honours/",
        {"county": tree.county.pk, "year": 2026, "title": "星级社区工作者", "candidate_count": 1},
    )
    round_ = NominationRound.objects.get()
    assert opened.status_code == 302 and opened.url == f"/scoring/honours/{round_.pk}/"
    (top,) = round_.nominations.all()
    sup = client_as(people.town_supervisor)
    assert (
        sup.post(
            f"/scoring/honours/{round_.pk}/nominate/",
            {"person": people.grid_a1.pk, "reason": "好"},
        ).status_code
        == 302
    )
    assert round_.nominations.count() == 2
    sup.post(f"/scoring/nominations/{top.pk}/decide/", {"decision": "approve", "reason": "x"})
    assert not Award.objects.exists()  # a town supervisor does not decide
    admin = client_as(people.admin)
    admin.post(
        f"/scoring/nominations/{top.pk}/decide/",
        {"decision": "approve", "reason": "同意", "stars": "5"},
    )
    award = Award.objects.get()
    page = admin.get(f"/scoring/honours/roll/{tree.county.pk}/2026/")
    assert "2026-001" in page.content.decode() and "sup-b" in page.content.decode()
    roll = _pdf_text(admin.get(f"/scoring/honours/roll/{tree.county.pk}/2026/pdf/").content)
    assert "sup-b" in roll and "2026-001" in roll and "博白县" in roll
    cert = _pdf_text(admin.get(f"/scoring/awards/{award.pk}/certificate/").content)
    for text in ("sup-b", "2026-001", "博白县", "星级社区工作者", "2026"):
        assert text in cert, text
    assert (
        client_as(people.grid_a1).get(f"/scoring/awards/{award.pk}/certificate/").status_code
        == 404
    )
    history = client_as(people.supervisor_b).get(
        f"/scoring/people/{people.supervisor_b.pk}/history/"
    )
    assert "2026-001" in history.content.decode()


def test_the_api_opens_nominates_decides_closes(years, people, tree, api_as):
    body = {"county": tree.county.pk, "year": 2026, "candidate_count": 1}
    assert (
        api_as(people.town_supervisor)
        .post("/api/v1/scoring/honours/", body, format="json")
        .status_code
        == 403
    )
    api = api_as(people.admin)
    opened = api.post("/api/v1/scoring/honours/", body, format="json")
    assert opened.status_code == 201
    pk = opened.json()["id"]
    assert api.post("/api/v1/scoring/honours/", body, format="json").status_code == 409
    detail = api.get(f"/api/v1/scoring/honours/{pk}/").json()
    (top,) = detail["nominations"]
    sup = api_as(people.town_supervisor)
    added = sup.post(
        f"/api/v1/scoring/honours/{pk}/nominations/",
        {"person": people.grid_a1.pk, "reason": "好"},
        format="json",
    )
    assert added.status_code == 201
    assert (
        sup.post(
            f"/api/v1/scoring/nominations/{top['id']}/decide/",
            {"decision": "approve", "reason": "x"},
            format="json",
        ).status_code
        == 403
    )
    api = api_as(people.admin)
    assert (
        api.post(
            f"/api/v1/scoring/nominations/{top['id']}/decide/",
            {"decision": "approve"},
            format="json",
        ).status_code
        == 400
    )
    decided = api.post(
        f"/api/v1/scoring/nominations/{top['id']}/decide/",
        {"decision": "approve", "reason": "同意"},
        format="json",
    ).json()
    assert decided["certificate_number"] == "2026-001"
    assert api.post(f"/api/v1/scoring/honours/{pk}/close/").status_code == 409
    api.post(
        f"/api/v1/scoring/nominations/{added.json()['id']}/decide/",
        {"decision": "reject", "reason": "暂缓"},
        format="json",
    )
    assert api.post(f"/api/v1/scoring/honours/{pk}/close/").json()["status"] == "closed"
    roll = api.get(f"/api/v1/scoring/honours/roll/{tree.county.pk}/2026/").json()
    assert [(r["name"], r["certificate_number"]) for r in roll] == [("sup-b", "2026-001")]
    pdf = api.get(f"/api/v1/scoring/awards/{decided['award']}/certificate.pdf")
    assert "2026-001" in _pdf_text(pdf.content)
