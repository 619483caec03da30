"""The intake page in a real browser: pinyin search, and the offline outbox.

A submission made with no network waits in the browser's outbox and is sent when the network
is back; a resend after a lost answer carries the same Idempotency-Key and creates nothing new.
"""

import pytest
from django.urls import reverse

from requests_app.models import IdempotencyKey, Request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def intake_page(request, live_server, login_as, people, categories):
    page = request.getfixturevalue("page")
    login_as(page.context, people.grid_a1)
    page.goto(live_server.url + reverse("requests_app:intake"))
    return page


def _fill(page, tree, description):
    page.fill("#category-search", "dtgz")
    page.click(".category-chip:visible")
    page.select_option("#id_unit", str(tree.building_a1.pk))
    page.fill("#id_description", description)
    page.fill("#id_resident_name", "王伟")
    page.fill("#id_resident_phone", "13812345678")
    page.fill("#id_answer", "已联系维保单位")


def test_pinyin_initials_find_categories(intake_page):
    page = intake_page
    page.fill("#category-search", "wy")
    visible = page.locator(".category-chip:visible").all_inner_texts()
    assert visible and all("物业管理" in text for text in visible)
    page.fill("#category-search", "lift")
    assert page.locator(".category-chip:visible").count() == 1


def test_a_request_made_offline_is_sent_once_when_back_online(intake_page, tree):
    page = intake_page
    _fill(page, tree, "离线时收集：电梯停在半层")
    page.context.set_offline(True)
    page.click("button[value=answer_on_spot]")
    page.wait_for_selector("#outbox:not([hidden])")
    assert "1" in page.inner_text("#outbox-summary")
    assert not Request.objects.exists()
    # The form is clear for the next resident.
    assert page.input_value("#id_description") == ""

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden")
    request = Request.objects.get()
    assert request.status == "answered_on_spot"
    assert request.description == "离线时收集：电梯停在半层"
    assert request.resident.phone == "13812345678"


def test_a_resend_after_a_lost_answer_creates_nothing_new(intake_page, tree):
    page = intake_page
    calls = []

    def lose_the_first_answer(route):
        calls.append(route.request.headers.get("idempotency-key"))
        if len(calls) == 1:
            route.fetch()  # the server gets it and creates the request...
            route.abort()  # ...but the tablet never hears back
        else:
            route.continue_()

    page.route("**/api/v1/requests/", lose_the_first_answer)
    _fill(page, tree, "回复丢失后重发")
    page.click("button[value=open_case]")
    page.wait_for_selector("#outbox:not([hidden])")
    assert Request.objects.count() == 1
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden")
    assert len(calls) == 2 and calls[0] == calls[1]
    assert Request.objects.count() == 1
    assert Request.objects.get().status == "case_opened"
    assert IdempotencyKey.objects.count() == 1


def test_a_refused_submission_comes_back_to_the_form_with_the_error(intake_page, tree):
    page = intake_page
    _fill(page, tree, "号码写错")
    page.fill("#id_resident_phone", "12345")
    page.click("button[value=answer_on_spot]")
    page.wait_for_selector('[data-error-for="resident_phone"]:not(:empty)')
    assert page.input_value("#id_description") == "号码写错"
    assert not Request.objects.exists()
    page.fill("#id_resident_phone", "13812345678")
    page.click("button[value=answer_on_spot]")
    page.wait_for_selector("#sent:not([hidden])")
    assert Request.objects.count() == 1


def _below_the_header(page, selector):
    """The element's top is in the viewport and not under the sticky header."""
    return page.evaluate(
        """(sel) => {
             const el = document.querySelector(sel);
             const top = el.getBoundingClientRect().top;
             const header = document.querySelector('.topbar').getBoundingClientRect().bottom;
             return top >= header - 1 && top < window.innerHeight;
           }""",
        selector,
    )


def test_a_missing_answer_is_shown_at_its_field_and_nothing_is_lost(intake_page, tree, tmp_path):
    page = intake_page
    page.set_viewport_size({"width": 768, "height": 1024})
    _fill(page, tree, "现场解答但没写答复")
    page.fill("#id_answer", "")
    photo = tmp_path / "楼道.png"
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(photo)
    page.set_input_files("#id_photos", str(photo))
    page.click("button[value=answer_on_spot]")
    page.wait_for_selector('[data-error-for="answer"]:not(:empty)')
    page.wait_for_timeout(700)  # the smooth scroll
    assert page.evaluate("() => document.activeElement.id") == "id_answer"
    assert _below_the_header(page, "#id_answer")
    # Everything typed, and the chosen photo, are still there.
    assert page.input_value("#id_description") == "现场解答但没写答复"
    assert page.input_value("#id_resident_phone") == "13812345678"
    assert page.evaluate("() => document.querySelector('#id_photos').files.length") == 1
    assert "楼道.png" in page.inner_text("#photo-count")
    assert not Request.objects.exists()
    page.fill("#id_answer", "已联系维保单位")
    page.click("button[value=answer_on_spot]")
    page.wait_for_selector("#sent:not([hidden]) [data-tracking-code]")
    request = Request.objects.get()
    assert request.photos.count() == 1


def test_the_tracking_code_is_shown_big_with_its_qr_and_kept_in_history(intake_page, tree):
    page = intake_page
    page.set_viewport_size({"width": 390, "height": 844})
    _fill(page, tree, "追踪码要看得见")
    page.click("button[value=open_case]")
    page.wait_for_selector("#sent:not([hidden]) [data-tracking-code]")
    page.wait_for_timeout(700)  # the smooth scroll
    request = Request.objects.get()
    assert page.inner_text("#sent [data-tracking-code]") == request.tracking_code_display
    assert _below_the_header(page, "#sent")
    page.wait_for_function(
        "() => { const i = document.querySelector('#sent img.tracking-qr');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert page.locator("#sent-history-list li").count() == 1
    assert request.tracking_code_display in page.inner_text("#sent-history-list")
    page.reload()
    assert request.tracking_code_display in page.inner_text("#sent-history-list")
    no_sideways = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways)
