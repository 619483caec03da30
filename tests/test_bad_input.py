"""Input that used to answer 500 (or was taken as it came), logged in: each now answers a 4xx
whose message names what is wrong, and writes nothing.

Nothing here is marked ``postgres``: every test runs on SQLite and on PostgreSQL, because the
two refuse different things (PostgreSQL refuses NUL in text, SQLite lets it through).
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from casework.errors import NotFound
from casework.models import ExportRecord, OrgUnit, Role
from casework.services import membership_grant, person_create
from requests_app.models import Request, Visit
from requests_app.services import request_collect, request_open_case
from scoring.models import ScoreEntry, SupervisorEvaluation
from tests.scoring import conftest as scoring_fixtures

# The scoring fixtures used here: a conftest's fixtures reach only the tests in its folder.
card, compute, quarters, season = (
    scoring_fixtures.card,
    scoring_fixtures.compute,
    scoring_fixtures.quarters,
    scoring_fixtures.season,
)

NUL = "\x00"


def _collect(people, tree, category, **overrides):
    fields = {
        "actor": people.grid_a1,
        "channel": "onsite",
        "category": category,
        "unit": tree.building_a1,
        "description": "1栋电梯停在半层",
    }
    fields.update(overrides)
    return request_collect(**fields)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- Bodies ------------------------------------------------------------------------------------


def test_a_body_nested_too_deeply_is_a_400_saying_so(api_as, people, tree, category):
    body = "[" * 100_000 + "]" * 100_000
    response = api_as(people.grid_a1).post(
        "/api/v1/requests/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "嵌套过深" in response.json()["detail"]  # "too deeply nested"
    assert not Request.objects.exists()


def test_a_body_nested_deeper_than_any_form_is_a_400_even_when_python_could_read_it(
    api_as, people, tree, category
):
    body = '{"unit": ' + "[" * 200 + "]" * 200 + "}"
    response = api_as(people.grid_a1).post(
        "/api/v1/requests/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "嵌套过深" in response.json()["detail"]  # "too deeply nested"
    assert not Request.objects.exists()


# --- NUL in query strings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/categories/", "search"),
        ("/api/v1/residents/", "search"),
        ("/api/v1/requests/", "q"),
    ],
)
def test_nul_in_a_search_is_a_400_naming_the_parameter(api_as, people, category, url, param):
    response = api_as(people.admin).get(url, {param: f"电梯{NUL}"})
    assert response.status_code == 400
    assert param in response.json()


def test_nul_in_an_exports_query_string_is_a_400_and_records_no_export(
    api_as, people, tree, category
):
    _collect(people, tree, category)
    response = api_as(people.admin).get("/api/v1/requests/", {"format": "xlsx", "note": NUL})
    assert response.status_code == 400
    assert "note" in json.loads(response.content)
    assert not ExportRecord.objects.exists()


# --- Dates at the edges ------------------------------------------------------------------------

EDGE_DATES = [
    ({"from": "0001-01-01"}, "from"),
    ({"from": "9999-12-01"}, "from"),
    ({"to": "9999-12-31"}, "to"),
    ({"from": "2026-02-30"}, "from"),
]


@pytest.mark.parametrize(("query", "field"), EDGE_DATES)
def test_a_dashboard_date_at_the_edge_of_the_calendar_is_a_400_naming_it(
    api_as, people, query, field
):
    response = api_as(people.admin).get("/api/v1/dashboard/", query)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        *EDGE_DATES,
        ({"month": "2026-13"}, "month"),
        ({"month": "0001-01"}, "month"),
        ({"month": "9999-12"}, "month"),
        ({"quarter": "0000Q1"}, "quarter"),
        ({"quarter": "9999Q4"}, "quarter"),
    ],
)
def test_a_dashboard_page_with_a_bad_period_is_a_400_saying_which(client_as, people, query, field):
    response = client_as(people.admin).get(reverse("dashboard"), query)
    assert response.status_code == 400
    assert query[field] in _messages(response)


# --- Ids in forms and bodies -------------------------------------------------------------------


def test_merging_into_a_request_that_is_not_a_number_is_refused_as_no_such_request(
    client_as, people, tree, category
):
    """A page's decision answers a refusal as all its refusals do: back to the request, with
    the message; a malformed id reads as an unknown one."""
    duplicate = _collect(people, tree, category)
    url = reverse("requests_app:decide", args=[duplicate.pk, "merge"])
    response = client_as(people.grid_a1).post(url, {"into": "abc"}, follow=True)
    assert response.redirect_chain == [(reverse("requests_app:detail", args=[duplicate.pk]), 302)]
    assert "没有这条诉求" in _messages(response)
    duplicate.refresh_from_db()
    assert duplicate.status == "collected"


def test_an_evaluation_for_an_id_no_column_holds_is_refused_naming_the_person(
    client_as, people, tree
):
    from scoring.calc import QuarterKey
    from scoring.services import quarter_get_or_create

    quarter = quarter_get_or_create(QuarterKey.of(timezone.localdate()))
    response = client_as(people.supervisor_a).post(
        reverse("scoring:evaluations", args=[quarter.code]),
        {"person": "99999999999999999999", "grade": "good"},
    )
    assert response.status_code == 400
    assert "没有这个人" in _messages(response)
    assert not SupervisorEvaluation.objects.exists()


def _three_ways(api_as, people, tree, category, field, strange, outsiders, **extra):
    """The create answer for an unknown id, and for ids out of the collector's scope."""
    client = api_as(people.grid_a1)
    body = {
        "channel": "onsite",
        "category": category.pk,
        "unit": tree.building_a1.pk,
        "description": "楼道灯坏了",
        **extra,
    }
    unknown = client.post("/api/v1/requests/", {**body, field: strange}, format="json")
    others = [
        client.post("/api/v1/requests/", {**body, field: pk}, format="json") for pk in outsiders
    ]
    return unknown, others


