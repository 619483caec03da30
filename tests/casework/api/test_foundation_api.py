"""The foundation's API contract: me, units, categories, people."""

from casework.models import Role
from casework.services import category_create, membership_grant


def test_the_api_needs_a_login(api_client, db):
    assert api_client.get("/api/v1/me/").status_code in (401, 403)
    assert api_client.get("/api/v1/units/").status_code in (401, 403)


def test_me_lists_memberships_and_roles(api_as, tree, people):
    membership_grant(user=people.grid_a1, unit=tree.grid_a1, role=Role.VOLUNTEER)
    body = api_as(people.grid_a1).get("/api/v1/me/").json()
    assert body["username"] == "grid-a1"
    assert body["roles"] == ["grid_worker", "volunteer"]
    assert {(m["unit"], m["role"]) for m in body["memberships"]} == {
        (tree.grid_a1.pk, "grid_worker"),
        (tree.grid_a1.pk, "volunteer"),
    }


def test_units_rows_have_the_contract_fields(api_as, tree, people):
    body = api_as(people.supervisor_a).get("/api/v1/units/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    row = next(r for r in body["results"] if r["id"] == tree.grid_a1.pk)
    assert row["name"] == "A1网格"
    assert row["kind"] == "grid"
    assert row["parent"] == tree.community_a.pk
    assert row["depth"] == tree.grid_a1.depth
    assert row["path"] == tree.grid_a1.path


def test_units_filter_by_kind_parent_and_within(api_as, tree, people):
    client = api_as(people.admin)
    grids = client.get("/api/v1/units/", {"kind": "grid"}).json()["results"]
    assert {r["name"] for r in grids} == {"A1网格", "A2网格", "B1网格"}
    children = client.get("/api/v1/units/", {"parent": tree.community_a.pk}).json()["results"]
    assert {r["name"] for r in children} == {"城东物业", "A1网格", "A2网格"}
    within = client.get("/api/v1/units/", {"within": tree.grid_a1.pk}).json()["results"]
    assert {r["name"] for r in within} == {"A1网格", "阳光小区", "1栋"}


def test_a_grid_worker_gets_404_for_a_unit_in_another_grid(api_as, tree, people):
    client = api_as(people.grid_a1)
    assert client.get(f"/api/v1/units/{tree.grid_a1.pk}/").status_code == 200
    assert client.get(f"/api/v1/units/{tree.grid_b1.pk}/").status_code == 404
    assert client.get(f"/api/v1/units/{tree.compound_b1.pk}/").status_code == 404
    # Filtering on a unit out of scope reveals nothing either.
    body = client.get("/api/v1/units/", {"within": tree.grid_b1.pk}).json()
    assert body["count"] == 0


def test_people_are_scoped_and_filterable(api_as, tree, people):
    client = api_as(people.supervisor_a)
    body = client.get("/api/v1/people/").json()
    usernames = {r["username"] for r in body["results"]}
    assert usernames == {"sup-a", "grid-a1", "vol-a1", "handler-co"}
    row = next(r for r in body["results"] if r["username"] == "vol-a1")
    assert row["memberships"] == [{"unit": tree.grid_a1.pk, "role": "volunteer"}]
    workers = client.get("/api/v1/people/", {"role": "grid_worker"}).json()["results"]
    assert [r["username"] for r in workers] == ["grid-a1"]
    in_company = client.get("/api/v1/people/", {"unit": tree.company.pk}).json()["results"]
    assert [r["username"] for r in in_company] == ["handler-co"]
    # Community B's people are not in community A's scope.
    assert client.get(f"/api/v1/people/{people.grid_b1.pk}/").status_code == 404


def test_categories_list_deadlines_and_id_requirement(api_as, people):
    parent = category_create(code="welfare", name="社会保障")
    category_create(
        code="welfare-sub",
        name="低保申请",
        parent=parent,
        deadline_class="complex",
        requires_id_number=True,
    )
    body = api_as(people.grid_a1).get("/api/v1/categories/").json()
    leaf = next(r for r in body["results"] if r["code"] == "welfare-sub")
    assert leaf["parent"] == parent.pk
    assert leaf["requires_id_number"] is True
    assert leaf["deadlines"] == {
        "sign_for_minutes": 120,
        "resolve_amount": 15,
        "resolve_unit": "workdays",
    }


def test_categories_search_by_pinyin_initials(api_as, people):
    category_create(code="property", name="物业管理")
    category_create(code="road", name="道路破损")
    body = api_as(people.grid_a1).get("/api/v1/categories/", {"search": "wy"}).json()
    assert [r["code"] for r in body["results"]] == ["property"]


def test_page_size_is_honoured_up_to_the_cap(api_as, tree, people):
    client = api_as(people.admin)
    body = client.get("/api/v1/units/", {"page_size": 2}).json()
    assert len(body["results"]) == 2
    assert body["next"]
    body = client.get("/api/v1/units/", {"page_size": 5000}).json()
    assert len(body["results"]) == body["count"] == 13
