"""The admin shows intake data read-only, with phones and ID numbers masked."""

from django.urls import reverse

from tests.requests_app.conftest import valid_id_number


def test_the_admin_lists_and_shows_requests_masked(client, people, collect, categories):
    people.admin.is_superuser = True
    people.admin.save()
    number = valid_id_number()
    request = collect(category=categories.subsistence, id_number=number)
    client.force_login(people.admin)
    for name in ["request", "resident", "visit", "personaldataaccess", "idempotencykey"]:
        page = client.get(reverse(f"admin:requests_app_{name}_changelist"))
        assert page.status_code == 200, name
        assert "13812345678" not in page.content.decode()
    for url in [
        reverse("admin:requests_app_request_change", args=[request.pk]),
        reverse("admin:requests_app_resident_change", args=[request.resident_id]),
    ]:
        html = client.get(url).content.decode()
        assert "13812345678" not in html and number not in html
    assert client.get(reverse("admin:requests_app_request_add")).status_code == 403
