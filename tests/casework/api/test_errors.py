"""One error shape for every API answer that is not a success: ``detail`` (a sentence), ``code``
(a word), each refused field with its messages; for DRF's exceptions, the domain errors,
Django's Http404 and PermissionDenied, parse errors, throttling, a URL no route matches and an
unexpected failure alike."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import include, path
from rest_framework import serializers
from rest_framework.views import APIView

import config.urls
from casework.api.errors import not_found, server_error
from casework.errors import Throttled
from casework.services.tokens import token_create


class _Raises(APIView):
    what = None

    def get(self, request):
        raise self.what

    def post(self, request):
        raise serializers.ValidationError(["not tied to a field"])


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/test-404/", _Raises.as_view(what=Http404("gone"))),
    path("api/test-403/", _Raises.as_view(what=PermissionDenied())),
    path(
        "api/test-429/", _Raises.as_view(what=Throttled("slow down", extra={"window_minutes": 2}))
    ),
    path("api/test-500/", _boom),
    path("test-500/", _boom),
    path("", include("config.urls")),
]
handler404 = "casework.api.errors.not_found"
handler500 = "casework.api.errors.server_error"


def _shape(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    if code:
        assert body["code"] == code
    return body


def test_400_validation_names_the_field(api_as, people):
    body = _shape(
        api_as(people.grid_a1).post("/api/v1/tokens/", {}, format="json"), 400, "invalid"
    )
    assert body["name"] and body["detail"] == body["name"][0]


def test_400_domain_error_names_the_field(api_as, people):
    body = _shape(
        api_as(people.grid_a1).post("/api/v1/tokens/", {"name": "\x01"}, format="json"),
        400,
        "required",
    )
    assert body["name"] == [body["detail"]]


def test_400_parse_error(api_as, people):
    answer = api_as(people.grid_a1).post(
        "/api/v1/tokens/", data="{not json", content_type="application/json"
    )
    _shape(answer, 400, "parse_error")


def test_401_without_credentials_and_with_a_bad_token(api_client, db):
    _shape(api_client.get("/api/v1/cases/"), 401, "not_authenticated")
    answer = api_client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token nope-nope-nope")
    _shape(answer, 401, "authentication_failed")
    assert answer["WWW-Authenticate"] == "Token"


def test_403_domain_error(api_client, people):
    _, key = token_create(user=people.grid_a1, name="a")
    answer = api_client.post(
        "/api/v1/tokens/", {"name": "b"}, format="json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    _shape(answer, 403, "session_required")


def test_404_of_a_detail_out_of_reach(api_as, people):
    _shape(api_as(people.grid_a1).get("/api/v1/tokens/999999/"), 404, "not_found")


def test_404_of_a_url_no_route_matches(api_as, people, settings):
    settings.DEBUG = False
    _shape(Client().get("/api/v1/no-such-thing/"), 404, "not_found")
    _shape(api_as(people.grid_a1).get("/api/v1/no-such-thing/"), 404, "not_found")


def test_405(api_as, people):
    _shape(api_as(people.grid_a1).put("/api/v1/me/", {}, format="json"), 405, "method_not_allowed")


def test_409_domain_error(api_as, people, settings):
    settings.MINQING_TOKENS_PER_PERSON = 1
    client = api_as(people.grid_a1)
    client.post("/api/v1/tokens/", {"name": "a"}, format="json")
    _shape(client.post("/api/v1/tokens/", {"name": "b"}, format="json"), 409, "too_many_tokens")


def test_429_throttled(api_as, people, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1/min"},
    }
    client = api_as(people.grid_a1)
    client.get("/api/v1/me/")
    answer = client.get("/api/v1/me/")
    body = _shape(answer, 429, "throttled")
    assert int(answer["Retry-After"]) == body["wait"] >= 1
    cache.clear()


@pytest.mark.urls(__name__)
def test_django_errors_raised_in_an_api_view(api_as, people):
    client = api_as(people.grid_a1)
    _shape(client.get("/api/test-404/"), 404, "not_found")
    _shape(client.get("/api/test-403/"), 403, "permission_denied")
    body = _shape(client.post("/api/test-404/"), 400, "invalid")
    assert body["non_field_errors"] == ["not tied to a field"]


@pytest.mark.urls(__name__)
def test_a_domain_throttle_says_when_to_retry(api_as, people):
    answer = api_as(people.grid_a1).get("/api/test-429/")
    _shape(answer, 429, "throttled")
    assert answer["Retry-After"] == "120"


@pytest.mark.urls(__name__)
def test_500_under_the_api_is_json_and_a_page_elsewhere(settings, db):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    _shape(client.get("/api/test-500/"), 500, "server_error")
    page = client.get("/test-500/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_the_sites_handlers_are_these(settings):
    assert config.urls.handler404 == "casework.api.errors.not_found"
    assert config.urls.handler500 == "casework.api.errors.server_error"
    assert callable(not_found) and callable(server_error)


def test_an_error_on_an_export_is_json(api_as, people):
    answer = api_as(people.grid_a1).get("/api/v1/cases/", {"format": "xlsx", "state": "nope"})
    _shape(answer, 400, "invalid")


def test_pages_keep_their_html_404(client_as, people, settings):
    settings.DEBUG = False
    page = client_as(people.grid_a1).get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
