"""Signing in: lockout, password rules, the second factor, idle expiry, session rotation."""

import base64
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.services.tokens import token_create

PASSWORD = "pw-for-tests-9731"


def _totp_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


# --- Lockout ---------------------------------------------------------------------------------


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    return settings


def _fail(client, url, username, times):
    return [
        client.post(url, {"username": username, "password": "wrong-password-1"})
        for _ in range(times)
    ]


def test_the_login_page_locks_a_username_after_five_failures(client, people, lockout):
    answers = _fail(client, "/accounts/login/", "sup-a", 4)
    assert {a.status_code for a in answers} == {200}  # the form again, with an error
    assert _fail(client, "/accounts/login/", "sup-a", 1)[0].status_code == 429
    # Now even the right password is refused, and nobody is signed in.
    answer = client.post("/accounts/login/", {"username": "sup-a", "password": PASSWORD})
    assert answer.status_code == 429
    assert "15 分钟后再试" in answer.content.decode()
    assert client.get("/").status_code == 302


def test_the_lock_holds_the_username_only_from_that_address(client, people, lockout):
    _fail(client, "/accounts/login/", "sup-a", 5)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    answer = elsewhere.post("/accounts/login/", {"username": "sup-a", "password": PASSWORD})
    assert answer.status_code == 302
    other_user = client.post("/accounts/login/", {"username": "grid-a1", "password": PASSWORD})
    assert other_user.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, people, lockout):
    from axes.models import AccessAttempt

    _fail(client, "/accounts/login/", "sup-a", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    answer = client.post("/accounts/login/", {"username": "sup-a", "password": PASSWORD})
    assert answer.status_code == 302


def test_an_unknown_username_gets_the_same_answers_as_a_real_one(client, people, lockout):
    real = _fail(client, "/accounts/login/", "sup-a", 6)
    unknown = _fail(client, "/accounts/login/", "no-such-person", 6)

    def page(answer, username):
        text = re.sub(
            r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", answer.content.decode()
        )
        return text.replace(username, "X")

    for a, b in zip(real, unknown, strict=True):
        assert a.status_code == b.status_code
        assert page(a, "sup-a") == page(b, "no-such-person")
    assert real[-1].status_code == 429


def test_the_admin_login_locks_too(client, people, lockout):
    people.admin.is_staff = True
    people.admin.save(update_fields=["is_staff"])
    answers = _fail(client, "/admin/login/", "admin", 5)
    assert answers[-1].status_code == 429
    answer = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert answer.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_the_api_takes_no_password_at_all(api_client, people, lockout):
    """The API's only credentials are tokens issued by administrators: there is no password door
    to lock (no token-for-password endpoint, no HTTP Basic)."""
    basic = base64.b64encode(f"sup-a:{PASSWORD}".encode()).decode()
    api_client.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    assert api_client.get("/api/v1/me/").status_code == 401
    from django.urls import Resolver404, resolve

    for path in ("/api/v1/token/", "/api/v1/auth/token/", "/api-token-auth/"):
        with pytest.raises(Resolver404):
            resolve(path)


# --- Password rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["short-9x", "1234567890123", "password1234", "zhangwei.chengdong"]
)
def test_weak_passwords_are_refused(password, people):
    """Too short, all digits, common, or too like the person's own details."""
    people.supervisor_a.email = "zhangwei.chengdong@example.cn"
    with pytest.raises(ValidationError):
        validate_password(password, user=people.supervisor_a)


def test_a_long_uncommon_password_is_accepted(people):
    validate_password("tea-kettle-orbit-42", user=people.supervisor_a)


def test_the_password_page_refuses_a_weak_password(client_as, people):
    client = client_as(people.grid_a1)
    answer = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert answer.status_code == 200
    people.grid_a1.refresh_from_db()
    assert people.grid_a1.check_password(PASSWORD)


# --- Sessions --------------------------------------------------------------------------------


def test_signing_in_gives_a_new_session_key(client, people):
    session = client.session
    session["before"] = True
    session.save()
    before = session.session_key
    answer = client.post("/accounts/login/", {"username": "grid-a1", "password": PASSWORD})
    assert answer.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_signing_out_deletes_the_session(client, people):
    client.post("/accounts/login/", {"username": "grid-a1", "password": PASSWORD})
    key = client.cookies["sessionid"].value
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


def test_changing_the_password_signs_out_every_other_session(people):
    here, there = Client(), Client()
    here.force_login(people.grid_a1)
    there.force_login(people.grid_a1)
    key_before = here.cookies["sessionid"].value
    answer = here.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "tea-kettle-orbit-42",
            "new_password2": "tea-kettle-orbit-42",
        },
    )
    assert answer.status_code == 302
    assert here.get("/").status_code == 200
    assert here.cookies["sessionid"].value != key_before
    answer = there.get("/")
    assert answer.status_code == 302
    assert answer.url.startswith("/accounts/login/")


