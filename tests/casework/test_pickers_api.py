"""The pickers' searches: people and places by name and pinyin, at most 20, scoped to what the
viewer sees, or, for a case the viewer supervises, to where the case may go."""

import pytest
from django.urls import reverse

from casework.api.pickers import LIMIT
from casework.models import Role, UnitKind
from casework.services import membership_grant, person_create, unit_create

PEOPLE = reverse("api:picker-people")
PLACES = reverse("api:picker-places")


@pytest.fixture
def named(tree, people):
    """Handlers with Chinese names: 张三 at the property company, 张珊 at the county's bureau,
    李四 at the company of the other community."""
    company_b = unit_create(name="城西物业", kind=UnitKind.COMPANY, parent=tree.community_b)
    made = {}
    for username, name, unit in [
        ("zhang3", "张三", tree.company),
        ("zhang-shan", "张珊", tree.department),
        ("li4", "李四", company_b),
    ]:
        made[name] = person_create(username=username, name=name)
        membership_grant(user=made[name], unit=unit, role=Role.HANDLER)
    made["company_b"] = company_b
    return made


def _names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize("q", ["zs", "zhangsan", "张三", "ZhangSan", "zhang san"])
def test_a_person_is_found_by_name_pinyin_initials_and_full_pinyin(api_as, people, named, q):
    names = _names(api_as(people.supervisor_a).get(PEOPLE, {"q": q}))
    assert names[0] == "张三"


def test_people_are_only_those_the_viewer_sees(api_as, people, named):
    # Community A's supervisor sees community A's people: not the county bureau's, not B's.
    names = _names(api_as(people.supervisor_a).get(PEOPLE, {"q": "z"}))
    assert "张三" in names and "张珊" not in names
    assert "李四" not in _names(api_as(people.supervisor_a).get(PEOPLE, {"q": "李"}))
    # A grid worker sees only the grid's people.
    assert _names(api_as(people.grid_a1).get(PEOPLE, {"q": "张"})) == []


def test_people_by_unit_and_role(api_as, people, named, tree):
    client = api_as(people.admin)
    rows = client.get(PEOPLE, {"unit": tree.company.pk}).json()["results"]
    assert {r["name"] for r in rows} == {"张三", "handler-co"}
    assert all(tree.company.pk in r["units"] for r in rows)
    assert "城东物业" in rows[0]["hint"]
    sups = _names(client.get(PEOPLE, {"role": "supervisor"}))
    assert set(sups) == {"sup-a", "sup-b", "town-sup"}


def test_for_a_case_the_handlers_it_may_go_to_even_outside_the_supervisors_place(
    api_as, people, named, open_case, tree
):
    case = open_case()
    client = api_as(people.supervisor_a)
    names = _names(client.get(PEOPLE, {"case": case.pk, "q": "zs"}))
    # 张珊 handles for the county's bureau: outside community A, yet a unit the case may go to.
    assert set(names) == {"张三", "张珊"}
    only_bureau = _names(client.get(PEOPLE, {"case": case.pk, "unit": tree.department.pk}))
    assert set(only_bureau) == {"handler-dept", "张珊"}
    # Never 李四, whose company serves the other community.
    assert "李四" not in _names(client.get(PEOPLE, {"case": case.pk, "q": "li"}))
    places = _names(client.get(PLACES, {"case": case.pk}))
    assert "住建局" in places and "城东物业" in places and "城西物业" not in places


def test_a_case_answers_only_its_supervisors(api_as, people, open_case):
    case = open_case()
    assert api_as(people.grid_a1).get(PEOPLE, {"case": case.pk}).status_code == 403
    assert api_as(people.handler_company).get(PLACES, {"case": case.pk}).status_code in (403, 404)
    response = api_as(people.supervisor_b).get(PEOPLE, {"case": case.pk})
    assert response.status_code == 404


def test_places_by_pinyin_with_the_compound_named(api_as, people, tree):
    client = api_as(people.grid_a1)
    rows = client.get(PLACES, {"q": "ygxq"}).json()["results"]
    assert rows[0]["name"] == "阳光小区"
    rows = client.get(PLACES, {"q": "1", "kind": "building"}).json()["results"]
    assert [r["name"] for r in rows] == ["阳光小区 1栋"]
    # Out of scope: the other community's compound.
    assert _names(client.get(PLACES, {"q": "锦绣"})) == []
    assert _names(client.get(PLACES, {"q": "jx"})) == []


def test_places_under_a_unit_and_of_kinds(api_as, people, tree):
    client = api_as(people.supervisor_a)
    names = _names(client.get(PLACES, {"under": tree.grid_a1.pk}))
    assert set(names) == {"A1网格", "阳光小区", "阳光小区 1栋"}
    names = _names(client.get(PLACES, {"kind": "grid"}))
    assert set(names) == {"A1网格", "A2网格"}
    # A unit out of scope narrows to nothing.
    assert _names(client.get(PLACES, {"under": tree.grid_b1.pk})) == []


def test_at_most_twenty_rows_and_more_says_so(api_as, people, tree):
    for i in range(LIMIT + 5):
        unit_create(name=f"幸福{i:02d}号楼", kind=UnitKind.BUILDING, parent=tree.compound_a1)
    body = api_as(people.grid_a1).get(PLACES, {"q": "xf"}).json()
    assert len(body["results"]) == LIMIT and body["more"] is True
    body = api_as(people.grid_a1).get(PLACES, {"q": "幸福03"}).json()
    assert len(body["results"]) == 1 and body["more"] is False


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (PEOPLE, {"unit": "x"}, "unit"),
        (PEOPLE, {"role": "boss"}, "role"),
        (PEOPLE, {"case": "0"}, "case"),
        (PEOPLE, {"q": "a" * 51}, "q"),
        (PLACES, {"kind": "castle"}, "kind"),
        (PLACES, {"under": str(2**64)}, "under"),
        (PLACES, {"q": "a\x00"}, "q"),
    ],
)
def test_bad_parameters_are_refused_naming_them(api_as, people, url, params, field):
    response = api_as(people.supervisor_a).get(url, params)
    assert response.status_code == 400
    assert field in response.content.decode()


def test_signed_out_is_refused(client, db):
    assert client.get(PEOPLE).status_code in (401, 403)
    assert client.get(PLACES).status_code in (401, 403)


def test_the_pickers_are_in_the_openapi_schema(api_as, people):
    schema = api_as(people.admin).get(reverse("api-schema"))
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/pickers/people/" in text and "/api/v1/pickers/places/" in text


def test_names_and_places_carry_their_pinyin_when_saved(tree, named):
    assert named["张三"].pinyin == "zs zhangsan"
    assert tree.compound_a1.pinyin == "ygxq yangguangxiaoqu"
