"""The case page's action forms, made for a tablet: one column, the right inputs, pickers for
units and people, the handlers narrowed to the chosen unit, and a refusal shown on its field.

And the other forms a field user meets carry the picker too (intake, visit, meeting, dashboard).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseEvent, Role
from casework.services import membership_grant, person_create

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _page(client, case, **extra) -> str:
    response = client.get(reverse("case-detail", args=[case.pk]), **extra)
    assert response.status_code == 200
    return response.content.decode()


def _tag(html: str, element_id: str) -> str:
    """The opening tag of the element with ``element_id``."""
    found = re.search(r"<(select|input|textarea)[^>]*\bid=\"" + element_id + r"\"[^>]*>", html)
    assert found, element_id
    return found.group(0)


def _options(html: str, select_id: str) -> list[str]:
    found = re.search(r'<select[^>]*id="' + select_id + r'"[^>]*>(.*?)</select>', html, re.S)
    assert found, select_id
    return re.findall(r"<option[^>]*>", found.group(1))


@pytest.fixture
def zhang(tree):
    """张三, a second handler of the property company."""
    user = person_create(username="zhang3", name="张三")
    membership_grant(user=user, unit=tree.company, role=Role.HANDLER)
    return user


def test_the_assign_form_is_made_of_pickers(client_as, people, open_case, tree, zhang):
    case = open_case()
    html = _page(client_as(people.supervisor_a), case)
    unit = _tag(html, "id_assign_unit")
    assert 'data-picker="units"' in unit
    handler = _tag(html, "id_assign_handler")
    assert 'data-picker="people"' in handler
    assert 'data-picker-follows="id_assign_unit"' in handler
    co = _tag(html, "id_assign_co_handlers")
    assert co.startswith("<select") and "multiple" in co and 'data-picker="units"' in co
    # Never Django's "---------": a placeholder in words.
    assert "---------" not in html
    first = _options(html, "id_assign_unit")[0]
    assert 'value=""' in first
    # Each handler knows the units they handle for, and their pinyin.
    options = {
        re.search(r'value="(\d+)"', o).group(1): o for o in _options(html, "id_assign_handler")[1:]
    }

    def units(option):
        return set(re.search(r'data-units="([\d ]*)"', option).group(1).split())

    # A unit's handlers are those of its subtree: the company's handler counts for the
    # community above it too (the server accepts either), never for the county's bureau.
    assert str(tree.company.pk) in units(options[str(zhang.pk)])
    assert str(tree.department.pk) not in units(options[str(zhang.pk)])
    assert 'data-pinyin="zs zhangsan"' in options[str(zhang.pk)]
    assert units(options[str(people.handler_department.pk)]) >= {str(tree.department.pk)}
    assert str(tree.company.pk) not in units(options[str(people.handler_department.pk)])
    # The units: the company, the county's bureau, the places above, with their pinyin.
    units = " ".join(_options(html, "id_assign_unit"))
    assert f'value="{tree.company.pk}"' in units and f'value="{tree.department.pk}"' in units
    assert "data-pinyin=" in units


def test_action_forms_fit_a_tablet(client_as, people, drive, open_case):
    case = drive(open_case(), "in_progress")
    html = _page(client_as(people.handler_company), case)
    # No textarea is given a fixed width in characters.
    assert "<textarea" in html and not re.search(r"<textarea[^>]*\bcols=", html)
    assert 'type="datetime-local"' in _tag(html, "id_extension_due_at")
    assert "required" in _tag(html, "id_resolve_result")
    assert 'class="req"' in html
    assert 'class="stack action-form"' in html
    # The stylesheet and the picker's script are on every page.
    assert "css/forms.css" in html and "js/picker.js" in html


def test_the_feedback_radios_are_inside_their_labels(client_as, people, drive, open_case):
    case = drive(open_case(), "resolved")
    html = _page(client_as(people.grid_a1), case)
    for name in ("solved", "satisfaction"):
        radios = re.findall(
            r'<label class="choice" for="id_feedback_' + name + r'_\d+"><input type="radio"', html
        )
        assert len(radios) >= 2, name
    assert "<fieldset" in html and "<legend>" in html


def test_the_park_form_asks_for_a_date(client_as, people, drive, open_case):
    case = drive(open_case(), "assigned")
    html = _page(client_as(people.supervisor_a), case)
    assert 'type="date"' in _tag(html, "id_park_review_on")


def test_a_handler_of_another_unit_is_refused_on_the_handler_field(
    client_as, people, open_case, tree
):
    case = open_case()
    client = client_as(people.supervisor_a)
    response = client.post(
        reverse("case-act", args=[case.pk, "assign"]),
        {
            "unit": tree.company.pk,
            "handler": people.handler_department.pk,
            "version": case.version,
        },
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    # The form is open, its error is on the handler's field, which is focused.
    assert re.search(r'<details class="action" id="action-assign"[^>]*\bopen\b', html)
    field = re.search(r'<div class="field invalid" data-field="handler">.*?</div>', html, re.S)
    assert field and "not a handler of the chosen unit" in field.group(0)
    handler = _tag(html, "id_assign_handler")
    assert 'aria-invalid="true"' in handler and "autofocus" in handler
    assert 'aria-describedby="id_assign_handler_error"' in handler
    assert 'id="id_assign_handler_error"' in html
    # What was chosen is still chosen.
    assert re.search(rf'<option value="{tree.company.pk}"[^>]*selected', html)
    assert Case.objects.get(pk=case.pk).state == "new"
    assert not CaseEvent.objects.filter(case=case, kind="assigned").exists()


def test_the_api_refuses_a_handler_of_another_unit_naming_the_field(
    api_as, people, open_case, tree
):
    case = open_case()
    response = api_as(people.supervisor_a).post(
        reverse("api:case-assign", args=[case.pk]),
        {"unit": tree.department.pk, "handler": people.handler_company.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "handler" in response.json().get("fields", response.json())
    assert Case.objects.get(pk=case.pk).state == "new"


@pytest.mark.parametrize("door", ["page", "api"])
def test_a_handler_of_the_chosen_unit_is_assigned(
    client_as, api_as, people, open_case, tree, zhang, door
):
    case = open_case()
    data = {"unit": tree.company.pk, "handler": zhang.pk, "co_handlers": [tree.department.pk]}
    if door == "page":
        response = client_as(people.supervisor_a).post(
            reverse("case-act", args=[case.pk, "assign"]), data
        )
        assert response.status_code == 302
    else:
        response = api_as(people.supervisor_a).post(
            reverse("api:case-assign", args=[case.pk]), data, format="json"
        )
        assert response.status_code == 200
    case.refresh_from_db()
    assert (case.state, case.handler_id, case.owner_unit_id) == (
        "assigned",
        zhang.pk,
        tree.company.pk,
    )
    assert list(case.co_handlers.values_list("pk", flat=True)) == [tree.department.pk]


def test_the_transfer_form_narrows_handlers_too(client_as, people, drive, open_case):
    case = drive(open_case(), "assigned")
    html = _page(client_as(people.supervisor_a), case)
    assert 'data-picker-follows="id_transfer_unit"' in _tag(html, "id_transfer_handler")


def test_a_refused_extension_date_is_shown_on_its_field(client_as, people, drive, open_case):
    case = drive(open_case(), "in_progress")
    earlier = timezone.localtime(case.due_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_as(people.handler_company).post(
        reverse("case-act", args=[case.pk, "extension"]),
        {"due_at": earlier, "reason": "等配件", "version": case.version},
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<div class="field invalid" data-field="due_at">.*?</div>', html, re.S)
    assert field and "later than the current one" in field.group(0)
    assert "autofocus" in _tag(html, "id_extension_due_at")


def test_a_missing_feedback_answer_is_shown_on_its_radios(client_as, people, drive, open_case):
    case = drive(open_case(), "resolved")
    response = client_as(people.grid_a1).post(
        reverse("case-act", args=[case.pk, "feedback"]), {"version": case.version}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<fieldset class="field choices invalid" data-field="solved">', html)
    assert 'id="id_feedback_solved_error"' in html


# --- The other forms a field user meets --------------------------------------------------


def test_the_intake_place_is_a_picker_keeping_its_select(client_as, people):
    html = client_as(people.grid_a1).get(reverse("requests_app:intake")).content.decode()
    unit = _tag(html, "id_unit")
    assert unit.startswith("<select") and 'name="unit"' in unit
    assert 'data-picker="places"' in unit and "/api/v1/pickers/places/" in unit
    options = " ".join(_options(html, "id_unit"))
    assert 'data-pinyin="ygxq yangguangxiaoqu"' in options
    # A building is told apart by its compound.
    assert "阳光小区 · " in options


def test_the_visit_and_meeting_forms_pick_their_place(client_as, people):
    client = client_as(people.supervisor_a)
    visit = client.get(reverse("requests_app:visit-new")).content.decode()
    assert 'data-picker="places"' in _tag(visit, "id_unit")
    meeting = client.get(reverse("meeting-new")).content.decode()
    assert 'data-picker="places"' in _tag(meeting, "id_unit")
    assert "---------" not in meeting


def test_the_dashboard_unit_filter_is_a_picker(client_as, people):
    html = client_as(people.supervisor_a).get(reverse("dashboard")).content.decode()
    select = re.search(r'<select name="unit"[^>]*>', html).group(0)
    assert 'data-picker="units"' in select
    assert "data-pinyin=" in html
