"""The whole loop through the pages only, in a real browser, on a tablet and on a phone.

A grid worker collects two requests with photos: one answered on the spot, one opened as a case
(the tracking codes read back from the screen); a supervisor assigns the case with the searchable
pickers; the handler sees the resident's photo, signs for the case, adds an "after" photo and
resolves it; the grid worker records the return visit; the dashboard's rates change. Every step
leaves a screenshot in the artefacts folder.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from casework.models import Case, CaseState, PhotoStage
from requests_app.models import Request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"tablet": (768, 1024), "phone": (390, 844)}


@pytest.fixture
def photo_file(tmp_path):
    def make(name, colour):
        path = tmp_path / name
        Image.new("RGB", (320, 240), colour).save(path)
        return str(path)

    return make


def _no_sideways_scroll(page):
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def _collect(page, tree, description, photo):
    page.fill("#category-search", "dtgz")  # 电梯故障 by its pinyin initials
    page.click(".category-chip:visible")
    page.select_option("#id_unit", str(tree.building_a1.pk))
    page.fill("#id_description", description)
    page.fill("#id_resident_name", "王伟")
    page.fill("#id_resident_phone", "13812345678")
    page.set_input_files("#id_photos", photo)


def _tracking_code_on_screen(page):
    page.wait_for_selector("#sent:not([hidden]) [data-tracking-code]")
    code = page.inner_text("#sent [data-tracking-code]").strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code), code
    return code


def _rate(page, key):
    return page.inner_text(f'tr.total td[data-rate="{key}"]').strip()


@pytest.mark.parametrize("size", SIZES)
def test_the_whole_loop_through_the_pages(
    size, page, live_server, login_as, artefacts_dir, tree, people, category, photo_file
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    shots = artefacts_dir / "loop" / size
    shots.mkdir(parents=True, exist_ok=True)
    step = iter(range(1, 100))

    def shot(name, readme=None):
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)
        assert _no_sideways_scroll(page), f"{name}: the page scrolls sideways at {size}"
        if readme and size == readme:
            # What the README shows (`make screenshots` copies them): the screen as seen.
            (artefacts_dir / "readme").mkdir(exist_ok=True)
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(artefacts_dir / "readme" / f"{name}-{size}.png"))

    month = {"month": timezone.localdate().strftime("%Y-%m")}
    dashboard = live_server.url + reverse("dashboard") + f"?unit={tree.community_a.pk}"
    dashboard += f"&month={month['month']}"

    # The supervisor's dashboard before: no case resolved or rated this month.
    login_as(page.context, people.supervisor_a)
    page.goto(dashboard)
    before = {key: _rate(page, key) for key in ("resolution", "satisfaction")}
    shot("dashboard-before")

    # 1. The grid worker answers one request on the spot and opens a case for another.
    login_as(page.context, people.grid_a1)
    page.goto(live_server.url + reverse("requests_app:intake"))
    _collect(page, tree, "楼道灯不亮，已报物业", photo_file("lights.png", "orange"))
    page.fill("#id_answer", "已联系物业当天更换灯泡")
    shot("intake-filled", readme="tablet")
    page.click("button[value=answer_on_spot]")
    answered_code = _tracking_code_on_screen(page)
    shot("intake-answered")

    page.goto(live_server.url + reverse("requests_app:intake"))
    _collect(page, tree, "3栋电梯停在5楼，老人下不了楼", photo_file("lift.png", "red"))
    page.click("button[value=open_case]")
    case_code = _tracking_code_on_screen(page)
    page.wait_for_function(
        "() => { const i = document.querySelector('#sent img.tracking-qr');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    shot("intake-case-opened")
    assert case_code != answered_code
    answered = Request.objects.get(status="answered_on_spot")
    opened = Request.objects.get(status="case_opened")
    assert (answered.tracking_code_display, opened.tracking_code_display) == (
        answered_code,
        case_code,
    )
    assert answered.photos.count() == opened.photos.count() == 1
    case = opened.case
    assert case.state == CaseState.NEW

    # 2. The supervisor finds the case in the queue and assigns it with the pickers.
    login_as(page.context, people.supervisor_a)
    page.goto(live_server.url + reverse("case-queues"))
    shot("supervisor-queue", readme="phone")
    page.click(f'a[href="{reverse("case-detail", args=[case.pk])}"]')
    page.click("#action-assign > summary")
    unit = page.locator('.picker[data-picker-for="id_assign_unit"] .picker-input')
    unit.fill("cdwy")  # 城东物业
    page.keyboard.press("Enter")
    assert page.input_value("#id_assign_unit") == str(tree.company.pk)
    handler = page.locator('.picker[data-picker-for="id_assign_handler"] .picker-input')
    handler.fill("handler-co")
    page.keyboard.press("Enter")
    assert page.input_value("#id_assign_handler") == str(people.handler_company.pk)
    shot("supervisor-assign")
    page.click("#action-assign form button.primary")
    page.wait_for_load_state()
    case.refresh_from_db()
    assert (case.state, case.handler_id) == (CaseState.ASSIGNED, people.handler_company.pk)

    # 3. The handler sees the resident's photo, signs for the case, adds an "after" photo and
    #    resolves it.
    login_as(page.context, people.handler_company)
    page.goto(live_server.url + reverse("case-detail", args=[case.pk]))
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-panel=requests] img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert "3栋电梯停在5楼" in page.inner_text("[data-panel=requests]")
    assert "13812345678" not in page.content()
    shot("handler-sees-request", readme="phone")
    page.click("#action-accept > summary")
    page.click("#action-accept form button.primary")
    page.wait_for_selector("#action-resolve")
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS

    page.click("details.add-photo > summary")
    page.check(f'details.add-photo input[value="{PhotoStage.AFTER}"]')
    page.set_input_files("details.add-photo input[type=file]", photo_file("after.png", "green"))
    shot("handler-after-photo")
    page.click("details.add-photo button.primary")
    page.wait_for_selector('.photos[data-stage="after"] img')
    assert case.photos.get().stage == PhotoStage.AFTER

    page.click("#action-resolve > summary")
    page.fill("#action-resolve textarea", "已更换电梯控制板，试运行正常")
    shot("handler-resolve")
    page.click("#action-resolve form button.primary")
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED

    # 4. The grid worker who collected it records the return visit.
    login_as(page.context, people.grid_a1)
    page.goto(live_server.url + reverse("case-detail", args=[case.pk]))
    page.click("#action-feedback > summary")
    feedback = page.locator("#action-feedback form")
    feedback.locator('input[name="solved"][value="true"]').check()
    feedback.locator('input[name="satisfaction"][value="satisfied"]').check()
    shot("feedback")
    feedback.locator("button.primary").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.satisfaction == "satisfied"

    # 5. The dashboard's rates have changed.
    login_as(page.context, people.supervisor_a)
    page.goto(dashboard)
    after = {key: _rate(page, key) for key in ("resolution", "satisfaction")}
    shot("dashboard-after")
    assert after["satisfaction"] == "100.0%" != before["satisfaction"]
    assert after["resolution"] != before["resolution"]
    assert Case.objects.count() == 1