def test_an_id_in_a_body_out_of_scope_answers_as_an_unknown_one(api_as, people, tree, category):
    other_request = _collect(people, tree, category, actor=people.grid_b1, unit=tree.compound_b1)
    request_open_case(request=other_request, actor=people.grid_b1)
    from requests_app.services import visit_create

    other_visit = visit_create(actor=people.grid_b1, unit=tree.compound_b1)
    cases = {
        "unit": ([tree.compound_b1.pk], {}),
        "visit": ([other_visit.pk], {"channel": "onsite"}),
        "merge_into": ([other_request.pk], {"outcome": "merge"}),
    }
    before = Request.objects.count()
    for field, (outsiders, extra) in cases.items():
        unknown, others = _three_ways(
            api_as, people, tree, category, field, 987654321, outsiders, **extra
        )
        assert unknown.status_code == 400, (field, unknown.json())
        assert field in unknown.json()
        for other in others:
            assert (other.status_code, other.json()) == (unknown.status_code, unknown.json())
    assert Request.objects.count() == before


# --- Scoring -----------------------------------------------------------------------------------


def test_removing_an_entry_already_removed_is_not_found(people, season):
    from scoring.services import score_entry_remove

    entry = ScoreEntry.objects.get(pk=season.manual.pk)
    ScoreEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(NotFound):
        score_entry_remove(actor=people.admin, entry=entry)


def test_a_refused_entry_removal_answers_as_a_missing_entry(client_as, people, season):
    quarter = season.quarter
    client = client_as(people.supervisor_b)
    refused = client.post(reverse("scoring:entry-remove", args=[quarter.code, season.manual.pk]))
    missing = client.post(reverse("scoring:entry-remove", args=[quarter.code, 987654321]))
    assert refused.status_code == missing.status_code == 404
    assert str(season.manual.person_id) not in refused.content.decode()
    assert ScoreEntry.objects.filter(pk=season.manual.pk).exists()


def test_markup_in_a_unit_name_prints_as_typed_in_the_report(api_as, people, tree, season):
    OrgUnit.objects.filter(pk=tree.county.pk).update(name="博白县<b>开发区&amp;园区 & a<c")
    response = api_as(people.admin).get(
        f"/api/v1/scoring/quarters/{season.quarter.code}/report.pdf"
    )
    assert response.status_code == 200, response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "博白县<b>开发区&amp;园区 & a<c" in text


# --- Visits and requests far in the past or future ---------------------------------------------


@pytest.fixture
def secretary(tree):
    user = person_create(username="secretary", name="民情书记")
    membership_grant(user=user, unit=tree.community_a, role=Role.MINQING_SECRETARY)
    return user


@pytest.mark.parametrize(
    "at", ["0001-01-01T00:00:00+08:00", "0001-01-01T09:00:00Z", "9999-12-31T23:59:00+08:00"]
)
def test_a_visit_in_year_1_or_9999_is_refused_naming_the_time(api_as, secretary, tree, at):
    response = api_as(secretary).post(
        "/api/v1/visits/", {"unit": tree.compound_a1.pk, "visited_at": at}, format="json"
    )
    assert response.status_code == 400
    assert "visited_at" in response.json()
    assert not Visit.objects.exists()


def test_a_visit_years_ago_is_refused_naming_the_time(api_as, secretary, tree):
    at = (timezone.now() - timedelta(days=5 * 365)).isoformat()
    response = api_as(secretary).post(
        "/api/v1/visits/", {"unit": tree.compound_a1.pk, "visited_at": at}, format="json"
    )
    assert response.status_code == 400
    assert "visited_at" in response.json()
    assert not Visit.objects.exists()


def test_a_visit_page_in_year_1_is_refused_naming_the_time(client_as, secretary, tree):
    response = client_as(secretary).post(
        reverse("requests_app:visit-new"),
        {"unit": tree.compound_a1.pk, "kind": "feedback_day", "visited_at": "0001-01-01T00:00"},
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["visited_at"]
    assert not Visit.objects.exists()


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:00+08:00"])
def test_a_request_collected_in_year_1_or_9999_is_refused_naming_the_time(
    api_as, people, tree, category, at
):
    response = api_as(people.grid_a1).post(
        "/api/v1/requests/",
        {
            "channel": "onsite",
            "category": category.pk,
            "unit": tree.building_a1.pk,
            "description": "楼道灯坏了",
            "collected_at": at,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "collected_at" in response.json()
    assert not Request.objects.exists()