def test_an_idle_session_is_signed_out(client_as, people, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = client_as(people.grid_a1)
    start = timezone.now()
    # Each request pushes the end back: 29 minutes, then 29 more, still signed in.
    for minutes in (29, 58):
        with mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)
        ):
            assert client.get("/").status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=89)):
        answer = client.get("/")
    assert answer.status_code == 302
    assert answer.url.startswith("/accounts/login/")


def test_the_session_cookie_ends_with_the_browser(client, people, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client.post("/accounts/login/", {"username": "grid-a1", "password": PASSWORD})
    assert not client.cookies["sessionid"]["expires"]


# --- Second factor ---------------------------------------------------------------------------


@pytest.fixture
def require_2fa(settings):
    settings.MINQING_REQUIRE_2FA = True
    return settings


def _enrol(client):
    """Walk the set-up page; return the recovery codes it shows."""
    answer = client.get("/accounts/2fa/setup/?next=/cases/")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "<svg" in page  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(confirmed=False)
    assert base64.b32encode(device.bin_key).decode()[:4] in page  # the key, to type in
    wrong = client.post("/accounts/2fa/setup/", {"token": "000000", "next": "/cases/"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    answer = client.post("/accounts/2fa/setup/", {"token": _totp_code(device), "next": "/cases/"})
    assert answer.status_code == 200
    return answer.context["codes"]


def test_a_supervisor_sets_up_two_step_sign_in_and_gets_recovery_codes(
    client_as, people, require_2fa
):
    client = client_as(people.supervisor_a)
    answer = client.get("/cases/")
    assert answer.status_code == 302
    assert answer.url == "/accounts/2fa/setup/?next=%2Fcases%2F"
    codes = _enrol(client)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get("/cases/").status_code == 200
    # Once a device is confirmed, the set-up page is closed: a stolen password adds no device.
    other = Client()
    other.force_login(people.supervisor_a)
    answer = other.get("/accounts/2fa/setup/")
    assert answer.status_code == 302
    assert answer.url.startswith("/accounts/2fa/verify/")
    assert TOTPDevice.objects.filter(user=people.supervisor_a).count() == 1


def test_a_new_sign_in_asks_for_the_code_and_takes_it(client_as, people, require_2fa):
    device = TOTPDevice.objects.create(user=people.supervisor_a, name="app", confirmed=True)
    client = client_as(people.supervisor_a)
    answer = client.get("/cases/")
    assert answer.url == "/accounts/2fa/verify/?next=%2Fcases%2F"
    assert client.post("/accounts/2fa/verify/", {"token": "000000"}).status_code == 400
    assert client.get("/cases/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    answer = client.post("/accounts/2fa/verify/", {"token": _totp_code(device), "next": "/cases/"})
    assert answer.status_code == 302
    assert answer.url == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_a_recovery_code_signs_in_once(client_as, people, require_2fa):
    codes = _enrol(client_as(people.supervisor_a))
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(people.supervisor_a)
    answer = first.post("/accounts/2fa/verify/", {"token": codes[0], "next": "/cases/"})
    assert answer.status_code == 302
    assert first.get("/cases/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert second.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 400
    assert second.get("/cases/").status_code == 302


def test_an_administrator_and_a_superuser_need_the_second_factor(client_as, people, require_2fa):
    client = client_as(people.admin)
    assert client.get("/").url.startswith("/accounts/2fa/setup/")
    people.outsider.is_superuser = True
    people.outsider.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(people.outsider)
    assert client.get("/").url.startswith("/accounts/2fa/setup/")
    assert client.get("/admin/").url.startswith("/accounts/2fa/setup/")


@pytest.mark.parametrize("who", ["grid_a1", "handler_company", "volunteer_a1"])
def test_other_roles_sign_in_with_a_password_alone(who, client_as, people, require_2fa):
    assert client_as(getattr(people, who)).get("/").status_code == 200


def test_nobody_is_asked_when_the_setting_is_off(client_as, people, settings):
    settings.MINQING_REQUIRE_2FA = False
    assert client_as(people.supervisor_a).get("/cases/").status_code == 200


def test_the_api_refuses_an_unverified_session_with_a_reason(api_as, people, require_2fa):
    answer = api_as(people.supervisor_a).get("/api/v1/me/")
    assert answer.status_code == 403
    assert "authenticator" in answer.json()["detail"] or "验证" in answer.json()["detail"]


def test_the_api_accepts_a_verified_session(api_as, people, require_2fa):
    client = api_as(people.supervisor_a)
    _enrol(client)
    assert client.get("/api/v1/me/").status_code == 200


def test_a_token_client_needs_no_second_factor(api_client, people, require_2fa):
    _, key = token_create(user=people.supervisor_a, name="tablet")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_a_bad_token_does_not_fall_back_to_the_session(api_as, people, require_2fa):
    client = api_as(people.supervisor_a)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/me/").status_code == 401


def test_another_authorization_scheme_does_not_skip_the_check(api_as, people, require_2fa):
    client = api_as(people.supervisor_a)
    client.credentials(HTTP_AUTHORIZATION="Basic eDp5")
    assert client.get("/api/v1/me/").status_code == 403
