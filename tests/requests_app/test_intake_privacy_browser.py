"""A whole intake in a real browser leaves no phone or ID number in any URL or log line."""

import pytest
from django.urls import reverse

from requests_app.models import Request
from tests.requests_app.conftest import valid_id_number
from tests.requests_app.test_phone_privacy import captured_logs, leaks, log_lines  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_browser_intake_and_reveal_leave_no_number_in_urls_or_logs(
    request,
    live_server,
    login_as,
    people,
    tree,
    categories,
    collect,
    captured_logs,  # noqa: F811
):
    collect(resident={"name": "王伟", "phone": "13812345678", "address": "阳光小区1栋301"})
    id_number = valid_id_number()
    page = request.getfixturevalue("page")
    login_as(page.context, people.grid_a1)
    urls, problems = [], []
    page.on("request", lambda r: urls.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    page.goto(live_server.url + reverse("requests_app:intake"))
    page.fill("#category-search", "dbsq")
    page.click(".category-chip:visible")
    page.select_option("#id_unit", str(tree.building_a1.pk))
    page.fill("#id_resident_phone", "13812345678")
    # The repeat caller is recognised (through a POST) and fills the empty fields.
    page.wait_for_selector("#resident-hint [data-resident]")
    assert page.input_value("#id_resident_name") == "王伟"
    page.fill("[name=id_number]", id_number)
    page.fill("#id_description", "申请低保，家中老人无收入")
    page.wait_for_selector("#duplicates table, #duplicates p")
    page.click("button[value=open_case]")
    page.wait_for_selector("#sent:not([hidden])")
    created = Request.objects.exclude(id_number_masked="").get()
    assert created.resident.name == "王伟"

    page.goto(live_server.url + reverse("requests_app:detail", args=[created.pk]))
    form = page.locator("#id-number ~ form.reveal-form, dd:has(#id-number) form.reveal-form")
    form.locator("input[name=reason]").fill("核对低保材料")
    form.locator("button").click()
    page.wait_for_selector("#id-number .revealed")
    assert page.inner_text("#id-number") == id_number

    assert [p for p in problems if "Content Security Policy" in p] == []
    assert leaks(urls) == [], urls
    assert leaks(log_lines(captured_logs)) == []
