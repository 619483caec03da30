"""The searchable pickers in a real browser, on a phone: a supervisor assigns a case by typing
pinyin, with the keyboard only, the handlers narrowed to the chosen unit, a co-handler as a chip;
nothing scrolls sideways."""

import pytest
from django.urls import reverse

from casework.models import Case, Role
from casework.services import membership_grant, person_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def case_page(request, live_server, login_as, people, tree, open_case):
    page = request.getfixturevalue("page")
    page.set_viewport_size({"width": 390, "height": 844})
    zhang = person_create(username="zhang3", name="张三")
    membership_grant(user=zhang, unit=tree.company, role=Role.HANDLER)
    case = open_case()
    login_as(page.context, people.supervisor_a)
    page.goto(live_server.url + reverse("case-detail", args=[case.pk]))
    return page, case, zhang


def _box(page, select_id):
    return page.locator(f'.picker[data-picker-for="{select_id}"] .picker-input')


def test_a_supervisor_assigns_with_the_pickers_by_keyboard(case_page, tree, people):
    page, case, zhang = case_page
    page.click("#action-assign > summary")
    unit = _box(page, "id_assign_unit")
    unit.fill("cdwy")  # 城东物业: its pinyin initials
    page.keyboard.press("Enter")
    assert page.input_value("#id_assign_unit") == str(tree.company.pk)
    assert unit.input_value() == "城东物业"

    handler = _box(page, "id_assign_handler")
    handler.focus()
    rows = page.locator('.picker[data-picker-for="id_assign_handler"] [role="option"]')
    names = rows.all_inner_texts()
    # Only the company's handlers: never the county bureau's.
    assert any("张三" in n for n in names) and not any("handler-dept" in n for n in names)
    handler.fill("zhangsan")
    assert rows.count() == 1
    assert rows.first.bounding_box()["height"] >= 44
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert page.input_value("#id_assign_handler") == str(zhang.pk)

    co = _box(page, "id_assign_co_handlers")
    co.fill("zjj")  # 住建局
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    chip = page.locator('.picker[data-picker-for="id_assign_co_handlers"] .picker-chip')
    assert chip.count() == 1 and "住建局" in chip.inner_text()
    remove = chip.locator("button")
    assert remove.bounding_box()["height"] >= 44

    # A combobox named by its label, controlling a listbox.
    assert unit.get_attribute("role") == "combobox"
    assert unit.get_attribute("aria-labelledby")

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    page.click("#action-assign form button.primary")
    page.wait_for_url(f"**/cases/{case.pk}/")
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.handler_id, case.owner_unit_id) == (
        "assigned",
        zhang.pk,
        tree.company.pk,
    )
    assert list(case.co_handlers.values_list("pk", flat=True)) == [tree.department.pk]


def test_choosing_another_unit_drops_a_handler_of_the_first(case_page, tree):
    page, _case, zhang = case_page
    page.click("#action-assign > summary")
    page.select_option("#id_assign_unit", str(tree.company.pk))  # the plain select still works
    assert _box(page, "id_assign_unit").input_value() == "城东物业"
    page.select_option("#id_assign_handler", str(zhang.pk))
    page.select_option("#id_assign_unit", str(tree.department.pk))
    assert page.input_value("#id_assign_handler") == ""
