"""The map page in a real browser: Leaflet from our own static files draws the points under
the site's Content-Security-Policy, with no violation, and fits a phone and a tablet."""

from decimal import Decimal

import pytest
from django.urls import reverse

from casework.models import OrgUnit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def map_page(request, live_server, login_as, tree, people, collect):
    for unit, lat, lng in (
        (tree.community_a, "22.273200", "109.988400"),
        (tree.compound_a1, "22.274000", "109.989000"),
        (tree.grid_b1, "22.270000", "109.962000"),
    ):
        OrgUnit.objects.filter(pk=unit.pk).update(latitude=Decimal(lat), longitude=Decimal(lng))
    for _ in range(3):
        collect(unit=tree.building_a1)
    collect(unit=tree.compound_a1, latitude="22.2745", longitude="109.9895")
    collect(actor=people.grid_b1, unit=tree.compound_b1)
    page = request.getfixturevalue("page")
    login_as(page.context, people.town_supervisor)
    problems = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.problems = problems
    page.url_map = live_server.url + reverse("requests_app:map")
    return page


def _open(page):
    page.goto(page.url_map)
    page.wait_for_selector('#map[data-loaded]:not([data-loaded="failed"])')
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("size", [(390, 844), (768, 1024)])
def test_the_map_draws_its_points_without_a_csp_violation_nor_sideways_scroll(
    map_page, size, artefacts_dir
):
    page = map_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _open(page)
    assert page.get_attribute("#map", "data-loaded") == "5"
    assert page.locator(".leaflet-marker-pane .map-pin").count() == 5
    assert page.locator(".leaflet-marker-pane .map-hotspot").count() == 2
    # No base map: a plain background, the places named, and the notice.
    assert page.locator(".leaflet-tile-pane img").count() == 0
    assert page.locator("[data-testid=no-tiles]").is_visible()
    assert page.locator(".map-label").count() == 2
    assert "5" in page.inner_text("#map-summary")
    csp = [p for p in page.problems if "Content Security Policy" in p or "Refused" in p]
    assert csp == [] and page.problems == []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= size[0], f"{scroll}px wide at {size[0]}px"
    for button in page.locator(".leaflet-control-zoom a").all():
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    page.screenshot(path=artefacts_dir / f"{size[0]}x{size[1]}-map.png", full_page=True)


def test_a_popup_names_the_category_and_links_the_request(map_page):
    page = map_page
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page)
    page.locator(".leaflet-marker-pane .map-pin").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "电梯故障" in text and ("阳光小区" in text or "锦绣小区" in text)
    assert "王伟" not in text and "13812345678" not in text
    href = popup.locator("a").first.get_attribute("href")
    assert href.startswith("/requests/")
    close = page.locator(".leaflet-popup-close-button").bounding_box()
    assert close["width"] >= 44 and close["height"] >= 44
    assert page.problems == []
