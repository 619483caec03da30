"""The map of requests and hot spots: the page and GET /api/v1/map/points/, scoped like every
list, with nothing about the resident; the demo's places have real coordinates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import OrgUnit, UnitKind
from requests_app.models import Request
from requests_app.selectors import map as map_selectors

POINTS = "/api/v1/map/points/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def placed(tree):
    """The fixture tree with coordinates on the community A, its compound and grid B1."""
    for unit, lat, lng in (
        (tree.community_a, "22.273200", "109.988400"),
        (tree.compound_a1, "22.274000", "109.989000"),
        (tree.grid_b1, "22.270000", "109.962000"),
    ):
        OrgUnit.objects.filter(pk=unit.pk).update(latitude=Decimal(lat), longitude=Decimal(lng))
    return tree


def _requests(body):
    return [f for f in body["features"] if f["properties"]["kind"] == "request"]


def _hotspots(body):
    return [f for f in body["features"] if f["properties"]["kind"] == "hotspot"]


# --- Scope and who may see it --------------------------------------------------------------


def test_a_grid_worker_sees_only_the_points_of_their_grid(placed, people, collect, api_as):
    mine = collect(unit=placed.building_a1)
    other = collect(actor=people.grid_b1, unit=placed.compound_b1)
    body = api_as(people.grid_a1).get(POINTS).json()
    assert [f["properties"]["id"] for f in _requests(body)] == [mine.pk]
    body = api_as(people.grid_b1).get(POINTS).json()
    assert [f["properties"]["id"] for f in _requests(body)] == [other.pk]
    body = api_as(people.town_supervisor).get(POINTS).json()
    assert {f["properties"]["id"] for f in _requests(body)} == {mine.pk, other.pk}
    assert body["type"] == "FeatureCollection" and body["total"] == 2


@pytest.mark.parametrize("who", ["outsider", "handler_company", "volunteer_a1"])
def test_people_the_map_is_not_for_are_refused_at_both_doors(placed, people, client_as, who):
    client = client_as(getattr(people, who))
    assert client.get(POINTS).status_code == 403
    assert client.get(reverse("requests_app:map")).status_code == 403


def test_anonymous_is_asked_to_sign_in(client, db):
    assert client.get(POINTS).status_code in (401, 403)
    response = client.get(reverse("requests_app:map"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_nav_links_the_map_for_field_users_only(placed, people, client_as):
    url = reverse("requests_app:map")
    assert f'href="{url}"' in client_as(people.grid_a1).get(reverse("home")).content.decode()
    assert (
        f'href="{url}"' not in client_as(people.volunteer_a1).get(reverse("home")).content.decode()
    )


# --- No personal data ----------------------------------------------------------------------


def test_no_resident_data_in_the_geojson_nor_on_the_page(placed, people, collect, client_as):
    request = collect(
        unit=placed.building_a1,
        description="王伟家门口井盖松动",
        resident={"name": "王伟", "phone": "13812345678", "address": "阳光小区1栋301"},
    )
    client = client_as(people.supervisor_a)
    body = client.get(POINTS).content.decode()
    page = client.get(reverse("requests_app:map")).content.decode()
    for text in (body, json.dumps(json.loads(body), ensure_ascii=False), page):
        for secret in ("王伟", "13812345678", "5678", "1栋301", "井盖松动", request.tracking_code):
            assert secret not in text
    props = _requests(json.loads(body))[0]["properties"]
    assert set(props) == {
        "kind",
        "id",
        "status",
        "status_label",
        "category",
        "collected_at",
        "place",
        "located",
        "url",
        "case_url",
    }
    assert props["place"] == "阳光小区 1栋"
    assert props["url"] == reverse("requests_app:detail", args=[request.pk])


# --- Where points are drawn ----------------------------------------------------------------


def test_a_place_without_coordinates_takes_its_nearest_ancestors(placed, people, collect, api_as):
    collect(unit=placed.building_a1)  # the building has none: its compound's point
    collect(unit=placed.building_a1, latitude="22.3", longitude="110")  # the tablet's position
    body = api_as(people.grid_a1).get(POINTS).json()
    located = sorted(
        (f["properties"]["located"], f["geometry"]["coordinates"]) for f in _requests(body)
    )
    assert located[0] == ("gps", [110.0, 22.3])
    assert located[1] == ("place", [109.989, 22.274])


def test_requests_at_one_place_are_spread_and_unplaced_ones_counted(tree, people, collect, api_as):
    OrgUnit.objects.filter(pk=tree.community_a.pk).update(latitude=22.27, longitude=109.98)
    for _ in range(3):
        collect(unit=tree.building_a1)
    collect(actor=people.grid_b1, unit=tree.compound_b1)  # community B has no point at all
    body = api_as(people.town_supervisor).get(POINTS).json()
    points = {tuple(f["geometry"]["coordinates"]) for f in _requests(body)}
    assert len(points) == 3  # one each, around the community's point
    assert all(abs(lng - 109.98) < 0.001 and abs(lat - 22.27) < 0.001 for lng, lat in points)
    assert body["unplaced"] == 1 and body["shown"] == 3 and body["total"] == 4


def test_hot_spots_count_the_requests_of_each_compound(placed, people, collect, api_as):
    for _ in range(3):
        collect(unit=placed.building_a1)
    collect(unit=placed.compound_a1)
    collect(actor=people.grid_b1, unit=placed.compound_b1)
    body = api_as(people.town_supervisor).get(POINTS).json()
    spots = [
        (f["properties"]["place"], f["properties"]["requests"], f["geometry"]["coordinates"])
        for f in _hotspots(body)
    ]
    assert spots == [("阳光小区", 4, [109.989, 22.274]), ("锦绣小区", 1, [109.962, 22.27])]


def test_statuses_say_where_a_request_stands(placed, people, collect, api_as):
    from requests_app.services import request_answer_on_spot, request_open_case

    waiting = collect()
    answered = request_answer_on_spot(request=collect(), actor=people.grid_a1, answer="已处理")
    opened = collect()
    case = request_open_case(request=opened, actor=people.grid_a1)
    body = api_as(people.grid_a1).get(POINTS).json()
    status = {f["properties"]["id"]: f["properties"] for f in _requests(body)}
    assert status[waiting.pk]["status"] == "waiting"
    assert status[answered.pk]["status"] == "done"
    assert status[opened.pk]["status"] == "working"
    assert status[opened.pk]["case_url"] == reverse("case-detail", args=[case.pk])
    assert status[waiting.pk]["case_url"] is None


# --- Filters -------------------------------------------------------------------------------


def test_the_period_filter(placed, people, collect, api_as):
    recent = collect()
    old = collect()
    Request.objects.filter(pk=old.pk).update(collected_at=timezone.now() - timedelta(days=40))
    client = api_as(people.grid_a1)
    ids = [f["properties"]["id"] for f in _requests(client.get(POINTS).json())]
    assert ids == [recent.pk]  # the default: the last 30 days
    ids = [f["properties"]["id"] for f in _requests(client.get(POINTS + "?period=90").json())]
    assert ids == [recent.pk, old.pk]
    assert client.get(POINTS + "?period=90").json()["period"]["days"] == 90


def test_the_category_filter_takes_a_category_or_its_group(
    placed, people, categories, collect, api_as
):
    lift = collect(category=categories.elevator)
    facility = collect(category=categories.facility, description="单元门禁坏了")
    client = api_as(people.grid_a1)

    def ids(code):
        body = client.get(POINTS, {"category": code}).json()
        return {f["properties"]["id"] for f in _requests(body)}

    assert ids("property-elevator") == {lift.pk}
    assert ids("property") == {lift.pk, facility.pk}
    assert ids("welfare") == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "12"}, "period"),
        ({"period": "x"}, "period"),
        ({"category": "nope"}, "category"),
    ],
)
def test_bad_filters_name_their_field(placed, people, api_as, client_as, query, field):
    response = api_as(people.grid_a1).get(POINTS, query)
    assert response.status_code == 400 and field in response.json()
    page = client_as(people.grid_a1).get(reverse("requests_app:map"), query)
    assert page.status_code == 400
    assert 'class="message error"' in page.content.decode()


def test_the_page_passes_its_filters_to_the_api(placed, people, categories, client_as):
    page = client_as(people.grid_a1).get(
        reverse("requests_app:map"), {"period": "90", "category": "property"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-points="/api/v1/map/points/?period=90&amp;category=property"' in html
    assert '<option value="property" selected>' in html


# --- Constant queries and the cap ----------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_api_costs_the_same_queries_for_one_point_or_many(
    placed, people, categories, collect, api_as
):
    collect()
    client = api_as(people.town_supervisor)
    url = POINTS + "?category=property"
    one = _queries(client, url)
    for unit in (placed.compound_a1, placed.building_a1, placed.grid_a1):
        collect(unit=unit)
    collect(actor=people.grid_b1, unit=placed.compound_b1)
    collect(actor=people.grid_b1, unit=placed.grid_b1)
    assert len(_requests(client.get(url).json())) == 6
    assert _queries(client, url) == one
    # The session and its user, the scope, the category, the points, the counts, the places.
    assert one <= 7


def test_the_page_costs_the_same_queries_for_one_request_or_many(
    placed, people, collect, client_as
):
    collect()
    client = client_as(people.town_supervisor)
    url = reverse("requests_app:map")
    one = _queries(client, url)
    for _ in range(4):
        collect(actor=people.grid_b1, unit=placed.compound_b1)
    assert _queries(client, url) == one


def test_points_are_capped_and_the_answer_says_so(placed, people, collect, api_as, monkeypatch):
    for _ in range(3):
        collect()
    monkeypatch.setattr(map_selectors, "MAP_POINT_LIMIT", 2)
    body = api_as(people.grid_a1).get(POINTS).json()
    assert len(_requests(body)) == 2
    assert body["capped"] is True and body["limit"] == 2 and body["total"] == 3
    assert _hotspots(body)[0]["properties"]["requests"] == 3  # hot spots count them all


def test_the_endpoint_is_in_the_openapi_schema(client, db):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/map/points/" in schema and "map_points" in schema


# --- Tiles, the notice and the CSP ---------------------------------------------------------


def test_without_tiles_no_tile_layer_and_a_notice(placed, people, client_as, settings):
    settings.MINQING_MAP_TILES = ""
    response = client_as(people.grid_a1).get(reverse("requests_app:map"))
    html = response.content.decode()
    assert "data-tiles" not in html
    assert 'data-testid="no-tiles"' in html and "map--plain" in html
    img_src = _directive(response["Content-Security-Policy"], "img-src")
    assert img_src == ["'self'", "data:"]


def test_with_tiles_the_page_draws_them(placed, people, client_as, settings):
    settings.MINQING_MAP_TILES = "https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&z={z}&tk=k"
    settings.MINQING_MAP_ATTRIBUTION = "天地图"
    html = client_as(people.grid_a1).get(reverse("requests_app:map")).content.decode()
    assert 'data-tiles="https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&amp;y={y}' in html
    assert 'data-attribution="天地图"' in html
    assert 'data-testid="no-tiles"' not in html


def _directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return []


def _settings_csp(**env) -> dict:
    """The CSP that config.settings builds under ``env`` (a fresh interpreter: settings are
    read from the environment once, at start)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MINQING_MAP_")}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings.test", **env)
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_csp_allows_the_tile_host_only_when_configured():
    assert _settings_csp()["img-src"] == ["'self'", "data:"]
    tianditu = _settings_csp(MINQING_MAP_TILES="https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=k")
    assert tianditu["img-src"] == ["'self'", "data:", "https://*.tianditu.gov.cn"]
    plain = _settings_csp(MINQING_MAP_TILES="https://tiles.example.org/{z}/{x}/{y}.png")
    assert plain["img-src"][-1] == "https://tiles.example.org"
    assert plain["script-src"] == ["'self'"]  # nothing else opened


