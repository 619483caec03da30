"""Showing a number in full is a privilege of named roles, with a reason, and throttled."""

import pytest
from django.urls import reverse

from casework.errors import NotPermitted, Throttled, ValidationFailed
from casework.models import Notification, NotificationKind
from requests_app.models import PersonalDataAccess
from requests_app.services import request_id_number_reveal, resident_phone_reveal
from tests.requests_app.conftest import valid_id_number

REASON = "回访核实诉求办理结果"


@pytest.fixture
def limit(settings):
    settings.MINQING_REVEAL_LIMIT = 3
    settings.MINQING_REVEAL_WINDOW_MINUTES = 10
    return 3


def test_a_volunteer_may_not_reveal_and_nothing_is_recorded(collect, people, categories):
    request = collect(category=categories.subsistence, id_number=valid_id_number())
    with pytest.raises(NotPermitted):
        resident_phone_reveal(actor=people.volunteer_a1, resident=request.resident, reason=REASON)
    with pytest.raises(NotPermitted):
        request_id_number_reveal(actor=people.volunteer_a1, request=request, reason=REASON)
    assert not PersonalDataAccess.objects.exists()


def test_a_reveal_needs_a_reason_and_records_it(collect, people):
    request = collect()
    with pytest.raises(ValidationFailed) as refused:
        resident_phone_reveal(actor=people.grid_a1, resident=request.resident, reason="  ")
    assert refused.value.field == "reason"
    assert not PersonalDataAccess.objects.exists()
    resident_phone_reveal(actor=people.grid_a1, resident=request.resident, reason=REASON)
    assert PersonalDataAccess.objects.get().reason == REASON


def test_a_burst_is_throttled_and_the_admins_are_told_once(collect, people, limit):
    request = collect()
    for _ in range(limit):
        resident_phone_reveal(actor=people.supervisor_a, resident=request.resident, reason=REASON)
    alerts = Notification.objects.filter(kind=NotificationKind.REVEAL_BURST)
    assert [n.user for n in alerts] == [people.admin]
    with pytest.raises(Throttled) as refused:
        resident_phone_reveal(actor=people.supervisor_a, resident=request.resident, reason=REASON)
    assert refused.value.status == 429
    assert PersonalDataAccess.objects.count() == limit
    assert alerts.count() == 1
    # Someone else is not held back by another person's burst.
    resident_phone_reveal(actor=people.grid_a1, resident=request.resident, reason=REASON)


def test_the_api_refuses_volunteers_asks_a_reason_and_answers_429(api_as, collect, people, limit):
    request = collect()
    url = f"/api/v1/requests/{request.pk}/reveal/"
    assert (
        api_as(people.volunteer_a1).post(url, {"field": "phone", "reason": REASON}).status_code
        == 403
    )
    client = api_as(people.grid_a1)
    missing = client.post(url, {"field": "phone"}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    for _ in range(limit):
        answer = client.post(url, {"field": "phone", "reason": REASON}, format="json")
        assert answer.json() == {"phone": "13812345678"}
    over = client.post(url, {"field": "phone", "reason": REASON}, format="json")
    assert over.status_code == 429
    assert over.json()["code"] == "throttled" and over.json()["detail"]
    resident_url = f"/api/v1/residents/{request.resident_id}/reveal/"
    assert client.post(resident_url, {"reason": REASON}, format="json").status_code == 429


def test_the_pages_ask_a_reason_and_refuse_volunteers(client_as, collect, people, limit):
    request = collect()
    url = reverse("requests_app:reveal", args=[request.pk, "phone"])
    volunteer = client_as(people.volunteer_a1).post(url, {"reason": REASON})
    assert "13812345678" not in volunteer.content.decode()
    detail = client_as(people.grid_a1).get(reverse("requests_app:detail", args=[request.pk]))
    assert 'name="reason"' in detail.content.decode()
    client = client_as(people.grid_a1)
    assert "13812345678" not in client.post(url).content.decode()
    assert "13812345678" in client.post(url, {"reason": REASON}).content.decode()
    resident_url = reverse("requests_app:resident-reveal", args=[request.resident_id])
    for _ in range(limit - 1):
        assert "13812345678" in client.post(resident_url, {"reason": REASON}).content.decode()
    over = client.post(resident_url, {"reason": REASON}, HTTP_HX_REQUEST="true")
    assert "13812345678" not in over.content.decode()
    assert client.post(resident_url, {"reason": REASON}).status_code == 429


def test_admins_see_a_report_of_who_revealed_what(client, collect, people, django_user_model):
    request = collect()
    resident_phone_reveal(actor=people.grid_a1, resident=request.resident, reason=REASON)
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-73917")
    client.force_login(root)
    page = client.get(reverse("admin:requests_app_personaldataaccess_changelist"))
    html = page.content.decode()
    assert page.status_code == 200
    assert REASON in html and "grid-a1" in html and "13812345678" not in html
    filtered = client.get(
        reverse("admin:requests_app_personaldataaccess_changelist"), {"field__exact": "id_number"}
    )
    assert REASON not in filtered.content.decode()
