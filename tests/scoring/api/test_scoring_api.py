"""The scoring API contract: quarters, their actions, the ranking, people's explanations."""

from decimal import Decimal as D

import pytest

from scoring.models import Quarter, QuarterAction, ScoreResult


def test_the_scoring_api_needs_a_login(api_client, season):
    assert api_client.get("/api/v1/scoring/quarters/").status_code in (401, 403)


def test_quarters_are_listed_with_their_status(api_as, season, people):
    body = api_as(people.grid_a1).get("/api/v1/scoring/quarters/").json()
    (row,) = body
    assert row["code"] == season.quarter.code
    assert row["status"] == "computed"
    assert row["provisional"] is False
    assert row["result_count"] == 6
    one = api_as(people.grid_a1).get(f"/api/v1/scoring/quarters/{season.quarter.code}/")
    assert one.json()["code"] == season.quarter.code
    lower = season.quarter.code.lower()
    assert api_as(people.grid_a1).get(f"/api/v1/scoring/quarters/{lower}/").status_code == 200
    assert api_as(people.grid_a1).get("/api/v1/scoring/quarters/2001Q1/").status_code == 404


def test_ranking_rows_carry_the_contract_fields(api_as, season, people):
    body = api_as(people.admin).get(f"/api/v1/scoring/quarters/{season.quarter.code}/ranking/")
    body = body.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    row = next(r for r in body["results"] if r["person"] == people.grid_a1.pk)
    result = ScoreResult.objects.get(quarter=season.quarter, person=people.grid_a1)
    assert row["name"] == "grid-a1"
    assert row["unit"] == result.unit_id
    assert D(row["total"]) == result.total
    # First of 4 in the county: the percentile earns 5★, but the default quota (at most 3 % of
    # a county's ranked per level: 0 of 4, rounded down) leaves the top of 4 without a star.
    assert (row["rank"], row["stars"]) == (1, 0) == (result.rank_in_county, result.stars)
    ranks = [r["rank"] for r in body["results"]]
    assert ranks == sorted(ranks)


def test_the_ranking_filters_by_unit_and_never_reveals_what_is_out_of_scope(
    api_as, season, people, tree
):
    url = f"/api/v1/scoring/quarters/{season.quarter.code}/ranking/"
    admin = api_as(people.admin)
    in_b = admin.get(url, {"unit": tree.community_b.pk}).json()["results"]
    assert {r["person"] for r in in_b} == {people.grid_b1.pk, people.supervisor_b.pk}
    supervisor = api_as(people.supervisor_a)
    mine = supervisor.get(url).json()["results"]
    assert {r["person"] for r in mine} == {people.grid_a1.pk, people.supervisor_a.pk}
    assert supervisor.get(url, {"unit": tree.community_b.pk}).json()["count"] == 0


def test_community_ranking_and_the_talk_list(api_as, season, people, tree):
    code = season.quarter.code
    client = api_as(people.admin)
    rows = client.get(f"/api/v1/scoring/quarters/{code}/communities/").json()["results"]
    assert {r["unit"] for r in rows} == {tree.community_a.pk, tree.community_b.pk}
    assert rows[0]["rank"] == 1
    talks = client.get(f"/api/v1/scoring/quarters/{code}/interviews/").json()
    assert talks["count"] == 0  # not published: no list yet


def test_a_persons_points_list_categories_and_entries_with_their_source(api_as, season, people):
    body = (
        api_as(people.grid_a1)
        .get(f"/api/v1/scoring/people/{people.grid_a1.pk}/", {"quarter": season.quarter.code})
        .json()
    )
    result = ScoreResult.objects.get(quarter=season.quarter, person=people.grid_a1)
    assert D(body["total"]) == D(body["ranked_total"]) == result.total
    assert body["rank"] == result.rank_in_county
    assert sum(D(c["subtotal"]) for c in body["categories"]) == result.total
    by_source = {e["source"]: e for e in body["entries"]}
    assert D(by_source["service_card_special"]["points"]) == 4
    assert by_source["service_card_special"]["category"] == "serving_residents"
    assert len(by_source["service_card_special"]["items"]) == 4
    assert by_source["answered_on_spot"]["reason"]
    assert by_source["evaluation_good"]["source_label"]


def test_a_persons_points_default_to_the_latest_quarter_and_are_scoped(api_as, season, people):
    client = api_as(people.grid_b1)
    assert client.get(f"/api/v1/scoring/people/{people.grid_b1.pk}/").json()["quarter"] == (
        season.quarter.code
    )
    assert client.get(f"/api/v1/scoring/people/{people.grid_a1.pk}/").status_code == 404
    assert client.get("/api/v1/scoring/people/999999/").status_code == 404
    supervisor = api_as(people.supervisor_a)
    assert supervisor.get(f"/api/v1/scoring/people/{people.grid_a1.pk}/").status_code == 200


def test_a_communitys_points(api_as, season, people, tree):
    client = api_as(people.supervisor_a)
    body = client.get(f"/api/v1/scoring/communities/{tree.community_a.pk}/").json()
    result = ScoreResult.objects.get(quarter=season.quarter, unit=tree.community_a, person=None)
    assert D(body["total"]) == result.total
    assert client.get(f"/api/v1/scoring/communities/{tree.community_b.pk}/").status_code == 404


def test_compute_publish_and_reopen_over_the_api(api_as, season, people):
    code = season.quarter.code
    admin = api_as(people.admin)
    assert admin.post(f"/api/v1/scoring/quarters/{code}/compute/").json()["status"] == "computed"
    assert admin.post(f"/api/v1/scoring/quarters/{code}/publish/").json()["status"] == "published"
    again = admin.post(f"/api/v1/scoring/quarters/{code}/compute/")
    assert again.status_code == 409
    assert again.json()["code"] == "quarter_published"
    no_reason = admin.post(f"/api/v1/scoring/quarters/{code}/reopen/", {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    reopened = admin.post(f"/api/v1/scoring/quarters/{code}/reopen/", {"reason": "补录"})
    assert reopened.json()["status"] == "computed"
    assert QuarterAction.objects.filter(quarter__code=code, kind="reopened").count() == 1


@pytest.mark.parametrize("action", ["compute", "publish"])
def test_a_supervisor_may_not_act_on_a_quarter(api_as, season, people, action):
    response = api_as(people.supervisor_a).post(
        f"/api/v1/scoring/quarters/{season.quarter.code}/{action}/"
    )
    assert response.status_code == 403
    assert Quarter.objects.get(pk=season.quarter.pk).status == "computed"


def test_publishing_a_quarter_in_progress_is_refused_naming_the_field(api_as, people, quarters):
    admin = api_as(people.admin)
    admin.post(f"/api/v1/scoring/quarters/{quarters.this.code}/compute/")
    response = admin.post(f"/api/v1/scoring/quarters/{quarters.this.code}/publish/")
    assert response.status_code == 400
    assert "quarter" in response.json()


def test_the_schema_documents_the_scoring_endpoints(api_as, people):
    schema = api_as(people.admin).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/scoring/quarters/{code}/ranking/" in paths
    assert "/api/v1/scoring/people/{id}/" in paths
