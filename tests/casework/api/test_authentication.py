"""API tokens expire ``MINQING_TOKEN_TTL_HOURS`` after they are issued."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from rest_framework.authtoken.models import Token

from casework.api.authentication import token_expired

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_a_token_expires_exactly_at_its_time_to_live():
    assert not token_expired(created=T0, now=T0 + timedelta(hours=23, minutes=59), ttl_hours=24)
    assert token_expired(created=T0, now=T0 + timedelta(hours=24), ttl_hours=24)


def _token(user, *, age: timedelta) -> str:
    token = Token.objects.create(user=user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - age)
    return token.key


def test_a_fresh_token_authenticates(api_client, people, settings):
    settings.MINQING_TOKEN_TTL_HOURS = 24
    key = _token(people.grid_a1, age=timedelta(hours=23))
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "grid-a1"


def test_an_expired_token_is_refused_with_401_and_says_why(api_client, people, settings):
    settings.MINQING_TOKEN_TTL_HOURS = 24
    key = _token(people.grid_a1, age=timedelta(hours=25))
    response = api_client.get(
        "/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "expired" in response.json()["detail"]


def test_the_default_time_to_live_is_thirty_days(api_client, people):
    key = _token(people.grid_a1, age=timedelta(days=30, minutes=1))
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_an_anonymous_api_call_asks_for_a_token(api_client, db):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