# --- The admin: coordinates, validated -------------------------------------------------------


def _unit_form(unit, **data):
    from casework.admin import OrgUnitAdmin

    fields = {
        "name": unit.name,
        "kind": unit.kind,
        "code": "",
        "is_active": "on",
        # Where it stays: first under its own parent (the only child in the fixture tree).
        "treebeard_position": "first-child",
        "treebeard_ref_node": str(OrgUnit.objects.get_parent(unit).pk),
    }
    fields.update(data)
    return OrgUnitAdmin.form(data=fields, instance=unit)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"latitude": "91", "longitude": "110"}, "latitude"),
        ({"latitude": "22", "longitude": "-181"}, "longitude"),
        ({"latitude": "22.27", "longitude": ""}, "longitude"),
        ({"latitude": "", "longitude": "109.98"}, "latitude"),
        ({"latitude": "abc", "longitude": "109.98"}, "latitude"),
    ],
)
def test_the_admin_refuses_a_point_out_of_range_or_half_given(tree, data, field):
    form = _unit_form(tree.compound_a1, **data)
    assert not form.is_valid()
    assert field in form.errors


def test_the_admin_saves_a_point_and_warns_outside_china(tree, people, client):
    people.admin.is_staff = people.admin.is_superuser = True
    people.admin.save(update_fields=["is_staff", "is_superuser"])
    assert _unit_form(tree.compound_a1, latitude="22.274", longitude="109.989").is_valid()
    client.force_login(people.admin)
    url = reverse("admin:casework_orgunit_change", args=[tree.compound_a1.pk])
    data = {
        "name": "阳光小区",
        "kind": UnitKind.COMPOUND,
        "code": "",
        "is_active": "on",
        "latitude": "48.85",
        "longitude": "2.35",
        "treebeard_position": "first-child",
        "treebeard_ref_node": str(tree.grid_a1.pk),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    tree.compound_a1.refresh_from_db()
    assert tree.compound_a1.latitude == Decimal("48.850000")
    from django.contrib import messages

    warned = [m for m in response.context["messages"] if m.level == messages.WARNING]
    assert len(warned) == 1 and "48.85" in str(warned[0])


# --- The demo -------------------------------------------------------------------------------


def test_every_demo_place_down_to_the_compound_has_coordinates_in_yulin(demo_data):
    places = OrgUnit.objects.filter(
        kind__in=[UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY, UnitKind.GRID, "compound"]
    )
    assert places.filter(kind="compound").count() == 69
    assert not places.filter(latitude__isnull=True).exists()
    assert not places.filter(longitude__isnull=True).exists()
    # Yulin's extent, roughly.
    assert not places.exclude(
        latitude__range=(21.6, 23.2), longitude__range=(109.5, 110.8)
    ).exists()
    bobai = OrgUnit.objects.get(name="博白县")
    assert (
        abs(float(bobai.latitude) - 22.27) < 0.02 and abs(float(bobai.longitude) - 109.98) < 0.02
    )
    # Each compound lies in its community's neighbourhood (within about a kilometre).
    compounds = OrgUnit.objects.filter(kind="compound").values("path", "latitude", "longitude")
    communities = {
        u["path"]: u
        for u in OrgUnit.objects.filter(kind="community").values("path", "latitude", "longitude")
    }
    for compound in compounds:
        community = communities[compound["path"][: 4 * OrgUnit.steplen]]
        assert abs(compound["latitude"] - community["latitude"]) < Decimal("0.005")
        assert abs(compound["longitude"] - community["longitude"]) < Decimal("0.005")
    # Buildings take their compound's point on the map.
    assert not OrgUnit.objects.filter(kind="building", latitude__isnull=False).exists()


def test_the_demo_map_answers_for_the_demo_grid_worker(demo_data, client, settings):
    from casework.models import User

    settings.DEBUG = True  # demo logins work only then
    client.force_login(User.objects.get(username="demo-grid"))
    body = client.get(POINTS, {"period": "365"}).json()
    assert body["shown"] > 0 and body["unplaced"] == 0
    grid = OrgUnit.objects.get(name="城东社区第1网格")
    assert {f["properties"]["place"].split(" ")[0] for f in _hotspots(body)} <= set(
        OrgUnit.objects.filter(kind="compound", path__startswith=grid.path).values_list(
            "name", flat=True
        )
    )
