"""Finding one's compound or community: public, names only, active places only."""

import pytest

from casework.services import unit_create
from selfservice.door_places import place_land

pytestmark = pytest.mark.django_db


def test_a_compound_is_found_by_part_of_its_name_with_its_community_and_town(anon_api, tree):
    found = anon_api.get("/api/v1/public/places/", {"q": "阳光"}).json()
    assert found == [
        {
            "id": tree.compound_a1.pk,
            "kind": "compound",
            "name": "阳光小区",
            "community": "城东社区",
            "town": "博白镇",
            "county": "博白县",
        }
    ]


def test_pinyin_initials_find_a_compound(anon_api, tree):
    found = anon_api.get("/api/v1/public/places/", {"q": "ygxq"}).json()
    assert [p["id"] for p in found] == [tree.compound_a1.pk]


def test_communities_are_offered_but_not_grids_buildings_or_other_units(anon_api, tree):
    found = anon_api.get("/api/v1/public/places/", {"q": "社区"}).json()
    assert {(p["kind"], p["name"]) for p in found} == {
        ("community", "城东社区"),
        ("community", "城西社区"),
    }
    for q in ("网格", "1栋", "物业", "博白"):
        assert anon_api.get("/api/v1/public/places/", {"q": q}).json() == []


def test_an_inactive_compound_is_not_offered(anon_api, tree):
    tree.compound_b1.is_active = False
    tree.compound_b1.save()
    assert anon_api.get("/api/v1/public/places/", {"q": "锦绣"}).json() == []


def test_an_empty_or_odd_query_finds_nothing_and_a_nul_is_a_400(anon_api, tree):
    assert anon_api.get("/api/v1/public/places/", {"q": "  "}).json() == []
    response = anon_api.get("/api/v1/public/places/", {"q": "阳\x00"})
    assert response.status_code == 400 and "q" in response.json()


def test_the_search_costs_two_queries_however_many_match(
    anon_api, tree, django_assert_num_queries
):
    for n in range(15):
        unit_create(name=f"幸福{n}号小区", kind="compound", parent=tree.grid_a2)
    with django_assert_num_queries(2):
        found = anon_api.get("/api/v1/public/places/", {"q": "幸福"}).json()
    assert len(found) == 15 and all(p["community"] == "城东社区" for p in found)


def test_a_compound_is_its_own_place_and_a_community_lands_on_its_first_active_grid(tree):
    assert place_land(tree.compound_a1.pk).unit == tree.compound_a1
    assert place_land(tree.community_a.pk).unit == tree.grid_a1
    tree.grid_a1.is_active = False
    tree.grid_a1.save()
    assert place_land(tree.community_a.pk).unit == tree.grid_a2


def test_the_no_script_page_searches_with_a_button(anon, tree):
    page = anon.post("/report/", {"action": "search", "q": "锦绣", "description": "路灯坏了"})
    assert page.status_code == 200
    assert [p["id"] for p in page.context["places"]] == [tree.compound_b1.pk]
    assert "路灯坏了" in page.content.decode()  # what was typed stays
