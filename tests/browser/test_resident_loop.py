"""Issue 15's "Done when", in one real browser on a phone (390×844): a resident reports a problem
on the public page, follows it on the tracking page while the community works it, and rates the
result; the rating moves the community's satisfaction rate, and because it disagrees with the
return visit the worker recorded, the case is flagged for the supervisor's check."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.rates import rates
from casework.selectors.rates import rate_counts
from requests_app.models import Channel, Request
from requests_app.services.requests import request_acknowledge, request_open_case
from selfservice.models import RatingDisagreement, ResidentRating

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _satisfaction(tree):
    now = timezone.now()
    total, _by_child = rate_counts(
        unit=tree.community_a, start=now - timedelta(days=1), end=now + timedelta(days=1)
    )
    return total


def test_a_resident_reports_follows_and_rates_on_a_phone(
    browser, live_server, tree, people, category, settings, tmp_path, artefacts_dir
):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MINQING_DOOR_FREE_ATTEMPTS = 1000  # the challenge has its own browser test
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))

        # 1. The resident reports: the place by search, the problem in their words, a phone.
        page.goto(live_server.url + reverse("selfservice:door"))
        page.fill("#door-q", "阳光")
        page.wait_for_selector("[data-places] input[type=radio]")
        page.check(f"[data-places] input[value='{tree.compound_a1.pk}']")
        page.fill("#door-description", "我家那栋的电梯又卡在五楼不动了，老人下不了楼")
        page.fill("#door-phone", "13812345678")
        page.screenshot(path=str(artefacts_dir / "resident-1-report.png"), full_page=True)
        page.click("[data-submit]")
        page.wait_for_selector(".door-code")
        filed = Request.objects.get()
        assert filed.channel == Channel.ONLINE
        code = page.inner_text(".door-code").strip()
        assert code == filed.tracking_code_display
        page.screenshot(path=str(artefacts_dir / "resident-2-code.png"), full_page=True)

        # 2. The grid worker takes it up and opens a case; the community works it.
        request_acknowledge(request=filed, actor=people.grid_a1)
        case = request_open_case(request=filed, actor=people.grid_a1)
        case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
        case = services.case_accept(case=case, actor=people.handler_company)

        # 3. The resident follows it: in progress, at the handling unit, no person named.
        page.goto(live_server.url + reverse("requests_app:track") + f"?code={code}")
        assert page.locator('[aria-current="step"]').count() == 1
        body = page.inner_text("main")
        assert tree.company.name in body
        assert people.handler_company.get_full_name() not in body
        page.screenshot(path=str(artefacts_dir / "resident-3-in-progress.png"), full_page=True)

        # 4. Resolved; the worker's return visit records "satisfied" and closes it.
        case = services.case_resolve(
            case=case, actor=people.handler_company, result="已更换电梯控制板"
        )
        services.feedback_record(
            case=case, actor=people.grid_a1, solved=True, satisfaction="satisfied"
        )
        before = _satisfaction(tree)
        assert rates(before)["satisfaction"] == 1.0

        # 5. The resident sees the result and says otherwise.
        page.goto(live_server.url + reverse("requests_app:track") + f"?code={code}")
        assert "已更换电梯控制板" in page.inner_text("main")
        page.locator("input[name=solved][value=no]").check()
        page.locator("input[name=satisfaction][value=unsatisfied]").check()
        page.locator("textarea[name=comment]").fill("还是经常卡住")
        page.screenshot(path=str(artefacts_dir / "resident-4-rate.png"), full_page=True)
        page.locator(".rating-form button").click()
        page.wait_for_selector(".message.success")
        assert page.locator("[data-rated]").count() == 1
        page.screenshot(path=str(artefacts_dir / "resident-5-rated.png"), full_page=True)
    finally:
        context.close()

    rating = ResidentRating.objects.get(request=filed)
    assert (rating.via, rating.solved, rating.satisfaction) == ("track", False, "unsatisfied")
    after = _satisfaction(tree)
    assert (after.answered, after.pleased) == (before.answered + 1, before.pleased)
    assert rates(after)["satisfaction"] == 0.5
    flagged = RatingDisagreement.objects.get(case=case)
    assert flagged.outcome == "pending" and flagged.worker == people.grid_a1
    assert errors == []
