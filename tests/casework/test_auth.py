"""Demo logins work only with DEBUG on."""

from casework.services import person_create


def _demo_user():
    return person_create(
        username="demo-grid", name="演示", password="demo-pass-2026", is_demo=True
    )


def test_a_demo_login_is_refused_when_debug_is_off(client, db, settings):
    settings.DEBUG = False
    _demo_user()
    assert not client.login(username="demo-grid", password="demo-pass-2026")
    response = client.post(
        "/accounts/login/", {"username": "demo-grid", "password": "demo-pass-2026"}
    )
    assert response.status_code == 200  # the form again, with an error


def test_a_demo_login_works_when_debug_is_on(client, db, settings):
    settings.DEBUG = True
    _demo_user()
    response = client.post(
        "/accounts/login/", {"username": "demo-grid", "password": "demo-pass-2026"}
    )
    assert response.status_code == 302


def test_an_existing_demo_session_ends_when_debug_goes_off(client, db, settings):
    settings.DEBUG = True
    _demo_user()
    assert client.login(username="demo-grid", password="demo-pass-2026")
    assert client.get("/").status_code == 200
    settings.DEBUG = False
    assert client.get("/").status_code == 302


def test_a_token_cannot_be_obtained_for_a_demo_login(db, settings):
    from django.contrib.auth import authenticate

    settings.DEBUG = False
    _demo_user()
    assert authenticate(username="demo-grid", password="demo-pass-2026") is None


def test_an_ordinary_login_works_with_debug_off(client, people, settings):
    settings.DEBUG = False
    assert client.login(username="grid-a1", password="pw-for-tests-9731")
