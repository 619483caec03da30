"""The field app offline, in a real browser: pages kept by the service worker, a case's feedback
queued with the intake's requests, sent once each when the network returns, and a case changed
meanwhile shown to the worker instead of being overwritten."""

import re

import pytest
from django.urls import reverse

from casework.models import Case, CaseEvent
from requests_app.models import Request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker_page(request, live_server, login_as, people, category):
    """The grid worker signed in, with the service worker installed and in control."""
    page = request.getfixturevalue("page")
    page.set_viewport_size({"width": 768, "height": 1024})
    login_as(page.context, people.grid_a1)
    page.goto(live_server.url + reverse("home"))
    page.wait_for_function("() => !!navigator.serviceWorker.controller")
    return page


def _visit(page, live_server, path):
    """Open a page online and wait until the service worker has kept it."""
    page.goto(live_server.url + path)
    page.wait_for_function(
        """(path) => caches.keys().then(async (keys) => {
             for (const k of keys.filter((k) => k.startsWith('minqing-pages-'))) {
               const c = await caches.open(k);
               if (await c.match(location.origin + path)) return true;
             }
             return false;
           })""",
        arg=path,
    )


def _fill_request(page, tree, description):
    page.fill("#category-search", "dtgz")
    page.click(".category-chip:visible")
    page.select_option("#id_unit", str(tree.building_a1.pk))
    page.fill("#id_description", description)
    page.fill("#id_resident_phone", "13812345678")
    page.fill("#id_answer", "已联系维保单位")


def _counter(page):
    link = page.locator("#outbox-link")
    return link.locator("[data-outbox-count]").inner_text() if link.is_visible() else "0"


def _go_online(page):
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def test_two_requests_and_a_feedback_made_offline_arrive_once_each_with_their_codes(
    worker_page, live_server, tree, people, open_case, drive
):
    page = worker_page
    case = drive(open_case(), "resolved")
    case_path = reverse("case-detail", args=[case.pk])
    intake_path = reverse("requests_app:intake")
    _visit(page, live_server, case_path)
    _visit(page, live_server, intake_path)

    page.context.set_offline(True)
    for text in ("离线收集一：电梯停在半层", "离线收集二：楼道灯不亮"):
        _fill_request(page, tree, text)
        page.click("button[value=answer_on_spot]")
        page.wait_for_function(
            "(t) => document.querySelector('#id_description').value === ''", arg=text
        )
    assert _counter(page) == "2"

    page.goto(live_server.url + case_path)  # offline: the copy kept by the service worker
    page.click("#action-feedback summary")
    form = page.locator('form[action$="/feedback/"]')
    form.locator("input[name=solved][value=true]").check()
    form.locator("input[name=satisfaction][value=satisfied]").check()
    form.locator("textarea[name=note]").fill("住户说电梯已修好")
    form.locator("button.primary").click()
    page.wait_for_selector(".toast-queued")
    assert _counter(page) == "3"

    page.reload()  # still offline: the page and the waiting items survive a reload
    page.wait_for_selector("#outbox-link:not([hidden])")
    assert _counter(page) == "3"
    assert not Request.objects.exists()
    assert not CaseEvent.objects.filter(case=case, kind="feedback").exists()

    _go_online(page)
    page.wait_for_selector("#outbox-link", state="hidden", timeout=20000)
    assert Request.objects.count() == 2
    assert CaseEvent.objects.filter(case=case, kind="feedback").count() == 1
    assert Case.objects.get(pk=case.pk).state == "closed"
    page.wait_for_function("() => document.querySelectorAll('.toast-sent').length === 2")
    shown = set(page.locator(".toast-sent [data-tracking-code]").all_inner_texts())
    assert shown == {r.tracking_code_display for r in Request.objects.all()}
    # Written one way: two groups of five.
    assert all(re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code) for code in shown)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.toast-sent img.tracking-qr')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )


def test_a_case_changed_meanwhile_is_shown_not_overwritten(
    worker_page, live_server, people, open_case, drive
):
    from casework.services import feedback_record

    page = worker_page
    case = drive(open_case(), "resolved")
    case_path = reverse("case-detail", args=[case.pk])
    _visit(page, live_server, case_path)

    page.context.set_offline(True)
    page.reload()
    page.click("#action-feedback summary")
    form = page.locator('form[action$="/feedback/"]')
    form.locator("input[name=solved][value=false]").check()
    form.locator("input[name=satisfaction][value=unsatisfied]").check()
    form.locator("button.primary").click()
    page.wait_for_selector(".toast-queued")

    # Meanwhile someone records the resident's feedback on the server.
    case.refresh_from_db()
    feedback_record(
        case=case,
        actor=people.grid_a1,
        solved=True,
        satisfaction="satisfied",
        version=case.version,
    )

    _go_online(page)
    page.wait_for_selector(".toast-problem")
    case.refresh_from_db()
    assert case.state == "closed" and case.satisfaction == "satisfied"  # nothing overwritten
    assert CaseEvent.objects.filter(case=case, kind="feedback").count() == 1

    page.goto(live_server.url + reverse("outbox"))
    item = page.locator(".outbox-conflict")
    item.wait_for()
    # Shown in the words of the form the worker filled in, not the API's names.
    assert "不满意" in item.locator(".conflict-queued").inner_text()
    assert "已结案" in item.locator(".conflict-now").inner_text() or "closed" in item.inner_text()
    assert item.get_by_role("button").count() == 2  # re-apply, discard
    assert _counter(page) == "1"
    page.on("dialog", lambda dialog: dialog.accept())
    item.locator("button", has_text="放弃").click()
    page.wait_for_selector("#outbox-empty:not([hidden])")
    assert CaseEvent.objects.filter(case=case, kind="feedback").count() == 1


def test_home_and_a_case_page_open_offline_after_one_online_visit(
    worker_page, live_server, open_case
):
    page = worker_page
    case = open_case(title="离线可看的案件")
    case_path = reverse("case-detail", args=[case.pk])
    _visit(page, live_server, reverse("home"))
    _visit(page, live_server, case_path)
    page.context.set_offline(True)
    page.goto(live_server.url + case_path)
    assert "离线可看的案件" in page.inner_text("h1")
    page.goto(live_server.url + reverse("home"))
    assert page.locator(".topbar").is_visible() and page.locator("h1").count() == 1
    # A page never opened answers the offline page, in both languages.
    page.goto(live_server.url + reverse("meeting-list"))
    assert "没有网络" in page.inner_text("h1") and "No connection" in page.inner_text("h1")


def test_signing_out_deletes_the_kept_pages(worker_page, live_server, open_case):
    page = worker_page
    case = open_case()
    _visit(page, live_server, reverse("case-detail", args=[case.pk]))
    page.click("form[data-signout] button")
    page.wait_for_url(re.compile(".*"))
    left = page.evaluate(
        "caches.keys().then((keys) => keys.filter((k) => k.startsWith('minqing-pages-')))"
    )
    assert left == []
