"""The resident's pages and the supervisors' pages fit a phone and a tablet: nothing scrolls
sideways, every target is at least 44 px, every control has a name; and a resident follows
their request and rates the result in a real browser, on a phone."""

import re

import pytest
from django.urls import reverse

from requests_app.services import request_answer_on_spot
from selfservice.feedback import rating_record
from selfservice.models import RatingDisagreement, ResidentRating
from tests.browser.test_layout import MEASURE, MIN_TARGET
from tests.selfservice_feedback.conftest import OUTBOX

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = [(390, 844), (844, 390), (768, 1024), (1024, 768)]


def _problems(page, origin, urls, shots=None) -> list[str]:
    found_problems = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for url in urls:
            response = page.goto(origin + url)
            assert response is not None and response.status < 400, url
            found = page.evaluate(MEASURE, MIN_TARGET)
            where = f"{url} @{width}×{height}"
            if shots is not None:
                slug = re.sub(r"[^A-Za-z0-9]+", "-", url).strip("-")[:60]
                page.screenshot(path=shots / f"{width}x{height}-{slug}.png", full_page=True)
            if found["scrollWidth"] > found["innerWidth"] + 1:
                found_problems.append(f"scrolls sideways: {where}")
            for item in found["small"]:
                found_problems.append(
                    f"target {item['w']}×{item['h']} {item['selector']}: {where}"
                )
            for item in found["unnamed"] + found["mute"]:
                found_problems.append(f"{item['what']} {item['selector']}: {where}")
    return found_problems


@pytest.fixture
def pages(resolved, visit, collect, people):
    OUTBOX.clear()
    request, _case = resolved()  # committed: the SMS went out
    (_phone, text, _key), *_ = OUTBOX
    token = re.search(r"/rate/([A-Za-z0-9_-]{32})/", text).group(1)
    spot = collect(description="咨询")
    request_answer_on_spot(
        request=spot, actor=people.grid_a1, answer="已当场解答：物业电话见公告栏"
    )
    flagged_request, flagged_case = resolved()
    visit(flagged_case)
    rating_record(
        request=flagged_request,
        solved=False,
        satisfaction="unsatisfied",
        comment="电梯还是经常停，希望再派人看看" * 3,
        via="track",
    )
    row = RatingDisagreement.objects.get()
    return {
        "request": request,
        "token": token,
        "public": [
            reverse("requests_app:track") + f"?code={request.tracking_code_display}",
            reverse("requests_app:track") + f"?code={spot.tracking_code_display}",
            reverse("requests_app:track") + f"?code={flagged_request.tracking_code_display}",
            reverse("selfservice:rate", args=[token]),
        ],
        "staff": [
            reverse("selfservice:disagreement-list"),
            reverse("selfservice:disagreement-detail", args=[row.pk]),
            reverse("case-detail", args=[flagged_case.pk]),
        ],
    }


def _shots(artefacts_dir, name):
    folder = artefacts_dir / "selfservice_feedback" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_public_pages_fit_a_phone_and_a_tablet(browser, live_server, pages, artefacts_dir):
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        shots = _shots(artefacts_dir, "public")
        assert _problems(page, live_server.url, pages["public"], shots) == []
    finally:
        context.close()


def test_the_supervisors_pages_fit_a_phone_and_a_tablet(
    browser, live_server, login_as, pages, people, artefacts_dir
):
    context = browser.new_context(locale="zh-CN")
    try:
        login_as(context, people.supervisor_a)
        page = context.new_page()
        shots = _shots(artefacts_dir, "supervisor")
        assert _problems(page, live_server.url, pages["staff"], shots) == []
        login_as(context, people.grid_a1)
        assert _problems(page, live_server.url, pages["staff"][:2]) == []
    finally:
        context.close()


def test_a_resident_follows_the_sms_link_and_rates_on_a_phone(browser, live_server, pages):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("selfservice:rate", args=[pages["token"]]))
        assert page.locator('[aria-current="step"]').count() == 1
        page.locator("input[name=solved][value=yes]").check()
        page.locator("input[name=satisfaction][value=basically_satisfied]").check()
        page.locator("textarea[name=comment]").fill("谢谢")
        page.locator(".rating-form button").click()
        page.wait_for_url(re.compile(r"/track/\?code="))
        assert page.locator(".message.success").count() == 1
        assert page.locator("[data-rated]").count() == 1
    finally:
        context.close()
    rating = ResidentRating.objects.get(request=pages["request"])
    assert (rating.via, rating.solved, rating.satisfaction) == ("sms", True, "basically_satisfied")
