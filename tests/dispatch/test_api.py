"""The dispatch API: suggest (scoped like every endpoint), versions, retraining, acceptance."""

import pytest

from dispatch.models import DispatchModel

SUGGEST = "/api/v1/dispatch/suggest/"
MODELS = "/api/v1/dispatch/models/"
ACCEPTANCE = "/api/v1/dispatch/acceptance/"


def test_suggest_answers_categories_units_and_the_model_best_first(
    api_as, people, tree, cats, history, learn_from_few
):
    history(40)
    from dispatch.services import model_train

    version = model_train(actor=None)
    answer = api_as(people.grid_a1).post(
        SUGGEST, {"description": "电梯停了，困人", "unit": tree.building_a1.pk}, format="json"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"categories", "units", "model"}
    assert body["categories"][0]["category"] == cats.lift.pk
    assert set(body["categories"][0]) == {"category", "name", "group", "score"}
    scores = [c["score"] for c in body["categories"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert body["units"] == []
    assert body["model"] == {
        "version": version.pk,
        "kind": "learned",
        "top1": version.top1,
        "top3": version.top3,
    }


def test_suggest_says_keywords_before_any_training(api_as, people, cats):
    body = api_as(people.grid_a1).post(SUGGEST, {"description": "停水了"}, format="json").json()
    assert body["model"] == {"version": None, "kind": "keywords", "top1": None, "top3": None}
    assert body["categories"][0]["category"] == cats.water.pk


def test_a_place_outside_the_scope_is_unknown(api_as, people, tree, cats):
    answer = api_as(people.grid_a1).post(
        SUGGEST, {"description": "停水了", "unit": tree.compound_b1.pk}, format="json"
    )
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    missing = api_as(people.grid_a1).post(
        SUGGEST, {"description": "停水了", "unit": 999999}, format="json"
    )
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "电" * 2001}, "description"),
        ({"description": "停水", "unit": "abc"}, "unit"),
        ({"description": "停水", "unit": 0}, "unit"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_as, people, cats, body, field):
    answer = api_as(people.grid_a1).post(SUGGEST, body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()


def test_a_unit_that_is_no_place_is_refused(api_as, people, tree, cats):
    answer = api_as(people.admin).post(
        SUGGEST, {"description": "停水", "unit": tree.company.pk}, format="json"
    )
    assert answer.status_code == 400
    assert "unit" in answer.json()


def test_only_people_who_collect_there_ask_for_suggestions(api_as, people, tree, cats, client):
    assert client.post(SUGGEST, {"description": "停水"}).status_code in (401, 403)
    assert (
        api_as(people.handler_company)
        .post(SUGGEST, {"description": "停水"}, format="json")
        .status_code
        == 403
    )
    # A supervisor of the community collects there too.
    assert (
        api_as(people.supervisor_a)
        .post(SUGGEST, {"description": "停水", "unit": tree.grid_a1.pk}, format="json")
        .status_code
        == 200
    )


def test_versions_are_listed_for_supervisors_and_trained_by_admins(
    api_as, people, history, learn_from_few
):
    history(40)
    assert api_as(people.grid_a1).get(MODELS).status_code == 403
    assert api_as(people.supervisor_a).post(MODELS).status_code == 403
    assert not DispatchModel.objects.exists()
    made = api_as(people.admin).post(MODELS)
    assert made.status_code == 201
    assert made.json()["kind"] == "learned" and made.json()["is_active"]
    assert made.json()["trained_by"] == "admin"
    listed = api_as(people.supervisor_a).get(MODELS)
    assert listed.status_code == 200
    assert [v["version"] for v in listed.json()["results"]] == [made.json()["version"]]
    assert "blob" not in listed.json()["results"][0]


def test_an_admin_makes_an_earlier_version_active_over_the_api(
    api_as, people, history, learn_from_few
):
    history(40)
    client = api_as(people.admin)
    first = client.post(MODELS).json()["version"]
    client.post(MODELS)
    answer = client.post(f"{MODELS}{first}/activate/")
    assert answer.status_code == 200 and answer.json()["is_active"]
    assert api_as(people.admin).post(f"{MODELS}999999/activate/").status_code == 404
    assert api_as(people.supervisor_a).post(f"{MODELS}{first}/activate/").status_code == 403


def _collect(people, tree, cats, django_capture_on_commit_callbacks, *pairs):
    from requests_app.services import request_collect

    for category, text in pairs:
        with django_capture_on_commit_callbacks(execute=True):
            request_collect(
                actor=people.grid_a1,
                channel="onsite",
                category=getattr(cats, category),
                unit=tree.compound_a1,
                description=text,
            )


def test_acceptance_per_category_in_a_constant_number_of_queries(
    api_as, people, tree, cats, django_capture_on_commit_callbacks, django_assert_num_queries
):
    _collect(
        people,
        tree,
        cats,
        django_capture_on_commit_callbacks,
        ("water", "停水了"),
        # Filed as water although it reads as a light (and shares no character with 停水).
        ("water", "路灯不亮"),
        ("light", "路灯不亮"),
    )
    client = api_as(people.supervisor_a)
    client.get(ACCEPTANCE)  # the session and the scope are loaded once
    # session, user, memberships, then the three aggregates
    with django_assert_num_queries(6):
        body = client.get(ACCEPTANCE).json()
    assert body["total"]["recorded"] == 3
    rows = {r["category"]: r for r in body["categories"]}
    assert rows[cats.water.pk]["recorded"] == 2
    assert rows[cats.water.pk]["accepted"] == 1
    assert rows[cats.water.pk]["accepted_rate"] == 0.5
    assert rows[cats.light.pk]["suggested_first"] == 2
    assert body["versions"] == [
        {
            "version": None,
            "kind": "keywords",
            "recorded": 3,
            "accepted": 2,
            "in_top3": 2,
            "accepted_rate": 2 / 3,
            "top3_rate": 2 / 3,
        }
    ]
    # Community B's supervisor sees none of A's requests.
    assert api_as(people.supervisor_b).get(ACCEPTANCE).json()["total"]["recorded"] == 0


def test_acceptance_is_for_supervisors_and_checks_its_period(api_as, people, cats):
    assert api_as(people.grid_a1).get(ACCEPTANCE).status_code == 403
    bad = api_as(people.admin).get(ACCEPTANCE, {"from": "2026-05-10", "to": "2026-05-01"})
    assert bad.status_code == 400 and "to" in bad.json()
    assert api_as(people.admin).get(ACCEPTANCE, {"from": "x"}).status_code == 400
