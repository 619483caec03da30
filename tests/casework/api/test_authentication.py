"""``Authorization: Token <key>``: personal tokens, stored as digests, that expire and can be
revoked; a demo account's token is refused whenever demo sign-ins are (DEBUG off).

Before issue 14 the API used DRF's ``authtoken``: keys in clear, and a demo account's token
worked with DEBUG off (``test_a_demo_accounts_token_is_refused_with_debug_off`` failed then).
"""

from datetime import timedelta

from django.utils import timezone

from casework.models import ApiToken
from casework.services.tokens import key_digest, token_create, token_revoke


def _token(user, *, age: timedelta = timedelta(0), name="平板-张三") -> str:
    _, key = token_create(user=user, name=name, now=timezone.now() - age)
    return key


def _me(api_client, key, **extra):
    return api_client.get(
        "/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en", **extra
    )


def test_a_fresh_token_authenticates(api_client, people, settings):
    settings.MINQING_TOKEN_TTL_HOURS = 24
    key = _token(people.grid_a1, age=timedelta(hours=23))
    response = _me(api_client, key)
    assert response.status_code == 200
    assert response.json()["username"] == "grid-a1"


def test_only_a_digest_of_the_key_is_stored(people):
    key = _token(people.grid_a1)
    token = ApiToken.objects.get()
    assert token.prefix == key[:8]
    assert token.key_hash == key_digest(key) != key
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert key not in stored


def test_an_expired_token_is_refused_with_401_and_says_why(api_client, people, settings):
    settings.MINQING_TOKEN_TTL_HOURS = 24
    key = _token(people.grid_a1, age=timedelta(hours=24))
    response = _me(api_client, key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "expired" in response.json()["detail"]


def test_the_default_time_to_live_is_thirty_days(api_client, people):
    fresh = _token(people.grid_a1, age=timedelta(days=29, hours=23))
    assert _me(api_client, fresh).status_code == 200
    key = _token(people.grid_a1, age=timedelta(days=30, minutes=1))
    assert _me(api_client, key).status_code == 401


def test_the_expiry_is_fixed_when_the_token_is_made(people, settings):
    settings.MINQING_TOKEN_TTL_HOURS = 5
    token, _ = token_create(user=people.grid_a1, name="a")
    assert token.expires_at - token.created_at == timedelta(hours=5)


def test_a_revoked_token_is_refused_with_401_and_says_why(api_client, people):
    key = _token(people.grid_a1)
    token_revoke(actor=people.grid_a1, token_id=ApiToken.objects.get().pk)
    response = _me(api_client, key)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_unknown_key_is_refused_even_with_a_known_prefix(api_client, people):
    key = _token(people.grid_a1)
    for wrong in (key[:-1] + ("A" if key[-1] != "A" else "B"), key[:8], "not-a-real-token"):
        response = _me(api_client, wrong)
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid token."


def test_a_header_with_extra_words_is_refused(api_client, people):
    key = _token(people.grid_a1)
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key} more")
    assert response.status_code == 401


def test_a_demo_accounts_token_is_refused_with_debug_off(api_client, people, settings):
    settings.DEBUG = False
    people.grid_a1.is_demo = True
    people.grid_a1.save()
    key = _token(people.grid_a1)
    response = _me(api_client, key)
    assert response.status_code == 401
    assert "Demo" in response.json()["detail"]


def test_a_demo_accounts_token_works_with_debug_on(api_client, people, settings):
    settings.DEBUG = True
    people.grid_a1.is_demo = True
    people.grid_a1.save()
    assert _me(api_client, _token(people.grid_a1)).status_code == 200


def test_an_inactive_persons_token_is_refused(api_client, people):
    key = _token(people.grid_a1)
    people.grid_a1.is_active = False
    people.grid_a1.save()
    assert _me(api_client, key).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(api_client, people, django_assert_num_queries):
    key = _token(people.grid_a1)
    assert ApiToken.objects.get().last_used_at is None
    assert _me(api_client, key).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    assert _me(api_client, key).status_code == 200
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(seconds=61))
    assert _me(api_client, key).status_code == 200
    assert ApiToken.objects.get().last_used_at > first - timedelta(seconds=1)


def test_an_anonymous_api_call_asks_for_a_token(api_client, db):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
