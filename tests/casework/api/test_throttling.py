"""The API's throttles: per person, per token, per anonymous address and the stricter scopes
(reveal, export, track), each answering 429 with Retry-After; the client's address from the
proxy header only when the deployment declares one, the same for the public pages' budget and
django-axes."""

import pytest
from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.services.tokens import token_create
from casework.throttle import client_address, over_budget


class _Open(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        return Response({"ok": True})


class _Track(_Open):
    throttle_scope = "track"


urlpatterns = [
    path("api/test-open/", _Open.as_view()),
    path("api/test-track/", _Track.as_view()),
    path("", include("config.urls")),
]

RATES = {"anon": None, "user": None, "token": None, "reveal": None, "export": None, "track": None}


@pytest.fixture
def rates(settings):
    """Switch the given rates on (the test settings turn them all off) with an empty cache."""
    cache.clear()

    def set_(**given):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**RATES, **given},
        }

    yield set_
    cache.clear()


def _refused(response):
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["code"] == "throttled" and body["detail"] and body["wait"] >= 1
    return True


def test_a_person_is_counted_across_session_and_tokens(api_as, people, rates):
    rates(user="3/min")
    client = api_as(people.grid_a1)
    for _ in range(3):
        assert client.get("/api/v1/me/").status_code == 200
    assert _refused(client.get("/api/v1/me/"))
    _, key = token_create(user=people.grid_a1, name="a")
    client.logout()
    assert _refused(client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}"))
    # Another person has their own budget.
    assert api_as(people.grid_b1).get("/api/v1/me/").status_code == 200


def test_each_token_is_counted_apart_and_the_person_over_all(api_client, people, rates):
    rates(user="5/min", token="3/min")
    _, first = token_create(user=people.grid_a1, name="a")
    _, second = token_create(user=people.grid_a1, name="b")

    def me(key):
        return api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")

    for _ in range(3):
        assert me(first).status_code == 200
    assert _refused(me(first))  # the first token's own budget (the person's 4th call)
    assert me(second).status_code == 200  # the second token counts apart (5th)
    assert _refused(me(second))  # the person's budget, with the token at 1 of 3


@pytest.mark.urls(__name__)
def test_an_anonymous_client_is_counted_per_address(api_client, db, rates):
    rates(anon="2/min")
    for _ in range(2):
        assert api_client.get("/api/test-open/").status_code == 200
    assert _refused(api_client.get("/api/test-open/"))
    assert api_client.get("/api/test-open/", REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.urls(__name__)
def test_the_proxy_header_is_ignored_unless_declared(api_client, db, rates, settings):
    rates(anon="1/min")
    settings.MINQING_CLIENT_IP_HEADER = ""
    assert api_client.get("/api/test-open/", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    # A different forwarded address from the same peer is the same client.
    assert _refused(api_client.get("/api/test-open/", HTTP_X_FORWARDED_FOR="2.2.2.2"))


@pytest.mark.urls(__name__)
def test_the_declared_proxy_header_names_the_client(api_client, db, rates, settings):
    rates(anon="1/min")
    settings.MINQING_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.MINQING_TRUSTED_PROXIES = 1
    assert api_client.get("/api/test-open/", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert api_client.get("/api/test-open/", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 200
    # What the client wrote itself (the left entries) does not make it someone else.
    forged = api_client.get("/api/test-open/", HTTP_X_FORWARDED_FOR="7.7.7.7, 1.1.1.1")
    assert _refused(forged)


@pytest.mark.urls(__name__)
def test_the_track_scope_is_stricter_than_anon(api_client, db, rates):
    rates(anon="5/min", track="1/min")
    assert api_client.get("/api/test-track/").status_code == 200
    assert _refused(api_client.get("/api/test-track/"))
    assert api_client.get("/api/test-open/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/residents/999999/reveal/", "/api/v1/requests/999999/reveal/"]
)
def test_reveal_has_its_own_stricter_budget(api_as, people, rates, url):
    rates(user="100/min", reveal="1/min")
    client = api_as(people.supervisor_a)
    assert client.post(url, {"reason": "回访核实"}, format="json").status_code == 404
    assert _refused(client.post(url, {"reason": "回访核实"}, format="json"))
    # Both reveal doors share the budget; other calls do not use it.
    other = url.replace("residents", "X").replace("requests", "residents").replace("X", "requests")
    assert _refused(client.post(other, {"reason": "回访核实"}, format="json"))
    assert client.get("/api/v1/me/").status_code == 200


def test_exports_have_their_own_stricter_budget(api_as, people, rates):
    rates(user="100/min", export="1/min")
    client = api_as(people.supervisor_a)
    assert client.get("/api/v1/cases/", {"format": "xlsx"}).status_code == 200
    assert _refused(client.get("/api/v1/requests/", {"format": "xlsx"}))
    assert _refused(client.get("/api/v1/scoring/quarters/2026Q1/report.pdf"))
    assert client.get("/api/v1/cases/").status_code == 200
    assert api_as(people.supervisor_b).get("/api/v1/cases/", {"format": "xlsx"}).status_code == 200


# --- The one client address --------------------------------------------------------------------


def _request(remote="10.0.0.1", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("header", "proxies", "forwarded", "expected"),
    [
        ("", 1, "1.1.1.1", "10.0.0.1"),  # not declared: never read
        ("HTTP_X_FORWARDED_FOR", 1, "1.1.1.1", "1.1.1.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),
        ("HTTP_X_FORWARDED_FOR", 2, "6.6.6.6, 1.1.1.1, 172.16.0.2", "1.1.1.1"),
        ("HTTP_X_FORWARDED_FOR", 2, "1.1.1.1", "10.0.0.1"),  # fewer entries than proxies
        ("HTTP_X_FORWARDED_FOR", 1, "not-an-address", "10.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "", "10.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "2001:db8::1", "2001:db8::1"),
        ("HTTP_X_REAL_IP", 1, "1.1.1.1", "10.0.0.1"),  # the header given is not the one declared
    ],
)
def test_client_address(settings, header, proxies, forwarded, expected):
    settings.MINQING_CLIENT_IP_HEADER = header
    settings.MINQING_TRUSTED_PROXIES = proxies
    assert client_address(_request(HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_the_public_budget_and_axes_use_the_same_address(settings):
    cache.clear()
    settings.MINQING_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.MINQING_TRUSTED_PROXIES = 1
    first = _request(HTTP_X_FORWARDED_FOR="1.1.1.1")
    second = _request(HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert not over_budget(first, "test", limit=1, window=60)
    assert over_budget(first, "test", limit=1, window=60)
    assert not over_budget(second, "test", limit=1, window=60)
    assert get_client_ip_address(first) == "1.1.1.1"
    settings.MINQING_CLIENT_IP_HEADER = ""
    assert get_client_ip_address(first) == "10.0.0.1"
    cache.clear()


@pytest.mark.redis
def test_the_budget_is_kept_in_the_projects_redis_cache(api_as, people, settings):
    """Production counts in Redis (REDIS_URL), shared by every worker process."""
    import os

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL") or settings.REDIS_URL,
        }
    }
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**RATES, "user": "2/min"},
    }
    client = api_as(people.grid_a1)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    assert _refused(client.get("/api/v1/me/"))
    assert cache.get(f"throttle_user_{people.grid_a1.pk}")
    cache.clear()
