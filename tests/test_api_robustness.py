"""What fuzzing the API (schemathesis) found: ids too large for any column, OPTIONS on an
action. Each answers a clear 4xx, never a 500."""

import pytest

HUGE = "170928411527935085436571977041051648"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/cases/{HUGE}/",
        f"/api/v1/cases/{HUGE}/events/",
        f"/api/v1/units/{HUGE}/",
        f"/api/v1/requests/{HUGE}/",
        f"/api/v1/scoring/people/{HUGE}/",
        f"/cases/{HUGE}/",
        f"/units/{HUGE}/",
    ],
)
def test_an_id_no_column_can_hold_is_404(api_as, client_as, people, url):
    client = api_as(people.admin) if url.startswith("/api/") else client_as(people.admin)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/cases/", "category"),
        ("/api/v1/cases/", "unit"),
        ("/api/v1/units/", "within"),
        ("/api/v1/requests/", "visit"),
        ("/api/v1/notifications/", "case"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, "-1.7976931348623157e+308", "0"])
def test_a_filter_id_out_of_range_is_a_400_naming_it(api_as, people, url, param, value):
    response = api_as(people.admin).get(url, {param: value})
    assert response.status_code == 400
    assert param in response.json()


def test_options_on_the_preferences_answers(api_as, people):
    client = api_as(people.grid_a1)
    assert client.options("/api/v1/notifications/preferences/").status_code == 200
    assert client.put(
        "/api/v1/notifications/preferences/",
        {"email": True, "sms": False, "digest": True},
        format="json",
    ).json() == {"email": True, "sms": False, "digest": True}


def test_preferences_left_out_keep_their_value(api_as, people):
    client = api_as(people.grid_a1)
    client.put("/api/v1/notifications/preferences/", {"sms": True}, format="json")
    body = client.put("/api/v1/notifications/preferences/", {}, format="json").json()
    assert body == {"email": False, "sms": True, "digest": True}
